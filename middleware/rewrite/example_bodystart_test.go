package rewrite_test

import (
	"fmt"

	"golang.org/x/text/transform"

	"github.com/crumbhq/crumb/middleware/rewrite"
)

// A consent banner goes first in <body>, so that the first press of Tab
// reaches it, before the page's own links.
func ExampleOptions_bodyStart() {
	r := rewrite.New(rewrite.Options{
		Policy:    rewrite.AllowAll,
		BodyStart: []byte(`<section id="banner" aria-labelledby="t"><h2 id="t">Cookies</h2><button>OK</button></section>`),
	})
	out, _, err := transform.String(r, `<body class="shop"><nav><a href="/">Home</a></nav></body>`)
	if err != nil {
		panic(err)
	}
	fmt.Println(out)
	// Output:
	// <body class="shop"><section id="banner" aria-labelledby="t"><h2 id="t">Cookies</h2><button>OK</button></section><nav><a href="/">Home</a></nav></body>
}
