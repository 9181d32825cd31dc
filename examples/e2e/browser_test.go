package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/crumbhq/crumb/classify"
	"github.com/crumbhq/crumb/consent"
)

// Waits are generous: the suite runs on small, shared CI machines where a
// cold Chromium can take seconds to paint. Nothing sleeps to synchronise;
// every wait polls a condition until its deadline.
const (
	testTimeout = 3 * time.Minute  // a whole test, browser start included
	waitTimeout = 45 * time.Second // one condition
)

// browser is one headless Chromium with a fresh profile, whose resolver
// sends the tracker hosts to a fake tracker server and no other name
// anywhere, and one tab in it.
type browser struct {
	t        *testing.T
	ctx      context.Context // the tab
	site     *site
	trackers *Trackers

	mu         sync.Mutex
	requested  []string // every URL the tab asked for, in order
	setCookies []string // every Set-Cookie line the tab received, in order
}

// newBrowser starts the demo, the fake trackers and a browser for the test.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	return newBrowserArgs(t)
}

// newBrowserArgs is newBrowser with the demo started with the flags args.
func newBrowserArgs(t *testing.T, args ...string) *browser {
	t.Helper()
	requireChromium(t)
	return newBrowserAt(t, startDemo(t, args...))
}

// newBrowserAt starts the fake trackers and a browser for a test of site s.
// With everyHost, every name but localhost resolves to the fake trackers,
// which then record the requests to every third party of a page.
func newBrowserAt(t *testing.T, s *site, everyHost ...bool) *browser {
	t.Helper()
	chromium := requireChromium(t)
	trackers := NewTrackers()
	rules := trackers.ResolverRules()
	if len(everyHost) > 0 && everyHost[0] {
		rules = "MAP * " + trackers.Addr() + ", EXCLUDE localhost"
	}
	t.Cleanup(trackers.Close)

	profile := t.TempDir() // registered before the browser, so removed after it exits
	allowThirdPartyCookies(t, profile)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox, // the CI machine runs as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.IgnoreCertErrors, // the fake trackers' certificate is self-signed
		chromedp.Flag("host-resolver-rules", rules),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 800),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tctx, cancelTab := chromedp.NewContext(actx)
	// The first Run on a context starts the browser, which then lives as
	// long as that context: so the test's deadline is set here, on the tab.
	ctx, cancelTimeout := context.WithTimeout(tctx, testTimeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc() // waits for the browser process to exit
	})

	b := &browser{t: t, ctx: ctx, site: s, trackers: trackers}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	requests := chromedp.Events(ctx, network.RequestWillBeSent)
	go func() {
		for ev, err := range requests {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.requested = append(b.requested, ev.Request.URL)
			b.mu.Unlock()
		}
	}()
	// The raw headers show what the server itself did to the cookies.
	responses := chromedp.Events(ctx, network.ResponseReceivedExtraInfo)
	go func() {
		for ev, err := range responses {
			if err != nil {
				return
			}
			for k, v := range ev.Headers {
				if s, ok := v.(string); ok && strings.EqualFold(k, "Set-Cookie") {
					b.mu.Lock()
					b.setCookies = append(b.setCookies, strings.Split(s, "\n")...)
					b.mu.Unlock()
				}
			}
		}
	}()
	return b
}

// use makes the browser report to a subtest until the returned func runs.
func (b *browser) use(t *testing.T) (restore func()) {
	parent := b.t
	b.t = t
	return func() { b.t = parent }
}

// allowThirdPartyCookies writes the profile's preferences so that the
// browser keeps third-party cookies. Chromium's own default blocks them,
// which would make "no tracker cookie before consent" true whatever the
// shop does; most visitors' browsers still accept them, so the tests do too.
func allowThirdPartyCookies(t *testing.T, profile string) {
	t.Helper()
	prefs := `{"profile": {"cookie_controls_mode": 0, "block_third_party_cookies": false}}`
	dir := filepath.Join(profile, "Default")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Preferences"), []byte(prefs), 0o644); err != nil {
		t.Fatal(err)
	}
}

// do runs the steps and fails the test on error.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open navigates the tab to a path of the demo and waits for the load event.
func (b *browser) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.site.URL+path))
}

// eval evaluates a script in the page and decodes its result into T.
func eval[T any](b *browser, script string, opts ...chromedp.EvaluateOption) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](script, opts...))
	if err != nil {
		b.t.Fatalf("evaluating %.80q: %v", script, err)
	}
	return v
}

// waitJS polls a script in the page until it is truthy. An evaluation that
// fails, as it does while a form post navigates the tab, counts as not yet.
func (b *browser) waitJS(what, script string) {
	b.t.Helper()
	b.waitFor(what, func() (bool, string) {
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		defer cancel()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+script+")"))
		if err != nil {
			return false, err.Error()
		}
		return ok, "still false: " + script
	})
}

