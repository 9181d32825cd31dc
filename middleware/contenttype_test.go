package middleware

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestContentType(t *testing.T) {
	for _, tt := range []struct {
		name string
		ct   []string
		want string
	}{
		{"absent", nil, ""},
		{"explicit nil", []string{}, ""},
		{"plain", []string{"text/html"}, "text/html"},
		{"parameters and case", []string{"Text/HTML; Charset=UTF-8"}, "text/html"},
		{"spaces", []string{" \ttext/html \t; charset=utf-8"}, "text/html"},
		{"last field wins", []string{"text/plain; charset=utf-8", "text/html"}, "text/html"},
		{"last entry of a folded field", []string{"text/plain, text/html; charset=utf-8"}, "text/html"},
		{"comma inside a quoted parameter", []string{`text/html; x="a,b"`}, "text/html"},
		{"comma inside a quoted parameter, then another type", []string{`text/html; x="a,text/plain", application/json`}, "application/json"},
		{"escaped quote", []string{`text/html; x="a\",b", text/css`}, "text/css"},
		{"invalid last entry skipped", []string{"text/html", "nonsense"}, "text/html"},
		{"wildcard skipped", []string{"text/html", "*/*"}, "text/html"},
		{"empty entries skipped", []string{"text/html,,", ""}, "text/html"},
		{"no subtype", []string{"text/"}, ""},
		{"no type", []string{"/html"}, ""},
		{"not a token", []string{"text/ht ml"}, ""},
		{"only invalid", []string{"garbage", "a/b/c"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.ct != nil {
				h["Content-Type"] = tt.ct
			}
			if diff := cmp.Diff(tt.want, ContentType(h)); diff != "" {
				t.Errorf("ContentType(%q) (-want +got):\n%s", tt.ct, diff)
			}
		})
	}
}

// foldKeys gathers fields in the order net/http writes them: keys sorted.
func TestFoldKeys(t *testing.T) {
	h := http.Header{
		"content-type": {"text/html"},
		"Content-Type": {"text/plain"},
		"CONTENT-TYPE": {"application/json"},
		"Vary":         {"Cookie"},
	}
	if !foldKeys(h, "Content-Type") {
		t.Fatal("foldKeys found nothing to fold")
	}
	want := http.Header{
		"Content-Type": {"application/json", "text/plain", "text/html"},
		"Vary":         {"Cookie"},
	}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("folded (-want +got):\n%s", diff)
	}
	if foldKeys(h, "Content-Type") {
		t.Error("a second fold found something")
	}
}

func BenchmarkContentType(b *testing.B) {
	h := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	b.ReportAllocs()
	for b.Loop() {
		if ContentType(h) != "text/html" {
			b.Fatal("wrong type")
		}
	}
}

// FuzzContentType: whatever the fields hold, ContentType does not panic,
// returns "" or a lower-case "token/token" that one of the entries names,
// and the result of the fields is that of the last field naming a type.
func FuzzContentType(f *testing.F) {
	for _, s := range [][2]string{
		{"text/html; charset=utf-8", ""},
		{"text/plain", "text/html"},
		{`text/html; x="a,b", text/css`, "*/*"},
		{"TEXT/HTML", "nonsense"},
		{`a/b; q="\"`, ",,"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		got := ContentType(http.Header{"Content-Type": {a, b}})
		if got != "" {
			typ, sub, ok := strings.Cut(got, "/")
			if !ok || !isToken(typ) || !isToken(sub) || got != strings.ToLower(got) || got == "*/*" {
				t.Fatalf("ContentType(%q, %q) = %q, not a media type", a, b, got)
			}
			if !strings.Contains(strings.ToLower(a+","+b), got) {
				t.Fatalf("ContentType(%q, %q) = %q, named by no entry", a, b, got)
			}
		}
		last := ContentType(http.Header{"Content-Type": {b}})
		if last == "" {
			last = ContentType(http.Header{"Content-Type": {a}})
		}
		if got != last {
			t.Fatalf("ContentType(%q, %q) = %q, but field by field %q", a, b, got, last)
		}
	})
}

// isToken reports whether s is a non-empty HTTP token, byte by byte from
// RFC 9110's list rather than through tokenByte.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}
