package consent

import (
	"log/slog"
	"time"

	"github.com/crumbhq/crumb/classify"
)

// Config configures a Manager. Its zero value is the strict one: every
// optional category refused until the visitor accepts it, the hardened
// "__Host-" consent cookie, enforcement on (not report-only), GPC honoured.
// Only Keys must be set.
type Config struct {
	// Keys sign, and optionally encrypt, the consent cookie, newest first:
	// cookies are written with Keys[0] and read with any of them, so a new
	// key is rolled out by prepending it and an old one retired by removing
	// it. Required: New fails without a key.
	Keys []Key

	// Categories the visitor chooses from, besides "necessary", which is
	// always present and always granted. A Category named "necessary"
	// may be listed to declare the application's necessary cookies.
	// Default (nil): DefaultCategories().
	Categories []Category

	// Cookies adds the application's cookies to categories by name
	// ("necessary", "analytics", …), after those the Categories declare,
	// so that the default categories take them without being rebuilt:
	// {"analytics": {{Name: "_ga_*"}}}. New fails on a name that is no
	// category. Default: none.
	Cookies map[string][]Cookie

	// Catalog classifies cookies and tracker hosts the categories do not
	// declare. Default (nil): classify.Builtin().
	Catalog *classify.Catalog

	// Revision is the version of the cookie policy and banner text. Raising
	// it makes every earlier decision undecided, so the banner asks again.
	// Default: 0.
	Revision uint32

	// Lifetime is how long a decision (accept or refuse) lasts before the
	// visitor is asked again. Default: 182 days (CNIL's six months). At
	// most 400 days, the browsers' cap.
	Lifetime time.Duration

	// MaxCookieLifetime caps persistent cookies of consented, non-necessary
	// categories: a longer Max-Age or Expires is rewritten to this. Longer
	// necessary cookies are reported, not changed. Default: 395 days (13
	// months). At most 400 days.
	MaxCookieLifetime time.Duration

	// CookieName names the consent cookie. Default: "__Host-crumb_consent",
	// or "crumb_consent" when Insecure is set. A "__Host-" name requires
	// that Insecure is false.
	CookieName string

	// Insecure is the plain-HTTP fallback for local development: the
	// consent cookie loses the "__Host-" prefix and the Secure attribute,
	// so a browser keeps it on http://. Never set it in production.
	// Default: false (Secure, "__Host-" prefix).
	Insecure bool

	// ReportOnly blocks nothing: every action enforcement would take is
	// reported to the hooks instead, for rolling crumb out on a live site.
	// Decisions are still recorded. Default: false (enforce).
	ReportOnly bool

	// TreatDNTAsGPC makes "DNT: 1" act like "Sec-GPC: 1". Default: false,
	// DNT is parsed and exposed but has no effect.
	TreatDNTAsGPC bool

	// KeepDocumentEncoding lets document navigations reach the application
	// with their Accept-Encoding, Range and If-Range headers. By default
	// they are removed, so that a compressor inside the middleware sends
	// HTML the middleware can read and rewrite; otherwise such a page would
	// pass through with its trackers intact (reported as NotEnforced).
	// Compression outside the middleware, the recommended setup, is not
	// affected either way. Default: false (remove them).
	KeepDocumentEncoding bool

	// WithdrawPaths are the Path attributes tried, besides each declared
	// cookie's Paths, when deleting cookies of refused categories.
	// Default: "/".
	WithdrawPaths []string

	// MaxDeletionLines bounds the Set-Cookie lines one response may add to
	// delete refused cookies. Default: 32.
	MaxDeletionLines int

	// Language is the default language of decisions and of the banner, a
	// BCP 47 tag. Default: "en".
	Language string

	// PolicyURL links the banner and preferences page to the cookie policy.
	// Default: empty (no link).
	PolicyURL string

	// ThemeStylesheet is the URL of a stylesheet of the site that crumb's
	// own pages (preferences, declaration) link after crumb's, so that the
	// --crumb-* custom properties that theme the banner on the site's pages
	// (say :root { --crumb-accent: #9a4a12 }) theme those pages too.
	// Default: empty (crumb's colours).
	ThemeStylesheet string

	// HandlerPrefix is the path Manager.Handler is mounted at, with a
	// leading and a trailing slash: the banner's forms post below it and
	// link to its pages. Mount the handler there without
	// http.StripPrefix. Default: "/consent/".
	HandlerPrefix string

	// ManualBanner turns auto-injection off: the middleware then inserts
	// neither the banner nor the Google Consent Mode default, and the
	// application places Manager.Banner and Manager.SettingsLink in its
	// own templates. Default: false, so that once Manager.Handler is
	// called the middleware inserts the banner first in <body> of HTML
	// pages while the visitor has not decided.
	ManualBanner bool

	// NoConsentMode stops the middleware from inserting the Google
	// Consent Mode v2 default (gtag('consent','default',…) with all seven
	// types, from the visitor's State) first in <head>. Default: false,
	// the default call is inserted once Manager.Handler is called, unless
	// ManualBanner is set.
	NoConsentMode bool

	// BodyStart renders the application's own markup, inserted right
	// after the <body> start tag of HTML responses (before </body> when a
	// page has no <body> tag), first in keyboard order: a banner of its own
	// while the visitor has not decided, and whatever it shows afterwards.
	// Set, it replaces the banner Handler would insert. Default: nil.
	BodyStart BannerFunc

	// HeadStart renders markup inserted first in <head>, before any
	// script: the place for a Google Consent Mode default of the
	// application's own, built from State.ConsentMode. Set, it replaces
	// the default Handler would insert. Default: nil.
	HeadStart BannerFunc

	// Strings overrides the interface text of the banner and the pages:
	// language (a BCP 47 tag such as "de" or "fr-CA") to key (see
	// StringKeys) to plain text. A language that is not one of the 48
	// built in (see the README's Languages) is added to those served. The banner
	// text ("banner.text") must hold exactly one %s, where the optional
	// categories are listed. Default: none.
	Strings map[string]map[string]string

	// TrustedOrigins are origins ("https://app.example.com") allowed to
	// POST decisions to Handler from another origin, such as a
	// single-page app served elsewhere. Default: none; cross-origin POSTs
	// are refused with 403.
	TrustedOrigins []string

	// GPCLastUpdate, when set, makes GPCHandler (and Handler, for the
	// path /.well-known/gpc.json) state that the site honours Global
	// Privacy Control, with this date as lastUpdate. Default: zero, no
	// such statement is served.
	GPCLastUpdate time.Time

	// Origin is the site's public origin ("https://shop.example"). On a
	// page whose <base href> names another host, the URLs of the banner
	// and placeholders crumb inserts are written absolute against it, so
	// that they, and the visitor's decision, stay on the site; Manager.Banner
	// writes them absolute whenever it is set. Default: empty, the
	// request's Host header with https (http for plain-HTTP requests under
	// Insecure or to a loopback host); set it when a proxy in front of the
	// application rewrites Host.
	Origin string

	// NoContentPolicy stops the middleware from adding its
	// Content-Security-Policy to HTML documents. Without the policy, what
	// a page's scripts load at run time (fetch, XHR, sendBeacon, created
	// scripts and images) is not stopped; only markup is rewritten.
	// Default: false, the policy is sent (see the README's
	// Content-Security-Policy).
	NoContentPolicy bool

	// ContentPolicyReportOnly sends the policy as
	// Content-Security-Policy-Report-Only while the rest of enforcement
	// stays on, for learning which hosts a site's pages need before they
	// are blocked. ReportOnly implies it. Default: false (enforced).
	ContentPolicyReportOnly bool

	// NoInfrastructureHosts drops the built-in hosts every policy allows
	// (public library CDNs, payment, CAPTCHA; listed and argued in
	// policy_hosts.go), so that only the page's origin and the declared
	// hosts load before consent. Default: false.
	NoInfrastructureHosts bool

	// NoPolicyReports leaves report-uri and report-to out of the policy, so
	// browsers post no violation reports to Handler's csp-report endpoint
	// and no host is learned from them. Default: false.
	NoPolicyReports bool

	// Policies choose the rules per visitor (see Policy and the README's
	// Regimes): opt-in, opt-out, notice or none, by region. Default: none,
	// which is one strict opt-in policy for everyone. Presets:
	// PolicyEU, PolicyUK, PolicySwitzerland, PolicyUSStates, PolicyStrict.
	Policies []Policy

	// RegionResolvers find a visitor's region, first answer wins, from
	// headers a CDN in front of the application sets (CloudflareRegion,
	// CloudFrontRegion, VercelRegion, AppEngineRegion) or a function of
	// the application's. Each is opt-in because a client can forge these
	// headers wherever the CDN does not overwrite them. Default: none, so
	// every region is unknown and gets the strictest policy.
	RegionResolvers []RegionResolver

	// Store, when set, keeps a durable, hash-chained Record of every
	// decision, written through a bounded Queue so that the store's
	// latency never reaches the visitor's response; Manager.Close writes
	// what is queued. FileStore is the embedded default; pgstore keeps
	// records in PostgreSQL. Default: nil, decisions reach only
	// Hooks.Decision.
	Store Store

	// StoreOptions tune the queue to Store and set the retention age.
	// Default: see StoreOptions.
	StoreOptions StoreOptions

	// Hooks receive what crumb did or would have done. Default: each
	// event is logged to Logger.
	Hooks Hooks

	// Logger receives the events that have no hook. Default:
	// slog.Default().
	Logger *slog.Logger

	// Now is the clock for decision times and expiry; tests move it.
	// Default: time.Now.
	Now func() time.Time
}

// Key is one signing key of the consent cookie, with an optional encryption
// key.
type Key struct {
	// Hash is the HMAC-SHA256 key: at least 32 random bytes.
	Hash []byte
	// Block, when set, encrypts the cookie with AES: 16, 24 or 32 bytes.
	// Default: nil, the cookie is signed but readable. It holds no personal
	// data beyond a random ID, but encrypting hides the choices from
	// scripts on the visitor's machine.
	Block []byte
}

// Defaults and limits.
const (
	DefaultLifetime          = 182 * 24 * time.Hour
	DefaultMaxCookieLifetime = 395 * 24 * time.Hour
	// BrowserLifetimeCap is the longest lifetime browsers keep a cookie
	// (rfc6265bis: 400 days).
	BrowserLifetimeCap      = 400 * 24 * time.Hour
	DefaultCookieName       = "__Host-crumb_consent"
	DefaultInsecureName     = "crumb_consent"
	DefaultMaxDeletionLines = 32
	DefaultLanguage         = "en"
	DefaultHandlerPrefix    = "/consent/"
)
