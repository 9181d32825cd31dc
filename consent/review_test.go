package consent

// Cases from an adversarial review of consent enforcement. Each
// TestReview... test pins a defect the review found (now fixed) and says
// what a real visitor would have suffered; TestReviewOK... tests cover
// behaviour that was already correct but untested.

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// liveGA is the tracker of trackedPage as it reaches the browser when it
// is NOT made inert.
const liveGA = `<script async src="https://www.google-analytics.com/analytics.js">`

// allOptional grants every default optional category.
var allOptional = []string{"preferences", "analytics", "marketing", "social"}

// Found in review (medium), fixed: the middleware decided "is this HTML?"
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
func TestReviewContentTypeAsBrowsersReadIt(t *testing.T) {
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
	// Found in review 2 (high), fixed: a type that names nothing valid, or
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

// Found in review (medium), fixed: pages rewritten for one consent state
// kept the application's Last-Modified, and If-Modified-Since reached the
// application untouched. The ETag carries a digest of the consent state
// (so If-None-Match from another state never gets a 304), but the date
// validator does not: after the state changed while the Cookie header
// stayed the same (Config.Revision raised, the decision expired, a key
// retired), a client revalidating its copy with If-Modified-Since gets a
// 304 and keeps showing the page rewritten for the old state, trackers
// live. http.FileServer and http.ServeContent answer If-Modified-Since this
// way for every static HTML page, and browsers revalidate pages that carry
// only Last-Modified (heuristic freshness, back/forward, reload).
func TestReviewLastModifiedRevalidatesOtherConsentState(t *testing.T) {
	modtime := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	files := fstest.MapFS{"page.html": {Data: []byte(trackedPage), ModTime: modtime}}
	tests := []struct {
		name   string
		change func(cfg *Config, clk *testClock)
	}{
		{"revision raised", func(cfg *Config, _ *testClock) { cfg.Revision = 1 }},
		{"decision expired", func(_ *Config, clk *testClock) { clk.Add(DefaultLifetime + time.Hour) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			cfg := testConfig(t, clk, nil)
			m := mustNew(t, cfg)
			cookie := http.Header{"Cookie": {DefaultCookieName + "=" + consentCookie(t, m, allOptional, nil)}}
			srv := httptest.NewServer(m.Middleware(http.FileServerFS(files)))
			res, body := getBody(t, srv.URL+"/page.html", cookie)
			srv.Close()
			if res.StatusCode != 200 || !strings.Contains(body, liveGA) {
				t.Fatalf("setup: accepted visitor got %d, live tag %v", res.StatusCode, strings.Contains(body, liveGA))
			}
			// The rewritten page gives clients no date to revalidate by...
			if lm := res.Header.Get("Last-Modified"); lm != "" {
				t.Errorf("the page rewritten for one consent state carries Last-Modified %q", lm)
			}
			// ...and a copy that has one (cached before crumb, say) is
			// not confirmed either: a browser revalidating the page.
			lastMod := modtime.Format(http.TimeFormat)
			cookie.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")

			tt.change(&cfg, clk)
			m2 := mustNew(t, cfg)
			srv2 := httptest.NewServer(m2.Middleware(http.FileServerFS(files)))
			defer srv2.Close()
			h := cookie.Clone()
			h.Set("If-Modified-Since", lastMod)
			res, _ = getBody(t, srv2.URL+"/page.html", h)
			if res.StatusCode == http.StatusNotModified {
				t.Errorf("the visitor is now undecided, yet a 304 confirms the copy rewritten for 'accept all' (trackers live)")
			}
		})
	}
}

// Found in review (low), fixed: with Config.TreatDNTAsGPC the rewritten
// page depends on the DNT request header (marketing is refused while it is
// on), but the middleware only added Vary: Cookie, Sec-GPC. A browser or shared cache
// keyed on Vary then serves the page rewritten for "DNT off" (marketing
// pixels live) to the same visitor once DNT is on, without asking.
func TestReviewVaryNamesDNTWhenItCounts(t *testing.T) {
	clk := newClock()
	cfg := testConfig(t, clk, nil)
	cfg.TreatDNTAsGPC = true
	m := mustNew(t, cfg)
	cookie := consentCookie(t, m, allOptional, nil)

	_, off := serveHTML(t, m, cookie, nil)
	res, on := serveHTML(t, m, cookie, http.Header{"Dnt": {"1"}})
	if off == on {
		t.Fatal("setup: the page does not depend on DNT")
	}
	var vary []string
	for _, line := range res.Header.Values("Vary") {
		for v := range strings.SplitSeq(line, ",") {
			vary = append(vary, strings.ToLower(strings.TrimSpace(v)))
		}
	}
	if !slices.Contains(vary, "dnt") {
		t.Errorf("page depends on DNT but Vary is %q", res.Header.Values("Vary"))
	}
}

// Found in review (medium), fixed: a cookie no category declares and the
// catalog does not know is allowed only while every optional category is
// granted (judgeSetCookie), but the request side ignored such cookies: begin()
// remembers only request cookies of known optional categories. So a
// cookie set while the visitor had accepted everything survives a later
// "reject all": the decision's response does not delete it, and the
// application keeps receiving it on every request. The README promises
// that rejecting "deletes the cookies the browser carries".
func TestReviewUndeclaredCookieSurvivesWithdrawal(t *testing.T) {
	clk := newClock()
	s := newSite(t, testConfig(t, clk, nil))
	s.do("POST", "/consent?grant="+strings.Join(allOptional, ",")+"&thenset=1", nil)
	<-s.state
	if !slices.Contains(s.jarNames(), "mystery") {
		t.Fatalf("setup: undeclared cookie not set under accept-all; jar %q", s.jarNames())
	}

	resp := s.do("POST", "/consent", nil) // reject all
	<-s.state
	var deleted []string
	for _, l := range resp.Header.Values("Set-Cookie") {
		if strings.Contains(l, "Max-Age=0") {
			deleted = append(deleted, nameOf(l))
		}
	}
	s.do("GET", "/echo", nil)
	seen := <-s.seen
	if slices.Contains(s.jarNames(), "mystery") || strings.Contains(seen, "mystery=") {
		t.Errorf("after reject-all the undeclared cookie is still in the jar %q and reaches the app (%q); deletions sent: %q",
			s.jarNames(), seen, deleted)
	}
}

// Found in review (low), fixed: among repeated Max-Age (or Expires)
// attributes classify lets the last VALID one count, as RFC 6265 reads; Chromium's
// ParsedCookie keeps the index of the LAST attribute of each name and only
// then parses it (CanonicalCookie::ParseExpiration falls back to Expires
// when that Max-Age does not parse). "Max-Age=0; Max-Age=x" is a deletion
// to crumb (deletions always pass, whatever the consent) but a session
// cookie to Chromium; the same for a past Expires followed by an
// unparsable one. A refused cookie written that way reaches the browser.
// Only odd lines are affected, so the impact is small, but "deletion" is
// the one verdict that bypasses consent entirely, so it should be read the
// way the strictest browser reads it (or: treat a line as a deletion only
// when every lifetime attribute agrees).
func TestReviewRepeatedLifetimeAttributes(t *testing.T) {
	lines := []string{
		"_ga=GA1.2.3; Path=/; Max-Age=0; Max-Age=session",
		"_fbp=fb.1.2; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Expires=later",
	}
	clk := newClock()
	m := mustNew(t, testConfig(t, clk, nil))
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, l := range lines {
			w.Header().Add("Set-Cookie", l)
		}
	})
	rec := httptest.NewRecorder()
	m.Middleware(app).ServeHTTP(rec, httptest.NewRequest("GET", "https://shop.example.com/", nil))
	if diff := cmp.Diff([]string(nil), rec.Result().Header.Values("Set-Cookie")); diff != "" {
		t.Errorf("undecided visitor: refused cookies that browsers store as session cookies were sent (-want +got):\n%s", diff)
	}
}

