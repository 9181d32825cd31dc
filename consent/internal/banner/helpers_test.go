package banner

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func testOptions() Options {
	return Options{
		ActionURL:      "/consent/",
		PreferencesURL: "/consent/preferences",
		DeclarationURL: "/consent/cookies",
		PolicyURL:      "/privacy",
		ScriptURL:      "/consent/crumb.js",
		Categories: []Category{
			{ID: "necessary", Required: true, Cookies: []Cookie{
				{Name: "session", Provider: "Shop", Purpose: "Keeps you signed in", Session: true},
				{Name: "crumb_consent", Provider: "Shop", Purpose: "Remembers your cookie choices", Lifetime: "6 months"},
			}},
			{ID: "analytics", Cookies: []Cookie{
				{Name: "_ga", Provider: "Google Analytics", Purpose: "Distinguishes visitors", Lifetime: "13 months", ThirdParty: true},
			}},
			{ID: "marketing"},
			{ID: "social"},
		},
	}
}

func newRenderer(t testing.TB, opts Options) *Renderer {
	t.Helper()
	r, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

// parse renders into a buffer and parses it as the browser would.
func parse(t testing.TB, render func(*bytes.Buffer) error) (*html.Node, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	doc, err := html.Parse(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc, buf.String()
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, c string) bool {
	v, _ := attr(n, "class")
	for _, f := range strings.Fields(v) {
		if f == c {
			return true
		}
	}
	return false
}

// findAll returns the element nodes for which match is true, in document
// order.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && match(c) {
			out = append(out, c)
		}
	}
	return out
}

func tagIs(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return strings.TrimSpace(b.String())
}
