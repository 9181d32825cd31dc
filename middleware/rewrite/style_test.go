package rewrite

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/crumbhq/crumb/classify"
)

// TestStyleURLs: url(), @import and image-set() to refused hosts in style
// attributes and <style> elements are neutralised (issue 12); the rest of
// the CSS, and URLs that may load, are kept byte for byte.
func TestStyleURLs(t *testing.T) {
	const px = "https://www.facebook.com/tr?id=1"
	const cat = `data-crumb-category="marketing" `
	tests := []struct{ name, in, want string }{
		{"attribute url", `<div style="background:url(` + px + `) no-repeat">x</div>`,
			`<div ` + cat + `style="background:url(about:invalid) no-repeat" data-crumb-style="background:url(` + px + `) no-repeat">x</div>`},
		{"attribute quoted, references", `<p style='background-image: URL( "https://ads.linkedin.com/a.png" ); color:red'>`,
			`<p ` + cat + `style="background-image: URL( &#34;about:invalid&#34; ); color:red" data-crumb-style="background-image: URL( &quot;https://ads.linkedin.com/a.png&quot; ); color:red">`},
		{"attribute escaped name", `<span style="background:u\72l(https://bat.bing.com/p.gif)">`,
			`<span ` + cat + `style="background:u\72l(about:invalid)" data-crumb-style="background:u\72l(https://bat.bing.com/p.gif)">`},
		{"attribute own url kept", `<div style="background:url(/bg.png)">`, `<div style="background:url(/bg.png)">`},
		{"attribute no url", `<div style="color:rgb(1,2,3)">`, `<div style="color:rgb(1,2,3)">`},
		{"img style too", `<img src="/a.png" style="background:url(` + px + `)">`,
			`<img ` + cat + `style="background:url(about:invalid)" data-crumb-style="background:url(` + px + `)" src="/a.png">`},
		{"style element", `<style>@import "https://ads.linkedin.com/x.css"; a{background:url('` + px + `')} b{background:image-set("https://bat.bing.com/1.png" 1x, url(/2.png) 2x)}</style><p>`,
			`<style>@import "about:invalid"; a{background:url('about:invalid')} b{background:image-set("about:invalid" 1x, url(/2.png) 2x)}</style><p>`},
		{"style element comment", `<style>/* url(` + px + `) */ a{}</style>`, `<style>/* url(` + px + `) */ a{}</style>`}, // loads nothing
		{"style element plain comment", `<style>/* shop */ a{b:url(` + px + `)}</style>`, `<style>/* shop */ a{b:url(about:invalid)}</style>`},
		{"image-set with url and type", `<style>a{b:image-set(url(/a.png) 1x, "` + px + `" type("image/png") 2x)}</style>`,
			`<style>a{b:image-set(url(/a.png) 1x, "about:invalid" type("image/png") 2x)}</style>`},
		{"style element own", `<style>a{background:url(/a.png)}</style>`, `<style>a{background:url(/a.png)}</style>`},
		{"style element escaped URL", `<style>a{background:url(https://www.facebook\2e com/tr?id=1)}</style>`,
			`<style>a{background:url(about:invalid)}</style>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(Options{Catalog: htmlTestCatalog(t), Policy: htmlAllow(classify.Social), PageHost: "www.example.com"})
			htmlWant(t, r, tt.in, tt.want, 64)
		})
	}
}

// TestStyleTooLong: a <style> longer than MaxScript is judged on what was
// read, and the rest streams, with an event.
func TestStyleTooLong(t *testing.T) {
	var events []string
	r := New(Options{Catalog: htmlTestCatalog(t), MaxScript: 64,
		Event: func(e Event) { events = append(events, e.Kind.String()+" "+e.Tag) }})
	in := `<style>a{background:url(https://bat.bing.com/p.gif)}` + strings.Repeat("b{}", 40) + `</style>`
	want := `<style>a{background:url(about:invalid)}` + strings.Repeat("b{}", 40) + `</style>`
	got := string(htmlOnce(t, r, []byte(in)))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"element-changed style", "script-too-long style"}, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestScanCSS(t *testing.T) {
	for css, want := range map[string][]string{
		`a{b:url(x)}`:                           {"x"},
		`@import 'a.css' screen;`:               {"a.css"},
		`@IMPORT url("b.css");`:                 {"b.css"},
		"@import\n\"c.css\";":                   {"c.css"},
		`a{content:"url(x)"}`:                   nil, // in a string: no URL (see plainCSS)
		`a{b:image-set('1.png' 1x,"2.png" 2x)}`: {"1.png", "2.png"},
		`a{b:-webkit-image-set(url(1) 1x)}`:     {"1"},
		`a{b:url( "q\"x" )}`:                    {`q"x`},
		`a{b:url(\68 ttp://h/)}`:                {"http://h/"},
		`a{b:url()}`:                            nil,
		`a{b:x("s")}`:                           nil,
		`a{b:url(p`:                             {"p"},
		`/* unterminated url(x)`:                nil,        // in a comment
		`a{b:url(p) /* x" */ url(q)}`:           {"p", "q"}, // a quote in a comment ends nothing
		`"image-set("url(q`:                     {"q"},      // a function's name in a string starts nothing
		`a{b:image-set(url(1) 1x,"2" 2x)}`:      {"1", "2"}, // url()'s ')' closes url(), not image-set()
		`/* url(\78) */ a{content:"url(\78)"}`:  nil,        // escapes, comments and strings: the tokenizer
	} {
		var got []string
		scanCSS([]byte(css), nil, func(u cssURL, dec []byte) bool {
			got = append(got, string(dec))
			return true
		})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("scanCSS(%q) (-want +got):\n%s", css, diff)
		}
	}
}

// Regression (severity low to medium), fixed: only resource hints
// among <link> elements were judged, but a stylesheet link makes the
// browser contact its host just as surely, before anything runs. Calendly's
// own embed code pairs <link href="https://assets.calendly.com/assets/
// external/widget.css" rel="stylesheet"> with its widget script: the script
// was blocked, the stylesheet still sent the visitor's address and the
// page's URL (Referer) to the refused host. Loading links (stylesheet,
// icons, manifest) to refused hosts are now removed like hints.
func TestStylesheetFromRefusedHost(t *testing.T) {
	opts := liveOptions(t)
	cat, err := classify.NewCatalog(nil, append(htmlTrackers[:len(htmlTrackers):len(htmlTrackers)],
		classify.Tracker{Host: "calendly.com", Category: classify.Social, Provider: "Calendly"}))
	if err != nil {
		t.Fatal(err)
	}
	opts.Catalog = cat
	page := `<link href="https://assets.calendly.com/assets/external/widget.css" rel="stylesheet">` +
		`<script src="https://assets.calendly.com/assets/external/widget.js" type="text/javascript" async></script>`
	out := liveRewrite(t, opts, page)
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var pol Policy = strictPolicy{}
	var got []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Namespace == "" && n.Data == "link" {
			rel, _ := liveAttr(n, "", "rel")
			href, ok := liveAttr(n, "", "href")
			if tr, known := cat.LookupHost(liveHost(href)); ok && known && strings.Contains(strings.ToLower(rel), "stylesheet") && !pol.Allowed(tr.Category) {
				got = append(got, href)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if diff := cmp.Diff([]string(nil), got); diff != "" {
		t.Errorf("stylesheets still loaded from refused hosts (-want +got):\n%s\nout: %s", diff, out)
	}
	if !strings.Contains(out, `data-crumb-src="https://assets.calendly.com/assets/external/widget.js"`) {
		t.Errorf("the widget script is not blocked: %s", out)
	}
}

// An escaped character stands for itself, a multi-byte one whole; a hex
// escape ends at six digits or one space.
func TestCSSUnescape(t *testing.T) {
	for in, want := range map[string]string{
		`a\é b`:        "aé b",
		`\66 acebook`:  "facebook",
		`x\\y`:         `x\y`,
		"line\\\nnext": "linenext",
		`\0`:           "\ufffd",
		`\110000`:      "\ufffd",
		`\`:            "\ufffd",
	} {
		if got := string(cssUnescape(nil, []byte(in))); got != want {
			t.Errorf("cssUnescape(%q) = %q, want %q", in, got, want)
		}
	}
}
