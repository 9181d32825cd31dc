package consent

import (
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const trackedPage = `<!doctype html><html><head><title>t</title>` +
	`<script async src="https://www.google-analytics.com/analytics.js"></script>` +
	`</head><body><p>hi</p>` +
	`<img src="https://ad.doubleclick.net/pixel?id=1" width="1" height="1">` +
	`<iframe src="https://player.video.example.net/embed/1"></iframe>` +
	`</body></html>`

func serveHTML(t *testing.T, m *Manager, cookie string, h http.Header) (*http.Response, string) {
	t.Helper()
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "script-src 'nonce-abc123' 'strict-dynamic'")
		io.WriteString(w, trackedPage)
	})
	req := httptest.NewRequest("GET", "https://shop.example.com/", nil)
	for k, v := range h {
		req.Header[k] = v
	}
	if cookie != "" {
		req.Header.Set("Cookie", DefaultCookieName+"="+cookie)
	}
	rec := httptest.NewRecorder()
	m.Middleware(app).ServeHTTP(rec, req)
	return rec.Result(), rec.Body.String()
}

func TestMiddlewareHTML(t *testing.T) {
	clk, rec := newClock(), &recorder{}
	cfg := testConfig(t, clk, rec)
	cfg.Categories = append(cfg.Categories, Category{Name: "video", Hosts: []string{"player.video.example.net"}})
	var gotNonce []string
	cfg.BodyStart = func(r *http.Request, st State, nonce string) []byte {
		gotNonce = append(gotNonce, nonce)
		if st.Decided() {
			return []byte(`<a href="/consent">Cookie settings</a>`)
		}
		return []byte(`<div id="crumb-banner">choose</div>`)
	}
	m := mustNew(t, cfg)

	resp, body := serveHTML(t, m, "", nil)
	for _, want := range []string{`type="text/plain"`, `data-crumb-category="analytics"`, `<body><div id="crumb-banner">choose</div>`, `data-crumb-src="https://player.video.example.net/embed/1"`} {
		if !strings.Contains(body, want) {
			t.Errorf("undecided page lacks %q:\n%s", want, body)
		}
	}
	for _, bad := range []string{`<script async src="https://www.google-analytics.com`, "doubleclick"} {
		if strings.Contains(body, bad) {
			t.Errorf("undecided page still has %q:\n%s", bad, body)
		}
	}
	if !strings.Contains(resp.Header.Get("Permissions-Policy"), "run-ad-auction=()") {
		t.Errorf("Permissions-Policy %q", resp.Header.Get("Permissions-Policy"))
	}
	if resp.Header.Get("Vary") != "Cookie, Sec-GPC" {
		t.Errorf("Vary %q", resp.Header.Get("Vary"))
	}
	if len(gotNonce) != 1 || gotNonce[0] != "abc123" {
		t.Errorf("banner nonce %q", gotNonce)
	}

	granted := consentCookie(t, m, []string{"analytics", "marketing", "video"}, nil)
	resp, body = serveHTML(t, m, granted, nil)
	for _, want := range []string{`<script async src="https://www.google-analytics.com/analytics.js">`, `Cookie settings`, `<iframe src="https://player.video.example.net/embed/1">`} {
		if !strings.Contains(body, want) {
			t.Errorf("granted page lacks %q:\n%s", want, body)
		}
	}
	if resp.Header.Get("Permissions-Policy") != "" {
		t.Errorf("marketing granted, yet Permissions-Policy %q", resp.Header.Get("Permissions-Policy"))
	}

	// The same grant under GPC: marketing is refused again.
	resp, _ = serveHTML(t, m, granted, http.Header{"Sec-Gpc": {"1"}})
	if resp.Header.Get("Permissions-Policy") == "" {
		t.Error("GPC: no Permissions-Policy")
	}
}

// TestOptInOnDeclaredHost checks opt-in markup whose URL is on a host
// declared for a category of the application's own (no catalog class): it
// loads only when its own condition and that category both allow it. A
// negated condition ("!social": load while social is refused) counts too.
func TestOptInOnDeclaredHost(t *testing.T) {
	cfg := testConfig(t, newClock(), nil)
	cfg.Categories = append(cfg.Categories, Category{Name: "video", Hosts: []string{"player.video.example.net"}})
	m := mustNew(t, cfg)
	const src = `https://player.video.example.net/embed/1`
	pages := map[string]string{
		"social":  `<iframe data-category="social" data-src="` + src + `"></iframe>`,
		"!social": `<iframe data-category="!social" data-src="` + src + `"></iframe>`,
	}
	tests := []struct {
		markup  string
		granted []string
		active  bool
	}{
		{"social", []string{"social", "video"}, true},
		{"social", []string{"social"}, false},
		{"social", []string{"video"}, false},
		{"!social", []string{"video"}, true},
		{"!social", []string{"social", "video"}, false},
		{"!social", nil, false},
	}
	for _, tt := range tests {
		page := `<!doctype html><html><head></head><body>` + pages[tt.markup] + `</body></html>`
		app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, page)
		})
		req := httptest.NewRequest("GET", "https://shop.example.com/", nil)
		if tt.granted != nil {
			req.Header.Set("Cookie", DefaultCookieName+"="+consentCookie(t, m, tt.granted, nil))
		}
		rec := httptest.NewRecorder()
		m.Middleware(app).ServeHTTP(rec, req)
		if active := strings.Contains(rec.Body.String(), `<iframe src="`+src+`"`); active != tt.active {
			t.Errorf("%s with %v granted: active = %v, want %v:\n%s", tt.markup, tt.granted, active, tt.active, rec.Body.String())
		}
	}
}

