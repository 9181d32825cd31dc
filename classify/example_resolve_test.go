package classify_test

import (
	"fmt"

	"github.com/crumbhq/crumb/classify"
)

// www.facebook.com serves social plugins, but /tr is the Meta Pixel's
// conversion beacon: the same URL is marketing whichever element loads it.
func ExampleCatalog_ResolveURL() {
	c := classify.MustCatalog(nil, []classify.Tracker{
		{Host: "facebook.com", Category: classify.Social, Provider: "Meta"},
	})
	for _, u := range []string{
		"https://www.facebook.com/plugins/like.php?href=x",
		"https://www.facebook.com/tr?id=1&ev=PageView",
		"https://www.example.com/logo.png",
	} {
		cat, reason, ok := c.ResolveURL(u)
		ping, _, _ := c.PingBeacon("www.shop.example", u)
		fmt.Println(cat, reason, ok, "ping:", ping)
	}
	// Output:
	// social tracker-host true ping: social
	// marketing tracker-host+endpoint true ping: marketing
	// unknown none false ping: marketing
}

func ExampleStricter() {
	fmt.Println(classify.Stricter(classify.Analytics, classify.Social))
	fmt.Println(classify.Stricter(classify.Marketing, classify.Social))
	fmt.Println(classify.Stricter(classify.Unknown, classify.Preferences))
	// Output:
	// social
	// marketing
	// preferences
}