// OK: consent cookies that must not count. Two copies (a sibling
// subdomain's injection under Insecure, or a path-scoped leftover), a
// quoted copy with junk appended, the same value under a name that differs
// in case, and a cookie from a removed key all read as undecided, so the
// refused cookie of the response is dropped.
func TestReviewOKConsentCookieLookalikes(t *testing.T) {
	clk := newClock()
	cfg := testConfig(t, clk, nil)
	m := mustNew(t, cfg)
	good := consentCookie(t, m, allOptional, nil)
	oldCfg := testConfig(t, clk, nil)
	oldCfg.Keys = []Key{{Hash: hashKey2}}
	retired := consentCookie(t, mustNew(t, oldCfg), allOptional, nil)
	tests := []struct {
		name   string
		cookie string
		want   []string
	}{
		{"valid", DefaultCookieName + "=" + good, []string{"_ga"}},
		{"quoted valid", DefaultCookieName + `="` + good + `"`, []string{"_ga"}},
		{"duplicate", DefaultCookieName + "=" + good + "; " + DefaultCookieName + "=" + good, nil},
		{"name case differs", strings.ToLower(DefaultCookieName) + "=" + good, nil},
		{"prefix dropped", "crumb_consent=" + good, nil},
		{"junk appended", DefaultCookieName + "=" + good + "x", nil},
		{"retired key", DefaultCookieName + "=" + retired, nil},
	}
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "_ga=GA1.2.3; Path=/; Max-Age=3600")
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "https://shop.example.com/", nil)
			req.Header.Set("Cookie", tt.cookie)
			rec := httptest.NewRecorder()
			m.Middleware(app).ServeHTTP(rec, req)
			var got []string
			for _, l := range rec.Result().Header.Values("Set-Cookie") {
				// Deletions of the lookalikes (undeclared cookies) are fine.
				if n := nameOf(l); n != DefaultCookieName && !strings.Contains(l, "Max-Age=0") {
					got = append(got, n)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("cookies sent (-want +got):\n%s", diff)
			}
		})
	}
}

// OK: the decision endpoint refuses cross-site form posts (a CSRF that
// would record "accept all" for the victim: the 303's Set-Cookie would be
// stored, since a top-level navigation may set Lax cookies), GET and
// HEAD, and keeps its redirect on this origin for return values that
// browsers would read as another host.
func TestReviewOKDecideEndpoint(t *testing.T) {
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
