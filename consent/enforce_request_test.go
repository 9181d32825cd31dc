package consent

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// conditionalSite serves one HTML page through http.ServeContent behind
// the middleware, over a real server.
func conditionalSite(t *testing.T, m *Manager) *httptest.Server {
	t.Helper()
	modtime := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"page1"`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		http.ServeContent(w, r, "", modtime, strings.NewReader(`<!doctype html><p>hello</p>`))
	})
	srv := httptest.NewServer(m.Middleware(app))
	t.Cleanup(srv.Close)
	return srv
}

func getWith(t *testing.T, url string, h http.Header) *http.Response {
	t.Helper()
	res, _ := getBody(t, url, h)
	return res
}

// getBody sends one GET with the given headers, without a cookie jar or
// redirects, and returns the response with its body read.
func getBody(t *testing.T, url string, h http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// A rewritten page's ETag names the consent state. Revalidating it in the
// same state gets a 304 that keeps the tag; after the state changed (a
// decision, or a GPC signal that overrides a grant) the same tag gets the
// full page with a new tag.
func TestConditionalRequests(t *testing.T) {
	clk := newClock()
	cfg := testConfig(t, clk, nil)
	cfg.Insecure = true // plain http test server
	m := mustNew(t, cfg)
	srv := conditionalSite(t, m)
	granted := m.CookieName() + "=" + consentCookie(t, m, []string{"analytics", "marketing"}, nil)
	refused := m.CookieName() + "=" + consentCookie(t, m, nil, nil)

	first := getWith(t, srv.URL, nil)
	undecidedTag := first.Header.Get("Etag")
	if first.StatusCode != 200 || !strings.HasPrefix(undecidedTag, `"page1-crumb-`) {
		t.Fatalf("first response: %d, ETag %q", first.StatusCode, undecidedTag)
	}
	grantedTag := getWith(t, srv.URL, http.Header{"Cookie": {granted}}).Header.Get("Etag")
	refusedTag := getWith(t, srv.URL, http.Header{"Cookie": {refused}}).Header.Get("Etag")
	if grantedTag == undecidedTag || refusedTag == undecidedTag || grantedTag == refusedTag {
		t.Fatalf("tags do not tell consent states apart: %q %q %q", undecidedTag, grantedTag, refusedTag)
	}

	type result struct {
		Status int
		ETag   string
		Vary   bool
	}
	tests := []struct {
		name string
		h    http.Header
		want result
	}{
		{"undecided, same state", http.Header{"If-None-Match": {undecidedTag}}, result{304, undecidedTag, true}},
		{"granted, same state", http.Header{"If-None-Match": {grantedTag}, "Cookie": {granted}}, result{304, grantedTag, true}},
		{"decided since", http.Header{"If-None-Match": {undecidedTag}, "Cookie": {granted}}, result{200, grantedTag, true}},
		{"GPC overrides the grant", http.Header{"If-None-Match": {grantedTag}, "Cookie": {granted}, "Sec-Gpc": {"1"}},
			result{200, "", true}},
		{"plain tag of the application", http.Header{"If-None-Match": {`"page1"`}}, result{304, `"page1"`, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := getWith(t, srv.URL, tt.h)
			got := result{res.StatusCode, res.Header.Get("Etag"), strings.Contains(res.Header.Get("Vary"), "Cookie")}
			if tt.want.ETag == "" { // a new state: any tag but the old one
				if got.ETag == tt.h.Get("If-None-Match") || got.ETag == "" {
					t.Errorf("ETag %q does not name the new state", got.ETag)
				}
				got.ETag = ""
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("response (-want +got):\n%s", diff)
			}
		})
	}
}

// The application sees document navigations without Accept-Encoding and
// Range, so that what it sends can be rewritten; other requests, and the
// header map outer middleware holds, are untouched.
func TestDocumentRequestsAskForIdentity(t *testing.T) {
	clk := newClock()
	m := mustNew(t, testConfig(t, clk, nil))
	var seen http.Header
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Clone()
	}))
	tests := []struct {
		name string
		in   http.Header
		want http.Header
	}{
		{"navigation",
			http.Header{"Sec-Fetch-Dest": {"document"}, "Accept-Encoding": {"gzip, br"}, "Range": {"bytes=0-"}, "If-Range": {`"x"`}},
			http.Header{"Sec-Fetch-Dest": {"document"}}},
		{"htmx fragment",
			http.Header{"Accept": {"text/html"}, "Accept-Encoding": {"gzip"}},
			http.Header{"Accept": {"text/html"}}},
		{"script",
			http.Header{"Sec-Fetch-Dest": {"script"}, "Accept": {"*/*"}, "Accept-Encoding": {"gzip"}, "Range": {"bytes=0-"}},
			http.Header{"Sec-Fetch-Dest": {"script"}, "Accept": {"*/*"}, "Accept-Encoding": {"gzip"}, "Range": {"bytes=0-"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "https://shop.example.com/", nil)
			r.Header = tt.in.Clone()
			h.ServeHTTP(httptest.NewRecorder(), r)
			if diff := cmp.Diff(tt.want, seen); diff != "" {
				t.Errorf("application saw (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.in, r.Header); diff != "" {
				t.Errorf("caller's header changed (-want +got):\n%s", diff)
			}
		})
	}
}

// Stripping refused request cookies works on a header already copied for
// the document and validator changes, and leaves the caller's map alone.
func TestStripCookiesOnCopiedHeader(t *testing.T) {
	clk := newClock()
	m := mustNew(t, testConfig(t, clk, nil))
	var seen http.Header
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Clone()
	}))
	in := http.Header{"Sec-Fetch-Dest": {"document"}, "Accept-Encoding": {"gzip"},
		"Cookie": {"session=1; _ga=GA1.2.3"}}
	r := httptest.NewRequest("GET", "https://shop.example.com/", nil)
	r.Header = in.Clone()
	h.ServeHTTP(httptest.NewRecorder(), r)
	want := http.Header{"Sec-Fetch-Dest": {"document"}, "Cookie": {"session=1"}}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("application saw (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(in, r.Header); diff != "" {
		t.Errorf("caller's header changed (-want +got):\n%s", diff)
	}
}

// Config.KeepDocumentEncoding leaves document navigations as they came.
func TestKeepDocumentEncoding(t *testing.T) {
	clk := newClock()
	cfg := testConfig(t, clk, nil)
	cfg.KeepDocumentEncoding = true
	m := mustNew(t, cfg)
	var seen http.Header
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Clone()
	}))
	in := http.Header{"Sec-Fetch-Dest": {"document"}, "Accept-Encoding": {"gzip, br"}, "Range": {"bytes=0-"}}
	r := httptest.NewRequest("GET", "https://shop.example.com/", nil)
	r.Header = in.Clone()
	h.ServeHTTP(httptest.NewRecorder(), r)
	if diff := cmp.Diff(in, seen); diff != "" {
		t.Errorf("application saw (-want +got):\n%s", diff)
	}
}

// Regression: a cookie no category declares and the
// catalog does not know is allowed only while every optional category is
// granted (judgeSetCookie), but the request side ignored such cookies: begin()
// remembers only request cookies of known optional categories. So a
// cookie set while the visitor had accepted everything survives a later
// "reject all": the decision's response does not delete it, and the
// application keeps receiving it on every request. The README promises
// that rejecting "deletes the cookies the browser carries".
func TestUndeclaredCookieDeletedOnWithdrawal(t *testing.T) {
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
