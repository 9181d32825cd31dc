package classify_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/crumbhq/crumb/classify"
)

func ExampleSetCookieLifetime() {
	now := time.Date(2025, time.June, 1, 12, 0, 0, 0, time.UTC)
	for _, line := range []string{
		"sid=abc; Path=/; HttpOnly",
		"_ga=GA1.1.123; Max-Age=63072000; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
		"prefs=dark; Expires=Sun, 01-Jun-25 13:00:00 GMT",
		"_fbp=; Max-Age=0",
	} {
		l := classify.SetCookieLifetime(line, now)
		fmt.Printf("%-6s persistent=%-5v deletion=%-5v capped=%-5v max-age=%v\n",
			classify.SetCookieName(line), l.Persistent, l.Deletion, l.Capped, l.MaxAge)
	}
	// Output:
	// sid    persistent=false deletion=false capped=false max-age=0s
	// _ga    persistent=true  deletion=false capped=true  max-age=9600h0m0s
	// prefs  persistent=true  deletion=false capped=false max-age=1h0m0s
	// _fbp   persistent=true  deletion=true  capped=false max-age=0s
}

func ExampleCookieLifetime() {
	now := time.Date(2025, time.June, 1, 12, 0, 0, 0, time.UTC)
	// Go leaves Expires zero for date layouts it does not know; the
	// lenient cookie-date algorithm still reads RawExpires.
	c, err := http.ParseSetCookie("id=1; Expires=Sun Jun 01 18:00:00 2025")
	if err != nil {
		panic(err)
	}
	l := classify.CookieLifetime(c, now)
	fmt.Println(c.Expires.IsZero(), l.Persistent, l.MaxAge)
	// Output: true true 6h0m0s
}

func ExampleParseCookieDate() {
	for _, s := range []string{
		"Wed, 09 Jun 2021 10:18:14 GMT",
		"Wednesday, 09-Jun-21 10:18:14 GMT",
		"Wed Jun  9 10:18:14 2021",
		"9 june 2021 10:18:14 +0200",
		"2021-06-09T10:18:14Z",
	} {
		t, ok := classify.ParseCookieDate(s)
		fmt.Println(t.Format(time.RFC3339), ok)
	}
	// Output:
	// 2021-06-09T10:18:14Z true
	// 2021-06-09T10:18:14Z true
	// 2021-06-09T10:18:14Z true
	// 2021-06-09T10:18:14Z true
	// 0001-01-01T00:00:00Z false
}

func ExampleTrimCookiePrefix() {
	fmt.Println(classify.TrimCookiePrefix("__Host-session"), classify.TrimCookiePrefix("__secure-token"), classify.TrimCookiePrefix("_ga"))
	// Output: session token _ga
}

func ExampleSite() {
	for _, h := range []string{"shop.example.co.uk", "www.example.co.uk:8443", "a.github.io", "b.github.io", "localhost", "[::1]:8080"} {
		fmt.Println(classify.Site(h))
	}
	// Output:
	// example.co.uk
	// example.co.uk
	// a.github.io
	// b.github.io
	// localhost
	// ::1
}

func ExampleThirdParty() {
	page := "www.shop.example"
	for _, res := range []string{
		"https://cdn.shop.example/app.js",
		"//connect.facebook.net/en_US/fbevents.js",
		"/img/logo.png",
		".doubleclick.net", // a cookie Domain attribute
	} {
		fmt.Println(classify.ThirdParty(page, res), res)
	}
	// Output:
	// false https://cdn.shop.example/app.js
	// true //connect.facebook.net/en_US/fbevents.js
	// false /img/logo.png
	// true .doubleclick.net
}

func ExampleHostOf() {
	fmt.Println(classify.HostOf("https://user@WWW.Example.com:8443/p?q#f"))
	fmt.Println(classify.HostOf("//cdn.example.net/lib.js"))
	fmt.Printf("%q\n", classify.HostOf("images/pixel.gif"))
	// Output:
	// www.example.com
	// cdn.example.net
	// ""
}

func ExampleCatalog_Beacon() {
	cat := classify.MustCatalog(nil, []classify.Tracker{
		{Host: "facebook.com", Category: classify.Marketing, Provider: "Meta"},
	})
	page := "www.shop.example"
	for _, e := range []classify.Element{
		// Meta Pixel's noscript image.
		{Tag: "img", URL: "https://www.facebook.com/tr?id=123&ev=PageView&noscript=1",
			Width: "1", Height: "1", Style: "display:none", InNoscript: true, PageHost: page},
		// Self-hosted Matomo: first party, but a known endpoint.
		{Tag: "img", URL: "/matomo.php?idsite=1&rec=1", PageHost: page},
		// An unknown cross-site 1x1 image carrying an id.
		{Tag: "img", URL: "https://px.unknown-ads.example/i?pid=42", Width: "1", Height: "1", PageHost: page},
		// A same-site spacer.
		{Tag: "img", URL: "/img/spacer.gif", Width: "1", Height: "1", PageHost: page},
	} {
		c, why, ok := cat.Beacon(e)
		fmt.Println(ok, c, why)
	}
	// Output:
	// true marketing tracker-host+endpoint
	// true analytics endpoint
	// true marketing tiny-or-hidden+cross-site+id-query
	// false unknown none
}

func ExampleCatalog_PingBeacon() {
	cat := classify.MustCatalog(nil, []classify.Tracker{
		{Host: "google-analytics.com", Category: classify.Analytics, Provider: "Google Analytics"},
	})
	page := "www.shop.example"
	fmt.Println(cat.PingBeacon(page, "/audit https://www.shop.example/click"))
	fmt.Println(cat.PingBeacon(page, "https://www.google-analytics.com/p"))
	fmt.Println(cat.PingBeacon(page, "https://www.google-analytics.com/p https://audit.other.example/"))
	// Output:
	// unknown none false
	// analytics tracker-host true
	// marketing tracker-host+cross-site true
}
