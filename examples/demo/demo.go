package main

import (
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/crumbhq/crumb/consent"
)

// demoConfig is what newDemo needs from main.
type demoConfig struct {
	// Keys sign the consent cookie, newest first.
	Keys [][]byte
	// Secure serves the consent cookie with Secure and the __Host- prefix;
	// leave it false when the demo is served over plain HTTP, or browsers
	// other than on localhost drop the cookie.
	Secure bool
	// Logger receives the shop's and crumb's events; nil discards them.
	Logger *slog.Logger
	// Now is crumb's clock; nil is time.Now.
	Now func() time.Time
	// Store keeps a record of every decision; nil keeps none.
	Store consent.Store
	// AdminToken, when set, mounts the operator's look-up of consent
	// records at /admin/records, behind HTTP Basic (admin, AdminToken).
	AdminToken string
	// CloudflareRegions trusts Cloudflare's region headers and applies
	// crumb's regime presets by region (see regimePolicies).
	CloudflareRegions bool
}

// regimePolicies are the presets the demo applies with
// -cloudflare-regions: opt-in for the EU, EEA, UK and Switzerland, opt-out
// for the US states with privacy laws, a notice for every other known
// region; an unknown region gets the strictest, opt-in.
func regimePolicies() []consent.Policy {
	return []consent.Policy{consent.PolicyEU(), consent.PolicyUK(), consent.PolicySwitzerland(),
		consent.PolicyUSStates(), {Name: "elsewhere", Regime: consent.RegimeNotice}}
}

// demo is the whole demo site: the shop behind crumb.
type demo struct {
	http.Handler
	consent *consent.Manager
}

// newDemo builds the demo's handler: the shop, unchanged, wrapped by crumb.
// The tests drive exactly this handler over HTTP.
func newDemo(cfg demoConfig) (*demo, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	keys := make([]consent.Key, len(cfg.Keys))
	for i, k := range cfg.Keys {
		keys[i] = consent.Key{Hash: k}
	}
	ccfg := consent.Config{
		Keys:          keys,
		Categories:    demoCategories(),
		Insecure:      !cfg.Secure,
		GPCLastUpdate: time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC),
		// crumb's pages take the shop's brand colour, as the banner does.
		ThemeStylesheet: "/static/theme.css",
		Logger:          logger,
		Now:             cfg.Now,
		Store:           cfg.Store,
	}
	if cfg.CloudflareRegions {
		ccfg.Policies = regimePolicies()
		ccfg.RegionResolvers = []consent.RegionResolver{consent.CloudflareRegion()}
	}
	m, err := consent.New(ccfg)
	if err != nil {
		return nil, err
	}
	s := newShop(logger)
	// The footer's "Cookie settings", in the visitor's language, and for
	// visitors under an opt-out policy "Do Not Sell or Share My Personal
	// Information".
	s.settingsLink = func(r *http.Request) template.HTML { return m.SettingsLink(r) + m.OptOutLink(r) }

	mux := http.NewServeMux()
	// The banner, preferences page, cookie declaration and decision
	// endpoint. Mounting it also makes the middleware inject the banner.
	mux.Handle(consent.DefaultHandlerPrefix, m.Handler())
	mux.Handle("/.well-known/gpc.json", m.GPCHandler())
	mux.Handle("/", s)
	h := m.Middleware(mux)
	if cfg.AdminToken != "" {
		// Outside the middleware: the operator's page gets no banner.
		top := http.NewServeMux()
		top.Handle(adminPath, adminGuard(cfg.AdminToken, m.RecordsHandler()))
		top.Handle("/", h)
		h = top
	}
	return &demo{Handler: h, consent: m}, nil
}

// demoCategories are crumb's default categories plus the shop's cookies.
// The shop's own two (session, lang) must be declared: no catalog knows
// them. The tagging cookies (_ga, _fbp, _gcl_au) and the YouTube player's
// are in crumb's catalog and would be enforced without a word; they are
// declared by name only so that the cookie declaration page lists them,
// with provider and purpose taken from the catalog.
func demoCategories() []consent.Category {
	cats := []consent.Category{{
		Name: consent.NecessaryName,
		Cookies: []consent.Cookie{{Name: "session", Provider: "Crumb & Co.",
			Purpose: "Keeps you signed in while you shop."}},
	}}
	for _, c := range consent.DefaultCategories() {
		switch c.Name {
		case "preferences":
			c.Cookies = append(c.Cookies, consent.Cookie{Name: "lang", Provider: "Crumb & Co.",
				Purpose: "Remembers the language you chose.", Lifetime: 365 * 24 * time.Hour})
		case "analytics":
			c.Cookies = append(c.Cookies, consent.Cookie{Name: "_ga", Lifetime: 400 * 24 * time.Hour},
				consent.Cookie{Name: "_ga_*", Lifetime: 400 * 24 * time.Hour})
		case "marketing":
			c.Cookies = append(c.Cookies, consent.Cookie{Name: "_fbp", Lifetime: 90 * 24 * time.Hour},
				consent.Cookie{Name: "_gcl_au", Lifetime: 90 * 24 * time.Hour})
		case "social":
			// Set by the embedded player on youtube.com, not by the shop.
			c.Cookies = append(c.Cookies, consent.Cookie{Name: "YSC", Domain: "youtube.com"},
				consent.Cookie{Name: "VISITOR_INFO1_LIVE", Domain: "youtube.com", Lifetime: 180 * 24 * time.Hour})
		}
		cats = append(cats, c)
	}
	return cats
}
