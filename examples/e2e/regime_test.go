package e2e

import (
	"fmt"
	"slices"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// marketingHosts are the hosts of the shop's marketing tags (Meta's pixel
// and LinkedIn's Insight tag), which crumb's catalog files under
// marketing, refused by GPC as sale or share. stats.g.doubleclick.net is
// left out: the fake gtag.js, an analytics tag the visitor is not refused,
// pings it from script, which no server-side rewrite can stop (a
// Content-Security-Policy would).
var marketingHosts = []string{"connect.facebook.net", "www.facebook.com", "px.ads.linkedin.com"}

// TestRegimesByRegion runs the demo with -cloudflare-regions and visits as
// an EU and a California visitor (the test sets Cloudflare's headers, as
// Cloudflare would), with GPC off and on, counting what reaches the fake
// trackers before any choice: nothing from the EU, everything from
// California, and nothing of marketing from California under GPC, whose
// banner then says the signal is honoured.
func TestRegimesByRegion(t *testing.T) {
	b := newBrowserArgs(t, "-cloudflare-regions")
	tests := []struct {
		name      string
		headers   network.Headers
		variant   string // the banner's data-crumb-variant, "" for the consent banner
		gpcNote   bool
		anyHit    bool // some tracker request
		marketing bool // a request to a marketing host
	}{
		{"EU", network.Headers{"CF-IPCountry": "DE"}, "", false, false, false},
		{"EU with GPC", network.Headers{"CF-IPCountry": "DE", "Sec-GPC": "1"}, "", true, false, false},
		{"California", network.Headers{"CF-IPCountry": "US", "CF-Region-Code": "CA"}, "optout", false, true, true},
		{"California with GPC", network.Headers{"CF-IPCountry": "US", "CF-Region-Code": "CA", "Sec-GPC": "1"}, "optout", true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer b.use(t)()
			if _, err := chromedp.Call(b.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Call(b.ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: tt.headers}); err != nil {
				t.Fatal(err)
			}
			since := len(b.trackers.Hits())
			b.open("/product/starter")
			b.waitBanner()
			type seen struct {
				Variant      string
				GPCNote      bool
				AnyHit, Mktg bool
			}
			want := seen{tt.variant, tt.gpcNote, tt.anyHit, tt.marketing}
			var got seen
			b.waitFor("the page's tracker requests", func() (bool, string) {
				got.Variant = eval[string](b, `document.querySelector('#crumb-banner').dataset.crumbVariant || ''`)
				got.GPCNote = eval[bool](b, `!!document.querySelector('#crumb-banner [data-crumb-gpc]')`)
				hits := b.trackers.HitsSince(since)
				got.AnyHit, got.Mktg = len(hits) > 0, false
				for _, h := range hits {
					if slices.Contains(marketingHosts, h.Host) {
						got.Mktg = true
					}
				}
				return cmp.Equal(want, got), fmt.Sprintf("(-want +got):\n%s\nhits: %v", cmp.Diff(want, got), hitURLs(hits))
			})
			if !tt.anyHit || tt.marketing {
				return
			}
			// GPC on: the tags that did run asked none of the marketing hosts,
			// and still do not after a reload.
			b.do("reload", chromedp.Reload())
			for _, h := range b.trackers.HitsSince(since) {
				if slices.Contains(marketingHosts, h.Host) {
					t.Errorf("under GPC a marketing host was asked: %s", h.URL())
				}
			}
		})
	}
}
