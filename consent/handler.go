package consent

import (
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/crumbhq/crumb/consent/internal/banner"
	"github.com/crumbhq/crumb/middleware/rewrite"
	"golang.org/x/text/language"
)

// The pages and endpoints of Handler, below Config.HandlerPrefix.
const (
	pathPreferences = "preferences" // also served at the prefix itself
	pathDeclaration = "declaration"
	pathBanner      = "banner"
	pathState       = "state"
	pathDecide      = "decide"
	pathScript      = "crumb.js"
	pathStylesheet  = "crumb.css"
	gpcPath         = "/.well-known/gpc.json"
	pathOptOut      = "do-not-sell" // with an opt-out policy (handler_optout.go)
	// pathPolicyReport ("csp-report") is in policy_report.go.
)

// uiSettings is the part of Config that Handler uses. New checks it; the
// interface itself is rendered on first use, as rendering every language
// costs milliseconds that a Manager used only as middleware should not pay.
type uiSettings struct {
	prefix        string
	manual        bool
	noConsentMode bool
	gpcDate       string // lastUpdate, "" when gpc.json is not served
	opts          banner.Options
	optional      []string // names of the optional categories, in order
	logger        *slog.Logger
	cop           *http.CrossOriginProtection

	once      sync.Once
	ui        *ui
	err       error
	installed sync.Once
}

// init checks the handler's part of cfg for the categories cats.
func (s *uiSettings) init(cfg *Config, cats []category) error {
	s.manual, s.noConsentMode, s.logger = cfg.ManualBanner, cfg.NoConsentMode, cfg.Logger
	if s.logger == nil {
		s.logger = slog.Default()
	}
	s.prefix = cfg.HandlerPrefix
	if s.prefix == "" {
		s.prefix = DefaultHandlerPrefix
	}
	if !strings.HasSuffix(s.prefix, "/") {
		s.prefix += "/"
	}
	if !isSafeReturn(s.prefix) || strings.ContainsAny(s.prefix, "?#%") {
		return fmt.Errorf("consent: HandlerPrefix %q must be a plain absolute path such as %q", cfg.HandlerPrefix, DefaultHandlerPrefix)
	}
	s.cop = http.NewCrossOriginProtection()
	for _, o := range cfg.TrustedOrigins {
		if err := s.cop.AddTrustedOrigin(o); err != nil {
			return fmt.Errorf("consent: TrustedOrigins: %w", err)
		}
	}
	if !cfg.GPCLastUpdate.IsZero() {
		s.gpcDate = cfg.GPCLastUpdate.UTC().Format(time.DateOnly)
	}
	lang := cfg.Language
	if lang == "" {
		lang = DefaultLanguage
	}
	def, err := language.Parse(lang)
	if err != nil {
		return fmt.Errorf("consent: Language: %w", err)
	}
	s.opts = banner.Options{
		ActionURL:       s.prefix + pathDecide,
		PreferencesURL:  s.prefix,
		DeclarationURL:  s.prefix + pathDeclaration,
		PolicyURL:       cfg.PolicyURL,
		ScriptURL:       s.prefix + pathScript + "?v=" + assetVersion(banner.ScriptETag()),
		StylesheetURL:   s.prefix + pathStylesheet + "?v=" + assetVersion(banner.StylesheetETag()),
		ThemeURL:        cfg.ThemeStylesheet,
		DefaultLanguage: def,
		Strings:         cloneStrings(cfg.Strings),
		OptOutURL:       optOutURL(cfg, s.prefix),
		// Placeholders reach pages only through the rewriter, which turns
		// the mark into the origin behind a foreign <base href>.
		PlaceholderOrigin: rewrite.OriginMark,
	}
	defaults := map[string]Category{NecessaryName: {Title: "Necessary", Description: "Needed for the site to work; always on."}}
	for _, c := range DefaultCategories() {
		defaults[c.Name] = c
	}
	for i, c := range cats {
		bc := banner.Category{ID: c.Name, Title: c.Title, Description: c.Description, Required: i == 0}
		if _, builtin := banner.Default("en", "cat."+c.Name+".title"); builtin {
			// crumb's own English defaults would hide the built-in
			// translations: only an application's own text replaces them.
			if d, ok := defaults[c.Name]; ok && d.Title == c.Title {
				bc.Title = ""
			}
			if d, ok := defaults[c.Name]; ok && d.Description == c.Description {
				bc.Description = ""
			}
		} else if bc.Title == "" {
			bc.Title = c.Name
		}
		if i > 0 {
			s.optional = append(s.optional, c.Name)
		}
		s.opts.Categories = append(s.opts.Categories, bc)
	}
	// The cookie lists are filled in when the interface is built, from
	// m.declaration, which needs the finished Manager.
	//
	// Checking the strings costs a few milliseconds; crumb's own strings
	// need no check, so only overrides and a language crumb lacks pay it.
	base, _ := def.Base()
	if _, ok := banner.Default(base.String(), banner.KeyTitle); !ok || len(cfg.Strings) > 0 {
		if err := banner.Validate(s.opts); err != nil {
			return fmt.Errorf("consent: Strings or Language: %w", err)
		}
	}
	return nil
}

