package classify_test

import (
	"fmt"

	"github.com/crumbhq/crumb/classify"
)

func ExampleCatalog_LookupCookie() {
	catalog := classify.Builtin()
	for _, name := range []string{"_ga", "_ga_3XK9Z2", "__Host-PHPSESSID", "_fbp", "app_csrf_token", "mystery"} {
		c, ok := catalog.LookupCookie(name, "shop.example")
		if !ok {
			fmt.Printf("%-17s unknown\n", name)
			continue
		}
		fmt.Printf("%-17s %-11s %-14s %s\n", name, c.Category, c.Pattern, c.Provider)
	}
	// Output:
	// _ga               analytics   _ga            Google Analytics
	// _ga_3XK9Z2        analytics   _ga_*          Google Analytics
	// __Host-PHPSESSID  necessary   PHPSESSID      PHP
	// _fbp              marketing   _fbp           Meta Pixel
	// app_csrf_token    necessary   *csrf*         Common
	// mystery           unknown
}

func ExampleCatalog_LookupCookie_domain() {
	catalog := classify.Builtin()
	// "m" means nothing in general, but Stripe's fraud-prevention cookie on
	// m.stripe.com is documented; a cookie no rule names on a tracker's
	// domain belongs to that tracker.
	for _, q := range []struct{ name, domain string }{
		{"m", ""},
		{"m", "m.stripe.com"},
		{"xyz", ".doubleclick.net"},
	} {
		c, ok := catalog.LookupCookie(q.name, q.domain)
		fmt.Printf("%s@%q: %v %s/%s\n", q.name, q.domain, ok, c.Category, c.Provider)
	}
	// Output:
	// m@"": false unknown/
	// m@"m.stripe.com": true necessary/Stripe
	// xyz@".doubleclick.net": true marketing/Google DoubleClick
}

func ExampleCatalog_LookupHost() {
	catalog := classify.Builtin()
	for _, host := range []string{"stats.g.doubleclick.net", "WWW.Google-Analytics.com.", "analytics.tiktok.com", "www.tiktok.com", "js.stripe.com"} {
		t, ok := catalog.LookupHost(host)
		if !ok {
			fmt.Printf("%-26s not a tracker\n", host)
			continue
		}
		fmt.Printf("%-26s %-9s %s (%s)\n", host, t.Category, t.Provider, t.Host)
	}
	// Output:
	// stats.g.doubleclick.net    marketing Google DoubleClick (doubleclick.net)
	// WWW.Google-Analytics.com.  analytics Google Analytics (google-analytics.com)
	// analytics.tiktok.com       marketing TikTok Pixel (analytics.tiktok.com)
	// www.tiktok.com             social    TikTok (tiktok.com)
	// js.stripe.com              not a tracker
}

func ExampleCatalog_Merge() {
	// A site declares its own cookies and overrides a built-in rule.
	own, err := classify.NewCatalog([]classify.Cookie{
		{Pattern: "cart_id", Category: classify.Necessary, Provider: "Example Shop", Purpose: "Holds the cart.", Retention: "7 days"},
		{Pattern: "_ga", Category: classify.Marketing, Provider: "Example Shop", Purpose: "GA with ads features.", Retention: "2 years"},
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	catalog := classify.Builtin().Merge(own)
	for _, name := range []string{"cart_id", "_ga", "_gid"} {
		c, _ := catalog.LookupCookie(name, "")
		fmt.Println(name, c.Category, c.Provider)
	}
	// Output:
	// cart_id necessary Example Shop
	// _ga marketing Example Shop
	// _gid analytics Google Analytics
}

func ExampleNewCatalog_error() {
	_, err := classify.NewCatalog([]classify.Cookie{{Pattern: "*", Category: classify.Analytics}}, nil)
	fmt.Println(err)
	// Output:
	// classify: cookie 0 ("*"): bad pattern: too few literal characters
}
