package consent

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// policySite is a Manager serving one HTML page through its middleware,
// with the handler mounted, and the HostBlocked events it reported.
type policySite struct {
	m     *Manager
	h     http.Handler
	mu    sync.Mutex
	hosts []HostEvent
}

func newPolicySite(t testing.TB, change func(*Config)) *policySite {
	t.Helper()
	s := &policySite{}
	cfg := testConfig(t, newClock(), nil)
	cfg.Categories[0].Hosts = []string{"cdn.shop-assets.example"}
	for i := range cfg.Categories {
		switch cfg.Categories[i].Name {
		case "analytics":
			cfg.Categories[i].Hosts = []string{"stats.example"}
		case "marketing":
			cfg.Categories[i].Hosts = []string{"ads.example"}
		}
	}
	cfg.Hooks.HostBlocked = func(_ context.Context, e HostEvent) {
		s.mu.Lock()
		s.hosts = append(s.hosts, e)
		s.mu.Unlock()
	}
	if change != nil {
		change(&cfg)
	}
	s.m = mustNew(t, cfg)
	ui := s.m.Handler()
	mux := http.NewServeMux()
	mux.Handle("/consent/", ui)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/app.json" {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, "{}")
			return
		}
		if r.URL.Path == "/own-csp" {
			w.Header().Set("Content-Security-Policy", "script-src 'nonce-n1' 'strict-dynamic'; object-src 'none'")
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html><head><base href="https://tracker.example/"><title>t</title></head><body><h1>Shop</h1></body></html>`)
	})
	s.h = s.m.Middleware(mux)
	return s
}

// get serves path to a visitor who granted grant (nil: undecided).
func (s *policySite) get(t *testing.T, path string, grant []string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", "https://shop.example"+path, nil)
	r.Header.Set("Sec-Fetch-Dest", "document")
	if grant != nil {
		r.Header.Set("Cookie", s.m.cookieName+"="+consentCookie(t, s.m, grant, nil))
	}
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	return w
}

// sources returns the host sources of a policy.
func sources(policy string) map[string]bool {
	def, _, _ := strings.Cut(policy, ";")
	out := map[string]bool{}
	for _, f := range strings.Fields(def)[1:] {
		out[f] = true
	}
	return out
}

func TestPolicyByConsent(t *testing.T) {
	s := newPolicySite(t, nil)
	tests := []struct {
		name        string
		grant       []string
		allow, deny []string
		none        bool
	}{
		{name: "undecided", grant: nil,
			allow: []string{"'self'", "'unsafe-inline'", "data:", "cdn.shop-assets.example:*", "*.cdn.shop-assets.example:*", "js.stripe.com", "www.google.com/recaptcha/"},
			deny:  []string{"stats.example:*", "ads.example:*", "*", "https:"}},
		{name: "refused all", grant: []string{},
			allow: []string{"'self'", "cdn.shop-assets.example:*"},
			deny:  []string{"stats.example:*", "ads.example:*"}},
		{name: "analytics only", grant: []string{"analytics"},
			allow: []string{"'self'", "stats.example:*", "*.stats.example:*"},
			deny:  []string{"ads.example:*"}},
		{name: "analytics and marketing", grant: []string{"analytics", "marketing"},
			allow: []string{"stats.example:*", "ads.example:*"}},
		// Every optional category granted allows unknown hosts too, as
		// unknown cookies: nothing is left for a policy to refuse.
		{name: "all granted", grant: []string{"preferences", "analytics", "marketing", "social"}, none: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := s.get(t, "/", tt.grant)
			got := w.Header().Values(policyHeader)
			if tt.none {
				if len(got) != 0 {
					t.Fatalf("policy sent: %q", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("policies: %q", got)
			}
			src := sources(got[0])
			for _, a := range tt.allow {
				if !src[a] {
					t.Errorf("policy lacks %s: %s", a, got[0])
				}
			}
			for _, d := range tt.deny {
				if src[d] {
					t.Errorf("policy allows %s: %s", d, got[0])
				}
			}
			if !strings.Contains(got[0], "; report-uri /consent/csp-report; report-to crumb-csp") {
				t.Errorf("no report directives: %s", got[0])
			}
			if e := w.Header().Get("Reporting-Endpoints"); e != `crumb-csp="/consent/csp-report"` {
				t.Errorf("Reporting-Endpoints = %q", e)
			}
		})
	}
}

// Declared hosts enter the policy as New normalised them: a host written
// in capitals or with a trailing dot is the host browsers compare with.
func TestPolicyDeclaredHostsNormalised(t *testing.T) {
	s := newPolicySite(t, func(c *Config) {
		for i := range c.Categories {
			if c.Categories[i].Name == "analytics" {
				c.Categories[i].Hosts = []string{"Stats.Example."}
			}
		}
	})
	src := sources(s.get(t, "/", []string{"analytics"}).Header().Get(policyHeader))
	if !src["stats.example:*"] || !src["*.stats.example:*"] || src["Stats.Example.:*"] {
		t.Errorf("policy sources %v; want stats.example:* and *.stats.example:*", src)
	}
}

func TestPolicyLeavesTheApplicationsAlone(t *testing.T) {
	s := newPolicySite(t, nil)
	w := s.get(t, "/own-csp", nil)
	got := w.Header().Values(policyHeader)
	if len(got) != 2 || got[0] != "script-src 'nonce-n1' 'strict-dynamic'; object-src 'none'" || !strings.HasPrefix(got[1], "default-src 'self'") {
		t.Fatalf("policies: %q", got)
	}
	// The application's nonce still reaches crumb's own script.
	if !strings.Contains(w.Body.String(), `defer nonce="n1"`) {
		t.Errorf("nonce not used:\n%s", w.Body.String())
	}
	// Not a document: no policy.
	if got := s.get(t, "/app.json", nil).Header().Values(policyHeader); len(got) != 0 {
		t.Errorf("policy on JSON: %q", got)
	}
}

func TestPolicySwitches(t *testing.T) {
	tests := []struct {
		name            string
		change          func(*Config)
		header          string
		infra, reports  bool
		wantPolicyFound bool
	}{
		{"default", nil, policyHeader, true, true, true},
		{"off", func(c *Config) { c.NoContentPolicy = true }, "", false, false, false},
		{"report-only rollout", func(c *Config) { c.ReportOnly = true }, policyReportOnlyHeader, true, true, true},
		{"policy report-only", func(c *Config) { c.ContentPolicyReportOnly = true }, policyReportOnlyHeader, true, true, true},
		{"no infrastructure", func(c *Config) { c.NoInfrastructureHosts = true }, policyHeader, false, true, true},
		{"no reports", func(c *Config) { c.NoPolicyReports = true }, policyHeader, true, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newPolicySite(t, tt.change).get(t, "/", nil)
			enforced, reportOnly := w.Header().Get(policyHeader), w.Header().Get(policyReportOnlyHeader)
			v := enforced + reportOnly
			if !tt.wantPolicyFound {
				if v != "" {
					t.Fatalf("policy sent: %q", v)
				}
				return
			}
			if (tt.header == policyHeader) != (enforced != "") || (tt.header == policyReportOnlyHeader) != (reportOnly != "") {
				t.Fatalf("enforced %q, report-only %q; want %s", enforced, reportOnly, tt.header)
			}
			if got := sources(v)["js.stripe.com"]; got != tt.infra {
				t.Errorf("infrastructure hosts %v, want %v: %s", got, tt.infra, v)
			}
			if got := strings.Contains(v, "report-uri"); got != tt.reports {
				t.Errorf("reports %v, want %v: %s", got, tt.reports, v)
			}
			if !sources(v)["cdn.shop-assets.example:*"] {
				t.Errorf("declared necessary host missing: %s", v)
			}
		})
	}
}

func TestInjectedURLsIgnoreBase(t *testing.T) {
	s := newPolicySite(t, nil)
	body := s.get(t, "/", nil).Body.String()
	for _, want := range []string{
		`href="https://shop.example/consent/crumb.css?v=`,
		`action="https://shop.example/consent/decide"`,
		`src="https://shop.example/consent/crumb.js?v=`,
		`href="https://shop.example/consent/?return=/"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("lacks %s:\n%s", want, body)
		}
	}
	if strings.Contains(body, `="/consent/`) {
		t.Errorf("a relative URL of crumb's resolves against the page's <base>:\n%s", body)
	}
	// A Host header that is no host name gets path-absolute URLs, never
	// its text in the page.
	r := httptest.NewRequest("GET", "https://shop.example/", nil)
	r.Host = `evil"><script>`
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	if b := w.Body.String(); strings.Contains(b, "evil") || !strings.Contains(b, `action="/consent/decide"`) {
		t.Errorf("bad Host reached the page:\n%s", b)
	}
}

