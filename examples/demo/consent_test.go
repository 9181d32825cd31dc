package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/crumbhq/crumb/consent"
	"github.com/google/go-cmp/cmp"
)

// These tests follow a visitor through the consent life cycle of the demo:
// undecided, accepted, refused, tampered with, and under Global Privacy
// Control.

// choose submits the banner's form the way a browser does after a click:
// a same-origin POST to the decision endpoint, answered with 303 See Other
// back to the page and the consent cookie.
func (v *visitor) choose(action string, categories ...string) response {
	v.t.Helper()
	form := url.Values{"action": {action}, "return": {"/product/starter"}}
	if len(categories) > 0 {
		form["c"] = categories
	}
	r := v.post(consent.DefaultHandlerPrefix+"decide", form, "Sec-Fetch-Site", "same-origin", "Origin", v.base.Scheme+"://"+v.base.Host)
	if r.Status != http.StatusSeeOther {
		v.t.Fatalf("%s: status %d, want 303; body %q", action, r.Status, r.Body)
	}
	if got := r.Header.Get("Location"); got != "/product/starter" {
		v.t.Errorf("%s: redirected to %q, want the page the banner was on", action, got)
	}
	return r
}

// consentCookie is the demo's consent cookie: served over plain HTTP, it
// goes without the __Host- prefix.
const consentCookie = consent.DefaultInsecureName

// bannerMarker is in the page while the banner is shown.
const bannerMarker = `/consent/decide" data-crumb-form`

