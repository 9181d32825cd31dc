package classify_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/crumbhq/crumb/classify"
)

// A site can declare its own cookies in the Open Cookie Database format (or
// load the whole database) and merge them over the built-in catalog: its
// rows add to the built-in ones and replace those with the same pattern.
func ExampleLoadOpenCookieDatabase() {
	const declaration = `ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match
1,Example Shop,Functional,basket,,Keeps the basket between pages,session,Example Shop,,0
2,Example Shop,Personalization,shop_,,Remembers display choices,1 year,Example Shop,,1
3,Example Shop Analytics,Analytics,_ga,,Counts visits for the shop's own reports,2 years,Example Shop,,0
`
	loaded, err := classify.LoadOpenCookieDatabase(strings.NewReader(declaration))
	if err != nil {
		log.Fatal(err)
	}
	catalog := classify.Builtin().Merge(loaded)

	for _, name := range []string{"basket", "shop_currency", "_ga"} {
		c, _ := catalog.LookupCookie(name, "shop.example")
		fmt.Printf("%s: %s (%s, %s)\n", name, c.Category, c.Provider, c.Retention)
	}
	// Cookies the declaration does not mention still come from the
	// built-in catalog.
	c, ok := catalog.LookupCookie("_fbp", "shop.example")
	fmt.Println("_fbp:", c.Category, ok)
	// Output:
	// basket: necessary (Example Shop, session)
	// shop_currency: preferences (Example Shop, 1 year)
	// _ga: analytics (Example Shop Analytics, 2 years)
	// _fbp: marketing true
}

// Tracker lists load the same way. third-party-web's entity list is MIT
// licensed; the Disconnect and DuckDuckGo lists (LoadDisconnect,
// LoadDuckDuckGo) are CC BY-NC-SA, so obtaining them is up to the user.
func ExampleLoadThirdPartyWeb() {
	const entities = `[
	  {"name": "Example Ads", "category": "ad", "domains": ["*.ads.example"]},
	  {"name": "Example Video", "category": "video", "domains": ["player.video.example"]},
	  {"name": "Example CDN", "category": "cdn", "domains": ["*.cdn.example"]}
	]`
	loaded, err := classify.LoadThirdPartyWeb(strings.NewReader(entities))
	if err != nil {
		log.Fatal(err)
	}
	catalog := classify.Builtin().Merge(loaded)

	for _, host := range []string{"pixel.ads.example", "player.video.example", "static.cdn.example"} {
		t, ok := catalog.LookupHost(host)
		fmt.Println(host, t.Category, t.Provider, ok)
	}
	// Output:
	// pixel.ads.example marketing Example Ads true
	// player.video.example social Example Video true
	// static.cdn.example unknown  false
}

// A malformed file is refused with the place it went wrong.
func ExampleLoadDuckDuckGo_error() {
	_, err := classify.LoadDuckDuckGo(strings.NewReader(`{"trackers": {"ads.example": {"default": "block", "categories": "Advertising"}}}`))
	fmt.Println(err)
	// Output:
	// classify: duckduckgo tds.json: field trackers["ads.example"].categories: JSON string where an array was expected
}