// postReport posts a violation report to the site's handler.
func (s *policySite) postReport(ct, body, remote string) int {
	r := httptest.NewRequest("POST", "https://shop.example/consent/csp-report", strings.NewReader(body))
	r.Header.Set("Content-Type", ct)
	r.RemoteAddr = remote
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	return w.Code
}

func TestPolicyReports(t *testing.T) {
	s := newPolicySite(t, nil)
	legacy := `{"csp-report":{"document-uri":"https://shop.example/basket?card=1","blocked-uri":"https://www.google-analytics.com/g/collect?v=2","violated-directive":"connect-src","effective-directive":"connect-src"}}`
	api := `[{"type":"csp-violation","url":"https://shop.example/p","body":{"documentURL":"https://shop.example/p","blockedURL":"https://unknown-pixel.example:8443/p.gif","effectiveDirective":"img-src"}},` +
		`{"type":"csp-violation","body":{"documentURL":"https://shop.example/p","blockedURL":"inline","effectiveDirective":"script-src-elem"}},` +
		`{"type":"deprecation","body":{}}]`
	for _, p := range []struct{ ct, body string }{
		{"application/csp-report", legacy},
		{"application/reports+json", api},
		{"application/csp-report", legacy}, // again: reported once
	} {
		if code := s.postReport(p.ct, p.body, "192.0.2.1:5000"); code != http.StatusNoContent {
			t.Fatalf("%s: %d", p.ct, code)
		}
	}
	want := []HostEvent{
		{Host: "www.google-analytics.com", Category: "analytics", Directive: "connect-src", Path: "/basket",
			Suggestion: suggestDeclaration("analytics", "www.google-analytics.com")},
		{Host: "unknown-pixel.example", Directive: "img-src", Path: "/p", Suggestion: suggestDeclaration("", "unknown-pixel.example")},
	}
	if diff := cmp.Diff(want, s.hosts); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	// The catalog-known host is learned: allowed to visitors who granted
	// analytics, and still refused to the others. The unknown one is never
	// allowed by a report.
	granted := sources(s.get(t, "/", []string{"analytics"}).Header().Get(policyHeader))
	refused := sources(s.get(t, "/", []string{}).Header().Get(policyHeader))
	// Learned as its catalog entry, which covers its subdomains.
	if !granted["google-analytics.com:*"] || !granted["*.google-analytics.com:*"] || refused["google-analytics.com:*"] {
		t.Errorf("learned host: granted %v, refused %v", granted["google-analytics.com:*"], refused["google-analytics.com:*"])
	}
	if granted["unknown-pixel.example:*"] {
		t.Error("an unknown host was allowed by a report")
	}
}