func cloneStrings(in map[string]map[string]string) map[string]map[string]string {
	if in == nil {
		return nil
	}
	out := make(map[string]map[string]string, len(in))
	for k, v := range in {
		out[k] = maps.Clone(v)
	}
	return out
}

// StringKeys lists the keys of the interface strings that Config.Strings
// may override, sorted. Besides these, "cat.<name>.title" and
// "cat.<name>.description" set a category's title and description in one
// language.
func StringKeys() []string { return banner.Keys() }

// ui is the built interface: the renderer and the HTTP handler.
type ui struct {
	m *Manager
	s *uiSettings
	r *banner.Renderer

	heads consentModeCache // the Consent Mode defaults without a nonce
}

// ui returns the Manager's interface, building it on first use.
func (m *Manager) userInterface() (*ui, error) {
	s := &m.uiCfg
	s.once.Do(func() {
		opts := s.opts
		opts.Categories = append([]banner.Category(nil), s.opts.Categories...)
		for i, ci := range m.declaration("") {
			var limit time.Duration
			if i > 0 {
				limit = m.maxCookie // necessary cookies are never shortened
			}
			opts.Categories[i].Cookies = bannerCookies(ci.Cookies, limit)
		}
		r, err := banner.New(opts)
		if err != nil {
			s.err = fmt.Errorf("consent: building the consent interface: %w", err)
			s.logger.Error(s.err.Error())
			return
		}
		s.ui = &ui{m: m, s: s, r: r}
	})
	return s.ui, s.err
}

// bannerCookies turns declaration lines into the renderer's rows. The
// renderer is built once for every page host, so a cookie counts as third
// party when it is declared for a Domain: the site's own cookies are
// declared without one.
//
// A first-party cookie's lifetime is shown as it takes effect: no longer
// than limit (Config.MaxCookieLifetime, 0 for none), to which enforcement
// shortens the Set-Cookie lines of consented cookies. A third party's
// cookies are set in its own responses, which crumb never sees.
func bannerCookies(cs []CookieInfo, limit time.Duration) []banner.Cookie {
	out := make([]banner.Cookie, len(cs))
	for i, c := range cs {
		life := c.Lifetime
		if limit > 0 && c.Domain == "" && life > limit {
			life = limit
		}
		out[i] = banner.Cookie{Name: c.Name, Provider: c.Provider, Purpose: c.Purpose,
			Session: c.Session, ThirdParty: c.Domain != "", Lifetime: formatLifetime(life)}
		if out[i].Lifetime == "" && c.Retention != "" {
			out[i].Lifetime = c.Retention
		}
	}
	return out
}

// formatLifetime writes a cookie lifetime in the largest whole unit. It is
// English, like the declared purposes, which the application writes in
// its own language.
func formatLifetime(d time.Duration) string {
	const day = 24 * time.Hour
	unit := func(n int64, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	switch {
	case d <= 0:
		return ""
	case d%(365*day) == 0:
		return unit(int64(d/(365*day)), "year", "years")
	case d >= 60*day && d%(30*day) < day:
		return unit(int64(d/(30*day)), "month", "months")
	case d >= day:
		return unit(int64((d+day/2)/day), "day", "days")
	case d >= time.Hour:
		return unit(int64((d+time.Hour/2)/time.Hour), "hour", "hours")
	case d >= time.Minute:
		return unit(int64((d+time.Minute/2)/time.Minute), "minute", "minutes")
	}
	return unit(int64((d+time.Second/2)/time.Second), "second", "seconds")
}

// Handler returns the consent interface: the preferences page, the cookie
// declaration, the banner fragment, the script and stylesheet, the
// decision endpoint for forms and JSON, the state as JSON and, when
// Config.GPCLastUpdate is set, /.well-known/gpc.json. Mount it at
// Config.HandlerPrefix (default "/consent/"), without http.StripPrefix:
//
//	mux.Handle("/consent/", m.Handler())
//
// Below the prefix it serves:
//
//	GET  (the prefix), preferences   the preferences page
//	GET  declaration                 the cookie declaration
//	GET  banner                      the banner as an HTML fragment
//	GET  state                       the visitor's state and the categories as JSON
//	POST decide                      a decision: a form (action=accept|reject|save,
//	                                 repeated c=<category>, return, lang) answered
//	                                 with 303 See Other to the same-origin return
//	                                 path, or JSON when the request asks for it
//	GET  crumb.js, crumb.css         the progressive script and the stylesheet
//	POST csp-report                  the content policy's violation reports
//	GET  records                     the visitor's own consent ID, choices and, with
//	                                 Config.Store, recorded decisions (?format=json)
//
// Pages take ?lang= to switch language and ?return= for the page to go back
// to. POSTs from other sites are refused with 403 (http.CrossOriginProtection).
//
// Unless Config.ManualBanner is set, the first call also installs the
// banner and the Google Consent Mode default into the middleware's HTML
// rewriting (see Config.ManualBanner), so mounting the handler is all an
// application does. Wrapping the handler with Middleware is optional: it
// works on its own and behind it.
func (m *Manager) Handler() http.Handler {
	u, err := m.userInterface()
	if err != nil {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "consent interface unavailable", http.StatusInternalServerError)
		})
	}
	m.uiCfg.installed.Do(func() {
		// Blocked embeds get the interface's localised placeholders, with a
		// form that posts here, whether or not the banner is injected.
		m.setInjection(func(in *injection) { in.ui = u })
		if m.uiCfg.manual {
			return
		}
		m.setInjection(func(in *injection) {
			if in.bodyStart == nil {
				in.bodyAppend = u.appendBanner
			}
			if in.headStart == nil && !m.uiCfg.noConsentMode {
				in.headAppend = u.appendHead
			}
		})
	})
	return u
}

