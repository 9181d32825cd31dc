package banner

import (
	"strings"
	"testing"

	"golang.org/x/text/language"
)

// Whatever the rewriter reports as host and mark, and whatever return path
// and grants the caller passes, the placeholder keeps its shape and the
// values read back as text.
func FuzzPlaceholder(f *testing.F) {
	f.Add("www.youtube.com", "/watch?v=1", "", "analytics")
	f.Add(`x"><script>alert(1)</script>`, `/p?q='&amp;<`, `social" onclick="x`, "social")
	f.Add("", "\x00/\u2028", "<", "necessary")
	r := newRenderer(f, testOptions())
	base := tagCount(string(r.AppendPlaceholder(nil, &PlaceholderView{Lang: language.English, Category: "social"})))
	f.Fuzz(func(t *testing.T, host, ret, mark, granted string) {
		v := PlaceholderView{Lang: language.English, Host: []byte(host), Category: "social", Mark: mark, ReturnTo: ret, Granted: []string{granted}}
		out := string(r.AppendPlaceholder(nil, &v))
		want := base
		if r.optional[granted] && granted != "social" {
			want++ // its hidden c field
		}
		if got := tagCount(out); got != want {
			t.Fatalf("%d start tags, want %d:\n%s", got, want, out)
		}
		ps := parsePlaceholders(t, out)
		if len(ps) != 1 {
			t.Fatalf("%d placeholders:\n%s", len(ps), out)
		}
		if strings.ContainsAny(host+ret+mark, "\r") || !utf8Valid(host+ret+mark) {
			return // the parser rewrites these; the structure is what counts
		}
		clean := func(s string) string { return strings.ReplaceAll(s, "\x00", "\uFFFD") }
		p := ps[0]
		wantMark := mark
		if wantMark == "" {
			wantMark = "social"
		}
		if p.Host != clean(host) || p.Mark != clean(wantMark) || p.FormMark != clean(wantMark) {
			t.Fatalf("host %q mark %q/%q, want %q %q", p.Host, p.Mark, p.FormMark, host, wantMark)
		}
		for _, fl := range p.Fields {
			if fl.Name == "return" && fl.Value != clean(ret) {
				t.Fatalf("return field reads %q, want %q", fl.Value, ret)
			}
		}
	})
}

// An app's placeholder text either fails New or renders with the host and
// the category in it, as text.
func FuzzEmbedText(f *testing.F) {
	f.Add("Content from %s needs %s.")
	f.Add("%[2]s first, then %[1]s")
	f.Add("<b>%s</b> & %s %%")
	f.Add("%[1]s %[1]s")
	f.Add("%[9]s %s")
	f.Add("${x} %s %s")
	f.Fuzz(func(t *testing.T, text string) {
		opts := testOptions()
		opts.Strings = map[string]map[string]string{"en": {KeyEmbedText: text}}
		r, err := New(opts)
		if err != nil {
			return
		}
		v := PlaceholderView{Lang: language.English, Host: []byte("v.example"), Category: "social", ReturnTo: "/"}
		out := string(r.AppendPlaceholder(nil, &v))
		ps := parsePlaceholders(t, out)
		if len(ps) != 1 {
			t.Fatalf("%d placeholders:\n%s", len(ps), out)
		}
		if !utf8Valid(text) || strings.ContainsAny(text, "\x00\r") {
			return
		}
		if !strings.Contains(ps[0].Text, "v.example") || !strings.Contains(ps[0].Text, "Social media") {
			t.Fatalf("text %q lacks the host or the category (from %q)", ps[0].Text, text)
		}
	})
}

// Whatever address the rewriter reports for a blocked embed, "Load once"
// is a link only to an http or https address (or a scheme-relative one),
// which reads back as the address, as text; the placeholder keeps its
// shape.
func FuzzPlaceholderURL(f *testing.F) {
	f.Add("https://www.youtube.com/embed/x?a=1&b=2")
	f.Add(`javascript:alert(1)`)
	f.Add(`//x.example/"><script>alert(1)</script>`)
	f.Add("HTTPS://x.example/\x00")
	r := newRenderer(f, testOptions())
	base := tagCount(string(r.AppendPlaceholder(nil, &PlaceholderView{Lang: language.English, Category: "social"})))
	f.Fuzz(func(t *testing.T, u string) {
		v := PlaceholderView{Lang: language.English, Host: []byte("x.example"), URL: []byte(u), Category: "social", ReturnTo: "/"}
		out := string(r.AppendPlaceholder(nil, &v))
		want := base
		if loadable([]byte(u)) {
			want++
		}
		if got := tagCount(out); got != want {
			t.Fatalf("%d start tags, want %d:\n%s", got, want, out)
		}
		ps := parsePlaceholders(t, out)
		if len(ps) != 1 {
			t.Fatalf("%d placeholders:\n%s", len(ps), out)
		}
		once := ps[0].Once
		if once == "" {
			if loadable([]byte(u)) {
				t.Fatalf("no load-once link for %q:\n%s", u, out)
			}
			return
		}
		l := strings.ToLower(once)
		if !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "//") {
			t.Fatalf("load-once link to %q", once)
		}
		if utf8Valid(u) && once != u {
			t.Fatalf("load-once link reads %q, want %q", once, u)
		}
	})
}
