package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"

	"github.com/crumbhq/crumb/consent"
)

// bannerVisible is a script that is true while the banner shows.
const bannerVisible = `(() => {
	const el = document.querySelector('` + bannerSel + `');
	if (!el) return false;
	const s = getComputedStyle(el), r = el.getBoundingClientRect();
	return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && !el.hidden;
})()`

func (b *browser) waitBanner() { b.t.Helper(); b.waitJS("the consent banner", bannerVisible) }

func (b *browser) waitBannerGone() {
	b.t.Helper()
	b.waitJS("the consent banner to go away", "!"+bannerVisible)
}

// preferencesPath returns the path of the preferences page that the
// banner's "customise" link leads to.
func (b *browser) preferencesPath() string {
	b.t.Helper()
	p := eval[string](b, `(a => a ? a.pathname : '')(document.querySelector('#crumb-banner a.crumb-btn'))`)
	if p == "" {
		b.t.Fatal("the banner has no link to the preferences page")
	}
	return p
}

// linksTo reports whether the page has a link to the path.
func (b *browser) linksTo(path string) bool {
	b.t.Helper()
	q, _ := json.Marshal(path)
	return eval[bool](b, `[...document.links].some(a => a.pathname === `+string(q)+`)`)
}

// wantState compares the stored choices of the browser's consent cookie.
func (b *browser) wantState(what string, want []string) {
	b.t.Helper()
	var st consent.State
	b.waitFor(what, func() (bool, string) {
		s, ok := b.consentState()
		if !ok {
			return false, "no consent cookie; cookies: " + strings.Join(cookieNames(b.cookies()), " ")
		}
		st = s
		if diff := cmp.Diff(want, choices(s)); diff != "" {
			return false, "stored choices (-want +got):\n" + diff
		}
		return true, ""
	})
	if st.Method() != consent.MethodBanner {
		b.t.Errorf("%s: decision method = %v, want %v", what, st.Method(), consent.MethodBanner)
	}
}

var (
	allRefused = []string{"analytics=refused", "marketing=refused", "necessary=granted", "preferences=refused", "social=refused"}
	allGranted = []string{"analytics=granted", "marketing=granted", "necessary=granted", "preferences=granted", "social=granted"}
)

