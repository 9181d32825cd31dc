package banner

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

//go:embed templates/*.html
var templateFS embed.FS

// Renderer renders the consent interface. Build it once with New; it is safe
// for concurrent use and never changes afterwards.
type Renderer struct {
	langs   []language.Tag // langs[0] is the default
	matcher language.Matcher
	byTag   map[language.Tag]*localized
	ids     []string // category IDs, indexed by the CHK sentinels

	optional map[string]bool // IDs of the categories that are not Required
	assets   embedAssets

	negotiated negotiated // Accept-Language values already matched
}

// localized holds one language's pre-rendered pages.
type localized struct {
	tag                             language.Tag
	banner, prefs, decl, settingsLn page
	bannerOptOut, bannerNotice      page
	optOut                          page // the "Do Not Sell or Share" page; nil without Options.OptOutURL
	optOutLn                        page // the link to it, for the site's footer; nil without Options.OptOutURL
	bannerHash                      string
	variantHash                     [3]string // by Variant
	textDigest                      string    // banner and preferences (digest.go)
	variantDigest                   [3]string // textDigest with each Variant's banner
	embed                           *embedLang
}

// New checks the options, resolves every string of every language and
// pre-renders the pages.
func New(opts Options) (*Renderer, error) {
	cat, err := check(opts)
	if err != nil {
		return nil, err
	}
	tmpl, err := template.New("ui").ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("banner: templates: %w", err)
	}
	r := &Renderer{
		langs:   cat.langs,
		matcher: language.NewMatcher(cat.langs),
		byTag:   make(map[language.Tag]*localized, len(cat.langs)),

		optional: make(map[string]bool, len(opts.Categories)),
		assets:   newEmbedAssets(&opts),
	}
	for _, c := range opts.Categories {
		r.ids = append(r.ids, c.ID)
		if !c.Required {
			r.optional[c.ID] = true
		}
	}
	for _, tag := range cat.langs {
		l, err := renderLanguage(tmpl, &opts, cat, tag)
		if err != nil {
			return nil, err
		}
		r.byTag[tag] = l
	}
	return r, nil
}

// Validate reports the error New would return for opts, without rendering
// any page: cheap enough to run where the options are configured, so that
// a bad string override fails at start-up rather than when the interface
// is first needed.
func Validate(opts Options) error {
	_, err := check(opts)
	return err
}

// check validates opts and resolves every string of every language.
func check(opts Options) (*resolved, error) {
	if opts.ActionURL == "" {
		return nil, errors.New("banner: Options.ActionURL is required")
	}
	if opts.PreferencesURL == "" {
		return nil, errors.New("banner: Options.PreferencesURL is required")
	}
	if err := checkCategories(opts.Categories); err != nil {
		return nil, err
	}
	for _, u := range []string{opts.ActionURL, opts.PreferencesURL, opts.DeclarationURL, opts.PolicyURL, opts.ScriptURL, opts.StylesheetURL, opts.ThemeURL, opts.OptOutURL} {
		if strings.Contains(u, sentinelPrefix) {
			return nil, fmt.Errorf("banner: URL %q contains the reserved text %q", u, sentinelPrefix)
		}
	}
	return buildCatalog(opts)
}

func checkCategories(cats []Category) error {
	seen := make(map[string]bool, len(cats))
	for _, c := range cats {
		if c.ID == "" {
			return errors.New("banner: a category has an empty ID")
		}
		for _, ch := range c.ID {
			if !('a' <= ch && ch <= 'z' || '0' <= ch && ch <= '9' || ch == '-' || ch == '_') {
				return fmt.Errorf("banner: category ID %q: only a-z, 0-9, '-' and '_' are allowed", c.ID)
			}
		}
		if seen[c.ID] {
			return fmt.Errorf("banner: category ID %q is listed twice", c.ID)
		}
		seen[c.ID] = true
		texts := []string{c.Title, c.Description}
		for _, k := range c.Cookies {
			texts = append(texts, k.Name, k.Provider, k.Purpose, k.Lifetime)
		}
		for _, s := range texts {
			if strings.Contains(s, sentinelPrefix) {
				return fmt.Errorf("banner: category %q contains the reserved text %q", c.ID, sentinelPrefix)
			}
		}
	}
	return nil
}

// Languages returns the languages the Renderer serves, the default first.
func (r *Renderer) Languages() []language.Tag {
	return append([]language.Tag(nil), r.langs...)
}

// lookup returns the pages for a tag, matching unsupported tags to the
// closest supported language.
func (r *Renderer) lookup(tag language.Tag) *localized {
	if l, ok := r.byTag[tag]; ok {
		return l
	}
	_, i, _ := r.matcher.Match(tag)
	return r.byTag[r.langs[i]]
}

// Banner writes the first layer: a region with Accept all, Reject all and
// Customise and links to the policy and the declaration, meant to go first
// in <body> so that it comes first in keyboard order. It sits in the page's
// flow, covering nothing; the script minimises it to a "Cookie settings"
// link on Escape.
func (r *Renderer) Banner(w io.Writer, v View) error {
	l := r.lookup(v.Lang)
	switch v.Variant {
	case VariantOptOut:
		return l.bannerOptOut.render(w, &v, r.ids)
	case VariantNotice:
		return l.bannerNotice.render(w, &v, r.ids)
	}
	return l.banner.render(w, &v, r.ids)
}

