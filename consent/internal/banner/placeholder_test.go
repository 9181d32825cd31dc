package banner

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
	"golang.org/x/text/language"
)

// phField is one field a placeholder's form posts.
type phField struct{ Name, Value string }

// phParsed is a placeholder as a browser reads it.
type phParsed struct {
	Lang, Mark, Host, Text string
	Action, FormMark       string
	Fields                 []phField // hidden fields, then the button's
	Button                 string
	Once                   string // the "load once" link's href; "" without one
}

// parsePlaceholders parses markup and returns every placeholder in it,
// with its form (the one inside it, or the next one the parser moved out).
func parsePlaceholders(t *testing.T, markup string) []phParsed {
	t.Helper()
	doc, err := html.Parse(strings.NewReader("<!doctype html><html><body>" + markup))
	if err != nil {
		t.Fatal(err)
	}
	spans := findAll(doc, func(n *html.Node) bool { return n.Data == "span" && hasClass(n, "crumb-placeholder") })
	forms := findAll(doc, func(n *html.Node) bool { return n.Data == "form" && hasClass(n, "crumb-ph-form") })
	if len(spans) != len(forms) {
		t.Fatalf("%d placeholders, %d forms:\n%s", len(spans), len(forms), markup)
	}
	var out []phParsed
	for i, s := range spans {
		p := phParsed{}
		p.Lang, _ = attr(s, "lang")
		p.Mark, _ = attr(s, "data-crumb-category")
		p.Host, _ = attr(s, "data-crumb-host")
		for c := s.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && hasClass(c, "crumb-ph-text") {
				p.Text += text(c)
			}
		}
		p.Text = strings.TrimSpace(p.Text)
		f := forms[i]
		p.Action, _ = attr(f, "action")
		if _, ok := attr(f, "data-crumb-form"); !ok {
			t.Errorf("placeholder %d: form lacks data-crumb-form, so the script would not submit it", i)
		}
		p.FormMark, _ = attr(f, "data-crumb-category")
		for _, in := range findAll(f, tagIs("input")) {
			name, _ := attr(in, "name")
			value, _ := attr(in, "value")
			p.Fields = append(p.Fields, phField{name, value})
		}
		for _, a := range findAll(f, tagIs("a")) {
			if _, ok := attr(a, "data-crumb-once"); !ok {
				t.Errorf("placeholder %d: link %q is not the load-once link", i, text(a))
			}
			p.Once, _ = attr(a, "href")
		}
		for _, b := range findAll(f, tagIs("button")) {
			name, _ := attr(b, "name")
			value, _ := attr(b, "value")
			p.Fields = append(p.Fields, phField{name, value})
			p.Button = text(b)
			if fa, _ := attr(b, "formaction"); fa != p.Action {
				t.Errorf("placeholder %d: button formaction %q, form action %q", i, fa, p.Action)
			}
		}
		out = append(out, p)
	}
	return out
}

