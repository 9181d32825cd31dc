package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// shopifyPage is a real Shopify product page saved with its inline loaders
// (a Triple Whale pixel, an Elevar tag suite, a retargeting host, Shopify's
// own analytics edge), from the shared data sets.
var shopifyPage = filepath.Join("..", "..", "..", "shared", "data", "html", "partytown", "underoutfit-shopify.standard.html")

// shopifyNecessary are the hosts the shop's owner would declare necessary:
// Shopify's CDN and fonts, the page builder its pages are drawn with, the
// shop's own domain, and the payment widgets of its checkout.
var shopifyNecessary = []string{
	"cdn.shopify.com", "fonts.shopifycdn.com", "cdn.builder.io", "underoutfit.com",
	"static-us.afterpay.com", "static-na.payments-amazon.com",
}

// proxyBinary builds examples/proxy once per run.
var proxyBinary = sync.OnceValues(func() (string, error) { return buildExample("proxy") })

// startShopifyProxy serves the saved page from a local upstream and puts
// examples/proxy in front of it, told only the necessary hosts.
func startShopifyProxy(t *testing.T, page []byte) *site {
	t.Helper()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	t.Cleanup(up.Close)
	bin, err := proxyBinary()
	if err != nil {
		t.Fatal(err)
	}
	return startExample(t, "proxy", bin, "-upstream", up.URL, "-necessary-hosts", strings.Join(shopifyNecessary, ","))
}

// byHost counts hits per host, hosts not in allowed only.
func byHost(hits []Hit, allowed func(string) bool) map[string]int {
	out := map[string]int{}
	for _, h := range hits {
		if !allowed(h.Host) {
			out[h.Host]++
		}
	}
	return out
}

func hostTable(m map[string]int) string {
	hosts := make([]string, 0, len(m))
	for h := range m {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	var b strings.Builder
	for _, h := range hosts {
		fmt.Fprintf(&b, "\n  %4d %s", m[h], h)
	}
	return b.String()
}

// TestPolicyShopifyPage puts crumb, through examples/proxy, in front of a
// real Shopify page whose loaders crumb's rewriter cannot all see, and
// counts, at a fake server every third-party name resolves to, what the
// browser requests: before consent nothing but the declared necessary
// hosts and crumb's infrastructure list; after Accept all the trackers.
func TestPolicyShopifyPage(t *testing.T) {
	requireChromium(t)
	page, err := os.ReadFile(shopifyPage)
	if err != nil {
		t.Skip("the shared data sets are not beside the repository:", err)
	}
	b := newBrowserAt(t, startShopifyProxy(t, page), true)
	// The browser makes requests of its own (sign-in, autofill, updates);
	// only what the page asked for counts.
	fromPage := func(host string) bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, u := range b.requested {
			if strings.HasPrefix(u, "https://"+host+"/") || strings.HasPrefix(u, "http://"+host+"/") {
				return true
			}
		}
		return false
	}
	necessary := func(host string) bool {
		if !fromPage(host) {
			return true // not the page's: left out
		}
		for _, n := range append(slices.Clone(shopifyNecessary), "js.stripe.com", "cdn.jsdelivr.net") {
			if host == n || strings.HasSuffix(host, "."+n) {
				return true
			}
		}
		return false
	}

	b.open("/")
	b.waitBanner()
	b.waitJS("the page to finish loading", `document.readyState === 'complete'`)
	// Loaders start on timers and on load; give them the time a visitor
	// takes to read the banner. The count can only grow with waiting.
	b.do("wait", chromedp.Sleep(3*time.Second))
	before := byHost(b.trackers.Hits(), necessary)
	t.Logf("third-party requests before consent, by host (declared necessary hosts left out):%s", hostTable(before))
	all := byHost(b.trackers.Hits(), func(h string) bool { return !fromPage(h) })
	t.Logf("all third-party requests before consent:%s", hostTable(all))
	if len(before) != 0 {
		t.Errorf("requests reached hosts that need consent before any choice:%s", hostTable(before))
	}
	if n := eval[int](b, `document.body.innerText.length`); n < 500 {
		t.Errorf("the page rendered %d characters of text", n)
	}
	if !eval[bool](b, `document.body.textContent.includes('Add to bag')`) {
		t.Errorf("the product page lost its 'Add to bag'")
	}
	b.screenshot("shopify-before-consent", false)

	mark := len(b.trackers.Hits())
	b.do("click Accept", chromedp.Click(chromedp.CSS(acceptSel)))
	b.waitFor("trackers to fire after Accept all", func() (bool, string) {
		after := byHost(b.trackers.HitsSince(mark), necessary)
		return len(after) >= 3, "hosts so far:" + hostTable(after)
	})
	b.do("wait", chromedp.Sleep(2*time.Second))
	t.Logf("third-party requests after Accept all, by host (necessary left out):%s", hostTable(byHost(b.trackers.HitsSince(mark), necessary)))
}