func TestPolicyReportErrors(t *testing.T) {
	s := newPolicySite(t, nil)
	big := `{"csp-report":{"blocked-uri":"https://a.example/` + strings.Repeat("x", maxPolicyReportBody) + `"}}`
	many := "[" + strings.Repeat(`{"type":"csp-violation","body":{}},`, maxReportsPerBody) + `{"type":"csp-violation","body":{}}]`
	tests := []struct {
		name, ct, body string
		want           int
	}{
		{"wrong type", "text/plain", "{}", http.StatusUnsupportedMediaType},
		{"no type", "", "{}", http.StatusUnsupportedMediaType},
		{"not JSON", "application/csp-report", "{", http.StatusBadRequest},
		{"list for legacy", "application/reports+json", `{"csp-report":{}}`, http.StatusBadRequest},
		{"too large", "application/csp-report", big, http.StatusRequestEntityTooLarge},
		{"too many in one", "application/reports+json", many, http.StatusBadRequest},
	}
	for _, tt := range tests {
		if got := s.postReport(tt.ct, tt.body, "192.0.2.9:1"); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
	r := httptest.NewRequest("GET", "https://shop.example/consent/csp-report", nil)
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", w.Code)
	}
	// A flood from one client is cut off; another client still gets in.
	one := `[{"type":"csp-violation","body":{"blockedURL":"https://x.example/"}}]`
	var last int
	for range maxReportsPerClient + 1 {
		last = s.postReport("application/reports+json", one, "198.51.100.7:1")
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("flood: last answer %d", last)
	}
	if got := s.postReport("application/reports+json", one, "198.51.100.8:1"); got != http.StatusNoContent {
		t.Errorf("other client: %d", got)
	}
}

