package rewrite

import (
	"testing"
)

// Regression (severity high), fixed: inside <svg> and <math>
// (foreign content) the tree builder does not switch the tokenizer to
// RAWTEXT or RCDATA for title, style, iframe, noembed, noframes, xmp,
// textarea or plaintext: those are foreign elements whose content is
// markup, and a self-closing flag on them is honoured. The rewriter used to
// switch modes by tag name alone, so a self-closed <title/> or <style/> in
// an inline SVG icon made it read the rest of the page as text, and an HTML
// breakout tag inside an SVG <style>, or anything inside an SVG <title> or
// <desc> (HTML integration points), was hidden from it. It now follows
// foreign content with bounded counters, and reads the content of such
// elements both ways at once (a "dual" region, foreign.go). Every
// browser builds the tree the standard describes, so each loaded the
// trackers below.
func TestForeignContentRawText(t *testing.T) {
	liveCheck(t, liveOptions(t), []liveCase{
		{"self-closed title in an icon", `<!doctype html><html><head><title>Shop</title></head><body>` +
			`<a href="/cart"><svg viewBox="0 0 24 24" xmlns="http://www.w3.org/2000/svg"><title/><path d="M0 0h24v24H0z"/></svg></a>` +
			`<footer>Contact</footer>` +
			`<script async src="https://connect.facebook.net/en_US/fbevents.js"></script>` +
			`<iframe src="https://www.youtube.com/embed/abc" width="560" height="315"></iframe>` +
			`</body></html>`},
		{"self-closed style in defs", `<body><svg viewBox="0 0 1024 1024"><defs><style/></defs><path d="M0 0"/></svg>` +
			`<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script></body>`},
		{"breakout tag inside SVG style", `<body><svg><style><img src="https://www.facebook.com/tr?id=1&amp;ev=PageView" width="1" height="1"></style></svg></body>`},
		{"script inside SVG title", `<body><svg><title><script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script></title></svg></body>`},
		{"SVG iframe hiding a pixel", `<body><svg><iframe><img src="https://www.facebook.com/tr?id=1&amp;ev=PageView" width="1" height="1"></iframe></svg></body>`},
	})
}
