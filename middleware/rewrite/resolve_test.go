package rewrite

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crumbhq/crumb/classify"
)

// TestEntryPointsAgree checks issue 17's "one URL, one answer" through the
// rewriter: every element that can load a URL judges it with
// classify.Catalog.ResolveURL, host and endpoint, so a visitor who granted
// social but refused marketing loses the Meta Pixel's /tr beacon wherever
// it is written, and keeps the social plugin on the same host.
func TestEntryPointsAgree(t *testing.T) {
	cat := classify.Builtin()
	entries := []struct {
		name, markup string
	}{
		{"img", `<img src="URL" width="300" height="200">`},
		{"img srcset", `<img src="/a.png" srcset="URL 2x">`},
		{"video poster", `<video poster="URL"></video>`},
		{"input image", `<input type="image" src="URL">`},
		{"script", `<script src="URL"></script>`},
		{"script data-src", `<script data-rocket-src="URL"></script>`},
		{"iframe", `<iframe src="URL" width="560" height="315"></iframe>`},
		{"embed", `<embed src="URL" width="560" height="315">`},
		{"link preconnect", `<link rel="preconnect" href="URL">`},
		{"link stylesheet", `<link rel="stylesheet" href="URL">`},
		{"a ping", `<a href="/x" ping="URL">x</a>`},
		{"a attributionsrc", `<a href="/x" attributionsrc="URL">x</a>`},
		{"img attributionsrc", `<img src="/a.png" attributionsrc="URL">`},
	}
	urls := []string{
		"https://www.facebook.com/tr?id=1",
		"https://www.facebook.com/tr?id=1&amp;ev=PageView",
		"https://www.facebook.com/plugins/like.php?href=x",
		"https://www.shop.example/g/collect?v=2&amp;tid=G-1",
		// Paths on the page's own site: only the endpoint can name them.
		"/g/collect?v=2&amp;tid=G-1",
		"/b/ss/shop/1/JS-2.22.0",
		"/static/p/1.webp",
	}
	// Social granted, marketing and analytics refused.
	policy := htmlAllow(classify.Social)
	for _, u := range urls {
		want, _, wantOK := cat.ResolveURL(strings.ReplaceAll(u, "&amp;", "&"))
		for _, e := range entries {
			var got []classify.Category
			r := New(Options{Catalog: cat, Policy: policy, PageHost: "www.shop.example",
				Decide: func(el *Element, def Action) Action {
					if el.Known && el.Kind != ElementOptIn {
						got = append(got, el.Category)
					}
					return def
				}})
			in := strings.ReplaceAll(e.markup, "URL", u)
			out := string(htmlOnce(t, r, []byte(in)))
			// Decide hears the one category whenever the URL is refused; an
			// allowed URL may pass unasked (a delayed script's data-src is
			// judged only when it would block).
			var wantCats []classify.Category
			if wantOK && (!policy.Allowed(want) || len(got) > 0) {
				wantCats = []classify.Category{want}
			}
			if diff := cmp.Diff(wantCats, got); diff != "" {
				t.Errorf("%s %q: categories asked about (-want +got):\n%s", e.name, u, diff)
			}
			kept := out == in
			if wantKept := !wantOK || policy.Allowed(want); kept != wantKept {
				t.Errorf("%s %q: kept = %v, want %v (ResolveURL: %v)\n in: %s\nout: %s", e.name, u, kept, wantKept, want, in, out)
			}
		}
	}
	if c, _, _ := cat.ResolveURL(urls[0]); c != classify.Marketing {
		t.Fatalf("the built-in catalog calls the Meta Pixel %v, want marketing", c)
	}
}
