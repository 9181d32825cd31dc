package consent

import (
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crumbhq/crumb/consent/internal/banner"

	"github.com/google/go-cmp/cmp"
)

// uiSite is an application as the handler's documentation shows it: the
// handler mounted at /consent/, HTML pages elsewhere, all behind the
// middleware, served over HTTP to a client with a cookie jar.
type uiSite struct {
	t   *testing.T
	m   *Manager
	rec *recorder
	srv *httptest.Server
	c   *http.Client
}

const sitePage = `<!doctype html><html lang="en"><head><title>Shop</title>` +
	`<script src="https://www.google-analytics.com/analytics.js"></script></head>` +
	`<body><h1>Tea</h1></body></html>`

func newUISite(t *testing.T, wrap bool, edit func(*Config)) *uiSite {
	t.Helper()
	rec := &recorder{}
	cfg := testConfig(t, newClock(), rec)
	cfg.Insecure = true
	if edit != nil {
		edit(&cfg)
	}
	m := mustNew(t, cfg)
	mux := http.NewServeMux()
	mux.Handle("/consent/", m.Handler())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, sitePage)
	})
	var h http.Handler = mux
	if wrap {
		h = m.Middleware(mux)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &uiSite{t: t, m: m, rec: rec, srv: srv, c: c}
}

// do sends a request and returns the response with its body read.
func (s *uiSite) do(method, path string, body string, header http.Header) (*http.Response, string) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := s.c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		s.t.Fatal(err)
	}
	return resp, string(b)
}

func (s *uiSite) get(path string, header http.Header) (*http.Response, string) {
	s.t.Helper()
	return s.do("GET", path, "", header)
}

func (s *uiSite) post(form url.Values, header http.Header) (*http.Response, string) {
	s.t.Helper()
	return s.do("POST", "/consent/decide", form.Encode(), header)
}

// state fetches GET /consent/state.
func (s *uiSite) state() stateAnswer {
	s.t.Helper()
	resp, body := s.get("/consent/state", nil)
	if resp.StatusCode != 200 {
		s.t.Fatalf("GET state: %d %s", resp.StatusCode, body)
	}
	var a stateAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		s.t.Fatalf("GET state: %v in %s", err, body)
	}
	return a
}

func hasBanner(body string) bool { return strings.Contains(body, `id="crumb-banner"`) }

