package banner

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
	"golang.org/x/text/language"
)

func TestBannerFirstLayer(t *testing.T) {
	r := newRenderer(t, testOptions())
	v := View{Lang: language.German, ReturnTo: `/shop?q="<x>"&a='1'`, Nonce: "n0nce"}
	doc, raw := parse(t, func(b *bytes.Buffer) error { return r.Banner(b, v) })

	regions := findAll(doc, tagIs("section"))
	if len(regions) != 1 {
		t.Fatalf("%d <section> elements, want 1", len(regions))
	}
	sec := regions[0]
	// A region named by its heading and described by its text: a
	// landmark, not a modal dialog, so nothing traps focus.
	for name, want := range map[string]string{"lang": "de", "dir": "ltr", "aria-labelledby": "crumb-title", "aria-describedby": "crumb-text"} {
		if got, _ := attr(sec, name); got != want {
			t.Errorf("section %s = %q, want %q", name, got, want)
		}
	}
	for _, id := range []string{"crumb-title", "crumb-text"} {
		if els := findAll(sec, func(n *html.Node) bool { v, _ := attr(n, "id"); return v == id }); len(els) != 1 || text(els[0]) == "" {
			t.Errorf("%d elements with id %s, want one with text", len(els), id)
		}
	}
	if _, ok := attr(sec, "aria-modal"); ok {
		t.Errorf("the banner declares aria-modal")
	}

	forms := findAll(doc, tagIs("form"))
	if len(forms) != 1 {
		t.Fatalf("%d forms, want 1", len(forms))
	}
	if m, _ := attr(forms[0], "method"); m != "post" {
		t.Errorf("form method = %q, want post", m)
	}
	if a, _ := attr(forms[0], "action"); a != "/consent/" {
		t.Errorf("form action = %q", a)
	}

	// The three choices: the same element class (so the same size and
	// colours), Accept and Reject as submit buttons of the form, Customise a
	// link to the preferences page that carries the return path.
	type control struct{ Tag, Name, Value, Href, Label string }
	var got []control
	for _, n := range findAll(doc, func(n *html.Node) bool { return hasClass(n, "crumb-btn") }) {
		c := control{Tag: n.Data, Label: text(n)}
		c.Name, _ = attr(n, "name")
		c.Value, _ = attr(n, "value")
		c.Href, _ = attr(n, "href")
		got = append(got, c)
	}
	want := []control{
		{Tag: "button", Name: "action", Value: "accept", Label: "Alle akzeptieren"},
		{Tag: "button", Name: "action", Value: "reject", Label: "Alle ablehnen"},
		{Tag: "a", Href: "/consent/preferences?return=/shop%3Fq%3D%22%3Cx%3E%22%26a%3D%271%27", Label: "Anpassen"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("controls (-want +got):\n%s", diff)
	}
	for _, b := range findAll(doc, tagIs("button")) {
		if !slices.ContainsFunc(forms, func(f *html.Node) bool { return isAncestor(f, b) }) {
			t.Errorf("button %q is outside the form", text(b))
		}
	}

	// The hidden return field carries the path exactly, escaped.
	var ret []string
	for _, in := range findAll(doc, tagIs("input")) {
		typ, _ := attr(in, "type")
		if typ == "checkbox" {
			t.Errorf("the first layer has a checkbox")
		}
		if n, _ := attr(in, "name"); n == "return" && typ == "hidden" {
			v, _ := attr(in, "value")
			ret = append(ret, v)
		}
	}
	if diff := cmp.Diff([]string{v.ReturnTo}, ret); diff != "" {
		t.Errorf("return field (-want +got):\n%s", diff)
	}
	if strings.Contains(raw, `"<x>"`) {
		t.Errorf("return path written unescaped")
	}

	// Nonce on the inline style and on the script; the script is external.
	for _, tag := range []string{"style", "script"} {
		els := findAll(doc, tagIs(tag))
		if len(els) != 1 {
			t.Fatalf("%d <%s>, want 1", len(els), tag)
		}
		if n, _ := attr(els[0], "nonce"); n != "n0nce" {
			t.Errorf("<%s nonce> = %q, want n0nce", tag, n)
		}
	}
	if s, _ := attr(findAll(doc, tagIs("script"))[0], "src"); s != "/consent/crumb.js" {
		t.Errorf("script src = %q", s)
	}
	if text(findAll(doc, tagIs("script"))[0]) != "" {
		t.Errorf("the banner has an inline script")
	}

	// The text names the optional categories and links to the policy.
	p := findAll(doc, tagIs("p"))[0]
	for _, s := range []string{"Statistik", "Marketing", "Soziale Medien"} {
		if !strings.Contains(text(p), s) {
			t.Errorf("banner text %q does not name %q", text(p), s)
		}
	}
	if strings.Contains(text(p), "Notwendig,") {
		t.Errorf("banner text lists the necessary category as optional: %q", text(p))
	}
	var links []string
	for _, a := range findAll(p, tagIs("a")) {
		h, _ := attr(a, "href")
		links = append(links, h+" "+text(a))
	}
	if diff := cmp.Diff([]string{"/privacy Datenschutzerklärung", "/consent/cookies?return=/shop%3Fq%3D%22%3Cx%3E%22%26a%3D%271%27 Cookie-Erklärung"}, links); diff != "" {
		t.Errorf("links in the text to the policy and the declaration (-want +got):\n%s", diff)
	}
}

func isAncestor(a, n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

func TestBannerWithoutNonceStylesheetURLOrScript(t *testing.T) {
	opts := testOptions()
	opts.StylesheetURL = "/consent/crumb.css"
	opts.ScriptURL = ""
	opts.PolicyURL = ""
	opts.PreferencesURL = "/consent/?page=prefs"
	r := newRenderer(t, opts)
	doc, raw := parse(t, func(b *bytes.Buffer) error { return r.Banner(b, View{Lang: language.English}) })
	if strings.Contains(raw, "nonce") {
		t.Errorf("nonce attribute written without a nonce: %s", raw)
	}
	if n := len(findAll(doc, tagIs("style"))); n != 0 {
		t.Errorf("%d <style> with StylesheetURL set", n)
	}
	if n := len(findAll(doc, tagIs("script"))); n != 0 {
		t.Errorf("%d <script> without ScriptURL", n)
	}
	links := findAll(doc, tagIs("link"))
	if len(links) != 1 {
		t.Fatalf("%d <link>, want 1", len(links))
	}
	if h, _ := attr(links[0], "href"); h != "/consent/crumb.css" {
		t.Errorf("stylesheet href = %q", h)
	}
	var hrefs []string
	for _, a := range findAll(doc, tagIs("a")) {
		h, _ := attr(a, "href")
		hrefs = append(hrefs, h)
	}
	// The declaration, Customise and the minimised banner's settings link.
	if diff := cmp.Diff([]string{"/consent/cookies?return=", "/consent/?page=prefs&return=", "/consent/?page=prefs&return="}, hrefs); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
}

func TestPreferencesSwitches(t *testing.T) {
	r := newRenderer(t, testOptions())
	tests := []struct {
		name    string
		granted []string
		decided bool
		want    map[string]bool // switch name -> checked
		note    string
	}{
		{"undecided", nil, false, map[string]bool{"analytics": false, "marketing": false, "social": false}, "You have not made a choice yet, so only necessary cookies are used."},
		{"some granted", []string{"analytics", "social"}, true, map[string]bool{"analytics": true, "marketing": false, "social": true}, "Your choice is saved. You can change it here at any time."},
		{"unknown and required ids ignored", []string{"necessary", "nope"}, true, map[string]bool{"analytics": false, "marketing": false, "social": false}, "Your choice is saved. You can change it here at any time."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, _ := parse(t, func(b *bytes.Buffer) error {
				return r.Preferences(b, View{Lang: language.English, ReturnTo: "/back", Granted: tt.granted, Decided: tt.decided})
			})
			got := map[string]bool{}
			for _, in := range findAll(doc, tagIs("input")) {
				if typ, _ := attr(in, "type"); typ != "checkbox" {
					continue
				}
				if n, _ := attr(in, "name"); n != "c" {
					t.Errorf("checkbox named %q, want c", n)
				}
				v, _ := attr(in, "value")
				_, checked := attr(in, "checked")
				got[v] = checked
				// Every switch has a label pointing at it.
				id, _ := attr(in, "id")
				if len(findAll(doc, func(n *html.Node) bool { f, _ := attr(n, "for"); return n.Data == "label" && f == id })) != 1 {
					t.Errorf("switch %s has no label", v)
				}
				if role, _ := attr(in, "role"); role != "switch" {
					t.Errorf("switch %s role = %q", v, role)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("switches (-want +got):\n%s", diff)
			}
			var notes []string
			for _, p := range findAll(doc, func(n *html.Node) bool {
				return n.Data == "p" && hasClass(n, "crumb-note") && isAncestor(findAll(doc, tagIs("main"))[0], n) && n.Parent.Data == "main"
			}) {
				notes = append(notes, text(p))
			}
			if diff := cmp.Diff([]string{tt.note}, notes); diff != "" {
				t.Errorf("status note (-want +got):\n%s", diff)
			}
			var actions []string
			for _, b := range findAll(doc, tagIs("button")) {
				v, _ := attr(b, "value")
				actions = append(actions, v)
				if !hasClass(b, "crumb-btn") {
					t.Errorf("button %s is styled differently", v)
				}
			}
			if diff := cmp.Diff([]string{"save", "reject", "accept"}, actions); diff != "" {
				t.Errorf("buttons (-want +got):\n%s", diff)
			}
			if h, _ := attr(findAll(doc, tagIs("html"))[0], "lang"); h != "en" {
				t.Errorf("html lang = %q", h)
			}
		})
	}
}

func TestDeclarationTable(t *testing.T) {
	r := newRenderer(t, testOptions())
	doc, _ := parse(t, func(b *bytes.Buffer) error { return r.Declaration(b, View{Lang: language.French}) })
	var rows [][]string
	for _, tr := range findAll(doc, tagIs("tr")) {
		var row []string
		for c := range tr.ChildNodes() {
			if c.Type == html.ElementNode {
				row = append(row, text(c))
			}
		}
		rows = append(rows, row)
	}
	head := []string{"Nom", "Fournisseur", "Finalité", "Durée de conservation", "Nature"}
	want := [][]string{
		head,
		{"session", "Shop", "Keeps you signed in", "–", "De session, Interne"},
		{"crumb_consent", "Shop", "Remembers your cookie choices", "6 months", "Persistant, Interne"},
		head,
		{"_ga", "Google Analytics", "Distinguishes visitors", "13 months", "Persistant, Tiers"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("table rows (-want +got):\n%s", diff)
	}
	var h2 []string
	for _, h := range findAll(doc, tagIs("h2")) {
		h2 = append(h2, text(h))
	}
	if diff := cmp.Diff([]string{"Nécessaires", "Mesure d'audience", "Publicité", "Réseaux sociaux"}, h2); diff != "" {
		t.Errorf("category headings (-want +got):\n%s", diff)
	}
}

func TestEveryLanguageRenders(t *testing.T) {
	r := newRenderer(t, testOptions())
	if got, want := len(r.Languages()), len(builtinLanguages); got != want {
		t.Fatalf("%d languages, want %d", got, want)
	}
	hashes := map[string]language.Tag{}
	for _, tag := range r.Languages() {
		doc, _ := parse(t, func(b *bytes.Buffer) error { return r.Banner(b, View{Lang: tag}) })
		sec := findAll(doc, tagIs("section"))[0]
		if l, _ := attr(sec, "lang"); l != tag.String() {
			t.Errorf("%s: lang = %q", tag, l)
		}
		wantAccept, _ := Default(tag.String(), KeyAccept)
		if got := text(findAll(doc, tagIs("button"))[0]); got != wantAccept {
			t.Errorf("%s: accept button reads %q, want %q", tag, got, wantAccept)
		}
		h := r.BannerHash(tag)
		if prev, dup := hashes[h]; dup {
			t.Errorf("%s and %s share banner hash %s", prev, tag, h)
		}
		hashes[h] = tag
		for _, page := range []func(*bytes.Buffer) error{
			func(b *bytes.Buffer) error { return r.Preferences(b, View{Lang: tag}) },
			func(b *bytes.Buffer) error { return r.Declaration(b, View{Lang: tag}) },
			func(b *bytes.Buffer) error { return r.SettingsLink(b, View{Lang: tag}) },
		} {
			_, raw := parse(t, page)
			if strings.Contains(raw, sentinelPrefix) {
				t.Errorf("%s: a placeholder was left in the output", tag)
			}
		}
	}
	if r.BannerHash(language.German) != r.BannerHash(language.MustParse("de-AT")) {
		t.Errorf("de-AT is not served as de")
	}
}

func TestOverrides(t *testing.T) {
	opts := testOptions()
	opts.Categories = append(opts.Categories, Category{ID: "functional", Title: "Comfort", Description: "Chat widget"})
	opts.Categories[1].Title = "Audience measurement"
	opts.Strings = map[string]map[string]string{
		"de":    {KeyAccept: "Einverstanden", "cat.functional.title": "Komfort"},
		"de-CH": {KeyReject: "Alle ablehnen (CH)"},
		"en":    {KeyText: "100%% honest: we would like %s.", KeyCustomise: "Choose 100% yourself"},
		"fa":    {KeyAccept: "پذیرش همه"},
	}
	opts.DefaultLanguage = language.German
	r := newRenderer(t, opts)
	if got := r.Languages()[0]; got != language.German {
		t.Errorf("default language = %s", got)
	}
	tests := []struct {
		lang     string
		contains []string
		dir      string
	}{
		{"de", []string{">Einverstanden<", ">Alle ablehnen<", "Audience measurement", "Komfort"}, "ltr"},
		{"de-CH", []string{">Alle akzeptieren<", ">Alle ablehnen (CH)<", "Audience measurement", "Comfort"}, "ltr"},
		{"en", []string{"100% honest: we would like Audience measurement, Marketing, Social media, Comfort.", ">Choose 100% yourself<"}, "ltr"},
		// A language the app adds starts from English; its script says
		// its direction.
		{"fa", []string{">پذیرش همه<", ">Reject all<"}, "rtl"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := r.Banner(&b, View{Lang: language.MustParse(tt.lang)}); err != nil {
			t.Fatal(err)
		}
		for _, s := range tt.contains {
			if !strings.Contains(b.String(), s) {
				t.Errorf("%s: banner lacks %q:\n%s", tt.lang, s, b.String())
			}
		}
		if !strings.Contains(b.String(), `dir="`+tt.dir+`"`) {
			t.Errorf("%s: want dir=%s", tt.lang, tt.dir)
		}
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Options)
		want   string
	}{
		{"no action", func(o *Options) { o.ActionURL = "" }, "ActionURL is required"},
		{"no preferences", func(o *Options) { o.PreferencesURL = "" }, "PreferencesURL is required"},
		{"empty id", func(o *Options) { o.Categories[0].ID = "" }, "empty ID"},
		{"bad id", func(o *Options) { o.Categories[0].ID = "Ads Tracking" }, "only a-z"},
		{"duplicate id", func(o *Options) { o.Categories[1].ID = "necessary" }, "listed twice"},
		{"custom without title", func(o *Options) { o.Categories[2].ID = "chat" }, `"chat" needs a Title`},
		{"bad language", func(o *Options) { o.Strings = map[string]map[string]string{"not a tag!": {}} }, "language"},
		{"unknown key", func(o *Options) { o.Strings = map[string]map[string]string{"en": {"banner.acept": "x"}} }, "unknown key"},
		{"empty text", func(o *Options) { o.Strings = map[string]map[string]string{"en": {KeyAccept: ""}} }, "empty text"},
		{"text without %s", func(o *Options) { o.Strings = map[string]map[string]string{"en": {KeyText: "We use cookies."}} }, "exactly one %s"},
		{"text with two %s", func(o *Options) { o.Strings = map[string]map[string]string{"en": {KeyText: "%s and %s"}} }, "exactly one %s"},
		{"text with %d", func(o *Options) { o.Strings = map[string]map[string]string{"en": {KeyText: "%s for %d days"}} }, "only %s and %%"},
		{"catalog macro", func(o *Options) { o.Strings = map[string]map[string]string{"en": {KeyAccept: "${x}"}} }, "reserves"},
		{"sentinel in text", func(o *Options) { o.Strings = map[string]map[string]string{"en": {KeyAccept: sentinelPrefix}} }, "reserved"},
		{"sentinel in url", func(o *Options) { o.PolicyURL = "/" + sentinelPrefix }, "reserved"},
		{"sentinel in cookie", func(o *Options) { o.Categories[0].Cookies[0].Purpose = sentinelPrefix + "RET0z" }, "reserved"},
		{"unserved default", func(o *Options) { o.DefaultLanguage = language.Amharic }, "not served"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			tt.modify(&opts)
			_, err := New(opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

type failingWriter struct{ after int }

var errWrite = errors.New("write failed")

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errWrite
	}
	f.after--
	return len(p), nil
}

func TestWriteErrorIsReturned(t *testing.T) {
	r := newRenderer(t, testOptions())
	for after := range 6 {
		err := r.Preferences(&failingWriter{after: after}, View{Lang: language.English, ReturnTo: "/a b", Nonce: "n", Granted: []string{"analytics"}})
		if !errors.Is(err, errWrite) {
			t.Errorf("failing after %d writes: err = %v", after, err)
		}
	}
}

func TestConcurrentRendering(t *testing.T) {
	r := newRenderer(t, testOptions())
	var want bytes.Buffer
	v := View{Lang: language.Italian, ReturnTo: "/x", Nonce: "abc", Granted: []string{"social"}}
	if err := r.Preferences(&want, v); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				var b bytes.Buffer
				if err := r.Preferences(&b, v); err != nil || b.String() != want.String() {
					t.Errorf("concurrent render differs (err %v)", err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestSettingsLink(t *testing.T) {
	r := newRenderer(t, testOptions())
	var b bytes.Buffer
	if err := r.SettingsLink(&b, View{Lang: language.Polish, ReturnTo: "/koszyk?x=1"}); err != nil {
		t.Fatal(err)
	}
	want := `<a class="crumb crumb-settings" href="/consent/preferences?return=/koszyk%3Fx%3D1" lang="pl" dir="ltr" data-crumb-settings>Ustawienia plików cookie</a>`
	if b.String() != want {
		t.Errorf("SettingsLink:\n got %s\nwant %s", b.String(), want)
	}
}