func TestMiddlewareHTMLReportOnly(t *testing.T) {
	clk, rec := newClock(), &recorder{}
	cfg := testConfig(t, clk, rec)
	cfg.ReportOnly = true
	m := mustNew(t, cfg)
	_, body := serveHTML(t, m, "", nil)
	if body != trackedPage {
		t.Errorf("report-only changed the page:\n%s", body)
	}
	if len(rec.notEnf) == 0 {
		t.Error("report-only reported nothing about the page")
	}
}

func TestModifyResponse(t *testing.T) {
	clk := newClock()
	m := mustNew(t, testConfig(t, clk, nil))
	req := httptest.NewRequest("GET", "https://shop.example.com/", nil)
	req.Header.Set("Cookie", "_fbp=old")
	resp := &http.Response{StatusCode: 200, Request: req, Header: http.Header{
		"Content-Type": {"text/plain"},
		"Set-Cookie":   {"_ga=1; Path=/", "session=2; Path=/"},
	}, Body: io.NopCloser(strings.NewReader("x"))}
	if err := m.ModifyResponse(resp); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range resp.Header.Values("Set-Cookie") {
		names = append(names, nameOf(l))
	}
	if strings.Join(names, ",") != "session,_fbp,_fbp,_fbp" {
		t.Errorf("proxied Set-Cookie %q", resp.Header.Values("Set-Cookie"))
	}
}

func TestTemplateFuncs(t *testing.T) {
	clk := newClock()
	m := mustNew(t, testConfig(t, clk, nil))
	st, _, _, _ := m.readState(requestWith(consentCookie(t, m, []string{"analytics"}, nil)), Signals{}, clk.Now())
	tmpl := template.Must(template.New("p").Funcs(stateFuncs()).Parse(
		`{{if consentGranted . "analytics"}}A{{end}}{{if consentGranted . "marketing"}}M{{end}}` +
			`<script>gtag('consent','default',{{consentMode .}});</script>` +
			`{{consentScript . "analytics" "https://s.example/a.js?x=1&y=2"}}` +
			`{{consentScript . "marketing" "https://ads.example/m.js"}}` +
			`{{consentScript . "marketing" "javascript:alert(1)"}}`))
	var b strings.Builder
	if err := tmpl.Execute(&b, st); err != nil {
		t.Fatal(err)
	}
	want := `A<script>gtag('consent','default',{"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied",` +
		`"analytics_storage":"granted","functionality_storage":"denied","personalization_storage":"denied","security_storage":"granted"});</script>` +
		`<script src="https://s.example/a.js?x=1&amp;y=2"></script>` +
		`<script type="text/plain" data-crumb-category="marketing" data-crumb-src="https://ads.example/m.js"></script>`
	if b.String() != want {
		t.Errorf("template output\n got %s\nwant %s", b.String(), want)
	}
}

// The rewriter judges pixels against the host the page was served from,
// also for a visitor with no cookie at all (whose host is worked out only
// when needed): a 1x1 image of the site itself in <noscript> stays, an
// unknown site's goes, through the middleware and ModifyResponse alike.
func TestPageHostWithoutCookies(t *testing.T) {
	const page = `<html><body><noscript>` +
		`<img src="https://shop.example.com/img/dot.gif" width="1" height="1" alt="">` +
		`<img src="https://pixel.unknown-tracker.example.net/img/dot.gif" width="1" height="1" alt="">` +
		`</noscript></body></html>`
	m := mustNew(t, testConfig(t, newClock(), nil))
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	})
	check := func(t *testing.T, body string) {
		t.Helper()
		if !strings.Contains(body, `src="https://shop.example.com/img/dot.gif"`) {
			t.Errorf("the site's own 1x1 image was taken for a foreign pixel:\n%s", body)
		}
		if strings.Contains(body, `src="https://pixel.unknown-tracker.example.net/`) {
			t.Errorf("an unknown site's pixel survived:\n%s", body)
		}
	}
	t.Run("middleware", func(t *testing.T) {
		rec := httptest.NewRecorder()
		m.Middleware(app).ServeHTTP(rec, httptest.NewRequest("GET", "https://shop.example.com/", nil))
		check(t, rec.Body.String())
	})
	t.Run("ModifyResponse", func(t *testing.T) {
		req := httptest.NewRequest("GET", "https://shop.example.com/", nil)
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, req)
		resp := rec.Result()
		resp.Request = req
		if err := m.ModifyResponse(resp); err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		check(t, string(b))
	})
}

// Blocked markup carries the application's category names, which the
// banner's script matches against the categories just granted: a category
// renamed from its class ("statistics" for analytics) and a custom one
// owning a declared host ("video") both mark what they govern.
func TestBlockedMarkupCarriesCategoryNames(t *testing.T) {
	cfg := testConfig(t, newClock(), nil)
	cfg.Categories = DefaultCategories()
	cfg.Categories[1].Name = "statistics"
	cfg.Categories = append(cfg.Categories, Category{Name: "video", Title: "Video", Hosts: []string{"player.video.example.net"}})
	m := mustNew(t, cfg)
	_, body := serveHTML(t, m, "", nil)
	for _, want := range []string{
		`<script type="text/plain" data-crumb-category="statistics" data-crumb-src="https://www.google-analytics.com/analytics.js" async>`,
		`data-crumb-category="video"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s:\n%s", want, body)
		}
	}
	if strings.Contains(body, `data-crumb-category="analytics"`) {
		t.Errorf("markup marked with the class name, which no granted category is called:\n%s", body)
	}
}