func TestHandlerBannerUntilDecision(t *testing.T) {
	{
		s := newUISite(t, true, nil)
		resp, body := s.get("/shop?item=42", nil)
		if resp.StatusCode != 200 || !hasBanner(body) {
			t.Fatalf("fresh visitor: status %d, banner %v:\n%s", resp.StatusCode, hasBanner(body), body)
		}
		// The banner comes first in <body>, so first in keyboard order,
		// and returns to this page.
		if !strings.Contains(body, `<body><section class="crumb crumb-banner" id="crumb-banner"`) {
			t.Errorf("banner is not the first thing in <body>:\n%s", body)
		}
		if !strings.Contains(body, `name="return" value="/shop?item=42"`) {
			t.Errorf("banner does not return to the page:\n%s", body)
		}
		// Consent Mode default first in <head>, all seven types, denied
		// but security_storage.
		head := body[strings.Index(body, "<head>")+len("<head>"):]
		if !strings.HasPrefix(head, "<script>window.dataLayer") {
			t.Errorf("Consent Mode default is not first in <head>:\n%s", head)
		}
		want := `gtag('consent','default',{"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied",` +
			`"analytics_storage":"denied","functionality_storage":"denied","personalization_storage":"denied","security_storage":"granted"})`
		if !strings.Contains(body, want) {
			t.Errorf("Consent Mode default missing or wrong:\n%s", body)
		}
		// The tracker is neutralised meanwhile.
		if strings.Contains(body, `<script src="https://www.google-analytics.com`) {
			t.Errorf("analytics script left active before consent")
		}

		resp, _ = s.post(url.Values{"action": {"accept"}, "return": {"/shop?item=42"}, "lang": {"en"}}, nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/shop?item=42" {
			t.Fatalf("accept: %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, body = s.get("/shop?item=42", nil)
		if hasBanner(body) {
			t.Errorf("banner still shown after the decision")
		}
		if !strings.Contains(body, `"analytics_storage":"granted"`) || !strings.Contains(body, `<script src="https://www.google-analytics.com`) {
			t.Errorf("after accept, analytics should be granted and active:\n%s", body)
		}
		// The handler's own pages never get the banner.
		_, body = s.get("/consent/", nil)
		if hasBanner(body) || strings.Contains(body, "gtag(") {
			t.Errorf("preferences page got injected markup:\n%s", body)
		}
	}
}

func TestHandlerDecisions(t *testing.T) {
	all := []string{"necessary", "preferences", "analytics", "marketing", "social"}
	tests := []struct {
		name string
		form url.Values
		want []string
	}{
		{"accept", url.Values{"action": {"accept"}}, all},
		{"reject", url.Values{"action": {"reject"}, "c": {"analytics"}}, []string{"necessary"}},
		{"save", url.Values{"action": {"save"}, "c": {"social", "analytics", "analytics", "bogus", "necessary"}},
			[]string{"necessary", "analytics", "social"}},
		{"save none", url.Values{"action": {"save"}}, []string{"necessary"}},
	}
	for _, wrapped := range []bool{true, false} {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := newUISite(t, wrapped, nil)
				if a := s.state(); a.Decided || !slices.Equal(a.Granted, []string{"necessary"}) {
					t.Fatalf("fresh state: %+v", a)
				}
				resp, body := s.post(tt.form, nil)
				if resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("POST: %d %s", resp.StatusCode, body)
				}
				if got := resp.Header.Get("Location"); got != "/" {
					t.Errorf("Location %q, want / (no return given)", got)
				}
				a := s.state()
				if diff := cmp.Diff(tt.want, a.Granted); diff != "" || !a.Decided {
					t.Errorf("decided %v, granted (-want +got):\n%s", a.Decided, diff)
				}
				// Every category has an explicit answer now.
				for name, c := range a.Choices {
					if want := map[bool]string{true: "granted", false: "refused"}[slices.Contains(tt.want, name)]; c != want {
						t.Errorf("choice %s = %s, want %s", name, c, want)
					}
				}
				// One receipt, with the banner text's hash and the language.
				if len(s.rec.receipts) != 1 {
					t.Fatalf("%d receipts, want 1", len(s.rec.receipts))
				}
				r := s.rec.receipts[0]
				if r.Method != MethodBanner || r.Language != "en" || r.BannerHash != s.m.BannerHash("en") ||
					len(r.BannerHash) != 64 || r.ID != a.ID || r.Page != "/" || r.Previous != nil {
					t.Errorf("receipt %+v", r)
				}
			})
		}
	}
}

// The cookie survives: a second decision keeps the consent ID and reports
// the previous choices.
func TestHandlerWithdraw(t *testing.T) {
	s := newUISite(t, true, nil)
	s.post(url.Values{"action": {"accept"}}, nil)
	id := s.state().ID
	resp, _ := s.post(url.Values{"action": {"save"}, "c": {"preferences"}, "return": {"/consent/"}}, nil)
	if resp.Header.Get("Location") != "/consent/" {
		t.Errorf("Location %q", resp.Header.Get("Location"))
	}
	a := s.state()
	if a.ID != id || !slices.Equal(a.Granted, []string{"necessary", "preferences"}) {
		t.Errorf("after withdrawal: %+v (id was %s)", a, id)
	}
	if len(s.rec.receipts) != 2 || s.rec.receipts[1].Previous == nil || s.rec.receipts[1].Page != "/consent/" {
		t.Fatalf("receipts %+v", s.rec.receipts)
	}
	// The preferences page shows the saved switches.
	_, body := s.get("/consent/preferences", nil)
	for _, c := range []struct {
		id string
		on bool
	}{{"preferences", true}, {"analytics", false}, {"marketing", false}} {
		re := regexp.MustCompile(`id="crumb-c-` + c.id + `"[^>]*>`)
		tag := re.FindString(body)
		if tag == "" || strings.Contains(tag, " checked") != c.on {
			t.Errorf("switch %s: %q, want checked=%v", c.id, tag, c.on)
		}
	}
}

