package middleware_test

import (
	"fmt"
	"net/http"

	"github.com/crumbhq/crumb/middleware"
)

// A browser revalidates a page that will be rewritten, holding a plain tag
// from before the rewriting was deployed and the tag of the current
// variant. Only the latter may be confirmed; stripping its suffix then
// lets the handler answer 304 for it.
func ExampleKeepETagVariant() {
	h := http.Header{"If-None-Match": {`"v7", "v7-c1"`, `*`}}
	kept, changed := middleware.KeepETagVariant(h, "c1")
	fmt.Println(changed, kept.Get("If-None-Match"))
	stripped, _ := middleware.StripETagVariant(kept, "c1")
	fmt.Println(stripped.Get("If-None-Match"))
	// Output:
	// true "v7-c1"
	// "v7"
}