// OptOut writes the "Do Not Sell or Share My Personal Information" page, a
// complete HTML document whose form posts an opt-out request without
// JavaScript. It writes nothing without Options.OptOutURL.
func (r *Renderer) OptOut(w io.Writer, v View) error {
	return r.lookup(v.Lang).optOut.render(w, &v, r.ids)
}

// VariantHash is BannerHash for a banner variant.
func (r *Renderer) VariantHash(lang language.Tag, v Variant) string {
	if int(v) >= 3 {
		return ""
	}
	return r.lookup(lang).variantHash[v]
}

// Preferences writes the preferences page, a complete HTML document with one
// switch per optional category, its description and its cookies.
func (r *Renderer) Preferences(w io.Writer, v View) error {
	return r.lookup(v.Lang).prefs.render(w, &v, r.ids)
}

// Declaration writes the cookie declaration page, a complete HTML document
// listing every cookie by category.
func (r *Renderer) Declaration(w io.Writer, v View) error {
	return r.lookup(v.Lang).decl.render(w, &v, r.ids)
}

// SettingsLink writes the "Cookie settings" link to the preferences page, for
// the app's footer: withdrawing stays one click away.
func (r *Renderer) SettingsLink(w io.Writer, v View) error {
	return r.lookup(v.Lang).settingsLn.render(w, &v, r.ids)
}

// OptOutLink writes the link to the "Do Not Sell or Share My Personal
// Information" page, with the return path, for the site's footer; nothing
// without Options.OptOutURL.
func (r *Renderer) OptOutLink(w io.Writer, v View) error {
	return r.lookup(v.Lang).optOutLn.render(w, &v, r.ids)
}

// BannerHash identifies the exact banner wording shown in a language: the
// hex SHA-256 of its static markup. Consent receipts record it.
func (r *Renderer) BannerHash(lang language.Tag) string {
	return r.lookup(lang).bannerHash
}

// Data handed to the templates. Strings are final; sentinels mark the
// per-request parts.
type tmplData struct {
	Lang, Dir                       string
	strings                         map[string]string
	Text                            string
	OptOutText, NoticeText          string
	OptOutHref                      string // the opt-out page with the return path; "" without an OptOutURL
	Cats                            []tmplCat
	ActionURL, PrefsHref, PolicyURL string
	DeclHref                        string // the declaration with the return path; "" without a DeclarationURL
	Back                            string // the "back to the site" link's sentinel
	ScriptURL, StylesheetURL        string
	ThemeURL                        string
	CSS                             template.CSS
	Nonce                           template.HTMLAttr
	Return                          string
	PrefsLinks, DeclLinks           []tmplLink
	Langs                           []tmplLang
}

// tmplLang is one entry of the preferences page's language list.
type tmplLang struct {
	Code, Name, Href string
	Current          bool
}

// S returns the resolved string for a key.
func (d *tmplData) S(key string) string { return d.strings[key] }

type tmplLink struct{ Href, Text string }

type tmplCat struct {
	ID, Title, Description string
	Required               bool
	Checked                template.HTMLAttr
	Cookies                []tmplCookie
	Cols                   []string
	None, AlwaysOn         string
	CookiesUsed            string
}

type tmplCookie struct{ Name, Provider, Purpose, Lifetime, Kind string }

// own marks one of crumb's own URLs for View.Origin: a path-absolute URL
// ("/consent/decide") gets the origin sentinel before it. Absolute and
// scheme-relative URLs already name their host and are left alone.
func own(u string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return sentinel(dynOrigin, 0) + u
	}
	return u
}

