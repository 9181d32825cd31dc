package e2e

import (
	"fmt"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// The banner's markup, as crumb renders it.
const (
	bannerSel   = `#crumb-banner`
	acceptSel   = `#crumb-banner button[name="action"][value="accept"]`
	rejectSel   = `#crumb-banner button[name="action"][value="reject"]`
	settingsSel = `a[data-crumb-settings]`
)

// TestNothingBeforeChoice browses the shop without answering the banner:
// no request may reach a tracker and no cookie that needs consent may exist,
// on the shop's domain or any other. A last request made on purpose proves
// that the fake trackers would have seen one.
func TestNothingBeforeChoice(t *testing.T) {
	b := newBrowser(t)

	for _, path := range []string{"/", "/product/starter", "/login", "/product/cloche"} {
		b.open(path)
		b.waitBanner()
	}
	// A reload brings back what the browser cached or stored.
	b.do("reload", chromedp.Reload())

	if diff := cmp.Diff([]string(nil), hitURLs(b.trackers.Hits())); diff != "" {
		t.Errorf("requests reached the trackers before any choice (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string(nil), b.offSite()); diff != "" {
		t.Errorf("the page requested URLs off the site before any choice (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string(nil), optionalCookies(b.cookies())); diff != "" {
		t.Errorf("cookies that need consent exist before any choice (-want +got):\n%s\nall cookies: %v",
			diff, cookieNames(b.cookies()))
	}
	if runs := b.trackerRuns(); len(runs) != 0 {
		t.Errorf("tracker scripts ran before any choice: %v", runs)
	}
	if _, ok := b.consentState(); ok {
		t.Errorf("a consent cookie exists before any choice: %v", cookieNames(b.cookies()))
	}

	// Nor can a script of the page reach them: crumb's content policy
	// refuses the fetch.
	if ok := eval[bool](b, `fetch('https://www.googletagmanager.com/gtag/js?id=script', {mode: 'no-cors'}).then(() => true, () => false)`,
		chromedp.EvalAwaitPromise); ok {
		t.Errorf("a script of the page reached a tracker before any choice")
	}

	// The control: the same browser does reach the fake trackers when it
	// goes there itself (a navigation, which no page policy governs), so
	// the silence above is the shop's doing.
	b.do("open a tracker URL", chromedp.Navigate("https://www.googletagmanager.com/gtag/js?id=control"))
	b.waitFor("the control request to reach the fake trackers", func() (bool, string) {
		got := hitURLs(b.trackers.Hits())
		return slices.Contains(got, "www.googletagmanager.com/gtag/js"), fmt.Sprint("hits: ", got)
	})
}
