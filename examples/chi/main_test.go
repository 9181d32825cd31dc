package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/crumbhq/crumb/consent"
	"github.com/google/go-cmp/cmp"
)

func setNames(cs []*http.Cookie) []string {
	var names []string
	for _, c := range cs {
		if c.MaxAge >= 0 {
			names = append(names, c.Name)
		}
	}
	slices.Sort(names)
	return names
}

// The router's own features (URL parameters) and crumb's enforcement both
// work through r.Use: nothing but the necessary cookie before a decision,
// the tagging cookies after an accept.
func TestRouterEnforcesConsent(t *testing.T) {
	m, err := newConsent([][]byte{bytes.Repeat([]byte{9}, 32)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newRouter(m))
	t.Cleanup(srv.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	get := func(path string, cookies ...*http.Cookie) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cookies {
			req.AddCookie(c)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}

	resp, body := get("/product/cloche")
	if !strings.Contains(body, "Product cloche") {
		t.Errorf("chi URL parameter lost; body:\n%s", body)
	}
	if got := setNames(resp.Cookies()); len(got) != 0 {
		t.Errorf("undecided visitor got %v", got)
	}
	if !strings.Contains(body, "Analytics granted: false") {
		t.Error("handler saw analytics granted before any decision")
	}
	for _, live := range []string{`<script async src="https://www.googletagmanager.com/`, `<img src="https://www.facebook.com/tr`} {
		if strings.Contains(body, live) {
			t.Errorf("undecided visitor's page has %s live", live)
		}
	}

	login, err := client.Post(srv.URL+"/login", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	login.Body.Close()
	if diff := cmp.Diff([]string{"session"}, setNames(login.Cookies())); diff != "" {
		t.Errorf("sign-in cookies (-want +got):\n%s", diff)
	}

	if !strings.Contains(body, `/consent/decide" data-crumb-form`) {
		t.Error("undecided visitor's page has no banner")
	}

	// Click "Accept all" in the banner, then browse with the cookie.
	accept, err := client.PostForm(srv.URL+consent.DefaultHandlerPrefix+"decide",
		url.Values{"action": {"accept"}, "return": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	accept.Body.Close()
	if accept.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: status %d, want 303", accept.StatusCode)
	}
	resp, body = get("/", accept.Cookies()...)
	if diff := cmp.Diff([]string{"_fbp", "_ga"}, setNames(resp.Cookies())); diff != "" {
		t.Errorf("after accept all (-want +got):\n%s", diff)
	}
	if !strings.Contains(body, "Analytics granted: true") {
		t.Error("handler did not see analytics granted")
	}
	if !strings.Contains(body, `<script async src="https://www.googletagmanager.com/gtag/js?id=G-DEMO123">`) {
		t.Errorf("after accept all, the Google tag is not live:\n%s", body)
	}
}
