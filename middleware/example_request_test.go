package middleware_test

import (
	"fmt"
	"net/http"

	"github.com/crumbhq/crumb/middleware"
)

// A browser revalidates a page it got rewritten: its tag carries the
// variant, which the handler never issued. Stripping it lets the handler's
// conditional logic answer 304; tags of other variants stay, and miss.
func ExampleStripETagVariant() {
	h := http.Header{"If-None-Match": {`"v7-c1", W/"v6-c0"`}}
	stripped, changed := middleware.StripETagVariant(h, "c1")
	fmt.Println(changed, stripped.Get("If-None-Match"))
	fmt.Println(h.Get("If-None-Match")) // the caller's map is untouched
	// Output:
	// true "v7", W/"v6-c0"
	// "v7-c1", W/"v6-c0"
}

// A document navigation reaches the application without Accept-Encoding
// and Range, so the HTML it sends can be rewritten.
func ExampleStripDocumentEncoding() {
	nav := http.Header{"Sec-Fetch-Dest": {"document"}, "Accept-Encoding": {"gzip, br"}}
	img := http.Header{"Sec-Fetch-Dest": {"image"}, "Accept-Encoding": {"gzip, br"}}
	for _, h := range []http.Header{nav, img} {
		out, changed := middleware.StripDocumentEncoding(h)
		fmt.Printf("%v %q\n", changed, out.Get("Accept-Encoding"))
	}
	// Output:
	// true ""
	// false "gzip, br"
}