func TestHandlerRedirectRefusesOffSite(t *testing.T) {
	s := newUISite(t, true, nil)
	for _, ret := range []string{
		"//evil.example", "/\\evil.example", "https://evil.example/", "http:evil.example", "javascript:alert(1)",
		"/%2F%2Fevil.example", "/%2f/evil.example", "/%5Cevil.example", "/%252F%252Fevil.example",
		"/\t/evil.example", "/\n/evil.example", "\x00/evil", " //evil.example", "evil.example", "",
		"/%09/evil.example", "/%0d%0a/evil", "/a\\b", "/%", "/%zz",
	} {
		resp, _ := s.post(url.Values{"action": {"reject"}, "return": {ret}}, nil)
		if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != "/" {
			t.Errorf("return %q: %d Location %q, want 303 /", ret, resp.StatusCode, got)
		}
	}
	for _, ret := range []string{"/", "/shop?id=42&x=%2F", "/caf%C3%A9#top", "/a/b/../c"} {
		resp, _ := s.post(url.Values{"action": {"reject"}, "return": {ret}}, nil)
		if got := resp.Header.Get("Location"); got != ret {
			t.Errorf("return %q: Location %q", ret, got)
		}
	}
}

func TestHandlerCrossOrigin(t *testing.T) {
	s := newUISite(t, true, nil)
	form := url.Values{"action": {"accept"}}
	tests := []struct {
		name   string
		header http.Header
		status int
	}{
		{"cross-site fetch metadata", http.Header{"Sec-Fetch-Site": {"cross-site"}}, http.StatusForbidden},
		{"same-site, other origin", http.Header{"Sec-Fetch-Site": {"same-site"}}, http.StatusForbidden},
		{"foreign Origin", http.Header{"Origin": {"https://evil.example"}}, http.StatusForbidden},
		{"same origin", http.Header{"Sec-Fetch-Site": {"same-origin"}}, http.StatusSeeOther},
		{"matching Origin", http.Header{"Origin": {s.srv.URL}}, http.StatusSeeOther},
		{"not a browser", nil, http.StatusSeeOther},
	}
	for _, tt := range tests {
		resp, _ := s.post(form, tt.header)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
		if resp.StatusCode == http.StatusForbidden && len(resp.Header.Values("Set-Cookie")) > 0 {
			t.Errorf("%s: refused request set %q", tt.name, resp.Header.Values("Set-Cookie"))
		}
	}
	if n := len(s.rec.receipts); n != 3 {
		t.Errorf("%d decisions recorded, want 3", n)
	}
	// An origin the application trusts may post from elsewhere.
	trusting := newUISite(t, true, func(c *Config) { c.TrustedOrigins = []string{"https://app.example"} })
	for origin, want := range map[string]int{"https://app.example": http.StatusSeeOther, "https://evil.example": http.StatusForbidden} {
		resp, _ := trusting.post(form, http.Header{"Origin": {origin}, "Sec-Fetch-Site": {"cross-site"}})
		if resp.StatusCode != want {
			t.Errorf("TrustedOrigins, Origin %s: %d, want %d", origin, resp.StatusCode, want)
		}
	}
	// A receipt names the page without its query.
	s.post(url.Values{"action": {"reject"}, "return": {"/basket?session=secret#top"}}, nil)
	if p := s.rec.receipts[len(s.rec.receipts)-1].Page; p != "/basket" {
		t.Errorf("receipt page %q", p)
	}
	// JSON decisions are protected the same way.
	resp, body := s.do("POST", "/consent/decide", `{"action":"accept"}`,
		http.Header{"Content-Type": {"application/json"}, "Sec-Fetch-Site": {"cross-site"}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `"error"`) {
		t.Errorf("cross-site JSON: %d %s", resp.StatusCode, body)
	}
}

func TestHandlerJSON(t *testing.T) {
	s := newUISite(t, true, nil)
	a := s.state()
	if len(a.Categories) != 5 || a.Categories[0].Name != "necessary" || !a.Categories[0].Necessary ||
		a.URLs.Decide != "/consent/decide" || a.URLs.Preferences != "/consent/" {
		t.Fatalf("state: %+v", a)
	}
	if c := a.Categories[0].Cookies; len(c) < 1 || c[0].Name != s.m.CookieName() || c[0].LifetimeSeconds != int64(DefaultLifetime/time.Second) {
		t.Errorf("necessary cookies: %+v", c)
	}
	// A single-page app posts JSON.
	resp, body := s.do("POST", "/consent/decide", `{"action":"save","categories":["analytics","marketing"],"lang":"de"}`,
		http.Header{"Content-Type": {"application/json"}})
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("JSON POST: %d %s", resp.StatusCode, body)
	}
	var ans struct {
		Granted     []string          `json:"granted"`
		ConsentMode map[string]string `json:"consentMode"`
		ID          string            `json:"id"`
		Language    string            `json:"language"`
	}
	if err := json.Unmarshal([]byte(body), &ans); err != nil {
		t.Fatal(err)
	}
	wantCM := map[string]string{"ad_storage": "granted", "ad_user_data": "granted", "ad_personalization": "granted",
		"analytics_storage": "granted", "functionality_storage": "denied", "personalization_storage": "denied",
		"security_storage": "granted"}
	if diff := cmp.Diff(wantCM, ans.ConsentMode); diff != "" {
		t.Errorf("consentMode (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"necessary", "analytics", "marketing"}, ans.Granted); diff != "" {
		t.Errorf("granted (-want +got):\n%s", diff)
	}
	// Round trip: GET state sees the decision.
	a = s.state()
	if !a.Decided || a.ID != ans.ID || a.Language != "de" || ans.Language != "de" ||
		a.Choices["marketing"] != "granted" || a.Choices["social"] != "refused" {
		t.Errorf("state after JSON decision: %+v", a)
	}
	// The progressive script's request: the form body with Accept JSON.
	resp, body = s.post(url.Values{"action": {"reject"}, "return": {"/x"}}, http.Header{"Accept": {"application/json"}})
	if resp.StatusCode != 200 || !strings.Contains(body, `"granted":["necessary"]`) || !strings.Contains(body, `"ad_storage":"denied"`) {
		t.Errorf("form with Accept JSON: %d %s", resp.StatusCode, body)
	}
	// GPC denies the ad types even when marketing was stored.
	s.do("POST", "/consent/decide", `{"action":"accept"}`, http.Header{"Content-Type": {"application/json"}})
	resp, body = s.get("/consent/state", http.Header{"Sec-Gpc": {"1"}})
	if !strings.Contains(body, `"gpc":true`) || !strings.Contains(body, `"ad_storage":"denied"`) || strings.Contains(body, `"marketing"],`) {
		t.Errorf("state with GPC: %s", body)
	}
	if v := resp.Header.Values("Vary"); !strings.Contains(strings.Join(v, ","), "Cookie") {
		t.Errorf("state Vary %q", v)
	}
}

func TestHandlerBadRequests(t *testing.T) {
	s := newUISite(t, true, nil)
	tests := []struct {
		name, method, path, body string
		header                   http.Header
		status                   int
	}{
		{"no action", "POST", "/consent/decide", "c=analytics", nil, 400},
		{"bad action", "POST", "/consent/decide", "action=grant", nil, 400},
		{"bad escape", "POST", "/consent/decide", "action=accept&c=%zz", nil, 400},
		{"bad JSON", "POST", "/consent/decide", `{"action":`, http.Header{"Content-Type": {"application/json"}}, 400},
		{"JSON wrong type", "POST", "/consent/decide", `{"action":"save","categories":"analytics"}`, http.Header{"Content-Type": {"application/json"}}, 400},
		{"multipart", "POST", "/consent/decide", "x", http.Header{"Content-Type": {"multipart/form-data; boundary=x"}}, 415},
		{"too large", "POST", "/consent/decide", "action=accept&c=" + strings.Repeat("a", maxDecisionBody), nil, 413},
		{"GET decide", "GET", "/consent/decide", "", nil, 405},
		{"POST page", "POST", "/consent/preferences", "action=accept", nil, 405},
		{"POST state", "POST", "/consent/state", "action=accept", nil, 405},
		{"unknown page", "GET", "/consent/nope", "", nil, 404},
	}
	for _, tt := range tests {
		resp, body := s.do(tt.method, tt.path, tt.body, tt.header)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: %d, want %d (%s)", tt.name, resp.StatusCode, tt.status, body)
		}
	}
	if len(s.rec.receipts) != 0 {
		t.Errorf("bad requests recorded %d decisions", len(s.rec.receipts))
	}
	if s.state().Decided {
		t.Errorf("bad requests decided")
	}
}