// waitFor polls cond from the test until it reports true, and fails the test
// with cond's last explanation when the deadline passes.
func (b *browser) waitFor(what string, cond func() (bool, string)) {
	b.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		ok, why := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) || b.ctx.Err() != nil {
			b.t.Fatalf("waiting for %s: gave up after %v: %s", what, waitTimeout, why)
		}
		time.Sleep(50 * time.Millisecond) // polling interval, not synchronisation
	}
}

// offSite returns the URLs the tab requested outside the demo itself.
func (b *browser) offSite() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, u := range b.requested {
		p, err := url.Parse(u)
		if err != nil || p.Scheme == "data" || p.Scheme == "blob" || p.Scheme == "about" {
			continue
		}
		if p.Hostname() != "localhost" {
			out = append(out, u)
		}
	}
	return out
}

// deletedByServer reports the cookies of those names that a response
// deleted (Max-Age=0 or an Expires in the past), as name@domain.
func (b *browser) deletedByServer(names ...string) []string {
	b.mu.Lock()
	lines := slices.Clone(b.setCookies)
	b.mu.Unlock()
	var out []string
	for _, line := range lines {
		c, err := http.ParseSetCookie(line)
		if err != nil || !slices.Contains(names, c.Name) {
			continue
		}
		if c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			out = append(out, c.Name+"@"+c.Domain)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// cookies returns every cookie in the browser, first and third party.
func (b *browser) cookies() []*network.Cookie {
	b.t.Helper()
	res, err := chromedp.CallBrowser(b.ctx, storage.GetCookies, storage.GetCookiesParams{})
	if err != nil {
		b.t.Fatalf("Storage.getCookies: %v", err)
	}
	return res.Cookies
}

// cookieNames lists cookies as "name@domain", sorted.
func cookieNames(cs []*network.Cookie) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Name+"@"+c.Domain)
	}
	sort.Strings(out)
	return out
}

// hasCookie reports whether a cookie of that name exists on a domain that
// ends in domain (".facebook.com" matches a cookie on "facebook.com" too).
func hasCookie(cs []*network.Cookie, name, domain string) bool {
	return slices.ContainsFunc(cs, func(c *network.Cookie) bool {
		return c.Name == name && strings.HasSuffix("."+strings.TrimPrefix(c.Domain, "."), domain)
	})
}

// optionalCookies returns the cookies that need consent: those crumb's
// catalog files under a category other than necessary, and any cookie on a
// tracker's domain whatever its name.
func optionalCookies(cs []*network.Cookie) []string {
	cat := classify.Builtin()
	var out []string
	for _, c := range cs {
		domain := strings.TrimPrefix(c.Domain, ".")
		entry, known := cat.LookupCookie(c.Name, domain)
		switch {
		case domain != "localhost":
			out = append(out, c.Name+"@"+c.Domain+" (third party)")
		case known && entry.Category != classify.Necessary:
			out = append(out, c.Name+"@"+c.Domain+" ("+entry.Category.String()+")")
		}
	}
	sort.Strings(out)
	return out
}

// hitURLs lists hits as host+path, in arrival order.
func hitURLs(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.URL())
	}
	return out
}

// trackerRuns reads the counters the fake scripts keep in the page.
func (b *browser) trackerRuns() map[string]int {
	b.t.Helper()
	return eval[map[string]int](b, `window.fakeTrackers || {}`)
}

// consentState decodes the browser's consent cookie with a Manager of our own
// that shares the demo's signing key. It reports false when the browser
// holds no consent cookie.
func (b *browser) consentState() (consent.State, bool) {
	b.t.Helper()
	m, err := consent.New(consent.Config{Keys: []consent.Key{{Hash: demoKey}}, Insecure: true})
	if err != nil {
		b.t.Fatal(err)
	}
	var value string
	for _, c := range b.cookies() {
		if c.Name == m.CookieName() && c.Domain == "localhost" {
			value = c.Value
		}
	}
	if value == "" {
		return consent.State{}, false
	}
	var st consent.State
	h := m.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { st = consent.FromRequest(r) }))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(&http.Cookie{Name: m.CookieName(), Value: value})
	h.ServeHTTP(httptest.NewRecorder(), req)
	return st, true
}

// choices renders a state's stored choices as "category=choice", sorted.
func choices(st consent.State) []string {
	var out []string
	for _, c := range st.Choices() {
		out = append(out, c.Category+"="+st.Stored(c.Category).String())
	}
	sort.Strings(out)
	return out
}