// ServeHTTP routes the handler's requests.
func (u *ui) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if p == gpcPath {
		u.m.serveGPC(w, r)
		return
	}
	sub, ok := strings.CutPrefix(p, u.s.prefix)
	if !ok {
		if p+"/" != u.s.prefix {
			http.NotFound(w, r)
			return
		}
		sub = ""
	}
	switch sub {
	case "", pathPreferences:
		u.servePage(w, r, pagePreferences)
	case pathDeclaration:
		u.servePage(w, r, pageDeclaration)
	case pathBanner:
		u.servePage(w, r, pageBanner)
	case pathOptOut:
		if u.s.opts.OptOutURL == "" {
			http.NotFound(w, r)
			return
		}
		u.servePage(w, r, pageOptOut)
	case pathState:
		u.serveState(w, r)
	case pathDecide:
		u.serveDecide(w, r)
	case pathPolicyReport:
		u.servePolicyReport(w, r)
	case pathRecords:
		u.serveRecords(w, r)
	case pathScript:
		serveAsset(w, r, banner.Script(), banner.ScriptETag(), "text/javascript; charset=utf-8")
	case pathStylesheet:
		serveAsset(w, r, banner.Stylesheet(), banner.StylesheetETag(), "text/css; charset=utf-8")
	default:
		http.NotFound(w, r)
	}
}

// own reports whether r is for one of the handler's own pages, which get
// neither the banner nor the Consent Mode default injected.
func (u *ui) own(r *http.Request) bool {
	return r.URL != nil && strings.HasPrefix(r.URL.Path, u.s.prefix)
}

// stateOf returns r's consent state: the middleware's when it wraps the
// handler, else read from the cookie.
func (m *Manager) stateOf(r *http.Request) State {
	if rs, ok := r.Context().Value(ctxKey{}).(*requestState); ok && rs.m == m {
		return rs.state
	}
	st, _, _, _ := m.readCookie(r.Header["Cookie"], ParseSignals(r.Header), m.policyOf(r), m.now())
	return st
}

// language picks the interface language: chosen (a lang field or
// parameter) when served, else the language of the visitor's decision,
// else Accept-Language, else Config.Language.
func (u *ui) language(r *http.Request, st State, chosen string) language.Tag {
	if len(chosen) > maxLang {
		chosen = ""
	}
	if chosen == "" && st.valid {
		chosen = st.rec.lang
	}
	return u.r.Negotiate(r.Header.Get("Accept-Language"), chosen)
}

// granted lists the categories st grants now, "necessary" first.
func granted(st State) []string {
	out := []string{NecessaryName}
	if st.m == nil {
		return out
	}
	for i := 1; i < len(st.m.cats); i++ {
		if st.grantedAt(i) {
			out = append(out, st.m.cats[i].Name)
		}
	}
	return out
}

// BannerHash identifies the exact banner wording shown in a language (a
// BCP 47 tag, matched to the closest served language): the hex SHA-256 of
// its markup. Receipts of the handler's decisions carry it; publish or
// escrow it per release as proof of what visitors were shown. It is ""
// when the interface cannot be built.
func (m *Manager) BannerHash(lang string) string {
	u, err := m.userInterface()
	if err != nil {
		return ""
	}
	tag, _ := language.Parse(lang)
	return u.r.BannerHash(u.r.Negotiate("", tag.String()))
}
