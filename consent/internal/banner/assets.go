package banner

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"sync"
)

//go:embed assets/crumb.css
var stylesheet string

//go:embed assets/crumb.js
var script string

// Script returns the optional progressive script. Serve it as
// text/javascript with its ETag and a long cache lifetime, and point
// Options.ScriptURL at it.
//
// It submits the consent forms with fetch (falling back to a plain POST on
// any failure), removes the banner without a reload and re-activates what
// the HTML rewriter neutralised for the categories just granted:
//
//   - <script type="text/plain" data-crumb-category="c" data-crumb-src="u">
//     becomes a new <script src="u"> (type from data-crumb-type, if any;
//     inline code is copied when there is no data-crumb-src), with the
//     other attributes and the nonce carried over;
//   - any other element with data-crumb-category gets back what the
//     rewriter moved aside: src, srcset, poster, data (<object>) and
//     srcdoc (<iframe>) from their data-crumb- attributes; the rest of the
//     element, the site's own hidden attribute included, is left alone;
//   - the rewriter's placeholders (class="crumb-placeholder" with
//     data-crumb-category="c") are removed, and with them the forms of
//     AppendPlaceholder (class="crumb-ph-form"), wherever the parser put
//     them.
//
// A placeholder's "Load once" link ([data-crumb-once]) activates only the
// blocked element that follows its placeholder, without a request and
// without storing anything. Escape, pressed in the banner, minimises it to
// its "Cookie settings" link and focuses that. On the preferences page,
// after a decision, the page goes to the form's return path unless that
// is the page itself, where it shows the saved message.
//
// Any decision removes the banner. The script then dispatches a
// "crumb:consent" event on document with the JSON answer as detail; when
// the form was a placeholder's and the answer did not activate its
// content, it loads the page again, which the server renders with the new
// consent. Loaded twice on one page (by the banner and a placeholder), it
// runs once.
func Script() string { return script }

// ScriptETag is the strong ETag of Script.
func ScriptETag() string { return scriptETag() }

// Stylesheet returns the CSS of the banner and the pages. Its colours are
// custom properties that an app may set on :root (the README lists them):
// --crumb-accent alone sets the brand colour, from which buttons, links,
// switches and the dark scheme's accent derive. The dark scheme applies
// only where the page declares one (color-scheme, through light-dark()) or
// opts in with data-crumb-theme="dark", never from the system setting
// alone. The defaults meet WCAG AA contrast in both schemes.
func Stylesheet() string { return stylesheet }

// StylesheetETag is the strong ETag of Stylesheet.
func StylesheetETag() string { return stylesheetETag() }

var (
	scriptETag     = sync.OnceValue(func() string { return etag(script) })
	stylesheetETag = sync.OnceValue(func() string { return etag(stylesheet) })
)

func etag(s string) string {
	sum := sha256.Sum256([]byte(s))
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}