func renderLanguage(tmpl *template.Template, opts *Options, cat *resolved, tag language.Tag) (*localized, error) {
	s := cat.strings[tag]
	d := &tmplData{
		Lang:          tag.String(),
		Dir:           Dir(tag),
		strings:       s,
		ActionURL:     own(opts.ActionURL),
		PolicyURL:     opts.PolicyURL,
		ScriptURL:     own(opts.ScriptURL),
		StylesheetURL: own(opts.StylesheetURL),
		ThemeURL:      opts.ThemeURL,
		CSS:           template.CSS(stylesheet),
		Nonce:         template.HTMLAttr(sentinel(dynNonce, 0)),
		Return:        sentinel(dynReturn, 0),
		Back:          sentinel(dynBack, 0),
	}
	sep := "?"
	if strings.Contains(opts.PreferencesURL, "?") {
		sep = "&"
	}
	d.PrefsHref = own(opts.PreferencesURL) + sep + "return=" + sentinel(dynReturnQuery, 0)
	if opts.DeclarationURL != "" {
		dsep := "?"
		if strings.Contains(opts.DeclarationURL, "?") {
			dsep = "&"
		}
		d.DeclHref = own(opts.DeclarationURL) + dsep + "return=" + sentinel(dynReturnQuery, 0)
	}
	if len(cat.langs) > 1 {
		// Switching language is a plain link; the decision form then
		// posts the language, which the consent state keeps.
		for _, t := range cat.langs {
			code := t.String()
			d.Langs = append(d.Langs, tmplLang{Code: code, Name: autonym(t), Current: t == tag,
				Href: own(opts.PreferencesURL) + sep + "lang=" + code + "&return=" + sentinel(dynReturnQuery, 0)})
		}
		slices.SortStableFunc(d.Langs, func(a, b tmplLang) int { return strings.Compare(a.Code, b.Code) })
	}
	cols := []string{s[KeyColName], s[KeyColProvider], s[KeyColPurpose], s[KeyColLifetime], s[KeyColType]}
	var optional []string
	for i, c := range opts.Categories {
		tc := tmplCat{
			ID:          c.ID,
			Title:       s[categoryKey(c.ID, keyTitleSuffix)],
			Description: s[categoryKey(c.ID, keyDescSuffix)],
			Required:    c.Required,
			Checked:     template.HTMLAttr(sentinel(dynChecked, i)),
			Cols:        cols,
			None:        s[KeyDeclNone],
			AlwaysOn:    s[KeyRequired],
			CookiesUsed: s[KeyCookiesUsed],
		}
		for _, k := range c.Cookies {
			kind := s[KeyPersistent]
			if k.Session {
				kind = s[KeySession]
			}
			party := s[KeyFirstParty]
			if k.ThirdParty {
				party = s[KeyThirdParty]
			}
			life := k.Lifetime
			if k.Session && life == "" {
				life = "–"
			}
			tc.Cookies = append(tc.Cookies, tmplCookie{k.Name, k.Provider, k.Purpose, life, kind + cat.seps[tag] + party})
		}
		d.Cats = append(d.Cats, tc)
		if !c.Required {
			optional = append(optional, tc.Title)
		}
	}
	list := strings.Join(optional, cat.seps[tag])
	d.Text = cat.printers[tag].Sprintf(KeyText, list)
	d.OptOutText = cat.printers[tag].Sprintf(KeyOptOutText, list)
	d.NoticeText = cat.printers[tag].Sprintf(KeyNoticeText, list)
	if opts.OptOutURL != "" {
		osep := "?"
		if strings.Contains(opts.OptOutURL, "?") {
			osep = "&"
		}
		d.OptOutHref = own(opts.OptOutURL) + osep + "return=" + sentinel(dynReturnQuery, 0)
	}
	if d.DeclHref != "" {
		d.PrefsLinks = append(d.PrefsLinks, tmplLink{d.DeclHref, s[KeyDeclaration]})
	}
	d.DeclLinks = append(d.DeclLinks, tmplLink{d.PrefsHref, s[KeySettings]})
	if opts.PolicyURL != "" {
		d.PrefsLinks = append(d.PrefsLinks, tmplLink{opts.PolicyURL, s[KeyPolicy]})
		d.DeclLinks = append(d.DeclLinks, tmplLink{opts.PolicyURL, s[KeyPolicy]})
	}

	l := &localized{tag: tag, embed: renderEmbeds(opts, s, cat.printers[tag], tag, cat.seps[tag])}
	for _, p := range []struct {
		name string
		dst  *page
	}{{"banner", &l.banner}, {"preferences", &l.prefs}, {"declaration", &l.decl}, {"settings", &l.settingsLn},
		{"banner-optout", &l.bannerOptOut}, {"banner-notice", &l.bannerNotice}, {"optout", &l.optOut},
		{"optout-footer", &l.optOutLn}} {
		if (p.name == "optout" || p.name == "optout-footer") && opts.OptOutURL == "" {
			continue
		}
		var buf bytes.Buffer
		if err := tmpl.ExecuteTemplate(&buf, p.name, d); err != nil {
			return nil, fmt.Errorf("banner: rendering %s in %s: %w", p.name, tag, err)
		}
		pg, err := compile(buf.String())
		if err != nil {
			return nil, fmt.Errorf("banner: rendering %s in %s: %w", p.name, tag, err)
		}
		*p.dst = pg
	}
	for i, p := range []page{l.banner, l.bannerOptOut, l.bannerNotice} {
		h := sha256.New()
		for _, seg := range p {
			io.WriteString(h, seg.static)
		}
		l.variantHash[i] = hex.EncodeToString(h.Sum(nil))
	}
	l.bannerHash = l.variantHash[VariantConsent]
	l.textDigest = textDigest(l)
	for i, p := range []page{l.banner, l.bannerOptOut, l.bannerNotice} {
		v := *l
		v.banner = p
		l.variantDigest[i] = textDigest(&v)
	}
	return l, nil
}

// VariantTextDigest is TextDigest with the banner of a variant: what a
// visitor under an opt-out or notice policy read before deciding.
func (r *Renderer) VariantTextDigest(lang language.Tag, v Variant) string {
	if int(v) >= 3 {
		return ""
	}
	return r.lookup(lang).variantDigest[v]
}
