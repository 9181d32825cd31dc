package consent

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/publicsuffix"
)

// site is an application behind the middleware, served over TLS and
// reached as https://www.shop.example.com through a cookie jar.
type site struct {
	t      *testing.T
	m      *Manager
	srv    *httptest.Server
	client *http.Client
	jar    *cookiejar.Jar
	base   string
	seen   chan string // Cookie header the application saw on /echo
	state  chan State  // FromRequest in the application
}

func newSite(t *testing.T, cfg Config) *site {
	t.Helper()
	s := &site{t: t, m: mustNew(t, cfg), seen: make(chan string, 1), state: make(chan State, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		s.state <- FromRequest(r)
		setAppCookies(w)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><title>shop</title><p>hello</p>`)
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		s.seen <- r.Header.Get("Cookie")
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "ok")
	})
	mux.HandleFunc("POST /consent", func(w http.ResponseWriter, r *http.Request) {
		var grant []string
		if g := r.URL.Query().Get("grant"); g != "" {
			grant = strings.Split(g, ",")
		}
		if _, err := s.m.Decide(w, r, Decision{Grant: grant}); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		s.state <- FromRequest(r)
		if r.URL.Query().Has("thenset") {
			setAppCookies(w)
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/late", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "body first")
		_, err := s.m.Decide(w, r, Decision{Grant: []string{"analytics"}})
		if !errors.Is(err, ErrCommitted) {
			t.Errorf("Decide after the body: %v, want ErrCommitted", err)
		}
	})
	mux.HandleFunc("/delete", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "_ga", Path: "/", MaxAge: -1})
	})
	s.srv = httptest.NewTLSServer(s.m.Middleware(mux))
	t.Cleanup(s.srv.Close)
	s.jar, _ = cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	addr := s.srv.Listener.Addr().String()
	s.client = &http.Client{Jar: s.jar, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
	s.base = "https://www.shop.example.com"
	return s
}

// setAppCookies writes cookies every way an application can.
func setAppCookies(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1", Path: "/", HttpOnly: true})
	http.SetCookie(w, &http.Cookie{Name: "_ga", Value: "GA1.2.3", Path: "/", MaxAge: 2 * 365 * 24 * 3600})
	w.Header().Add("Set-Cookie", "_fbp=fb.1.2; Path=/; Max-Age=7776000")
	w.Header()["set-cookie"] = append(w.Header()["set-cookie"], "_ga_ABC=GS1; Path=/")
	w.Header()["SET-COOKIE"] = []string{"mystery=42; Path=/"}
}

func (s *site) do(method, path string, h http.Header) *http.Response {
	s.t.Helper()
	req, err := http.NewRequest(method, s.base+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// jarNames lists the cookies the jar would send to the site.
func (s *site) jarNames() []string {
	u, _ := url.Parse(s.base + "/")
	var out []string
	for _, c := range s.jar.Cookies(u) {
		out = append(out, c.Name)
	}
	slices.Sort(out)
	return out
}

func setCookieNames(resp *http.Response) []string {
	var out []string
	for _, l := range resp.Header.Values("Set-Cookie") {
		out = append(out, nameOf(l))
	}
	slices.Sort(out)
	return out
}

func TestMiddlewareUndecided(t *testing.T) {
	clk, rec := newClock(), &recorder{}
	s := newSite(t, testConfig(t, clk, rec))
	resp := s.do("GET", "/page", nil)
	st := <-s.state
	if st.Decided() || st.Granted("analytics") || !st.Granted("necessary") {
		t.Errorf("state without cookie: Decided=%v analytics=%v", st.Decided(), st.Granted("analytics"))
	}
	if diff := cmp.Diff([]string{"session"}, setCookieNames(resp)); diff != "" {
		t.Errorf("Set-Cookie names (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"session"}, s.jarNames()); diff != "" {
		t.Errorf("jar (-want +got):\n%s", diff)
	}
	if got := resp.Header.Values("Vary"); !slices.Contains(got, "Cookie, Sec-GPC") {
		t.Errorf("Vary = %q", got)
	}
	if got := resp.Header.Get("Permissions-Policy"); !strings.Contains(got, "browsing-topics=()") {
		t.Errorf("Permissions-Policy = %q", got)
	}
	want := []string{"dropped _fbp", "dropped _ga", "dropped _ga_ABC", "dropped mystery"}
	got := rec.actions()
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	s.do("GET", "/page", nil)
	<-s.state
	if len(rec.unknown) != 1 || rec.unknown[0].Name != "mystery" {
		t.Errorf("unknown-cookie reports after two requests: %+v, want one for mystery", rec.unknown)
	}
}

func TestMiddlewareGrantClampWithdraw(t *testing.T) {
	clk, rec := newClock(), &recorder{}
	s := newSite(t, testConfig(t, clk, rec))

	resp := s.do("POST", "/consent?grant=analytics", nil)
	<-s.state
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d", resp.StatusCode)
	}
	c, err := http.ParseSetCookie(resp.Header.Get("Set-Cookie"))
	if err != nil {
		t.Fatal(err)
	}
	wantAttrs := http.Cookie{Name: DefaultCookieName, Path: "/", MaxAge: int(DefaultLifetime / time.Second),
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode}
	gotAttrs := http.Cookie{Name: c.Name, Path: c.Path, MaxAge: c.MaxAge, Secure: c.Secure, HttpOnly: c.HttpOnly, SameSite: c.SameSite, Domain: c.Domain}
	if diff := cmp.Diff(wantAttrs, gotAttrs); diff != "" {
		t.Errorf("consent cookie attributes (-want +got):\n%s", diff)
	}
	if len(rec.receipts) != 1 || rec.receipts[0].Method != MethodBanner || rec.receipts[0].Page != "/consent" {
		t.Errorf("receipts: %+v", rec.receipts)
	}

	rec.reset()
	resp = s.do("GET", "/page", nil)
	st := <-s.state
	if !st.Decided() || !st.Granted("analytics") || st.Granted("marketing") {
		t.Errorf("state: Decided=%v analytics=%v marketing=%v", st.Decided(), st.Granted("analytics"), st.Granted("marketing"))
	}
	if diff := cmp.Diff([]string{"_ga", "_ga_ABC", "session"}, setCookieNames(resp)); diff != "" {
		t.Errorf("Set-Cookie names with analytics granted (-want +got):\n%s", diff)
	}
	for _, l := range resp.Header.Values("Set-Cookie") {
		if nameOf(l) == "_ga" && !strings.Contains(l, "Max-Age=34128000") {
			t.Errorf("_ga not clamped to 395 days: %q", l)
		}
	}
	if diff := cmp.Diff([]string{DefaultCookieName, "_ga", "_ga_ABC", "session"}, s.jarNames()); diff != "" {
		t.Errorf("jar (-want +got):\n%s", diff)
	}

	// A marketing cookie left from before: hidden from the app and deleted.
	u, _ := url.Parse(s.base)
	s.jar.SetCookies(u, []*http.Cookie{{Name: "_fbp", Value: "old", Path: "/", Domain: "shop.example.com"}})
	resp = s.do("GET", "/echo", nil)
	if seen := <-s.seen; strings.Contains(seen, "_fbp") || !strings.Contains(seen, "_ga=") {
		t.Errorf("application saw Cookie %q: want _ga but not _fbp", seen)
	}
	if slices.Contains(s.jarNames(), "_fbp") {
		t.Errorf("_fbp survived in the jar; Set-Cookie: %q", resp.Header.Values("Set-Cookie"))
	}

	// Withdrawal: the refusing response itself deletes the analytics cookies.
	rec.reset()
	s.do("POST", "/consent", nil)
	st = <-s.state
	if st.Granted("analytics") || !st.Decided() {
		t.Errorf("after withdrawal: analytics=%v decided=%v", st.Granted("analytics"), st.Decided())
	}
	if diff := cmp.Diff([]string{DefaultCookieName, "session"}, s.jarNames()); diff != "" {
		t.Errorf("jar after withdrawal (-want +got):\n%s", diff)
	}
	if len(rec.receipts) != 1 || rec.receipts[0].Previous == nil {
		t.Fatalf("withdrawal receipt: %+v", rec.receipts)
	}
	if rec.receipts[0].ID != st.ID() {
		t.Errorf("consent ID changed on withdrawal")
	}
}

func TestMiddlewareGPC(t *testing.T) {
	clk := newClock()
	s := newSite(t, testConfig(t, clk, nil))
	s.do("POST", "/consent?grant=analytics,marketing", nil)
	<-s.state
	gpc := http.Header{"Sec-Gpc": {"1"}}
	resp := s.do("GET", "/page", gpc)
	st := <-s.state
	if st.Granted("marketing") || !st.Granted("analytics") || !st.Signals().GPC {
		t.Errorf("GPC: marketing=%v analytics=%v", st.Granted("marketing"), st.Granted("analytics"))
	}
	if diff := cmp.Diff([]string{"_ga", "_ga_ABC", "session"}, setCookieNames(resp)); diff != "" {
		t.Errorf("Set-Cookie under GPC (-want +got):\n%s", diff)
	}
	// GPC alone writes nothing: no consent cookie on a plain request.
	s2 := newSite(t, testConfig(t, clk, nil))
	resp = s2.do("GET", "/echo", gpc)
	<-s2.seen
	if got := resp.Header.Values("Set-Cookie"); len(got) != 0 {
		t.Errorf("GPC alone wrote %q", got)
	}
	// Opting in while GPC is on counts.
	s.do("POST", "/consent?grant=marketing", gpc)
	<-s.state
	s.do("GET", "/page", gpc)
	if st := <-s.state; !st.Granted("marketing") {
		t.Error("marketing opted in under GPC is still refused")
	}
}

func TestMiddlewareReportOnly(t *testing.T) {
	clk, rec := newClock(), &recorder{}
	cfg := testConfig(t, clk, rec)
	cfg.ReportOnly = true
	s := newSite(t, cfg)
	u, _ := url.Parse(s.base)
	s.jar.SetCookies(u, []*http.Cookie{{Name: "_fbp", Value: "old", Path: "/"}})
	resp := s.do("GET", "/page", nil)
	<-s.state
	if diff := cmp.Diff([]string{"_fbp", "_ga", "_ga_ABC", "mystery", "session"}, setCookieNames(resp)); diff != "" {
		t.Errorf("report-only Set-Cookie (-want +got):\n%s", diff)
	}
	for _, l := range resp.Header.Values("Set-Cookie") {
		if nameOf(l) == "_ga" && !strings.Contains(l, "Max-Age=63072000") {
			t.Errorf("report-only changed _ga: %q", l)
		}
	}
	s.do("GET", "/echo", nil)
	if seen := <-s.seen; !strings.Contains(seen, "_fbp") {
		t.Errorf("report-only stripped the request: %q", seen)
	}
	got := rec.actions()
	for _, want := range []string{"dropped _ga (report-only)", "stripped _fbp (report-only)", "deleted _fbp (report-only)", "dropped mystery (report-only)"} {
		if !slices.Contains(got, want) {
			t.Errorf("missing event %q in %q", want, got)
		}
	}
}

// The scenarios of ASP.NET Core's CookiePolicy tests (consent-tools-
// compared.md 3.5), in crumb's terms: consent is always needed (strict
// default), "essential" means declared necessary, and the consent cookie
// is crumb's signed one.
func TestCookiePolicyScenarios(t *testing.T) {
	t.Run("non-essential suppressed without consent, essential passes", func(t *testing.T) {
		s := newSite(t, testConfig(t, newClock(), nil))
		s.do("GET", "/page", nil)
		<-s.state
		if diff := cmp.Diff([]string{"session"}, s.jarNames()); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("invalid consent value is ignored", func(t *testing.T) {
		s := newSite(t, testConfig(t, newClock(), nil))
		resp := s.do("GET", "/page", http.Header{"Cookie": {DefaultCookieName + "=IAmATeapot"}})
		if st := <-s.state; st.Decided() {
			t.Error("teapot consent counted")
		}
		if diff := cmp.Diff([]string{"session"}, setCookieNames(resp)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("grant then append in the same response", func(t *testing.T) {
		s := newSite(t, testConfig(t, newClock(), nil))
		resp := s.do("POST", "/consent?grant=analytics&thenset=1", nil)
		<-s.state
		if diff := cmp.Diff([]string{DefaultCookieName, "_ga", "_ga_ABC", "session"}, setCookieNames(resp)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("no consent cookie rewritten when already consented", func(t *testing.T) {
		s := newSite(t, testConfig(t, newClock(), nil))
		s.do("POST", "/consent?grant=analytics", nil)
		<-s.state
		resp := s.do("GET", "/echo", nil)
		<-s.seen
		if got := resp.Header.Values("Set-Cookie"); len(got) != 0 {
			t.Errorf("ordinary request wrote %q", got)
		}
	})
	t.Run("grant after the response started fails and writes nothing", func(t *testing.T) {
		s := newSite(t, testConfig(t, newClock(), nil))
		resp := s.do("GET", "/late", nil)
		if got := resp.Header.Values("Set-Cookie"); len(got) != 0 {
			t.Errorf("late decision wrote %q", got)
		}
	})
	t.Run("delete needs no consent", func(t *testing.T) {
		s := newSite(t, testConfig(t, newClock(), nil))
		resp := s.do("GET", "/delete", nil)
		if diff := cmp.Diff([]string{"_ga"}, setCookieNames(resp)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("custom consent cookie name", func(t *testing.T) {
		cfg := testConfig(t, newClock(), nil)
		cfg.CookieName = "__Host-choices"
		s := newSite(t, cfg)
		s.do("POST", "/consent?grant=analytics", nil)
		<-s.state
		s.do("GET", "/page", nil)
		if st := <-s.state; !st.Granted("analytics") {
			t.Error("custom-named consent cookie not read")
		}
		if !slices.Contains(s.jarNames(), "__Host-choices") {
			t.Errorf("jar %q", s.jarNames())
		}
	})
	t.Run("plain HTTP development fallback", func(t *testing.T) {
		cfg := testConfig(t, newClock(), nil)
		cfg.Insecure = true
		m := mustNew(t, cfg)
		srv := httptest.NewServer(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == "POST" {
				m.Decide(w, r, Decision{Grant: []string{"analytics"}})
				return
			}
			if !FromRequest(r).Granted("analytics") {
				http.Error(w, "not granted", http.StatusConflict)
			}
		})))
		defer srv.Close()
		jar, _ := cookiejar.New(nil)
		cl := &http.Client{Jar: jar}
		resp, err := cl.Post(srv.URL, "text/plain", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		line := resp.Header.Get("Set-Cookie")
		if !strings.HasPrefix(line, "crumb_consent=") || strings.Contains(line, "Secure") {
			t.Errorf("insecure consent cookie %q", line)
		}
		resp, err = cl.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("decision over plain HTTP did not stick: %d", resp.StatusCode)
		}
	})
}

func TestMiddlewareRevisionAndExpiry(t *testing.T) {
	clk := newClock()
	cfg := testConfig(t, clk, nil)
	s := newSite(t, cfg)
	s.do("POST", "/consent?grant=analytics", nil)
	<-s.state
	clk.Add(181 * 24 * time.Hour)
	s.do("GET", "/page", nil)
	if st := <-s.state; !st.Granted("analytics") {
		t.Error("decision lost before its lifetime")
	}
	clk.Add(2 * 24 * time.Hour)
	resp := s.do("GET", "/page", nil)
	if st := <-s.state; st.Decided() || st.Granted("analytics") {
		t.Error("decision outlived its lifetime")
	}
	for _, l := range resp.Header.Values("Set-Cookie") {
		if nameOf(l) == "_ga" && !strings.Contains(l, "Max-Age=0") {
			t.Errorf("analytics cookie set after expiry: %q", l)
		}
	}
	if slices.Contains(s.jarNames(), "_ga") {
		t.Error("expired decision: _ga not deleted from the jar")
	}
}

// Regression: the middleware decided "is this HTML?"
// from the first value of the canonical "Content-Type" key only, while
// browsers decide from what arrives on the wire:
//
//   - two Content-Type fields ("text/plain" from a framework default, then
//     "text/html" added by the handler): Go sends both, Chromium's
//     HttpResponseHeaders::GetMimeTypeAndCharset lets the LAST one win, so
//     the page renders as HTML, but crumb saw "text/plain";
//   - a Content-Type key with no value (Header()["Content-Type"] = nil,
//     net/http's documented way to suppress sniffing): Go sends no
//     Content-Type at all, the browser sniffs the body and renders HTML,
//     but crumb never sniffs because the key exists;
//   - a non-canonical "content-type" key: Go sends it as is (browsers read
//     field names case-insensitively), crumb sniffs a body that does not
//     start with a tag as text/plain and adds a second, canonical field;
//     Go writes keys sorted, so "content-type: text/html" comes last and
//     wins in Chromium.
//
// In each case the page is passed through unrewritten and no NotEnforced
// event is reported: the Google Analytics tag of an undecided visitor runs.
// The interceptor already folds odd-case Set-Cookie keys; Content-Type
// needs the same care (fold keys, look at the last value, and treat an
// explicitly empty type as "the browser will sniff").
func TestMiddlewareContentTypeAsBrowsersReadIt(t *testing.T) {
	const notATag = "Welcome! " // DetectContentType: text/plain
	tests := []struct {
		name   string
		header func(h http.Header)
		body   string
	}{
		{"framework default then text/html", func(h http.Header) {
			h.Set("Content-Type", "text/plain; charset=utf-8")
			h.Add("Content-Type", "text/html; charset=utf-8")
		}, trackedPage},
		{"nil Content-Type, browser sniffs", func(h http.Header) {
			h["Content-Type"] = nil
		}, trackedPage},
		{"lower-case content-type key", func(h http.Header) {
			h["content-type"] = []string{"text/html; charset=utf-8"}
		}, notATag + trackedPage},
	}
	// Regression: a type that names nothing valid, or
	// an "unknown" one, is sniffed by the browser too (checked in
	// headless Chromium), and net/http leaves it alone since the key is
	// present.
	for _, v := range []string{"", "*/*", "garbage", "unknown/unknown"} {
		tests = append(tests, struct {
			name   string
			header func(h http.Header)
			body   string
		}{"Content-Type " + strconv.Quote(v), func(h http.Header) { h["Content-Type"] = []string{v} }, "<!DOCTYPE html>\n" + trackedPage})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk, rec := newClock(), &recorder{}
			m := mustNew(t, testConfig(t, clk, rec))
			srv := httptest.NewServer(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tt.header(w.Header())
				io.WriteString(w, tt.body)
			})))
			defer srv.Close()
			res, body := getBody(t, srv.URL+"/", nil)
			if strings.Contains(body, liveGA) {
				t.Errorf("undecided visitor got a live tracker; Content-Type on the wire %q, NotEnforced events %d",
					res.Header.Values("Content-Type"), len(rec.notEnf))
			}
		})
	}
}
