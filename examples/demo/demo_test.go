package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crumbhq/crumb/consent"
)

// The tests drive the demo's real handler (newDemo) over HTTP, the way a
// browser would: a cookie jar, no redirect followed unless asked, and only
// what travels on the wire is looked at.

var testKey = bytes.Repeat([]byte{7}, 32)

// visitor is one browser: its own cookie jar against one demo server.
type visitor struct {
	t      *testing.T
	base   *url.URL
	client *http.Client
}

// response is what a visitor saw of one exchange.
type response struct {
	Status  int
	Header  http.Header
	Body    string
	Cookies []*http.Cookie // the Set-Cookie lines of this response
}

func startDemo(t *testing.T) string {
	t.Helper()
	base, _ := startDemoManager(t)
	return base
}

// startDemoManager also returns the demo's consent Manager, for tests that
// record a decision the way application code would (Manager.Decide).
func startDemoManager(t *testing.T) (string, *consent.Manager) {
	t.Helper()
	d, err := newDemo(demoConfig{Keys: []consent.Key{{Hash: testKey}}})
	if err != nil {
		t.Fatalf("newDemo: %v", err)
	}
	srv := httptest.NewServer(d)
	t.Cleanup(srv.Close)
	return srv.URL, d.consent
}

func newVisitor(t *testing.T, base string) *visitor {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return &visitor{t: t, base: u, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (v *visitor) do(method, path string, form url.Values, header ...string) response {
	v.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, v.base.String()+path, body)
	if err != nil {
		v.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := v.client.Do(req)
	if err != nil {
		v.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		v.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: string(b), Cookies: resp.Cookies()}
}

func (v *visitor) get(path string, header ...string) response {
	v.t.Helper()
	return v.do(http.MethodGet, path, nil, header...)
}

func (v *visitor) post(path string, form url.Values, header ...string) response {
	v.t.Helper()
	return v.do(http.MethodPost, path, form, header...)
}

// jarNames lists, sorted, the names of the cookies the visitor's browser
// holds for the site.
func (v *visitor) jarNames() []string {
	var names []string
	for _, c := range v.client.Jar.Cookies(v.base) {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	return names
}

func cookieNamed(cs []*http.Cookie, name string) *http.Cookie {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestPages(t *testing.T) {
	base := startDemo(t)
	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/", http.StatusOK, "Sourdough starter kit"},
		{"/product/cloche", http.StatusOK, "Cast-iron bread cloche"},
		{"/product/cloche", http.StatusOK, "€89.00"},
		{"/product/nope", http.StatusNotFound, "We do not sell that"},
		{"/login?next=/product/lame", http.StatusOK, `name="next" value="/product/lame"`},
		{"/login?next=https://evil.example/", http.StatusOK, `name="next" value="/"`},
		{"/static/shop.css", http.StatusOK, "--crust"},
		{"/static/theme.css", http.StatusOK, "--crumb-accent"},
		{"/.well-known/gpc.json", http.StatusOK, `"gpc":true`},
		{"/consent/declaration", http.StatusOK, "Keeps you signed in while you shop."},
		{"/consent/declaration", http.StatusOK, "_gcl_au"},
		{"/consent/declaration", http.StatusOK, "VISITOR_INFO1_LIVE"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := newVisitor(t, base).get(tt.path)
			if r.Status != tt.status {
				t.Errorf("status %d, want %d", r.Status, tt.status)
			}
			if !strings.Contains(r.Body, tt.want) {
				t.Errorf("body lacks %q", tt.want)
			}
		})
	}
}

// The session cookie is strictly necessary: a visitor who decided nothing
// still gets signed in.
func TestLoginSetsSessionCookie(t *testing.T) {
	base := startDemo(t)
	v := newVisitor(t, base)
	r := v.post("/login", url.Values{"name": {"Ada"}, "next": {"/product/lame"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303", r.Status)
	}
	if got := r.Header.Get("Location"); got != "/product/lame" {
		t.Errorf("Location %q, want /product/lame", got)
	}
	c := cookieNamed(r.Cookies, "session")
	if c == nil {
		t.Fatalf("no session cookie among %v", r.Cookies)
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Value == "" {
		t.Errorf("session cookie %q: want HttpOnly, SameSite=Lax and a value", c.String())
	}
	if page := v.get("/product/lame"); !strings.Contains(page.Body, "<b>Ada</b>") {
		t.Error("signed-in page does not greet Ada")
	}
	v.post("/logout", url.Values{})
	if page := v.get("/"); strings.Contains(page.Body, "<b>Ada</b>") {
		t.Error("still signed in after sign-out")
	}
}

func TestLoginRejectsEmptyName(t *testing.T) {
	r := newVisitor(t, startDemo(t)).post("/login", url.Values{"name": {"  "}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("status %d, want 422", r.Status)
	}
	if c := cookieNamed(r.Cookies, "session"); c != nil {
		t.Errorf("session cookie set for an empty name: %s", c)
	}
}

// A crafted return path must not turn the shop into an open redirect.
func TestLoginRedirectStaysOnSite(t *testing.T) {
	base := startDemo(t)
	for _, next := range []string{
		"https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)",
		"evil.example", "/%0d%0aSet-Cookie:x=1", "/product/cloche?x=1",
	} {
		t.Run(next, func(t *testing.T) {
			r := newVisitor(t, base).post("/login", url.Values{"name": {"Ada"}, "next": {next}})
			loc, err := url.Parse(r.Header.Get("Location"))
			if err != nil {
				t.Fatal(err)
			}
			if loc.Host != "" || loc.Scheme != "" || !strings.HasPrefix(loc.Path, "/") {
				t.Errorf("next=%q redirects to %q, off the site", next, loc)
			}
		})
	}
}

func TestLocalPath(t *testing.T) {
	tests := map[string]string{
		"":                     "/",
		"/":                    "/",
		"/product/lame":        "/product/lame",
		"/product/lame?x=1#a":  "/product/lame?x=1#a",
		"product":              "/",
		"//evil.example/x":     "/",
		"/\\evil.example":      "/",
		"https://evil.example": "/",
		"/a\r\nLocation: x":    "/",
		"/%zz":                 "/",
	}
	got := map[string]string{}
	for in := range tests {
		got[in] = localPath(in)
	}
	if diff := cmp.Diff(tests, got); diff != "" {
		t.Errorf("localPath (-want +got):\n%s", diff)
	}
}
