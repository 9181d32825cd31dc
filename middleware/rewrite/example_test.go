package rewrite_test

import (
	"fmt"

	"golang.org/x/text/transform"

	"github.com/crumbhq/crumb/classify"
	"github.com/crumbhq/crumb/middleware/rewrite"
)

func ExampleRewriter() {
	catalog := classify.MustCatalog(nil, []classify.Tracker{
		{Host: "googletagmanager.com", Category: classify.Analytics, Provider: "Google Tag Manager"},
		{Host: "youtube.com", Category: classify.Social, Provider: "YouTube"},
	})
	// The visitor allowed social embeds, not analytics.
	allowed := rewrite.PolicyFunc(func(c classify.Category) bool {
		return c == classify.Necessary || c == classify.Social
	})
	r := rewrite.New(rewrite.Options{
		Catalog:   catalog,
		Policy:    allowed,
		Nonce:     "n0nce",
		HeadStart: []byte(`<script data-crumb-nonce>/* consent mode default */</script>`),
	})
	page := `<head><script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script></head>` +
		`<body><iframe src="https://www.youtube.com/embed/x"></iframe></body>`
	out, _, err := transform.String(r, page)
	if err != nil {
		panic(err)
	}
	fmt.Println(out)
	// Output:
	// <head><script nonce="n0nce">/* consent mode default */</script><script type="text/plain" data-crumb-category="analytics" data-crumb-src="https://www.googletagmanager.com/gtag/js?id=G-1" async></script></head><body><iframe src="https://www.youtube.com/embed/x"></iframe></body>
}