// TestRejectByKeyboard answers the banner with the keyboard alone: Tab to
// Reject, which must show a visible focus indicator, then Enter.
func TestRejectByKeyboard(t *testing.T) {
	b := newBrowser(t)
	b.open("/product/starter")
	b.waitBanner()

	// Tab from the top of the page until Reject has focus, keeping the
	// path focus took for the failure message.
	var path []string
	found := false
	for range 80 {
		b.do("press Tab", chromedp.KeyEvent(kb.Tab))
		el := eval[string](b, `(() => {
			const el = document.activeElement;
			if (!el || el === document.body) return 'body';
			return el.matches('`+rejectSel+`') ? 'REJECT' : el.tagName.toLowerCase() + ':' + (el.textContent || '').trim().slice(0, 20);
		})()`)
		if el == "REJECT" {
			found = true
			break
		}
		path = append(path, el)
	}
	if !found {
		t.Fatalf("80 presses of Tab never reached the Reject button; focus went: %s", strings.Join(path, " → "))
	}
	t.Logf("Reject reached after %d Tabs: %s", len(path)+1, strings.Join(path, " → "))

	type focusStyle struct {
		FocusVisible bool    `json:"focusVisible"`
		Outline      string  `json:"outline"`
		OutlineWidth float64 `json:"outlineWidth"`
		BoxShadow    string  `json:"boxShadow"`
	}
	fs := eval[focusStyle](b, `(() => {
		const el = document.activeElement, s = getComputedStyle(el);
		return {focusVisible: el.matches(':focus-visible'), outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
			outlineWidth: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth), boxShadow: s.boxShadow};
	})()`)
	if !fs.FocusVisible {
		t.Errorf("Reject has keyboard focus but does not match :focus-visible")
	}
	if fs.OutlineWidth < 2 && fs.BoxShadow == "none" {
		t.Errorf("Reject shows no focus indicator: outline %q, box-shadow %q (want an outline of at least 2px or a box shadow)", fs.Outline, fs.BoxShadow)
	}
	b.screenshot("banner-reject-focused", false)

	b.do("press Enter", chromedp.KeyEvent(kb.Enter))
	b.waitBannerGone()
	b.wantState("the consent cookie to record the refusal", allRefused)

	// The refusal holds on the next pages: no banner, no tracker, no cookie.
	for _, p := range []string{"/", "/product/cloche"} {
		b.open(p)
		if eval[bool](b, bannerVisible) {
			t.Errorf("%s: the banner shows again after Reject", p)
		}
	}
	if diff := cmp.Diff([]string(nil), hitURLs(b.trackers.Hits())); diff != "" {
		t.Errorf("requests reached the trackers after Reject (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string(nil), optionalCookies(b.cookies())); diff != "" {
		t.Errorf("cookies that need consent exist after Reject (-want +got):\n%s", diff)
	}
}

// trackerRequests are the requests the shop's trackers make once consent
// lets them run on a product page: the tags the page loads, the hits the
// tags send, and the YouTube player.
var trackerRequests = []string{
	"www.googletagmanager.com/gtag/js",
	"www.googletagmanager.com/gtm.js",
	"www.google-analytics.com/g/collect",
	"stats.g.doubleclick.net/g/collect",
	"connect.facebook.net/en_US/fbevents.js",
	"www.facebook.com/tr",
	"www.youtube.com/embed/crumbDemo01",
}

// missingHits returns the wanted requests absent from hits.
func missingHits(hits []Hit, want []string) []string {
	got := hitURLs(hits)
	var out []string
	for _, w := range want {
		if !slices.Contains(got, w) {
			out = append(out, w)
		}
	}
	return out
}

// trackerCookies are the cookies the fake trackers leave once they ran:
// first party from their scripts or from the shop's server-side tagging,
// third party from their pixels and player.
var trackerCookies = []struct{ name, domain string }{
	{"_ga", "localhost"},
	{"_gcl_au", "localhost"},
	{"_fbp", "localhost"},
	{"IDE", ".doubleclick.net"},
	{"fr", ".facebook.com"},
	{"YSC", ".youtube.com"},
}

// TestAcceptThenWithdraw accepts everything in the banner, watches the
// trackers come to life in the same page and after a reload, then
// withdraws on the preferences page and watches them go.
func TestAcceptThenWithdraw(t *testing.T) {
	b := newBrowser(t)
	b.open("/product/starter")
	b.waitBanner()
	if hits := b.trackers.Hits(); len(hits) != 0 {
		t.Fatalf("requests reached the trackers before the choice: %v", hitURLs(hits))
	}
	prefs := b.preferencesPath()
	// A mark on the window that the reload wipes.
	eval[chromedp.Void](b, `window.sameDocument = true`)

	b.do("click Accept", chromedp.Click(chromedp.CSS(acceptSel)))
	b.waitBannerGone()
	b.wantState("the consent cookie to record the grant", allGranted)

	// The decision changed the page's content policy, which no page can
	// loosen for itself, so the progressive script loads the page again
	// and the server sends the tags live.
	b.waitFor("the trackers to be requested after Accept", func() (bool, string) {
		miss := missingHits(b.trackers.Hits(), trackerRequests)
		return len(miss) == 0, fmt.Sprintf("missing %v; hits so far %v", miss, hitURLs(b.trackers.Hits()))
	})
	b.waitJS("the tracker scripts to run", `(r => r && r.gtag >= 1 && r.gtm >= 1 && r.fbevents >= 1)(window.fakeTrackers)`)
	if eval[bool](b, `window.sameDocument === true`) {
		t.Errorf("the page was not loaded again after Accept: its old content policy still refuses the trackers")
	}
	b.waitFor("the trackers' cookies", func() (bool, string) {
		cs := b.cookies()
		for _, c := range trackerCookies {
			if !hasCookie(cs, c.name, c.domain) {
				return false, fmt.Sprintf("no %s on %s; cookies: %v", c.name, c.domain, cookieNames(cs))
			}
		}
		return true, ""
	})

	// After a reload the server sends the tags live.
	mark := len(b.trackers.Hits())
	b.do("reload", chromedp.Reload())
	b.waitFor("the trackers to be requested after a reload", func() (bool, string) {
		miss := missingHits(b.trackers.HitsSince(mark), trackerRequests)
		return len(miss) == 0, fmt.Sprintf("missing %v; hits since the reload %v", miss, hitURLs(b.trackers.HitsSince(mark)))
	})
	b.waitJS("the tracker scripts to run after the reload", `(r => r && r.gtag >= 1 && r.gtm >= 1 && r.fbevents >= 1)(window.fakeTrackers)`)
	if n := eval[int](b, `document.querySelectorAll('script[type="text/plain"][data-crumb-category]').length`); n != 0 {
		t.Errorf("after Accept and a reload, %d scripts are still neutralised", n)
	}

	// Withdraw: every switch off, then save. Withdrawing must be as easy
	// to find as consenting, so the shop's page links to the preferences.
	if !b.linksTo(prefs) {
		t.Errorf("once the banner is gone, the page has no link to the preferences page %s", prefs)
	}
	b.open(prefs)
	switches := eval[[]string](b, `[...document.querySelectorAll('input.crumb-switch')].map(s => s.value + '=' + s.checked)`)
	wantSwitches := []string{"preferences=true", "analytics=true", "marketing=true", "social=true"}
	if diff := cmp.Diff(wantSwitches, switches); diff != "" {
		t.Errorf("the preferences page does not show the grant (-want +got):\n%s", diff)
	}
	b.do("switch everything off", chromedp.Click(chromedp.CSS(`input.crumb-switch[value="preferences"]`)),
		chromedp.Click(chromedp.CSS(`input.crumb-switch[value="analytics"]`)),
		chromedp.Click(chromedp.CSS(`input.crumb-switch[value="marketing"]`)),
		chromedp.Click(chromedp.CSS(`input.crumb-switch[value="social"]`)))
	if n := eval[int](b, `document.querySelectorAll('input.crumb-switch:checked').length`); n != 0 {
		t.Fatalf("%d switches still on after clicking each", n)
	}
	b.do("save", chromedp.Click(chromedp.CSS(`button[name="action"][value="save"]`)))
	b.wantState("the consent cookie to record the withdrawal", allRefused)

	// The shop's own pages now delete the first-party tracker cookies.
	mark = len(b.trackers.Hits())
	b.open("/product/starter")
	b.waitFor("the first-party tracker cookies to be deleted", func() (bool, string) {
		var left []string
		for _, c := range b.cookies() {
			if c.Domain == "localhost" && slices.Contains([]string{"_ga", "_ga_DEMO123", "_gcl_au", "_fbp"}, c.Name) {
				left = append(left, c.Name)
			}
		}
		return len(left) == 0, fmt.Sprintf("still there: %v", left)
	})
	got := b.deletedByServer("_ga", "_fbp")
	t.Logf("the shop deleted %v", got)
	if !slices.Contains(got, "_ga@") || !slices.Contains(got, "_fbp@") {
		t.Errorf("the shop's responses deleted %v, want host-only deletions of _ga and _fbp", got)
	}
	b.do("reload", chromedp.Reload())
	if diff := cmp.Diff([]string(nil), hitURLs(b.trackers.HitsSince(mark))); diff != "" {
		t.Errorf("requests reached the trackers after the withdrawal (-want +got):\n%s", diff)
	}
	if runs := b.trackerRuns(); len(runs) != 0 {
		t.Errorf("tracker scripts ran after the withdrawal: %v", runs)
	}
	if diff := cmp.Diff([]string(nil), optionalFirstParty(b.cookies())); diff != "" {
		t.Errorf("first-party cookies that need consent remain after the withdrawal (-want +got):\n%s", diff)
	}
}

// optionalFirstParty is optionalCookies without the third-party ones, which
// a site cannot delete: they belong to the trackers' domains.
func optionalFirstParty(cs []*network.Cookie) []string {
	var out []string
	for _, s := range optionalCookies(cs) {
		if !strings.HasSuffix(s, "(third party)") {
			out = append(out, s)
		}
	}
	return out
}
