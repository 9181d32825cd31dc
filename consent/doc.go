// Package consent is crumb's policy layer and public face. It keeps the
// visitor's consent in a signed cookie and enforces it on every response, on
// the server, where a script cannot get around it.
//
// Configure categories in code, build a [Manager], wrap the application and
// mount the banner's handler:
//
//	m, err := consent.New(consent.Config{
//		Keys: []consent.Key{{Hash: key}}, // 32+ random bytes, newest first
//		Categories: append([]consent.Category{
//			{Name: consent.NecessaryName, Cookies: []consent.Cookie{{Name: "session"}}},
//		}, consent.DefaultCategories()...),
//	})
//	if err != nil { ... }
//	mux.Handle("/consent/", m.Handler())
//	log.Fatal(http.ListenAndServe(addr, m.Middleware(mux)))
//
// and read the visitor's choice anywhere below the middleware:
//
//	if consent.FromRequest(r).Granted("analytics") { ... }
//
// # Secure by default
//
// The zero [Config] (plus a key) is the strict one: every optional category
// is refused until the visitor accepts it, the consent cookie is a __Host-
// cookie (Secure, HttpOnly, SameSite=Lax, Path=/), and enforcement is on.
// Loosening is explicit: Insecure for plain-HTTP development, ReportOnly for
// a first rollout, TreatDNTAsGPC to honour DNT.
//
// # What the middleware enforces
//
//   - Set-Cookie lines of categories not granted are dropped, whichever way
//     the application wrote them; consented persistent cookies are capped at
//     Config.MaxCookieLifetime (395 days by default). A cookie no category
//     declares and the catalog does not know needs every optional category,
//     and is reported once per name so that it can be declared.
//   - Request cookies of categories not granted are hidden from the
//     application, and deleted from the browser for every plausible Domain
//     and Path.
//   - HTML is rewritten as it streams (see package middleware): trackers,
//     pixels and embeds of categories not granted reach the browser inert,
//     and the banner's script re-activates them when the visitor accepts.
//   - While marketing is not granted, a Permissions-Policy switches off the
//     browser's ad APIs; Vary: Cookie, Sec-GPC is added wherever the output
//     depends on them.
//   - Sec-GPC: 1 refuses categories marked SaleOrShare unless the visitor
//     opted in while GPC was on (an explicit choice, recorded as overriding
//     the signal in Receipt.GPCOverride).
//
// # Regimes
//
// Config.Policies and Config.RegionResolvers choose the rules per request:
// opt-in (PolicyEU, PolicyUK, PolicySwitzerland), opt-out with GPC binding
// and a "Do Not Sell or Share My Personal Information" page
// (PolicyUSStates), notice or none, by a region read only from headers a
// trusted CDN sets. An unknown region gets the strictest policy; without
// policies everyone is under strict opt-in. The consent cookie carries the
// policy's fingerprint, so a visitor whose policy changes is asked again.
//
// # The consent state
//
// A decision lasts Config.Lifetime (182 days by default), or until
// Config.Revision is raised; a category added since is undecided. Missing,
// tampered, truncated, expired, wrong-key, oversized or duplicated consent
// cookies all read as undecided and are reported to Hooks.InvalidConsent:
// never as consent. The cookie is signed (and, with Key.Block, encrypted)
// with gorilla/securecookie over a compact binary payload, and keys rotate:
// cookies signed with an older key are still read and re-issued with the
// newest.
//
// # The banner
//
// [Manager.Handler] serves the banner, the preferences page, the cookie
// declaration, a JSON API for single-page apps and the decision endpoint,
// localised in 48 languages (the EU's 24, the rest of Europe's, and the
// largest global ones, Arabic and Hebrew right to left) and usable without
// JavaScript. Once it is mounted, the banner is inserted first in <body> of
// HTML pages of visitors who have not decided (first in keyboard order, in
// the page's flow), and the Google Consent Mode v2 default goes first in
// <head>. Every decision yields a [Receipt] for Hooks.Decision, the proof of
// consent to keep.
//
// Put compression middleware outside the consent middleware, so that it sees
// identity-encoded HTML.
package consent