var langAttr = regexp.MustCompile(`<html lang="([^"]+)"`)

func TestHandlerLanguage(t *testing.T) {
	s := newUISite(t, true, nil)
	page := func(path, acceptLanguage string) (string, string) {
		t.Helper()
		resp, body := s.get(path, http.Header{"Accept-Language": {acceptLanguage}})
		m := langAttr.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no <html lang>:\n%s", path, body)
		}
		if cl := resp.Header.Get("Content-Language"); cl != m[1] {
			t.Errorf("%s: Content-Language %q, lang attribute %q", path, cl, m[1])
		}
		return m[1], body
	}
	tests := []struct{ path, acceptLanguage, want string }{
		{"/consent/", "de-CH,de;q=0.9,en;q=0.5", "de"},
		{"/consent/preferences", "pl", "pl"},
		{"/consent/declaration", "am,fr;q=0.3", "fr"},
		{"/consent/", "am", "en"},
		{"/consent/", "", "en"},
		{"/consent/?lang=fi", "de", "fi"},
		{"/consent/?lang=xx-bogus", "sv", "sv"},
	}
	for _, tt := range tests {
		if got, _ := page(tt.path, tt.acceptLanguage); got != tt.want {
			t.Errorf("%s with Accept-Language %q: lang %q, want %q", tt.path, tt.acceptLanguage, got, tt.want)
		}
	}
	// The page lists the languages as links that keep the return path.
	_, body := page("/consent/?return=%2Fshop%3Fid%3D1", "de")
	for _, want := range []string{
		`<nav class="crumb-langs" aria-label="Sprache">`,
		`<a href="/consent/?lang=fr&amp;return=/shop%3Fid%3D1" hreflang="fr" lang="fr">Français</a>`,
		`<a href="/consent/?lang=de&amp;return=/shop%3Fid%3D1" hreflang="de" lang="de" aria-current="true">Deutsch</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("language list lacks %s", want)
		}
	}
	// The form carries the language it was shown in; the decision keeps
	// it, and it then wins over Accept-Language.
	_, body = page("/consent/?lang=fr&return=%2Fshop%3Fid%3D1", "de")
	if !strings.Contains(body, `name="return" value="/shop?id=1"`) {
		t.Errorf("French page lost the return path")
	}
	if !strings.Contains(body, `name="lang" value="fr"`) {
		t.Fatalf("French page has no lang field:\n%s", body)
	}
	s.post(url.Values{"action": {"reject"}, "lang": {"fr"}}, http.Header{"Accept-Language": {"de"}})
	if got, _ := page("/consent/", "de"); got != "fr" {
		t.Errorf("after deciding in French: lang %q", got)
	}
	if r := s.rec.receipts[0]; r.Language != "fr" || r.BannerHash != s.m.BannerHash("fr") || r.BannerHash == s.m.BannerHash("de") {
		t.Errorf("receipt language %q hash %q", r.Language, r.BannerHash)
	}
	// The injected banner follows Accept-Language for a fresh visitor.
	fresh := newUISite(t, true, nil)
	_, body = fresh.get("/", http.Header{"Accept-Language": {"it"}})
	if !strings.Contains(body, `<section class="crumb crumb-banner" id="crumb-banner" lang="it"`) {
		t.Errorf("banner not in Italian:\n%s", body)
	}
}

func TestHandlerAssets(t *testing.T) {
	s := newUISite(t, true, nil)
	_, page := s.get("/", nil)
	src := regexp.MustCompile(`<script src="(/consent/crumb\.js\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	css := regexp.MustCompile(`<link rel="stylesheet" href="(/consent/crumb\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	if src == nil || css == nil {
		t.Fatalf("banner does not link the assets:\n%s", page)
	}
	for _, tt := range []struct{ path, ctype, cache string }{
		{src[1], "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{css[1], "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{"/consent/crumb.js", "text/javascript; charset=utf-8", "public, no-cache"},
		{"/consent/crumb.css?v=old", "text/css; charset=utf-8", "public, no-cache"},
	} {
		resp, body := s.get(tt.path, nil)
		etag := resp.Header.Get("ETag")
		got := []string{resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control")}
		if diff := cmp.Diff([]string{tt.ctype, tt.cache}, got); diff != "" || resp.StatusCode != 200 || etag == "" || len(body) < 100 {
			t.Errorf("%s: %d etag %q (-want +got):\n%s", tt.path, resp.StatusCode, etag, diff)
		}
		resp, body = s.get(tt.path, http.Header{"If-None-Match": {etag}})
		if resp.StatusCode != http.StatusNotModified || body != "" {
			t.Errorf("%s with If-None-Match: %d, %d bytes", tt.path, resp.StatusCode, len(body))
		}
		resp, _ = s.get(tt.path, http.Header{"If-None-Match": {`"other"`}})
		if resp.StatusCode != 200 {
			t.Errorf("%s with a stale ETag: %d", tt.path, resp.StatusCode)
		}
	}
}

func TestHandlerGPCJSON(t *testing.T) {
	date := time.Date(2026, 2, 14, 23, 30, 0, 0, time.FixedZone("X", -3600))
	s := newUISite(t, true, func(c *Config) { c.GPCLastUpdate = date })
	for _, h := range []http.Handler{s.m.GPCHandler(), s.m.Handler()} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/.well-known/gpc.json", nil))
		var got map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"gpc": true, "lastUpdate": "2026-02-15"}
		if diff := cmp.Diff(want, got); diff != "" || w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("gpc.json %d %q (-want +got):\n%s", w.Code, w.Header().Get("Content-Type"), diff)
		}
	}
	w := httptest.NewRecorder()
	newUISite(t, true, nil).m.GPCHandler().ServeHTTP(w, httptest.NewRequest("GET", "/.well-known/gpc.json", nil))
	if w.Code != 404 {
		t.Errorf("gpc.json without GPCLastUpdate: %d", w.Code)
	}
}

