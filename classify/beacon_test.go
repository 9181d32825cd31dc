package classify

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// beaconTestCatalog is a small hand-written tracker table, so that the
// beacon rules are tested apart from what the built-in catalog lists.
func beaconTestCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := NewCatalog(nil, []Tracker{
		{Host: "facebook.com", Category: Marketing, Provider: "Meta"},
		{Host: "facebook.net", Category: Marketing, Provider: "Meta"},
		{Host: "ads.linkedin.com", Category: Marketing, Provider: "LinkedIn"},
		{Host: "ct.pinterest.com", Category: Marketing, Provider: "Pinterest"},
		{Host: "google-analytics.com", Category: Analytics, Provider: "Google Analytics"},
		{Host: "googletagmanager.com", Category: Analytics, Provider: "Google Tag Manager"},
		{Host: "doubleclick.net", Category: Marketing, Provider: "Google"},
		{Host: "bat.bing.com", Category: Marketing, Provider: "Microsoft Advertising"},
		{Host: "analytics.twitter.com", Category: Marketing, Provider: "X"},
		{Host: "t.co", Category: Marketing, Provider: "X"},
		{Host: "alb.reddit.com", Category: Marketing, Provider: "Reddit"},
		{Host: "analytics.tiktok.com", Category: Marketing, Provider: "TikTok"},
		{Host: "tr.snapchat.com", Category: Marketing, Provider: "Snap"},
		{Host: "youtube.com", Category: Social, Provider: "YouTube"},
		{Host: "cdnjs.cloudflare.com", Category: Necessary, Provider: "Cloudflare"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type beaconResult struct {
	Category Category
	Reason   BeaconReason
	OK       bool
}

func TestBeacon(t *testing.T) {
	c := beaconTestCatalog(t)
	const page = "www.shop.example"
	img := func(url string) Element { return Element{Tag: "img", URL: url, PageHost: page} }
	pixel := func(url string) Element { // the noscript 1x1 shape most vendor snippets use
		return Element{Tag: "img", URL: url, Width: "1", Height: "1", Style: "display:none", InNoscript: true, PageHost: page}
	}
	no := beaconResult{}
	tests := []struct {
		name string
		e    Element
		want beaconResult
	}{
		// Vendor snippets (SNIPPET-SHAPES.md, standards section 6), known hosts.
		{"meta noscript pixel", pixel("https://www.facebook.com/tr?id=1234567890&ev=PageView&noscript=1"),
			beaconResult{Marketing, ReasonTrackerHost | ReasonEndpoint, true}},
		{"meta test page img", img("//facebook.com/tr?test=1"), beaconResult{Marketing, ReasonTrackerHost | ReasonEndpoint, true}},
		{"linkedin insight", pixel("https://px.ads.linkedin.com/collect/?pid=123456&fmt=gif"),
			beaconResult{Marketing, ReasonTrackerHost | ReasonEndpoint, true}},
		{"pinterest", pixel("https://ct.pinterest.com/v3/?event=init&tid=2612345678901&noscript=1"),
			beaconResult{Marketing, ReasonTrackerHost, true}}, // "/v3/?..&tid=" is no endpoint shape; the host decides
		{"ga4", img("https://region1.google-analytics.com/g/collect?v=2&tid=G-TEST123&cid=1.2"),
			beaconResult{Analytics, ReasonTrackerHost | ReasonEndpoint, true}},
		{"google ads view-through", img("https://googleads.g.doubleclick.net/pagead/viewthroughconversion/123/?guid=ON&script=0"),
			beaconResult{Marketing, ReasonTrackerHost, true}},
		{"uet", pixel("//bat.bing.com/action/0?ti=12345678&Ver=2"), beaconResult{Marketing, ReasonTrackerHost, true}},
		{"x adsct", img("https://t.co/i/adsct?txn_id=abc&p_id=Twitter"), beaconResult{Marketing, ReasonTrackerHost | ReasonEndpoint, true}},
		{"x analytics", img("https://analytics.twitter.com/i/adsct?txn_id=abc"), beaconResult{Marketing, ReasonTrackerHost | ReasonEndpoint, true}},
		{"reddit", img("https://alb.reddit.com/rp.gif?ts=1&id=t2_abc&event=PageVisit"), beaconResult{Marketing, ReasonTrackerHost | ReasonEndpoint, true}},
		{"tiktok", img("https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=C123&lib=ttq"), beaconResult{Marketing, ReasonTrackerHost, true}},
		{"snap", img("https://tr.snapchat.com/p"), beaconResult{Marketing, ReasonTrackerHost, true}},
		{"gtm noscript iframe", Element{Tag: "iframe", URL: "https://www.googletagmanager.com/ns.html?id=GTM-TEST", Width: "0", Height: "0",
			Style: "display:none;visibility:hidden", InNoscript: true, PageHost: page}, beaconResult{Analytics, ReasonTrackerHost, true}},
		{"youtube embed", Element{Tag: "iframe", URL: "https://www.youtube.com/embed/abc", Width: "560", Height: "315", PageHost: page},
			beaconResult{Social, ReasonTrackerHost, true}},
		{"upper-case host", img("HTTPS://WWW.FACEBOOK.COM/tr?id=1"), beaconResult{Marketing, ReasonTrackerHost | ReasonEndpoint, true}},
		// Endpoints on hosts the catalog does not know: server-side tagging,
		// self-hosted Matomo, first-party CNAMEs.
		{"matomo self-hosted", Element{Tag: "img", URL: "//stats.shop.example/matomo.php?idsite=1&rec=1", Style: "border:0", InNoscript: true, PageHost: page},
			beaconResult{Analytics, ReasonEndpoint, true}},
		{"piwik relative", img("/piwik.php?idsite=3&rec=1"), beaconResult{Analytics, ReasonEndpoint, true}},
		{"server-side ga4", img("https://metrics.shop.example/g/collect?v=2&tid=G-X"), beaconResult{Analytics, ReasonEndpoint, true}},
		{"ua collect", img("https://collector.example/collect?v=1&tid=UA-1-1&t=pageview"), beaconResult{Analytics, ReasonEndpoint, true}},
		{"adobe", img("https://smetrics.shop.example/b/ss/shoprsid/1/JS-2.22.0/s123?AQB=1&pageName=home"), beaconResult{Analytics, ReasonEndpoint, true}},
		{"legacy utm gif", img("https://stats.example.net/__utm.gif?utmwv=5&utmac=UA-1"), beaconResult{Analytics, ReasonEndpoint, true}},
		{"meta capi gateway", img("https://capig.shop.example/tr/?id=1&ev=Purchase"), beaconResult{Marketing, ReasonEndpoint, true}},
		{"generic pixel path", img("https://ads.example.org/pixel?cid=7"), beaconResult{Marketing, ReasonEndpoint, true}},
		{"generic track path", img("https://ads.example.org/v1/track?e=view"), beaconResult{Marketing, ReasonEndpoint, true}},
		{"p.gif", img("https://px.example.org/p.gif?u=1"), beaconResult{Marketing, ReasonEndpoint, true}},
		{"gif with id", img("https://ads.example.org/img/s.gif?pid=42&r=1"), beaconResult{Marketing, ReasonEndpoint, true}},
		{"gif with noscript=1", img("https://ads.example.org/a.GIF?noscript=1"), beaconResult{Marketing, ReasonEndpoint, true}},
		// E-mail opens.
		{"mailchimp", img("https://shop.us5.list-manage.com/track/open.php?u=abc&id=def&e=ghi"), beaconResult{Marketing, ReasonEmailOpen, true}},
		{"sendgrid", img("https://u123.ct.sendgrid.net/wf/open?upn=xyz"), beaconResult{Marketing, ReasonEmailOpen, true}},
		{"hubspot", img("https://t.hubspotemail.net/e2t/o/5/abc"), beaconResult{Marketing, ReasonEmailOpen, true}},
		{"salesforce mc", img("https://click.e.brand.exct.net/open.aspx?ffcb10-abc"), beaconResult{Marketing, ReasonEmailOpen, true}},
		// Heuristic: tiny or hidden, cross-site, and an id or noscript.
		{"unknown 1x1 cross-site with id", Element{Tag: "img", URL: "https://collect.unknown-ads.example/i?id=abc", Width: "1", Height: "1", PageHost: page},
			beaconResult{Marketing, ReasonTinyOrHidden | ReasonCrossSite | ReasonIDQuery, true}},
		{"unknown hidden in noscript", Element{Tag: "img", URL: "https://collect.unknown-ads.example/i/abc", Style: "display: none !important", InNoscript: true, PageHost: page},
			beaconResult{Marketing, ReasonTinyOrHidden | ReasonCrossSite | ReasonNoscript, true}},
		{"unknown css 1px", Element{Tag: "img", URL: "https://x.unknown.example/v?ev=pv", Style: "width:1px;height:1px", PageHost: page},
			beaconResult{Marketing, ReasonTinyOrHidden | ReasonCrossSite | ReasonIDQuery, true}},
		{"unknown hidden attribute", Element{Tag: "img", URL: "https://x.unknown.example/v?tid=9", Hidden: true, PageHost: page},
			beaconResult{Marketing, ReasonTinyOrHidden | ReasonCrossSite | ReasonIDQuery, true}},
		{"hidden iframe", Element{Tag: "iframe", URL: "https://sync.unknown.example/frame?pid=1", Width: "0", Height: "0", PageHost: page},
			beaconResult{Marketing, ReasonTinyOrHidden | ReasonCrossSite | ReasonIDQuery, true}},
		{"other github.io site", Element{Tag: "img", URL: "https://tracker.github.io/x?id=1", Width: "1", Height: "1", PageHost: "me.github.io"},
			beaconResult{Marketing, ReasonTinyOrHidden | ReasonCrossSite | ReasonIDQuery, true}},

		// Negative cases.
		{"same-site spacer gif", Element{Tag: "img", URL: "/img/spacer.gif", Width: "1", Height: "1", PageHost: page}, no},
		{"same-site spacer absolute", Element{Tag: "img", URL: "https://cdn.shop.example/s.gif?v=3", Width: "1", Height: "1", PageHost: page}, no},
		{"same-site 1px with id but no gif", Element{Tag: "img", URL: "https://www.shop.example/img/dot.png?id=4", Width: "1", Height: "1", PageHost: page}, no},
		{"product image", Element{Tag: "img", URL: "https://www.shop.example/products/shoe.jpg", Width: "640", Height: "480", PageHost: page}, no},
		{"cdn product image", Element{Tag: "img", URL: "https://cdn.shopify.com/s/files/1/shoe.jpg?v=1699", Width: "640", PageHost: page}, no},
		{"cross-site 1px without id", Element{Tag: "img", URL: "https://cdn.other.example/dot.png", Width: "1", Height: "1", PageHost: page}, no},
		{"cross-site id but visible", Element{Tag: "img", URL: "https://img.other.example/photo.jpg?id=7", Width: "300", Height: "200", PageHost: page}, no},
		{"cross-site tiny width only large height", Element{Tag: "img", URL: "https://img.other.example/line.png?id=7", Width: "1", Height: "400", PageHost: page}, no},
		{"percent size", Element{Tag: "img", URL: "https://img.other.example/x.png?id=7", Width: "1%", Height: "1%", PageHost: page}, no},
		{"necessary host", Element{Tag: "img", URL: "https://cdnjs.cloudflare.com/a.png?id=1", Width: "1", Height: "1", PageHost: page}, no},
		{"hidden script is normal", Element{Tag: "script", URL: "https://cdn.other.example/app.js?id=1", Hidden: true, PageHost: page}, no},
		{"track page path without query", img("https://music.example/album/track"), no},
		{"collection path", img("https://www.shop.example/collections/summer.jpg"), no},
		{"links are navigation", Element{Tag: "a", URL: "https://www.facebook.com/shop", PageHost: page}, no},
		{"empty url", Element{Tag: "img", PageHost: page}, no},
		{"data url", Element{Tag: "img", URL: "data:image/gif;base64,R0lGODlhAQABAAAAACw=", Width: "1", Height: "1", PageHost: page}, no},
	}
	for _, tt := range tests {
		cat, reason, ok := c.Beacon(tt.e)
		if diff := cmp.Diff(tt.want, beaconResult{cat, reason, ok}); diff != "" {
			t.Errorf("%s: Beacon(%+v) (-want +got):\n%s", tt.name, tt.e, diff)
		}
	}
}

func TestBeaconNilCatalog(t *testing.T) {
	var c *Catalog
	tests := []struct {
		e    Element
		want beaconResult
	}{
		{Element{Tag: "img", URL: "https://www.facebook.com/tr?id=1&ev=PageView&noscript=1"}, beaconResult{Marketing, ReasonEndpoint, true}},
		{Element{Tag: "img", URL: "https://bat.bing.com/action/0?ti=1"}, beaconResult{}}, // only the host tells this one
	}
	for _, tt := range tests {
		cat, reason, ok := c.Beacon(tt.e)
		if diff := cmp.Diff(tt.want, beaconResult{cat, reason, ok}); diff != "" {
			t.Errorf("Beacon(%q) (-want +got):\n%s", tt.e.URL, diff)
		}
	}
}

func TestPingBeacon(t *testing.T) {
	c := beaconTestCatalog(t)
	const page = "www.shop.example"
	tests := []struct {
		urls string
		want beaconResult
	}{
		{"", beaconResult{}},
		{"/audit", beaconResult{}},
		{"https://www.shop.example/audit https://shop.example/p", beaconResult{}},
		{"https://www.facebook.com/tr?id=1", beaconResult{Marketing, ReasonTrackerHost | ReasonEndpoint, true}},
		{"https://audit.other.example/ping", beaconResult{Marketing, ReasonCrossSite, true}},
		{"/collect?v=1&tid=UA-1", beaconResult{Analytics, ReasonEndpoint, true}},
		{"https://www.google-analytics.com/x", beaconResult{Analytics, ReasonTrackerHost, true}},
		// Several: the most demanding category, all reasons.
		{"  https://www.google-analytics.com/x\t\nhttps://audit.other.example/ping ", beaconResult{Marketing, ReasonTrackerHost | ReasonCrossSite, true}},
		{"https://www.youtube.com/p https://www.google-analytics.com/x", beaconResult{Social, ReasonTrackerHost, true}},
		{"https://cdnjs.cloudflare.com/x", beaconResult{}},
		{"mailto:a@b.example", beaconResult{}},
	}
	for _, tt := range tests {
		cat, reason, ok := c.PingBeacon(page, tt.urls)
		if diff := cmp.Diff(tt.want, beaconResult{cat, reason, ok}); diff != "" {
			t.Errorf("PingBeacon(%q) (-want +got):\n%s", tt.urls, diff)
		}
	}
}

func TestBeaconReasonString(t *testing.T) {
	tests := []struct {
		r    BeaconReason
		want string
	}{
		{0, "none"},
		{ReasonTrackerHost, "tracker-host"},
		{ReasonTinyOrHidden | ReasonCrossSite | ReasonIDQuery, "tiny-or-hidden+cross-site+id-query"},
		{ReasonEmailOpen | ReasonNoscript, "email-open+noscript"},
		{1 << 7, "unknown"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("BeaconReason(%d).String() = %q, want %q", uint8(tt.r), got, tt.want)
		}
	}
}

func TestTinyOrHidden(t *testing.T) {
	tests := []struct {
		w, h, style string
		want        bool
	}{
		{"1", "1", "", true},
		{"0", "0", "", true},
		{" 1px", "1.0", "", true},
		{"1", "", "", true},
		{"", "", "", false},
		{"2", "1", "", false},
		{"1", "1", "width:300px", false},
		{"", "", "width:0;height:0", true},
		{"", "", "WIDTH: 1PX; HEIGHT: 1PX", true},
		{"", "", "max-width:1px", false},
		{"", "", "line-height:1px", false},
		{"", "", "width:1em", false},
		{"", "", "display:none", true},
		{"", "", "display : NONE !important", true},
		{"640", "480", "visibility:hidden", true},
		{"", "", "visibility:visible", false},
		{"", "", "display:block;;:;", false},
		{"100%", "1", "", false},
		{"0%", "0", "", true},
		{"", "", "width:1em", false},
		{"", "", "width:0em;height:0", true},
		{"", "", "width:auto;height:1px", true},
	}
	for _, tt := range tests {
		if got := tinyOrHidden(tt.w, tt.h, tt.style); got != tt.want {
			t.Errorf("tinyOrHidden(%q, %q, %q) = %v, want %v", tt.w, tt.h, tt.style, got, tt.want)
		}
	}
}

// TestBeaconBuiltin runs the vendor pixels of the snippet notes against the
// built-in catalog: each must be a beacon of a category that needs consent,
// recognised by its host. The elements carry no size or noscript hints, so
// the heuristics cannot stand in for a missing catalog entry.
func TestBeaconBuiltin(t *testing.T) {
	c := Builtin()
	for _, u := range []string{
		"https://www.facebook.com/tr?id=1&ev=PageView&noscript=1",
		"https://px.ads.linkedin.com/collect/?pid=1&fmt=gif",
		"https://ct.pinterest.com/v3/?event=init&tid=1&noscript=1",
		"https://www.google-analytics.com/g/collect?v=2&tid=G-TEST123",
		"https://googleads.g.doubleclick.net/pagead/viewthroughconversion/1/",
		"https://bat.bing.com/action/0?ti=1&Ver=2",
		"https://t.co/i/adsct?txn_id=1",
		"https://alb.reddit.com/rp.gif?id=1",
		"https://analytics.tiktok.com/api/v2/pixel",
		"https://tr.snapchat.com/p",
		"https://www.googletagmanager.com/ns.html?id=GTM-TEST",
	} {
		e := Element{Tag: "img", URL: u, PageHost: "www.shop.example"}
		cat, reason, ok := c.Beacon(e)
		if !ok || !cat.NeedsConsent() || cat == Unknown || reason&ReasonTrackerHost == 0 {
			t.Errorf("Builtin().Beacon(%q) = %v, %v, %v; want a beacon needing consent", u, cat, reason, ok)
		}
	}
}

// TestMechanicsConcurrent calls the pure functions of this slice from many
// goroutines at once; under -race it proves they share no mutable state.
func TestMechanicsConcurrent(t *testing.T) {
	c := beaconTestCatalog(t)
	e := Element{Tag: "img", URL: "https://px.unknown-ads.example/i?pid=42", Width: "1", Height: "1", PageHost: "www.shop.example"}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	wantCat, wantReason, _ := c.Beacon(e)
	wantLife := SetCookieLifetime("_ga=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT", now)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if cat, r, _ := c.Beacon(e); cat != wantCat || r != wantReason {
					t.Errorf("Beacon = %v, %v; want %v, %v", cat, r, wantCat, wantReason)
					return
				}
				if l := SetCookieLifetime("_ga=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT", now); l != wantLife {
					t.Errorf("SetCookieLifetime = %+v, want %+v", l, wantLife)
					return
				}
				if s := Site("www.bücher.de"); s != "xn--bcher-kva.de" {
					t.Errorf("Site = %q", s)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestBeaconGivenHost checks that a caller's Host, as HostOf reads the
// URL, changes nothing.
func TestBeaconGivenHost(t *testing.T) {
	c := MustCatalog(nil, []Tracker{
		{Host: "facebook.com", Category: Marketing},
		{Host: "cdn.example", Category: Necessary},
	})
	type result struct {
		Cat    Category
		Reason BeaconReason
		OK     bool
	}
	for _, e := range []Element{
		{Tag: "img", URL: "https://www.facebook.com/tr?id=1&ev=PageView&noscript=1", Width: "1", Height: "1"},
		{Tag: "img", URL: "https://cdn.example/logo.png", Width: "1", Height: "1"},
		{Tag: "img", URL: "//pixel.example.net/p.gif?id=7", Style: "display:none", PageHost: "www.example.com"},
		{Tag: "img", URL: "https://stats.example.com/matomo.php?idsite=1&rec=1"},
		{Tag: "iframe", URL: "https://ads.example.org/frame?pid=3", Hidden: true, PageHost: "example.com"},
		{Tag: "img", URL: "/relative.gif?id=1", Width: "0"},
	} {
		var without, with result
		without.Cat, without.Reason, without.OK = c.Beacon(e)
		e.Host = HostOf(e.URL)
		with.Cat, with.Reason, with.OK = c.Beacon(e)
		if diff := cmp.Diff(without, with); diff != "" {
			t.Errorf("Beacon(%q) with Host %q (-without +with):\n%s", e.URL, e.Host, diff)
		}
	}
}

// A host filed under one category can serve a beacon of a more demanding
// one: the catalog files www.facebook.com under social (its plugins and
// embeds), but /tr is the Meta Pixel's conversion beacon, which is
// marketing, so a visitor who allowed social media only is not tracked by
// it. The reverse never loosens: an analytics-looking endpoint on a
// marketing host stays marketing.
func TestBeaconEndpointOutranksHost(t *testing.T) {
	c := MustCatalog(nil, []Tracker{
		{Host: "facebook.com", Category: Social, Provider: "Meta"},
		{Host: "ads.linkedin.com", Category: Marketing, Provider: "LinkedIn"},
	})
	tests := []struct {
		url  string
		want beaconResult
	}{
		{"https://www.facebook.com/tr?id=1&ev=PageView&noscript=1", beaconResult{Marketing, ReasonTrackerHost | ReasonEndpoint, true}},
		{"https://www.facebook.com/plugins/like.php?href=x", beaconResult{Social, ReasonTrackerHost, true}},
		{"https://px.ads.linkedin.com/collect/?pid=1&fmt=gif", beaconResult{Marketing, ReasonTrackerHost | ReasonEndpoint, true}},
	}
	for _, tt := range tests {
		var got beaconResult
		got.Category, got.Reason, got.OK = c.Beacon(Element{Tag: "img", URL: tt.url, PageHost: "www.shop.example"})
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Beacon(%q) (-want +got):\n%s", tt.url, diff)
		}
	}
	if cat, _, _ := Builtin().Beacon(Element{Tag: "img", URL: "https://www.facebook.com/tr?id=1&ev=PageView&noscript=1"}); cat != Marketing {
		t.Errorf("Builtin().Beacon(Meta Pixel /tr) category %v, want marketing", cat)
	}
}
