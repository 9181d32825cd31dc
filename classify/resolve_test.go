package classify

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEntryPointsAgree checks issue 17's "one URL, one answer": wherever
// the host or the endpoint decides, an img pixel, a script, a link, an
// iframe, a ping and an attributionsrc to the same URL get the category
// ResolveURL gives. Elements are visible and full-size so that no
// element-specific heuristic speaks.
func TestEntryPointsAgree(t *testing.T) {
	c := MustCatalog(nil, []Tracker{
		{Host: "facebook.com", Category: Social, Provider: "Meta"},
		{Host: "google-analytics.com", Category: Analytics, Provider: "Google Analytics"},
		{Host: "doubleclick.net", Category: Marketing, Provider: "Google Ads"},
		{Host: "youtube.com", Category: Social, Provider: "YouTube"},
		{Host: "hotjar.com", Category: Analytics, Provider: "Hotjar"},
		{Host: "cdn.shop.example", Category: Necessary, Provider: "Shop CDN"},
	})
	const page = "www.shop.example"
	tests := []struct {
		url  string
		want beaconResult
	}{
		// The case: a social host serving a marketing beacon.
		{"https://www.facebook.com/tr?id=1&ev=PageView", beaconResult{Marketing, ReasonTrackerHost | ReasonEndpoint, true}},
		{"https://www.facebook.com/plugins/like.php?href=x", beaconResult{Social, ReasonTrackerHost, true}},
		// An analytics endpoint on a marketing host stays marketing.
		{"https://stats.g.doubleclick.net/g/collect?v=2&tid=G-1", beaconResult{Marketing, ReasonTrackerHost | ReasonEndpoint, true}},
		{"https://ad.doubleclick.net/pagead/viewthroughconversion/1/", beaconResult{Marketing, ReasonTrackerHost, true}},
		// A marketing endpoint on an analytics host is marketing.
		{"https://www.google-analytics.com/pixel?id=3", beaconResult{Marketing, ReasonTrackerHost | ReasonEndpoint, true}},
		{"https://www.google-analytics.com/g/collect?v=2&tid=G-1", beaconResult{Analytics, ReasonTrackerHost | ReasonEndpoint, true}},
		// Social outranks analytics.
		{"https://www.youtube.com/collect?v=1", beaconResult{Social, ReasonTrackerHost | ReasonEndpoint, true}},
		{"https://script.hotjar.com/modules.js", beaconResult{Analytics, ReasonTrackerHost, true}},
		// Endpoints wherever hosted, the page's own site included.
		{"https://www.shop.example/matomo.php?idsite=1&rec=1", beaconResult{Analytics, ReasonEndpoint, true}},
		{"/metrics/g/collect?v=2&tid=G-1", beaconResult{Analytics, ReasonEndpoint, true}},
		{"https://cdn.shop.example/tr?id=9", beaconResult{Marketing, ReasonEndpoint, true}},
		// A necessary host without an endpoint is no tracker anywhere.
		{"https://cdn.shop.example/app.js", beaconResult{}},
		{"https://www.shop.example/logo.png", beaconResult{}},
	}
	entries := []struct {
		name  string
		judge func(url string) (Category, BeaconReason, bool)
	}{
		{"img pixel", func(u string) (Category, BeaconReason, bool) {
			return c.Beacon(Element{Tag: "img", URL: u, Width: "300", Height: "200", PageHost: page})
		}},
		{"img, host given", func(u string) (Category, BeaconReason, bool) {
			return c.Beacon(Element{Tag: "img", URL: u, Host: HostOf(u), PageHost: page})
		}},
		{"script", func(u string) (Category, BeaconReason, bool) {
			return c.Beacon(Element{Tag: "script", URL: u, PageHost: page})
		}},
		{"link", func(u string) (Category, BeaconReason, bool) {
			return c.Beacon(Element{Tag: "link", URL: u, PageHost: page})
		}},
		{"iframe", func(u string) (Category, BeaconReason, bool) {
			return c.Beacon(Element{Tag: "iframe", URL: u, Width: "560", Height: "315", PageHost: page})
		}},
		{"ping", func(u string) (Category, BeaconReason, bool) { return c.PingBeacon(page, u) }},
		{"attributionsrc", func(u string) (Category, BeaconReason, bool) {
			return c.PingBeacon(page, "\t"+u+" ")
		}},
		{"ResolveURL", c.ResolveURL},
		{"ResolveKnownHost", func(u string) (Category, BeaconReason, bool) {
			h := HostOf(u)
			if h == "" {
				h = page // a relative URL reaches the page's host
			}
			t, known := c.LookupHost(h)
			return ResolveKnownHost(t, known, h, u)
		}},
	}
	for _, tt := range tests {
		for _, e := range entries {
			var got beaconResult
			got.Category, got.Reason, got.OK = e.judge(tt.url)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s %q (-want +got):\n%s", e.name, tt.url, diff)
			}
		}
		// ResolveKnownCategory answers without the reason.
		h := HostOf(tt.url)
		if h == "" {
			h = page
		}
		tr, known := c.LookupHost(h)
		cat, ok := ResolveKnownCategory(tr, known, h, tt.url)
		if cat != tt.want.Category || ok != tt.want.OK {
			t.Errorf("ResolveKnownCategory %q = %v, %v; want %v, %v", tt.url, cat, ok, tt.want.Category, tt.want.OK)
		}
	}

	// The built-in catalog, which files facebook.com under social.
	b := Builtin()
	const pixel = "https://www.facebook.com/tr?id=1234567890&ev=PageView&noscript=1"
	want, _, _ := b.ResolveURL(pixel)
	if want != Marketing {
		t.Fatalf("Builtin().ResolveURL(Meta Pixel) = %v, want marketing", want)
	}
	for _, got := range []Category{
		first(b.Beacon(Element{Tag: "img", URL: pixel, Width: "1", Height: "1", PageHost: page})),
		first(b.Beacon(Element{Tag: "script", URL: pixel, PageHost: page})),
		first(b.Beacon(Element{Tag: "link", URL: pixel, PageHost: page})),
		first(b.PingBeacon(page, pixel)),
	} {
		if got != want {
			t.Errorf("an entry point of Builtin() calls the Meta Pixel %v, want %v", got, want)
		}
	}
}

func first(c Category, _ BeaconReason, _ bool) Category { return c }

// TestStricter pins the one strictness order.
func TestStricter(t *testing.T) {
	order := []Category{Unknown, Necessary, Preferences, Analytics, Social, Marketing}
	for i, a := range order {
		for j, b := range order {
			want := a
			if j > i {
				want = b
			}
			if got := Stricter(a, b); got != want {
				t.Errorf("Stricter(%v, %v) = %v, want %v", a, b, got, want)
			}
			if got := stricter(a, b); got != (i > j) {
				t.Errorf("stricter(%v, %v) = %v, want %v", a, b, got, i > j)
			}
		}
	}
	if got := Stricter(Category(200), Necessary); got != Necessary {
		t.Errorf("Stricter(invalid, necessary) = %v, want necessary", got)
	}
}