// setCookie puts a cookie in the visitor's jar as a script's
// document.cookie would.
func (v *visitor) setCookie(name, value string) {
	v.client.Jar.SetCookies(v.base, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

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

func deletedNames(cs []*http.Cookie) []string {
	var names []string
	for _, c := range cs {
		if c.MaxAge < 0 {
			names = append(names, c.Name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// An undecided visitor browses, signs in and picks a language: only the
// strictly necessary session cookie reaches the browser, and every page
// shows the banner.
func TestFreshVisitGetsOnlyNecessaryCookies(t *testing.T) {
	v := newVisitor(t, startDemo(t))
	for _, path := range []string{"/", "/product/starter", "/login"} {
		r := v.get(path)
		if len(setNames(r.Cookies)) != 0 {
			t.Errorf("GET %s set %v, want nothing", path, setNames(r.Cookies))
		}
		if !strings.Contains(r.Body, bannerMarker) {
			t.Errorf("GET %s shows no banner", path)
		}
	}
	r := v.post("/login", url.Values{"name": {"Ada"}, "next": {"/"}})
	if diff := cmp.Diff([]string{"session"}, setNames(r.Cookies)); diff != "" {
		t.Errorf("sign-in cookies (-want +got):\n%s", diff)
	}
	if r := v.post("/lang", url.Values{"lang": {"de"}, "back": {"/"}}); len(setNames(r.Cookies)) != 0 {
		t.Errorf("language switch set %v before preferences were granted", setNames(r.Cookies))
	}
	if diff := cmp.Diff([]string{"session"}, v.jarNames()); diff != "" {
		t.Errorf("browser holds (-want +got):\n%s", diff)
	}
}

// After accepting everything, the server-side tagging cookies and the
// language preference come through.
func TestAcceptAllLetsCookiesThrough(t *testing.T) {
	v := newVisitor(t, startDemo(t))
	v.get("/")
	if r := v.choose("accept"); cookieNamed(r.Cookies, consentCookie) == nil {
		t.Fatalf("accept set no %s cookie (set: %v)", consentCookie, setNames(r.Cookies))
	}
	r := v.get("/")
	if strings.Contains(r.Body, bannerMarker) {
		t.Error("the banner is still shown after accept all")
	}
	for _, want := range []string{"_ga", "_fbp", "_gcl_au"} {
		if cookieNamed(r.Cookies, want) == nil {
			t.Errorf("after accept all, GET / did not set %s (set: %v)", want, setNames(r.Cookies))
		}
	}
	if r := v.post("/lang", url.Values{"lang": {"de"}, "back": {"/"}}); cookieNamed(r.Cookies, "lang") == nil {
		t.Error("language cookie refused after accept all")
	}
	if page := v.get("/"); !strings.Contains(page.Body, `<html lang="de">`) {
		t.Error("page not in German after the language switch")
	}
	// The visitor keeps the cookies: the next page sets none again.
	if r := v.get("/"); len(setNames(r.Cookies)) != 0 {
		t.Errorf("second page set %v again", setNames(r.Cookies))
	}
}

// A refusal deletes what the browser still carries: at once, on the
// decision's own response, and again on any later request that carries
// such a cookie (a script's document.cookie, a tab left open).
func TestRejectDeletesCarriedCookies(t *testing.T) {
	v := newVisitor(t, startDemo(t))
	v.choose("accept")
	v.get("/") // sets _ga, _fbp, ...
	want := []string{"_fbp", "_ga", "_ga_DEMO123", "_gcl_au"}
	if diff := cmp.Diff(append(want[:len(want):len(want)], consentCookie), v.jarNames()); diff != "" {
		t.Fatalf("after accept, browser holds (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, deletedNames(v.choose("reject").Cookies)); diff != "" {
		t.Errorf("reject deleted (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{consentCookie}, v.jarNames()); diff != "" {
		t.Errorf("after reject, browser holds (-want +got):\n%s", diff)
	}

	v.setCookie("_ga", "GA1.1.scripted")
	v.setCookie("_ga_DEMO123", "GS1.1.scripted")
	r := v.get("/")
	if diff := cmp.Diff([]string{"_ga", "_ga_DEMO123"}, deletedNames(r.Cookies)); diff != "" {
		t.Errorf("a later request carrying tracking cookies: deleted (-want +got):\n%s", diff)
	}
	if got := setNames(r.Cookies); len(got) != 0 {
		t.Errorf("after reject, GET / set %v", got)
	}
	if diff := cmp.Diff([]string{consentCookie}, v.jarNames()); diff != "" {
		t.Errorf("browser holds (-want +got):\n%s", diff)
	}
}

// An undecided visitor who carries a tracking cookie (from before crumb,
// say) gets it deleted too.
func TestUndecidedCarriedCookieIsDeleted(t *testing.T) {
	v := newVisitor(t, startDemo(t))
	v.setCookie("_ga", "GA1.1.1.1")
	r := v.get("/product/lame")
	if diff := cmp.Diff([]string{"_ga"}, deletedNames(r.Cookies)); diff != "" {
		t.Errorf("deleted (-want +got):\n%s", diff)
	}
}

// A consent cookie whose bytes were changed counts as no decision at all.
func TestTamperedConsentCookieIsUndecided(t *testing.T) {
	v := newVisitor(t, startDemo(t))
	v.choose("accept")
	var value string
	for _, c := range v.client.Jar.Cookies(v.base) {
		if c.Name == consentCookie {
			value = c.Value
		}
	}
	if value == "" {
		t.Fatal("no consent cookie in the jar")
	}
	// Flip one character in the middle, inside the signed payload.
	i := len(value) / 2
	flipped := byte('A')
	if value[i] == 'A' {
		flipped = 'B'
	}
	v.setCookie(consentCookie, value[:i]+string(flipped)+value[i+1:])
	r := v.get("/")
	if got := setNames(r.Cookies); len(got) != 0 {
		t.Errorf("with a tampered consent cookie, GET / set %v", got)
	}
	if !strings.Contains(r.Body, bannerMarker) {
		t.Error("with a tampered consent cookie, the banner is not shown")
	}
	if got := liveTrackers(r.Body); len(got) != 0 {
		t.Errorf("with a tampered consent cookie, live trackers %v", got)
	}
}

// Sec-GPC: 1 refuses marketing even after an accept made without it, and
// leaves analytics, which is not sale or sharing, as accepted.
func TestGPCOverridesEarlierAccept(t *testing.T) {
	v := newVisitor(t, startDemo(t))
	v.choose("accept")
	r := v.get("/", "Sec-GPC", "1")
	got := setNames(r.Cookies)
	for _, marketing := range []string{"_fbp", "_gcl_au"} {
		if slices.Contains(got, marketing) {
			t.Errorf("with Sec-GPC: 1, %s was set", marketing)
		}
	}
	if !slices.Contains(got, "_ga") {
		t.Errorf("with Sec-GPC: 1, analytics cookie _ga was not set (set: %v)", got)
	}
	live := liveTrackers(v.get("/product/starter", "Sec-GPC", "1").Body)
	for _, marketing := range []string{"inline fbevents.js", "noscript img www.facebook.com"} {
		if slices.Contains(live, marketing) {
			t.Errorf("with Sec-GPC: 1, %s is live", marketing)
		}
	}
	if !slices.Contains(live, "script www.googletagmanager.com") {
		t.Errorf("with Sec-GPC: 1, the analytics tag is not live (live: %v)", live)
	}
	// Without the signal the earlier accept applies again.
	if r := v.get("/"); cookieNamed(r.Cookies, "_fbp") == nil {
		t.Errorf("without GPC, _fbp was not set (set: %v)", setNames(r.Cookies))
	}
}

// Every tracker the product page carries, as liveTrackers names them.
var productPageTrackers = []string{
	"iframe www.youtube.com",
	"img px.ads.linkedin.com",
	"inline fbevents.js",
	"inline googletagmanager.com/gtm.js",
	"inline gtag('config'",
	"noscript iframe www.googletagmanager.com",
	"noscript img www.facebook.com",
	"script www.googletagmanager.com",
}

// The page as the shop writes it carries all the trackers; an undecided
// visitor gets none of them live, and accept-all brings them all back.
func TestTrackersFollowConsent(t *testing.T) {
	if got := liveTrackers(renderUnwrapped(t, "/product/starter")); !cmp.Equal(productPageTrackers, got) {
		t.Fatalf("the unwrapped shop carries %v, want %v: the check below would prove nothing", got, productPageTrackers)
	}
	v := newVisitor(t, startDemo(t))
	if got := liveTrackers(v.get("/product/starter").Body); len(got) != 0 {
		t.Errorf("undecided visitor gets live trackers %v", got)
	}
	v.choose("accept")
	if diff := cmp.Diff(productPageTrackers, liveTrackers(v.get("/product/starter").Body)); diff != "" {
		t.Errorf("after accept all, live trackers (-want +got):\n%s", diff)
	}
	v.choose("save", "analytics")
	want := []string{"inline googletagmanager.com/gtm.js", "inline gtag('config'", "noscript iframe www.googletagmanager.com", "script www.googletagmanager.com"}
	if diff := cmp.Diff(want, liveTrackers(v.get("/product/starter").Body)); diff != "" {
		t.Errorf("with analytics only, live trackers (-want +got):\n%s", diff)
	}
}

func renderUnwrapped(t *testing.T, path string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	newShop(nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Body.String()
}

// The decision endpoint refuses a POST made by another site (a hidden form
// on evil.example must not accept trackers for the visitor) and records
// nothing.
func TestCrossSiteDecisionIsRefused(t *testing.T) {
	base := startDemo(t)
	for name, header := range map[string][]string{
		"Sec-Fetch-Site": {"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"},
		"Origin only":    {"Origin", "https://evil.example"},
	} {
		t.Run(name, func(t *testing.T) {
			v := newVisitor(t, base)
			r := v.post(consent.DefaultHandlerPrefix+"decide", url.Values{"action": {"accept"}, "return": {"/"}}, header...)
			if r.Status != http.StatusForbidden {
				t.Errorf("status %d, want 403", r.Status)
			}
			if len(r.Cookies) != 0 || len(v.jarNames()) != 0 {
				t.Errorf("cross-site POST set %v", v.jarNames())
			}
			if got := setNames(v.get("/").Cookies); len(got) != 0 {
				t.Errorf("after the refused POST, GET / set %v", got)
			}
		})
	}
}

// The page to return to after a decision comes from the form, so it must
// stay on the site whatever is written there.
func TestDecisionRedirectStaysOnSite(t *testing.T) {
	base := startDemo(t)
	for _, ret := range []string{
		"https://evil.example/", "//evil.example/", "/\\evil.example", "/%2F%2Fevil.example",
		"javascript:alert(1)", "http:evil.example", "/%5C%5Cevil.example",
	} {
		t.Run(ret, func(t *testing.T) {
			v := newVisitor(t, base)
			r := v.post(consent.DefaultHandlerPrefix+"decide", url.Values{"action": {"reject"}, "return": {ret}},
				"Sec-Fetch-Site", "same-origin")
			if r.Status != http.StatusSeeOther {
				t.Fatalf("status %d, want 303", r.Status)
			}
			loc := r.Header.Get("Location")
			u, err := url.Parse(loc)
			if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(loc, "/") ||
				strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
				t.Errorf("return=%q redirects to %q, off the site", ret, loc)
			}
			// A browser following it stays on the demo.
			resolved, err := v.base.Parse(loc)
			if err != nil || resolved.Host != v.base.Host {
				t.Errorf("return=%q resolves to %v", ret, resolved)
			}
		})
	}
}
