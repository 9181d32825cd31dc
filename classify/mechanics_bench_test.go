package classify

import (
	"testing"
	"time"
)

var (
	benchLifetime Lifetime
	benchTime     time.Time
	benchString   string
	benchBool     bool
	benchCategory Category
)

func BenchmarkSetCookieLifetime(b *testing.B) {
	lines := []struct{ name, line string }{
		{"session", "PHPSESSID=298zf09hf012fh2; path=/; HttpOnly; SameSite=Lax"},
		{"max-age", "_ga=GA1.1.1234567890.1700000000; Max-Age=63072000; Path=/; Domain=.shop.example; SameSite=Lax"},
		{"expires", "_fbp=fb.1.1700000000.123; expires=Sat, 01 Jun 2030 12:00:00 GMT; path=/; domain=.shop.example"},
		{"deletion", "sid=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure; HttpOnly"},
	}
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, l := range lines {
		b.Run(l.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(l.line)))
			for b.Loop() {
				benchLifetime = SetCookieLifetime(l.line, now)
			}
		})
	}
}

func BenchmarkParseCookieDate(b *testing.B) {
	for _, s := range []struct{ name, date string }{
		{"rfc1123", "Sat, 01 Jun 2030 12:00:00 GMT"},
		{"rfc850", "Saturday, 01-Jun-30 12:00:00 GMT"},
		{"asctime", "Sat Jun  1 12:00:00 2030"},
	} {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchTime, benchBool = ParseCookieDate(s.date)
			}
		})
	}
}

func BenchmarkCookieName(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchString = TrimCookiePrefix(SetCookieName("__Host-session=abc; Path=/; Secure; HttpOnly"))
	}
}

func BenchmarkSite(b *testing.B) {
	for _, h := range []string{"www.example.co.uk", "stats.g.doubleclick.net", "a.github.io", "127.0.0.1", "WWW.Example.COM"} {
		b.Run(h, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchString = Site(h)
			}
		})
	}
}

func BenchmarkHostOf(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchString = HostOf("https://www.google-analytics.com/g/collect?v=2&tid=G-TEST123&cid=1.2")
	}
}

func BenchmarkThirdParty(b *testing.B) {
	b.Run("same-host", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchBool = ThirdParty("www.shop.example", "https://www.shop.example/app.js")
		}
	})
	b.Run("cross-site", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchBool = ThirdParty("www.shop.example", "https://connect.facebook.net/en_US/fbevents.js")
		}
	})
}

func BenchmarkBeacon(b *testing.B) {
	c := beaconTestCatalog(b)
	page := "www.shop.example"
	for _, e := range []struct {
		name string
		el   Element
	}{
		{"meta-pixel", Element{Tag: "img", URL: "https://www.facebook.com/tr?id=1234567890&ev=PageView&noscript=1",
			Width: "1", Height: "1", Style: "display:none", InNoscript: true, PageHost: page}},
		{"product-image", Element{Tag: "img", URL: "https://cdn.shopify.com/s/files/1/0001/products/shoe.jpg?v=1699",
			Width: "640", Height: "480", PageHost: page}},
		{"unknown-pixel", Element{Tag: "img", URL: "https://px.unknown-ads.example/i?pid=42",
			Width: "1", Height: "1", PageHost: page}},
		{"spacer", Element{Tag: "img", URL: "/img/spacer.gif", Width: "1", Height: "1", PageHost: page}},
	} {
		b.Run(e.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchCategory, _, benchBool = c.Beacon(e.el)
			}
		})
	}
	b.Run("meta-pixel-builtin", func(b *testing.B) {
		bc := Builtin()
		el := Element{Tag: "img", URL: "https://www.facebook.com/tr?id=1234567890&ev=PageView&noscript=1",
			Width: "1", Height: "1", Style: "display:none", InNoscript: true, PageHost: page}
		b.ReportAllocs()
		for b.Loop() {
			benchCategory, _, benchBool = bc.Beacon(el)
		}
	})
}