func TestHandlerManualBanner(t *testing.T) {
	s := newUISite(t, true, func(c *Config) { c.ManualBanner = true })
	_, body := s.get("/", nil)
	if hasBanner(body) || strings.Contains(body, "gtag(") {
		t.Errorf("ManualBanner still injected:\n%s", body)
	}
	r := httptest.NewRequest("GET", "https://shop.example/basket?x=1", nil)
	if b := string(s.m.Banner(r, "n0nce")); !hasBanner(b) || !strings.Contains(b, `nonce="n0nce"`) ||
		!strings.Contains(b, `value="/basket?x=1"`) {
		t.Errorf("Banner: %s", b)
	}
	if l := string(s.m.SettingsLink(r)); !strings.Contains(l, `href="/consent/?return=/basket%3Fx%3D1"`) {
		t.Errorf("SettingsLink: %s", l)
	}
	// Consent Mode alone can be turned off too.
	s = newUISite(t, true, func(c *Config) { c.NoConsentMode = true })
	_, body = s.get("/", nil)
	if !hasBanner(body) || strings.Contains(body, "gtag(") {
		t.Errorf("NoConsentMode: banner %v, gtag present %v", hasBanner(body), strings.Contains(body, "gtag("))
	}
}

// A CSP nonce on the page reaches the injected script and the Consent Mode
// default.
func TestHandlerNonce(t *testing.T) {
	rec := &recorder{}
	m := mustNew(t, testConfig(t, newClock(), rec))
	m.Handler()
	page := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "script-src 'nonce-abc123' 'strict-dynamic'")
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, sitePage)
	}))
	w := httptest.NewRecorder()
	page.ServeHTTP(w, httptest.NewRequest("GET", "https://shop.example/", nil))
	body := w.Body.String()
	if !strings.Contains(body, `<head><script nonce="abc123">window.dataLayer`) ||
		!regexp.MustCompile(`<script src="/consent/crumb\.js\?v=[0-9a-f]+" defer nonce="abc123">`).MatchString(body) {
		t.Errorf("nonce not honoured:\n%s", body)
	}
}