func TestAppendPlaceholder(t *testing.T) {
	r := newRenderer(t, testOptions())
	tests := []struct {
		name string
		view PlaceholderView
		want phParsed
	}{
		{
			name: "German, earlier grants kept",
			view: PlaceholderView{Lang: language.German, Host: []byte("www.youtube.com"), Category: "social",
				URL:      []byte("https://www.youtube.com/embed/x?a=1&b=2"),
				ReturnTo: "/watch?v=1", Granted: []string{"necessary", "analytics", "social"}},
			want: phParsed{
				Lang: "de", Mark: "social", Host: "www.youtube.com", FormMark: "social", Action: "/consent/",
				Text:   "Inhalte von www.youtube.com sind blockiert, bis Sie Cookies für folgende Zwecke akzeptieren: Soziale Medien.",
				Fields: []phField{{"c", "social"}, {"c", "analytics"}, {"return", "/watch?v=1"}, {"lang", "de"}, {"action", "save"}},
				Button: "Immer erlauben", Once: "https://www.youtube.com/embed/x?a=1&b=2",
			},
		},
		{
			name: "hostile host and return path stay text",
			view: PlaceholderView{Lang: language.English, Host: []byte(`evil.example"><script>alert(1)</script>`), Category: "marketing",
				Mark: "marketing", ReturnTo: `/p?q="><img src=x onerror=alert(1)>`},
			want: phParsed{
				Lang: "en", Mark: "marketing", Host: `evil.example"><script>alert(1)</script>`, FormMark: "marketing", Action: "/consent/",
				Text:   `Content from evil.example"><script>alert(1)</script> is blocked until you accept cookies for: Marketing.`,
				Fields: []phField{{"c", "marketing"}, {"return", `/p?q="><img src=x onerror=alert(1)>`}, {"lang", "en"}, {"action", "save"}},
				Button: "Always allow",
			},
		},
		{
			name: "mark differs from the category",
			view: PlaceholderView{Lang: language.French, Host: []byte("player.example"), Category: "social", Mark: "marketing", ReturnTo: "/"},
			want: phParsed{
				Lang: "fr", Mark: "marketing", Host: "player.example", FormMark: "marketing", Action: "/consent/",
				Text:   "Le contenu de player.example est bloqué tant que vous n’acceptez pas les cookies pour\u00a0: Réseaux sociaux.",
				Fields: []phField{{"c", "social"}, {"return", "/"}, {"lang", "fr"}, {"action", "save"}},
				Button: "Toujours autoriser",
			},
		},
		{
			name: "no single category: accept all",
			view: PlaceholderView{Lang: language.English, Host: []byte("x.example"), Mark: "unknown", ReturnTo: "/", Granted: []string{"analytics"}},
			want: phParsed{
				Lang: "en", Mark: "unknown", Host: "x.example", FormMark: "unknown", Action: "/consent/",
				Text:   "Content from x.example is blocked until you accept cookies for: Analytics, Marketing, Social media.",
				Fields: []phField{{"return", "/"}, {"lang", "en"}, {"action", "accept"}},
				Button: "Always allow",
			},
		},
		{
			name: "a load-once link only to http and https",
			view: PlaceholderView{Lang: language.English, Host: []byte("www.youtube.com"), Category: "social", ReturnTo: "/",
				URL: []byte(`javascript:alert(1)//https://x`)},
			want: phParsed{
				Lang: "en", Mark: "social", Host: "www.youtube.com", FormMark: "social", Action: "/consent/",
				Text:   "Content from www.youtube.com is blocked until you accept cookies for: Social media.",
				Fields: []phField{{"c", "social"}, {"return", "/"}, {"lang", "en"}, {"action", "save"}},
				Button: "Always allow",
			},
		},
		{
			name: "a scheme-relative address with markup stays an attribute",
			view: PlaceholderView{Lang: language.English, Host: []byte("www.youtube.com"), Category: "social", ReturnTo: "/",
				URL: []byte(`//www.youtube.com/embed/"><script>x</script>`)},
			want: phParsed{
				Lang: "en", Mark: "social", Host: "www.youtube.com", FormMark: "social", Action: "/consent/",
				Text:   "Content from www.youtube.com is blocked until you accept cookies for: Social media.",
				Fields: []phField{{"c", "social"}, {"return", "/"}, {"lang", "en"}, {"action", "save"}},
				Button: "Always allow", Once: `//www.youtube.com/embed/"><script>x</script>`,
			},
		},
		{
			name: "unknown and necessary grants are not posted",
			view: PlaceholderView{Lang: language.English, Host: []byte("www.youtube.com"), Category: "social", ReturnTo: "/",
				Granted: []string{"necessary", "gone", "marketing"}},
			want: phParsed{
				Lang: "en", Mark: "social", Host: "www.youtube.com", FormMark: "social", Action: "/consent/",
				Text:   "Content from www.youtube.com is blocked until you accept cookies for: Social media.",
				Fields: []phField{{"c", "social"}, {"c", "marketing"}, {"return", "/"}, {"lang", "en"}, {"action", "save"}},
				Button: "Always allow",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := r.AppendPlaceholder([]byte("<p>before</p>"), &tt.view)
			if !bytes.HasPrefix(out, []byte("<p>before</p>")) {
				t.Fatalf("dst was not appended to: %s", out)
			}
			got := parsePlaceholders(t, string(out))
			if diff := cmp.Diff([]phParsed{tt.want}, got); diff != "" {
				t.Errorf("placeholder (-want +got):\n%s\n%s", diff, out)
			}
			if bytes.Contains(out, []byte("<script")) || bytes.Contains(out, []byte("<img")) {
				t.Errorf("markup from the input became a tag:\n%s", out)
			}
		})
	}
}

// Every language renders its own sentence, with the host and the category
// title in it, and its own button label.
func TestAppendPlaceholderEveryLanguage(t *testing.T) {
	r := newRenderer(t, testOptions())
	for _, tag := range r.Languages() {
		lang := tag.String()
		v := PlaceholderView{Lang: tag, Host: []byte("maps.example"), Category: "social", ReturnTo: "/"}
		got := parsePlaceholders(t, string(r.AppendPlaceholder(nil, &v)))
		if len(got) != 1 {
			t.Fatalf("%s: %d placeholders", lang, len(got))
		}
		format, _ := Default(lang, KeyEmbedText)
		title, _ := Default(lang, "cat.social.title")
		want := fmt.Sprintf(format, "maps.example", title)
		if got[0].Text != want {
			t.Errorf("%s: text %q, want %q", lang, got[0].Text, want)
		}
		label, _ := Default(lang, KeyEmbedAlways)
		if got[0].Button != label || got[0].Lang != lang {
			t.Errorf("%s: button %q lang %q, want %q %q", lang, got[0].Button, got[0].Lang, label, lang)
		}
		if lang != "en" && strings.HasPrefix(got[0].Text, "Content from") {
			t.Errorf("%s: English text", lang)
		}
	}
}

