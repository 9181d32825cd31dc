package banner

import (
	"io"
	"testing"

	"golang.org/x/text/language"
)

// BenchmarkBanner is the per-request cost of the first layer.
func BenchmarkBanner(b *testing.B) {
	r := newRenderer(b, testOptions())
	v := View{Lang: language.German, ReturnTo: "/shop/tea?id=42&ref=home", Nonce: "q1w2e3r4t5y6u7i8o9p0"}
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Banner(io.Discard, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPreferences(b *testing.B) {
	r := newRenderer(b, testOptions())
	v := View{Lang: language.French, ReturnTo: "/panier", Nonce: "q1w2e3r4t5y6u7i8o9p0", Granted: []string{"analytics", "social"}, Decided: true}
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Preferences(io.Discard, v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNegotiate is a repeat visitor's header, answered from memory;
// BenchmarkNegotiateCold is the matching itself, as for a new header.
func BenchmarkNegotiate(b *testing.B) {
	r := newRenderer(b, testOptions())
	b.ReportAllocs()
	for b.Loop() {
		r.Negotiate("de-CH,de;q=0.9,fr;q=0.8,en;q=0.7", "")
	}
}

func BenchmarkNegotiateCold(b *testing.B) {
	r := newRenderer(b, testOptions())
	b.ReportAllocs()
	for b.Loop() {
		r.negotiate("de-CH,de;q=0.9,fr;q=0.8,en;q=0.7", "")
	}
}

// BenchmarkNew is the start-up cost: every string of every built-in language resolved
// and four pages pre-rendered for each.
func BenchmarkNew(b *testing.B) {
	opts := testOptions()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConsentModeDefault(b *testing.B) {
	m := ConsentMode{AnalyticsStorage: true, SecurityStorage: true}
	b.ReportAllocs()
	for b.Loop() {
		ConsentModeDefault(m, "q1w2e3r4t5y6u7i8o9p0")
	}
}