func TestHandlerDeclaration(t *testing.T) {
	s := newUISite(t, true, func(c *Config) {
		c.Categories[2].Cookies = []Cookie{{Name: "_ga", Lifetime: 730 * 24 * time.Hour},
			{Name: "_hj*", Domain: "hotjar.com", Provider: "Hotjar", Purpose: "Heatmaps.", Lifetime: 365 * 24 * time.Hour}}
	})
	_, body := s.get("/consent/declaration", nil)
	// _ga is declared for two years, but MaxCookieLifetime (395 days)
	// shortens it when it is set: the declaration shows that. Hotjar's
	// cookie is a third party's, which crumb never sees set.
	for _, want := range []string{`<code>_ga</code></bdi></td><td data-label="Provider"><bdi>Google Analytics</bdi></td><td data-label="Purpose"><bdi>Tells visitors apart.</bdi></td><td data-label="Lifetime"><bdi>395 days</bdi></td><td data-label="Type">Persistent, First party</td>`,
		`<code>_hj*</code></bdi></td><td data-label="Provider"><bdi>Hotjar</bdi></td><td data-label="Purpose"><bdi>Heatmaps.</bdi></td><td data-label="Lifetime"><bdi>1 year</bdi></td><td data-label="Type">Persistent, Third party</td>`,
		"<code>" + s.m.CookieName() + "</code>"} {
		if !strings.Contains(body, want) {
			t.Errorf("declaration lacks %q", want)
		}
	}
	r := httptest.NewRequest("GET", "https://www.hotjar.com/", nil)
	d := s.m.Declaration(r)
	if c := d[2].Cookies[1]; c.Name != "_hj*" || c.ThirdParty {
		t.Errorf("Declaration for hotjar.com pages: %+v", c)
	}
}

