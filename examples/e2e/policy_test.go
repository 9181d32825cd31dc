package e2e

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/crumbhq/crumb/consent"
)

// everyLoaderPage reaches the fake trackers in every way a page can: markup
// crumb's rewriter knows, and the long tail it cannot judge, which only the
// content policy stops. Each way has its own path, so the hits say which
// fired. The tracker hosts in the inline script are built at run time, as
// real loaders do, so no markup scanner can see them. A <base href> at a
// tracker makes relative URLs (and would make crumb's own) resolve there.
const everyLoaderPage = `<!doctype html><html><head><meta charset="utf-8">
<base href="https://www.google-analytics.com/base/">
<title>Every loader</title>
<script>
window.blocked = [];
document.addEventListener('securitypolicyviolation', e => window.blocked.push(e.blockedURI));
</script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-MARKUP"></script>
<style>.hero{background-image:url("https://www.google-analytics.com/css-url.gif")}</style>
</head><body>
<h1 class="hero">Every loader</h1>
<img alt="" src="https://www.facebook.com/tr?id=markup-pixel">
<img alt="" src="relative-to-base.gif">
<img alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="var i=new Image();i.src='https://www.facebook.com/tr?id=inline-handler'">
<script>
(function () {
  var ga = 'https://www.google-' + 'analytics.com', fb = 'https://www.face' + 'book.com';
  fetch(ga + '/run-fetch', {mode: 'no-cors'}).catch(function () {});
  var x = new XMLHttpRequest(); x.open('GET', ga + '/run-xhr'); x.onerror = function () {}; x.send();
  navigator.sendBeacon(ga + '/run-beacon', 'x');
  new Image().src = fb + '/tr?id=run-image';
  var s = document.createElement('script'); s.src = ga + '/run-script.js'; document.head.appendChild(s);
  window.loadersRan = true;
})();
</script>
<p id="marker">page rendered</p>
</body></html>`

// everyLoaderHits are the requests the page makes once everything is
// granted, as host + path.
var everyLoaderHits = []string{
	"www.googletagmanager.com/gtag/js",
	"www.google-analytics.com/css-url.gif",
	"www.facebook.com/tr", // markup pixel, inline handler, new Image
	"www.google-analytics.com/base/relative-to-base.gif",
	"www.google-analytics.com/run-fetch",
	"www.google-analytics.com/run-xhr",
	"www.google-analytics.com/run-beacon",
	"www.google-analytics.com/run-script.js",
}

// startPolicySite serves everyLoaderPage behind crumb with the default
// configuration.
func startPolicySite(t *testing.T) *site {
	t.Helper()
	m, err := consent.New(consent.Config{
		Keys:     []consent.Key{{Hash: demoKey}},
		Insecure: true,
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/consent/", m.Handler())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, everyLoaderPage)
	})
	srv := httptest.NewServer(m.Middleware(mux))
	t.Cleanup(srv.Close)
	return &site{URL: strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)}
}

// TestPolicyEveryLoader shows the content policy stopping what no markup
// scanner can see: before consent, no request of any kind reaches a
// tracker; after Accept all (in the banner, whose form is immune to the
// page's <base>), every one fires; after withdrawal, none again.
func TestPolicyEveryLoader(t *testing.T) {
	requireChromium(t)
	b := newBrowserAt(t, startPolicySite(t))

	settle := func(what string) {
		b.t.Helper()
		b.waitJS(what, `window.loadersRan === true && document.readyState === 'complete'`)
	}

	b.open("/")
	b.waitBanner()
	settle("the page's loaders to run")
	// Every run-time loader and the markup crumb leaves is refused by the
	// browser, which says so: wait for its reports rather than for time.
	b.waitJS("the policy to refuse the run-time loaders", `window.blocked.length >= 6`)
	if diff := hitURLs(b.trackers.Hits()); len(diff) != 0 {
		t.Errorf("requests reached the trackers before consent: %v", diff)
	}
	blocked := eval[[]string](b, `window.blocked`)
	t.Logf("refused before consent: %d: %v", len(blocked), blocked)
	if eval[string](b, `document.getElementById('marker').textContent`) != "page rendered" {
		t.Error("the page did not render")
	}

	b.do("click Accept", chromedp.Click(chromedp.CSS(acceptSel)))
	b.waitFor("every loader to reach the trackers after Accept", func() (bool, string) {
		got := hitURLs(b.trackers.Hits())
		var miss []string
		for _, w := range everyLoaderHits {
			if !slices.Contains(got, w) {
				miss = append(miss, w)
			}
		}
		return len(miss) == 0, fmt.Sprintf("missing %v; hits %v", miss, got)
	})
	if st, ok := b.consentState(); !ok || !st.Granted("analytics") || !st.Granted("marketing") {
		t.Errorf("the decision did not reach the site (the page's <base> points at a tracker): %v", choices(st))
	}

	// Withdraw from the page itself, then load it again.
	ok := eval[bool](b, `fetch(location.origin + '/consent/decide', {method: 'POST', headers: {Accept: 'application/json'},
		body: new URLSearchParams('action=reject')}).then(r => r.ok)`, chromedp.EvalAwaitPromise)
	if !ok {
		t.Fatal("withdrawal refused")
	}
	mark := len(b.trackers.Hits())
	b.do("reload", chromedp.Reload())
	settle("the page's loaders to run after withdrawal")
	b.waitJS("the policy to refuse them again", `window.blocked.length >= 6`)
	if got := hitURLs(b.trackers.HitsSince(mark)); len(got) != 0 {
		t.Errorf("requests reached the trackers after withdrawal: %v", got)
	}
}
