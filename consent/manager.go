package consent

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crumbhq/crumb/classify"
	"github.com/crumbhq/crumb/consent/internal/banner"
	"github.com/gorilla/securecookie"
	"golang.org/x/text/language"
)

// Manager enforces one Config. It is safe for concurrent use; build it once
// with New and share it.
type Manager struct {
	cats   []category // "necessary" first
	byName map[string]int

	declared      *classify.Catalog // the categories' Cookies and Hosts
	declaredIdx   map[declKey]int   // declared rule -> index into cats
	hostIdx       map[string]int    // declared host -> index into cats
	declaredPaths map[declKey][]string
	byClass       [classify.Social + 1]int8
	catalog       *classify.Catalog
	relabel       bool // a category's name is not its class's: blocked markup is marked with the name

	codecs        []*securecookie.SecureCookie
	keys          *keyring // reads what codecs write, without their allocations
	cookieName    string
	insecure      bool
	revision      uint32
	lifetime      time.Duration
	maxCookie     time.Duration
	reportOnly    bool
	keepEncoding  bool
	treatDNTAsGPC bool
	withdrawPaths []string
	maxDeletions  int
	lang          string
	policyURL     string
	hooks         hooks
	now           func() time.Time

	// Undeclared cookie names already reported, bounded so that an upstream
	// sending random names cannot grow it without limit.
	reported      sync.Map
	reportedCount atomic.Int32

	htmlCatalog *classify.Catalog // catalog plus declared rules, for the HTML rewriter
	etagSeed    uint64            // the configuration's part of ETag variants (etag.go)
	injMu       sync.Mutex
	inject      atomic.Pointer[injection]

	uiCfg uiSettings // Handler's part of Config (handler.go)

	csp        contentPolicy // policy.go (the Content-Security-Policy)
	siteOrigin string        // Config.Origin, checked (origin.go)
	lastOrigin atomic.Pointer[originMemo]
	cspReports policyReports // policy_report.go

	// Regimes (regime.go, region.go): policies[0] alone without Config.Policies.
	policies      []policy
	resolvers     []RegionResolver
	byRegion      map[Region]int
	defaultPolicy int // -1 for none
	strictest     int
	varyLine      string // the Vary tokens of a response crumb changes (region.go)

	regionScriptOnce sync.Once // ConsentModeRegions
	regionScript     banner.RegionScript

	records *recordKeeper // Config.Store's queue, nil without one (store_wiring.go)
}

type declKey struct{ pattern, domain string }

// maxReported bounds the undeclared names a Manager remembers.
const maxReported = 1024