func TestNewValidatesHandlerConfig(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		ok   bool
	}{
		{"defaults", func(*Config) {}, true},
		{"prefix without slash", func(c *Config) { c.HandlerPrefix = "/privacy" }, true},
		{"relative prefix", func(c *Config) { c.HandlerPrefix = "privacy/" }, false},
		{"prefix with query", func(c *Config) { c.HandlerPrefix = "/p?x/" }, false},
		{"double slash prefix", func(c *Config) { c.HandlerPrefix = "//evil/" }, false},
		{"override", func(c *Config) { c.Strings = map[string]map[string]string{"de": {"banner.accept": "Alle zulassen"}} }, true},
		{"unknown key", func(c *Config) { c.Strings = map[string]map[string]string{"de": {"banner.nope": "x"}} }, false},
		{"text without %s", func(c *Config) { c.Strings = map[string]map[string]string{"en": {"banner.text": "We use cookies."}} }, false},
		{"bad language", func(c *Config) { c.Strings = map[string]map[string]string{"??": {"banner.accept": "x"}} }, false},
		{"language crumb lacks", func(c *Config) { c.Language = "am" }, false},
		{"trusted origin", func(c *Config) { c.TrustedOrigins = []string{"https://app.example:8443"} }, true},
		{"trusted origin with path", func(c *Config) { c.TrustedOrigins = []string{"https://app.example/x"} }, false},
		{"language added by strings", func(c *Config) {
			c.Language = "am"
			c.Strings = map[string]map[string]string{"am": {"banner.accept": "ሁሉንም ተቀበል"}}
		}, true},
	}
	for _, tt := range tests {
		cfg := testConfig(t, newClock(), nil)
		tt.edit(&cfg)
		_, err := New(cfg)
		if (err == nil) != tt.ok {
			t.Errorf("%s: error %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestHandlerPrefixAndStrings(t *testing.T) {
	s := newUISite(t, true, func(c *Config) {
		c.HandlerPrefix = "/privacy"
		c.Strings = map[string]map[string]string{"de": {"banner.accept": "Alle zulassen"}}
	})
	// The site mounts the handler at /consent/ in newUISite; mount it
	// at the configured prefix too.
	mux := http.NewServeMux()
	mux.Handle("/privacy/", s.m.Handler())
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", "/privacy/banner?return=/x", nil))
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept-Language", "de")
	w2 := httptest.NewRecorder()
	s.m.Handler().ServeHTTP(w2, httptest.NewRequest("GET", "/privacy", nil))
	if w2.Code != 200 || !strings.Contains(w2.Body.String(), `action="/privacy/decide"`) {
		t.Errorf("GET /privacy: %d", w2.Code)
	}
	if b := w.Body.String(); !strings.Contains(b, `action="/privacy/decide"`) || !strings.Contains(b, `href="/privacy/?return=/x"`) {
		t.Errorf("banner with prefix /privacy/: %s", b)
	}
	if b := string(s.m.Banner(r, "")); !strings.Contains(b, "Alle zulassen") {
		t.Errorf("override not used: %s", b)
	}
}

func TestManagerTemplateFuncs(t *testing.T) {
	s := newUISite(t, false, nil)
	tmpl := template.Must(template.New("").Funcs(s.m.TemplateFuncs()).Parse(
		`<footer>{{consentSettingsLink .}}</footer>{{range consentDeclaration .}}[{{.Name}}]{{end}}` +
			`{{if consentBanner . "n1"}}banner{{end}}`))
	r := httptest.NewRequest("GET", "https://shop.example/a?b=c", nil)
	r.Header.Set("Accept-Language", "nl")
	var b strings.Builder
	if err := tmpl.Execute(&b, r); err != nil {
		t.Fatal(err)
	}
	want := `<footer><link rel="stylesheet" href="/consent/crumb.css?v=` + assetVersion(banner.StylesheetETag()) + `">` +
		`<a class="crumb crumb-settings" href="/consent/?return=/a%3Fb%3Dc" lang="nl" dir="ltr" data-crumb-settings>Cookie-instellingen</a></footer>` +
		`[necessary][preferences][analytics][marketing][social]banner`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("template (-want +got):\n%s", diff)
	}
}

// the decision endpoint refuses cross-site form posts (a CSRF that
// would record "accept all" for the victim: the 303's Set-Cookie would be
// stored, since a top-level navigation may set Lax cookies), GET and
// HEAD, and keeps its redirect on this origin for return values that
// browsers would read as another host.
func TestHandlerDecideEndpoint(t *testing.T) {
	clk := newClock()
	m := mustNew(t, testConfig(t, clk, nil))
	srv := httptest.NewServer(m.Middleware(m.Handler()))
	defer srv.Close()
	post := func(h http.Header, method, form string) *http.Response {
		req, err := http.NewRequest(method, srv.URL+"/consent/decide", strings.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range h {
			req.Header[k] = v
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	type got struct {
		Status   int
		Location string
		Consent  bool
	}
	tests := []struct {
		name   string
		method string
		h      http.Header
		form   string
		want   got
	}{
		{"cross-site", "POST", http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://evil.example"}}, "action=accept", got{Status: 403}},
		{"cross-origin, no fetch metadata", "POST", http.Header{"Origin": {"https://evil.example"}}, "action=accept", got{Status: 403}},
		{"GET", "GET", nil, "action=accept", got{Status: 405}},
		{"HEAD", "HEAD", nil, "action=accept", got{Status: 405}},
		{"same-origin", "POST", http.Header{"Sec-Fetch-Site": {"same-origin"}}, "action=accept&return=/cart?x=1", got{303, "/cart?x=1", true}},
		{"protocol-relative return", "POST", nil, "action=accept&return=//evil.example/", got{303, "/", true}},
		{"backslash return", "POST", nil, `action=accept&return=/\evil.example/`, got{303, "/", true}},
		{"encoded slashes return", "POST", nil, "action=accept&return=/%252F%252Fevil.example", got{303, "/", true}},
		{"tab return", "POST", nil, "action=accept&return=/%09/evil.example", got{303, "/", true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := post(tt.h, tt.method, tt.form)
			g := got{Status: res.StatusCode, Location: res.Header.Get("Location")}
			for _, l := range res.Header.Values("Set-Cookie") {
				g.Consent = g.Consent || nameOf(l) == DefaultCookieName
			}
			if diff := cmp.Diff(tt.want, g); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