// Declared hosts are in the policy already: neither a page naming them nor
// a report of them spends a learning slot, nor changes the ETag.
func TestPolicyDeclaredHostsAreNotLearned(t *testing.T) {
	s := newPolicySite(t, nil)
	gen := s.m.csp.gen.Load()
	s.m.learnFromPage([]byte("stats.example"))
	s.m.learnFromPage([]byte("cdn.ads.example"))
	s.postReport("application/reports+json", `[{"type":"csp-violation","body":{"blockedURL":"https://stats.example/p.js"}},`+
		`{"type":"csp-violation","body":{"blockedURL":"https://cdn.ads.example/x"}}]`, "192.0.2.1:1")
	if s.m.csp.pageN != 0 || s.m.csp.reportN != 0 || len(s.m.csp.learned) != 0 || s.m.csp.gen.Load() != gen {
		t.Errorf("declared hosts learned: pages %d, reports %d, learned %v, generation changed %v",
			s.m.csp.pageN, s.m.csp.reportN, s.m.csp.learned, s.m.csp.gen.Load() != gen)
	}
	if len(s.hosts) != 2 || s.hosts[0].Category != "analytics" || s.hosts[1].Category != "marketing" {
		t.Errorf("HostBlocked events %+v; want stats.example as analytics, cdn.ads.example as marketing", s.hosts)
	}
}

// Once pages have taught their whole budget, HTML responses stop paying
// for the Decide callback that learning needs.
func TestPolicyStopsLearningWhenFull(t *testing.T) {
	s := newPolicySite(t, func(c *Config) { c.Catalog = nil })
	for _, tr := range s.m.catalog.Trackers() {
		if !s.m.csp.learning() {
			break
		}
		s.m.learnFromPage([]byte(tr.Host))
	}
	if s.m.csp.learning() || s.m.csp.pageN != maxLearnedHosts {
		t.Errorf("learning %v after %d page entries (budget %d)", s.m.csp.learning(), s.m.csp.pageN, maxLearnedHosts)
	}
}