// The first placeholder of a page can bring the stylesheet and the script,
// with the page's nonce; the inline stylesheet when no URL is configured.
func TestAppendPlaceholderAssets(t *testing.T) {
	linked := testOptions()
	linked.StylesheetURL = "/consent/crumb.css?v=1"
	inline := testOptions()
	inline.ScriptURL = ""
	tests := []struct {
		name       string
		opts       Options
		view       PlaceholderView
		wantPrefix string
	}{
		{"none", linked, PlaceholderView{}, `<span class="crumb crumb-placeholder"`},
		{"linked, nonce", linked, PlaceholderView{Stylesheet: true, Script: true, Nonce: `n"1`},
			`<link rel="stylesheet" href="/consent/crumb.css?v=1"><script src="/consent/crumb.js" defer nonce="n&#34;1"></script><span `},
		{"script only", linked, PlaceholderView{Script: true}, `<script src="/consent/crumb.js" defer></script><span `},
		{"inline, no script URL", inline, PlaceholderView{Stylesheet: true, Script: true, Nonce: "abc"},
			`<style nonce="abc">` + Stylesheet() + `</style><span `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRenderer(t, tt.opts)
			tt.view.Lang, tt.view.Category, tt.view.ReturnTo = language.English, "social", "/"
			out := string(r.AppendPlaceholder(nil, &tt.view))
			if !strings.HasPrefix(out, tt.wantPrefix) {
				t.Errorf("placeholder starts\n%.300s\nwant\n%.300s", out, tt.wantPrefix)
			}
		})
	}
}

// A <form> closes an enclosing <p>, so in a paragraph the parser moves the
// form out of the placeholder. It must still carry what the script needs
// to submit it and to remove it.
func TestPlaceholderInParagraph(t *testing.T) {
	r := newRenderer(t, testOptions())
	v := PlaceholderView{Lang: language.English, Host: []byte("www.youtube.com"), Category: "social", ReturnTo: "/"}
	markup := "<p>" + string(r.AppendPlaceholder(nil, &v)) + `<iframe data-crumb-category="social" data-crumb-src="https://www.youtube.com/embed/1"></iframe></p>`
	doc, err := html.Parse(strings.NewReader(markup))
	if err != nil {
		t.Fatal(err)
	}
	forms := findAll(doc, func(n *html.Node) bool { return n.Data == "form" })
	if len(forms) != 1 {
		t.Fatalf("%d forms", len(forms))
	}
	f := forms[0]
	if f.Parent.Data == "span" {
		t.Fatal("the parser kept the form in the span; the reasoning in placeholder.go no longer holds")
	}
	for _, a := range []string{"class", "data-crumb-category", "data-crumb-form"} {
		if _, ok := attr(f, a); !ok {
			t.Errorf("moved form lacks %s", a)
		}
	}
	if !hasClass(f, "crumb-ph-form") || !hasClass(f, "crumb") {
		t.Errorf("moved form classes: %v", f.Attr)
	}
}

// Options.Strings may reword the placeholder, reordering its arguments,
// but must keep both.
func TestPlaceholderStringOverrides(t *testing.T) {
	tests := []struct {
		text    string
		want    string // rendered text, or "" when New must fail
		wantErr string
	}{
		{text: "%[2]s: blocked content from %[1]s.", want: "Social media: blocked content from v.example."},
		{text: "From %s, needs %s (100%%).", want: "From v.example, needs Social media (100%)."},
		{text: "Blocked: %s.", wantErr: "exactly two"},
		{text: "%[1]s and %[1]s", wantErr: "exactly two"},
		{text: "%s %s %s", wantErr: "exactly two"},
		{text: "%[3]s %s", wantErr: "exactly two"},
		{text: "%d %s", wantErr: "only %s and %%"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			opts := testOptions()
			opts.Strings = map[string]map[string]string{"en": {KeyEmbedText: tt.text}}
			r, err := New(opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("New: error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			v := PlaceholderView{Lang: language.English, Host: []byte("v.example"), Category: "social", ReturnTo: "/"}
			got := parsePlaceholders(t, string(r.AppendPlaceholder(nil, &v)))
			if got[0].Text != tt.want {
				t.Errorf("text %q, want %q", got[0].Text, tt.want)
			}
		})
	}
}

func TestAppendPlaceholderAllocations(t *testing.T) {
	r := newRenderer(t, testOptions())
	v := PlaceholderView{Lang: language.German, Host: []byte("www.youtube.com"), Category: "social",
		ReturnTo: "/watch?v=1&t=2", Granted: []string{"necessary", "analytics"}, Stylesheet: true, Script: true}
	buf := make([]byte, 0, 8<<10)
	if n := testing.AllocsPerRun(100, func() { buf = r.AppendPlaceholder(buf[:0], &v) }); n != 0 {
		t.Errorf("AppendPlaceholder allocates %v times into a large enough buffer", n)
	}
}

func BenchmarkAppendPlaceholder(b *testing.B) {
	r := newRenderer(b, testOptions())
	v := PlaceholderView{Lang: language.German, Host: []byte("www.youtube.com"), Category: "social",
		ReturnTo: "/watch?v=1&t=2", Granted: []string{"necessary", "analytics"}}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = r.AppendPlaceholder(buf[:0], &v)
	}
	b.SetBytes(int64(len(buf)))
}
