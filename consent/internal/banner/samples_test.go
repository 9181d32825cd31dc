package banner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/language"
)

// TestWriteSamples writes sample pages for screenshots and visual review:
// CRUMB_SAMPLES=/tmp/dir go test -run TestWriteSamples.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("CRUMB_SAMPLES")
	if dir == "" {
		t.Skip("set CRUMB_SAMPLES to a directory to write sample pages")
	}
	r, err := New(Options{
		ActionURL: "/consent/", PreferencesURL: "/consent/preferences", DeclarationURL: "/consent/cookies", PolicyURL: "/privacy",
		Categories: []Category{
			{ID: "necessary", Required: true, Cookies: []Cookie{{Name: "session", Provider: "Shop", Purpose: "Keeps you signed in", Session: true}, {Name: "crumb_consent", Provider: "Shop", Purpose: "Remembers your cookie choices", Lifetime: "6 months"}}},
			{ID: "preferences"},
			{ID: "analytics", Cookies: []Cookie{{Name: "_ga", Provider: "Google Analytics", Purpose: "Distinguishes visitors", Lifetime: "13 months", ThirdParty: true}}},
			{ID: "marketing", Cookies: []Cookie{{Name: "_fbp", Provider: "Meta", Purpose: "Ad delivery and measurement", Lifetime: "3 months", ThirdParty: true}}},
			{ID: "social"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "de", "fr", "pl"} {
		var b strings.Builder
		b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Shop</title><style>body{font-family:Georgia,serif;margin:0;background:#f4f1ea;color:#222}header{background:#2d3a2e;color:#fff;padding:1rem 2rem;font:600 1.2rem system-ui}main{max-width:50rem;margin:2rem auto;padding:0 1rem}.p{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:1rem}.p div{background:#fff;height:10rem;border-radius:8px}@media(prefers-color-scheme:dark){body{background:#121212;color:#ddd}.p div{background:#2a2a2a}}</style></head><body><header>Green Leaf Tea Co.</header><main><h1>Our spring teas</h1><p>Freshly picked first flush teas from small gardens. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p><div class="p"><div></div><div></div><div></div><div></div><div></div><div></div></div></main>`)
		r.Banner(&b, View{Lang: language.MustParse(lang), ReturnTo: "/teas/spring"})
		b.WriteString("</body></html>")
		writeFile(t, filepath.Join(dir, "page-"+lang+".html"), []byte(b.String()))
		var p strings.Builder
		r.Preferences(&p, View{Lang: language.MustParse(lang), ReturnTo: "/teas/spring", Granted: []string{"analytics"}, Decided: true})
		writeFile(t, filepath.Join(dir, "prefs-"+lang+".html"), []byte(p.String()))
		var d strings.Builder
		r.Declaration(&d, View{Lang: language.MustParse(lang)})
		writeFile(t, filepath.Join(dir, "decl-"+lang+".html"), []byte(d.String()))
	}
}

func writeFile(t *testing.T, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