// New validates cfg and returns a Manager. It fails on a missing or
// unusable key, a duplicate or malformed category, a bad cookie pattern or
// host, a language tag that does not parse, and lifetimes out of range.
func New(cfg Config) (*Manager, error) {
	m := &Manager{
		revision:      cfg.Revision,
		lifetime:      cfg.Lifetime,
		maxCookie:     cfg.MaxCookieLifetime,
		reportOnly:    cfg.ReportOnly,
		keepEncoding:  cfg.KeepDocumentEncoding,
		treatDNTAsGPC: cfg.TreatDNTAsGPC,
		insecure:      cfg.Insecure,
		maxDeletions:  cfg.MaxDeletionLines,
		policyURL:     cfg.PolicyURL,
		now:           cfg.Now,
		catalog:       cfg.Catalog,
	}
	if m.lifetime == 0 {
		m.lifetime = DefaultLifetime
	}
	if m.lifetime < time.Minute || m.lifetime > BrowserLifetimeCap {
		return nil, fmt.Errorf("consent: Lifetime %v out of range (1 minute to 400 days)", cfg.Lifetime)
	}
	if m.maxCookie == 0 {
		m.maxCookie = DefaultMaxCookieLifetime
	}
	if m.maxCookie < time.Second || m.maxCookie > BrowserLifetimeCap {
		return nil, fmt.Errorf("consent: MaxCookieLifetime %v out of range (1 second to 400 days)", cfg.MaxCookieLifetime)
	}
	if m.maxDeletions == 0 {
		m.maxDeletions = DefaultMaxDeletionLines
	}
	if m.maxDeletions < 0 {
		return nil, fmt.Errorf("consent: MaxDeletionLines %d is negative", cfg.MaxDeletionLines)
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.catalog == nil {
		m.catalog = classify.Builtin()
	}
	m.lang = cfg.Language
	if m.lang == "" {
		m.lang = DefaultLanguage
	}
	if err := checkLanguage(m.lang); err != nil {
		return nil, fmt.Errorf("consent: Language: %w", err)
	}
	m.cookieName = cfg.CookieName
	if m.cookieName == "" {
		m.cookieName = DefaultCookieName
		if m.insecure {
			m.cookieName = DefaultInsecureName
		}
	}
	if !validCookieName(m.cookieName) {
		return nil, fmt.Errorf("consent: CookieName %q is not a valid cookie name", m.cookieName)
	}
	if m.insecure && (hasPrefixFold(m.cookieName, "__Host-") || hasPrefixFold(m.cookieName, "__Secure-")) {
		return nil, fmt.Errorf("consent: CookieName %q needs Secure, which Insecure turns off", m.cookieName)
	}
	for _, p := range cfg.WithdrawPaths {
		if !validPath(p) {
			return nil, fmt.Errorf("consent: WithdrawPaths: %q is not an absolute cookie path", p)
		}
	}
	m.withdrawPaths = append([]string(nil), cfg.WithdrawPaths...)
	if len(m.withdrawPaths) == 0 {
		m.withdrawPaths = []string{"/"}
	}

	cats, err := resolveCategories(cfg.Categories)
	if err != nil {
		return nil, err
	}
	m.cats = cats
	if err := addCookies(m.cats, cfg.Cookies); err != nil {
		return nil, err
	}
	if err := m.indexDeclared(); err != nil {
		return nil, err
	}
	if m.policies, err = resolvePolicies(cfg.Policies, m.cats); err != nil {
		return nil, err
	}
	m.resolvers = append([]RegionResolver(nil), cfg.RegionResolvers...)
	m.indexPolicies()

	codecs, err := newCodecs(cfg.Keys, m.lifetime)
	if err != nil {
		return nil, err
	}
	m.codecs = codecs
	if m.keys, err = newKeyring(cfg.Keys, m.lifetime); err != nil {
		return nil, err
	}
	// Prove every key works now rather than on a visitor's first click:
	// securecookie reports some key problems only when used. What each
	// codec writes must read back through the keyring, the one decoder.
	probe := record{first: codecEpoch, last: codecEpoch, issued: codecEpoch, method: MethodAPI, lang: m.lang}
	for i, c := range codecs {
		v, err := c.Encode(m.cookieName, &probe)
		if err == nil {
			d := decodeTarget{}
			if m.keys.verify(m.cookieName, v, &d) < 0 {
				err = errors.New("its cookie does not read back")
			}
		}
		if err != nil {
			return nil, fmt.Errorf("consent: key %d does not work: %w", i, err)
		}
	}

	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	m.hooks = resolveHooks(cfg.Hooks, cfg.Logger)
	if err := m.uiCfg.init(&cfg, m.cats); err != nil {
		return nil, err
	}
	if m.siteOrigin, err = checkOrigin(cfg.Origin); err != nil {
		return nil, err
	}
	m.initPolicy(&cfg)
	if cfg.BodyStart != nil || cfg.HeadStart != nil {
		m.inject.Store(&injection{bodyStart: cfg.BodyStart, headStart: cfg.HeadStart})
	}
	m.etagSeed = etagSeed(&cfg, m)
	if err := m.initRecords(&cfg); err != nil {
		return nil, err
	}
	return m, nil
}

// indexDeclared builds one catalog of every category's declared cookies and
// hosts, remembering which category each rule came from.
func (m *Manager) indexDeclared() error {
	for i := range m.byClass {
		m.byClass[i] = -1
	}
	m.byName = make(map[string]int, len(m.cats))
	m.declaredIdx = map[declKey]int{}
	m.hostIdx = map[string]int{}
	m.declaredPaths = map[declKey][]string{}
	var cookies []classify.Cookie
	var trackers []classify.Tracker
	for i, c := range m.cats {
		m.byName[c.Name] = i
		if c.Class != classify.Unknown {
			m.byClass[c.Class] = int8(i)
			m.relabel = m.relabel || c.Name != c.Class.String()
		}
		// The catalog wants a real class; for a custom category without
		// one, any placeholder does, as declaredIdx maps back.
		class := c.Class
		if class == classify.Unknown {
			class = classify.Marketing
		}
		for j, ck := range c.Cookies {
			name := classify.TrimCookiePrefix(ck.Name)
			single, err := classify.NewCatalog([]classify.Cookie{{Pattern: name, Domain: ck.Domain, Category: class}}, nil)
			if err != nil {
				return fmt.Errorf("consent: category %q, cookie %d: %w", c.Name, j, err)
			}
			norm := single.Cookies()[0]
			k := declKey{norm.Pattern, norm.Domain}
			if prev, dup := m.declaredIdx[k]; dup {
				return fmt.Errorf("consent: cookie %q declared twice (categories %q and %q)", ck.Name, m.cats[prev].Name, c.Name)
			}
			for _, p := range ck.Paths {
				if !validPath(p) {
					return fmt.Errorf("consent: category %q, cookie %q: %q is not an absolute cookie path", c.Name, ck.Name, p)
				}
			}
			if ck.Lifetime < 0 {
				return fmt.Errorf("consent: category %q, cookie %q: negative Lifetime", c.Name, ck.Name)
			}
			m.declaredIdx[k] = i
			if len(ck.Paths) > 0 {
				m.declaredPaths[k] = ck.Paths
			}
			cookies = append(cookies, classify.Cookie{Pattern: norm.Pattern, Domain: norm.Domain, Category: class,
				Provider: ck.Provider, Purpose: ck.Purpose})
		}
		for _, h := range c.Hosts {
			single, err := classify.NewCatalog(nil, []classify.Tracker{{Host: h, Category: class}})
			if err != nil {
				return fmt.Errorf("consent: category %q: %w", c.Name, err)
			}
			host := single.Trackers()[0].Host
			if prev, dup := m.hostIdx[host]; dup {
				return fmt.Errorf("consent: host %q declared twice (categories %q and %q)", h, m.cats[prev].Name, c.Name)
			}
			m.hostIdx[host] = i
			trackers = append(trackers, classify.Tracker{Host: host, Category: class})
		}
	}
	d, err := classify.NewCatalog(cookies, trackers)
	if err != nil {
		return fmt.Errorf("consent: %w", err)
	}
	m.declared = d
	m.htmlCatalog = m.catalog.Merge(d)
	return nil
}

// cookieCategory finds the category of a cookie: declared rules first, then
// the catalog. It returns -1 when neither knows the name, or when the
// catalog's class has no configured category.
func (m *Manager) cookieCategory(name, domain string) int {
	if c, ok := m.declared.LookupCookie(name, domain); ok {
		if i, ok := m.declaredIdx[declKey{c.Pattern, c.Domain}]; ok {
			return i
		}
	}
	if c, ok := m.catalog.LookupCookie(name, domain); ok && c.Category <= classify.Social {
		return int(m.byClass[c.Category])
	}
	return -1
}

// HostCategory returns the category a tracker host belongs to (declared
// hosts first, then the catalog), and false for a host neither knows.
func (m *Manager) HostCategory(host string) (string, bool) {
	if i := m.hostCategory(host); i >= 0 {
		return m.cats[i].Name, true
	}
	return "", false
}

func (m *Manager) hostCategory(host string) int {
	_, i, _ := m.hostEntry(host)
	return i
}

// CookieName returns the name of the consent cookie: Config.CookieName, or
// the default it resolved to (which depends on Config.Insecure).
func (m *Manager) CookieName() string { return m.cookieName }

func checkLanguage(tag string) error {
	if len(tag) > maxLang {
		return fmt.Errorf("tag %q longer than %d bytes", tag, maxLang)
	}
	for i := 0; i < len(tag); i++ {
		c := tag[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("tag %q: byte %q not allowed", tag, c)
		}
	}
	_, err := language.Parse(tag)
	return err
}

func validCookieName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return true
}

func validPath(p string) bool {
	if p == "" || p[0] != '/' || len(p) > 1024 {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < 0x20 || p[i] == 0x7f || p[i] == ';' {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// requestHost returns r's host without port, lower-cased.
func requestHost(r *http.Request) string {
	h := r.Host
	if h == "" && r.URL != nil {
		h = r.URL.Host
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
		h = h[:i]
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.ToLower(h)
}

const classMarketing = classify.Marketing

// pathsFor returns the paths to delete a request cookie at: the configured
// WithdrawPaths plus the Paths of its declaration.
func (m *Manager) pathsFor(name, host string) []string {
	c, ok := m.declared.LookupCookie(name, host)
	if !ok {
		return m.withdrawPaths
	}
	extra := m.declaredPaths[declKey{c.Pattern, c.Domain}]
	if len(extra) == 0 {
		return m.withdrawPaths
	}
	out := append([]string(nil), m.withdrawPaths...)
	for _, p := range extra {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