// Pages and reports learn within budgets of their own: a flood of forged
// reports for subdomains of catalog hosts collapses into their catalog
// entries and leaves the pages' budget alone.
func TestPolicyLearnedHostsBounded(t *testing.T) {
	s := newPolicySite(t, func(c *Config) {
		c.Catalog = nil // the built-in catalog knows many hosts
	})
	var reports []string
	for i := range 64 {
		reports = append(reports, fmt.Sprintf(`{"type":"csp-violation","body":{"blockedURL":"https://j%d.doubleclick.net/x"}}`, i%30))
	}
	for i := 0; i < len(reports); i += maxReportsPerBody {
		s.postReport("application/reports+json", "["+strings.Join(reports[i:min(i+maxReportsPerBody, len(reports))], ",")+"]", fmt.Sprintf("192.0.2.%d:1", i))
	}
	if s.m.csp.reportN != 1 {
		t.Errorf("the subdomains of one catalog entry took %d report entries", s.m.csp.reportN)
	}
	// Every catalog tracker, as reports: at most maxReportLearned stay.
	for _, tr := range s.m.catalog.Trackers() {
		e, i, _ := s.m.hostEntry(tr.Host)
		s.m.csp.learn(e, i, true)
	}
	if s.m.csp.reportN != maxReportLearned {
		t.Errorf("reports learned %d entries, bound %d", s.m.csp.reportN, maxReportLearned)
	}
	// A page still teaches its hosts.
	s.h = s.m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><script src="https://www.google-analytics.com/analytics.js"></script>`)
	}))
	s.get(t, "/", []string{"analytics"})
	if v := sources(s.get(t, "/", []string{"analytics"}).Header().Get(policyHeader)); !v["google-analytics.com:*"] {
		t.Errorf("the page's host was not learned after a report flood: %v", v)
	}
	if v := s.get(t, "/", []string{"analytics", "marketing"}).Header().Get(policyHeader); len(v) > 2<<10 {
		t.Errorf("policy of %d bytes", len(v))
	}
}

func TestDecisionReloadsWhenPolicyChanges(t *testing.T) {
	s := newPolicySite(t, nil)
	decide := func(body string) string {
		r := httptest.NewRequest("POST", "https://shop.example/consent/decide", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Accept", "application/json")
		w := httptest.NewRecorder()
		s.h.ServeHTTP(w, r)
		return w.Body.String()
	}
	if b := decide("action=accept"); !strings.Contains(b, `"reload":true`) {
		t.Errorf("accept all did not ask for a reload: %s", b)
	}
	// Refusing all from undecided keeps the policy the page already has.
	if b := decide("action=reject"); strings.Contains(b, `"reload"`) {
		t.Errorf("reject from undecided asked for a reload: %s", b)
	}
}

// A catalog-known host the site's markup names is allowed from the next
// page on to visitors who granted its category, without waiting for a
// browser to report it; an undecided visitor still never gets it.
func TestPolicyLearnsFromMarkup(t *testing.T) {
	s := newPolicySite(t, nil)
	s.h = s.m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><title>t</title><script src="https://www.google-analytics.com/analytics.js"></script><script src="https://unknown-cdn.example/x.js"></script>`)
	}))
	first := sources(s.get(t, "/", []string{"analytics"}).Header().Get(policyHeader))
	if first["google-analytics.com:*"] {
		t.Fatal("allowed before any page named it")
	}
	granted := sources(s.get(t, "/", []string{"analytics"}).Header().Get(policyHeader))
	undecided := sources(s.get(t, "/", nil).Header().Get(policyHeader))
	if !granted["google-analytics.com:*"] || undecided["google-analytics.com:*"] {
		t.Errorf("after a page: granted %v, undecided %v", granted["google-analytics.com:*"], undecided["google-analytics.com:*"])
	}
	if granted["unknown-cdn.example:*"] {
		t.Error("an unknown host was learned")
	}
	// Markup cannot make a host allowed by claiming a category: neither an
	// opt-in marker's own label nor a URL judged by its path.
	s.h = s.m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><img data-category="necessary" data-src="https://ugc-evil.example/a.png">`+
			`<img src="https://attacker.example/collect?v=1&tid=UA-1">`)
	}))
	s.get(t, "/", nil)
	for _, grant := range [][]string{nil, {"analytics"}} {
		v := sources(s.get(t, "/", grant).Header().Get(policyHeader))
		if v["ugc-evil.example:*"] || v["attacker.example:*"] {
			t.Errorf("grant %v: markup made a host allowed: %v", grant, v)
		}
	}
}
