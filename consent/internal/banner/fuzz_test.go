package banner

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/text/language"
)

func FuzzNegotiate(f *testing.F) {
	for _, s := range [][2]string{
		{"de-DE,de;q=0.9,en;q=0.8", ""},
		{"", "fr"},
		{"*;q=0.1, x-klingon", "und"},
		{"en-GB-oxendict;q=0.7,pt-BR", "sr-Latn"},
		{";;q=,,", "\x00"},
	} {
		f.Add(s[0], s[1])
	}
	r := newRenderer(f, testOptions())
	served := r.Languages()
	f.Fuzz(func(t *testing.T, accept, chosen string) {
		got := r.Negotiate(accept, chosen)
		if !slices.Contains(served, got) {
			t.Fatalf("Negotiate(%q, %q) = %s, not a served language", accept, chosen, got)
		}
	})
}

// tagCount counts start tags as a browser's tokenizer sees them.
func tagCount(s string) int {
	z := html.NewTokenizer(strings.NewReader(s))
	n := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return n
		case html.StartTagToken, html.SelfClosingTagToken:
			n++
		}
	}
}

// Whatever the request brings, it stays inside its attribute: the markup has
// the same elements, and the values read back exactly.
func FuzzBannerView(f *testing.F) {
	f.Add("/", "", "analytics")
	f.Add(`/a?b="><script>alert(1)</script>`, `n" onload="x`, "marketing")
	f.Add("//evil.example/\x00\u2028", "'", "")
	r := newRenderer(f, testOptions())
	var base bytes.Buffer
	if err := r.Preferences(&base, View{Lang: language.English, Nonce: "n"}); err != nil {
		f.Fatal(err)
	}
	wantTags := tagCount(base.String())
	f.Fuzz(func(t *testing.T, ret, nonce, granted string) {
		v := View{Lang: language.English, ReturnTo: ret, Nonce: nonce, Granted: []string{granted}, Decided: len(ret)%2 == 0}
		var b bytes.Buffer
		if err := r.Preferences(&b, v); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if got := tagCount(out); got != wantTags {
			t.Fatalf("%d start tags, want %d:\n%s", got, wantTags, out)
		}
		doc, err := html.Parse(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range findAll(doc, tagIs("input")) {
			if n, _ := attr(in, "name"); n == "return" {
				got, _ := attr(in, "value")
				want := strings.ReplaceAll(ret, "\x00", "\uFFFD")
				if !strings.ContainsRune(ret, '\r') && got != want {
					t.Fatalf("return field reads %q, want %q", got, want)
				}
			}
		}
		if nonce != "" {
			for _, s := range findAll(doc, tagIs("script")) {
				if _, ok := attr(s, "nonce"); !ok {
					t.Fatalf("script lost its nonce")
				}
			}
		}
		if err := r.Banner(io.Discard, v); err != nil {
			t.Fatal(err)
		}
	})
}

// App strings never panic New, and when accepted they show up escaped.
func FuzzOverride(f *testing.F) {
	f.Add("Accept", "We use %s.")
	f.Add("<b>&amp;</b>", "100%% %s")
	f.Add("%", "%s%")
	f.Add("${x}", "%v %s")
	f.Fuzz(func(t *testing.T, accept, bannerText string) {
		opts := testOptions()
		opts.Strings = map[string]map[string]string{"en": {KeyAccept: accept, KeyText: bannerText}}
		r, err := New(opts)
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := r.Banner(&b, View{Lang: language.English}); err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(strings.NewReader(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		buttons := findAll(doc, tagIs("button"))
		if len(buttons) != 2 {
			t.Fatalf("%d buttons, want 2:\n%s", len(buttons), b.String())
		}
		want := strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(accept, "\x00", ""), "\r", "\n"))
		if got := text(buttons[0]); utf8Valid(accept) && !strings.ContainsAny(accept, "\x00\r\f") && got != strings.TrimSpace(want) {
			t.Fatalf("accept button reads %q, want %q", got, want)
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
