package banner

import (
	"bytes"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
	"golang.org/x/text/language"
)

// Every surface crumb renders says its language and direction on its
// outermost element: right to left for Arabic and Hebrew, left to right for
// every other language, so that an Arabic banner on an English site (or an
// English placeholder on a Hebrew one) lays out by its own language.
func TestEverySurfaceCarriesLangAndDir(t *testing.T) {
	opts := testOptions()
	opts.Strings = map[string]map[string]string{"fa": {KeyAccept: "پذیرش همه"}} // added by the app
	r := newRenderer(t, opts)
	for _, tag := range r.Languages() {
		lang := tag.String()
		want := "ltr"
		if slices.Contains(rightToLeft, lang) || lang == "fa" {
			want = "rtl"
		}
		v := View{Lang: tag, ReturnTo: "/"}
		surfaces := []struct {
			name   string
			render func(*bytes.Buffer) error
			outer  func(*html.Node) bool
		}{
			{"banner", func(b *bytes.Buffer) error { return r.Banner(b, v) }, tagIs("section")},
			{"preferences", func(b *bytes.Buffer) error { return r.Preferences(b, v) }, tagIs("html")},
			{"declaration", func(b *bytes.Buffer) error { return r.Declaration(b, v) }, tagIs("html")},
			{"settings link", func(b *bytes.Buffer) error { return r.SettingsLink(b, v) }, tagIs("a")},
			{"placeholder", func(b *bytes.Buffer) error {
				b.Write(r.AppendPlaceholder(nil, &PlaceholderView{Lang: tag, Host: []byte("www.youtube.com"), Category: "social", ReturnTo: "/"}))
				return nil
			}, func(n *html.Node) bool { return hasClass(n, "crumb-placeholder") }},
		}
		for _, s := range surfaces {
			doc, raw := parse(t, s.render)
			els := findAll(doc, s.outer)
			if len(els) == 0 {
				t.Fatalf("%s %s: no outer element in %s", lang, s.name, raw)
			}
			gotLang, _ := attr(els[0], "lang")
			gotDir, _ := attr(els[0], "dir")
			if gotLang != lang || gotDir != want {
				t.Errorf("%s %s: lang=%q dir=%q, want lang=%q dir=%q", lang, s.name, gotLang, gotDir, lang, want)
			}
			// No inner element contradicts it, except the language
			// list, whose entries each name their own language.
			for _, n := range findAll(doc, func(n *html.Node) bool { _, ok := attr(n, "dir"); return ok }) {
				if d, _ := attr(n, "dir"); d != want && n != els[0] {
					t.Errorf("%s %s: inner <%s dir=%q>", lang, s.name, n.Data, d)
				}
			}
		}
	}
}

// The language list names each language in itself, under its own lang, so
// that a screen reader switches voice and a browser picks the right glyphs
// (zh-Hans and zh-Hant share code points but not shapes).
func TestLanguageListNamesEachLanguageInItself(t *testing.T) {
	r := newRenderer(t, testOptions())
	doc, _ := parse(t, func(b *bytes.Buffer) error { return r.Preferences(b, View{Lang: language.Arabic}) })
	got := map[string]string{}
	for _, a := range findAll(doc, func(n *html.Node) bool { _, ok := attr(n, "hreflang"); return ok }) {
		l, _ := attr(a, "lang")
		got[l] = text(a)
	}
	want := map[string]string{"ar": "العربية", "he": "עברית", "zh-Hans": "简体中文", "zh-Hant": "繁體中文",
		"sr": "Српски", "sr-Latn": "Srpski", "pt": "Português", "pt-BR": "Português (Brasil)",
		"es": "Español", "es-419": "Español (Latinoamérica)", "nb": "Norsk bokmål", "ja": "日本語"}
	for l, name := range want {
		if got[l] != name {
			t.Errorf("language list: %s is %q, want %q", l, got[l], name)
		}
	}
	if len(got) != len(builtinLanguages) {
		t.Errorf("language list has %d entries, want %d", len(got), len(builtinLanguages))
	}
}

// The optional categories are listed with each language's own comma.
func TestBannerListsCategoriesInTheLanguagesWay(t *testing.T) {
	r := newRenderer(t, testOptions())
	tests := []struct{ lang, want string }{
		{"en", "Analytics, Marketing, Social media"},
		{"ar", "التحليلات، التسويق، وسائل التواصل الاجتماعي"},
		{"ja", "分析、マーケティング、ソーシャルメディア"},
		{"zh-Hant", "統計分析、行銷、社群媒體"},
	}
	var got, want []string
	for _, tt := range tests {
		doc, _ := parse(t, func(b *bytes.Buffer) error { return r.Banner(b, View{Lang: language.MustParse(tt.lang)}) })
		p := text(findAll(doc, tagIs("p"))[0])
		if bytes.Contains([]byte(p), []byte(tt.want)) {
			got = append(got, tt.want)
		} else {
			got = append(got, p)
		}
		want = append(want, tt.want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("banner text (-want +got):\n%s", diff)
	}
}

// The cookie rows are the application's text, usually in another language
// (and direction) than the page: each cell is isolated, so that in an Arabic
// table "Keeps you signed in." keeps its full stop on the right and "_ga"
// its underscore on the left.
func TestCookieRowsAreIsolated(t *testing.T) {
	r := newRenderer(t, testOptions())
	for _, lang := range []language.Tag{language.Arabic, language.English} {
		for name, render := range map[string]func(*bytes.Buffer) error{
			"declaration": func(b *bytes.Buffer) error { return r.Declaration(b, View{Lang: lang}) },
			"preferences": func(b *bytes.Buffer) error { return r.Preferences(b, View{Lang: lang}) },
		} {
			doc, _ := parse(t, render)
			rows := findAll(doc, func(n *html.Node) bool { return n.Data == "tr" && len(findAll(n, tagIs("td"))) > 0 })
			if len(rows) != 3 {
				t.Fatalf("%s %s: %d cookie rows, want 3", lang, name, len(rows))
			}
			for _, row := range rows {
				cells := findAll(row, tagIs("td"))
				for i, c := range cells[:4] {
					if b := findAll(c, tagIs("bdi")); len(b) != 1 || text(b[0]) != text(c) {
						t.Errorf("%s %s: cell %d (%q) is not isolated in a <bdi>", lang, name, i, text(c))
					}
				}
			}
		}
	}
}
