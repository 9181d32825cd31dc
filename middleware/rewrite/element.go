package rewrite

import (
	"strconv"

	"github.com/crumbhq/crumb/classify"
)

// A Policy says which consent categories may load. The HTML rewriter asks it
// once per element it recognises; a per-response value (say a pointer to the
// visitor's decoded consent) can be passed without allocating.
type Policy interface {
	Allowed(classify.Category) bool
}

// PolicyFunc adapts a function to Policy.
type PolicyFunc func(classify.Category) bool

// Allowed calls f.
func (f PolicyFunc) Allowed(c classify.Category) bool { return f(c) }

// AllowAll is the Policy that lets every category load.
var AllowAll Policy = PolicyFunc(func(classify.Category) bool { return true })

// strictPolicy, used when Options.Policy is nil, lets only what is
// strictly necessary load.
type strictPolicy struct{}

func (strictPolicy) Allowed(c classify.Category) bool { return c == classify.Necessary }

// Action is what the HTML rewriter does with an element.
type Action uint8

const (
	// ActionKeep passes the element through unchanged.
	ActionKeep Action = iota
	// ActionBlock makes the element inert in a way the banner's script can
	// undo without a reload (see Rewriter for the markup).
	ActionBlock
	// ActionRemove drops the element: a void tag, or a start tag with its
	// content and end tag. For ElementPing it drops the attribute.
	ActionRemove
	// ActionActivate turns opt-in markup (ElementOptIn) into a live element.
	// For other kinds it means ActionKeep.
	ActionActivate
)

var actionNames = [...]string{"keep", "block", "remove", "activate"}

// String returns "keep", "block", "remove" or "activate".
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return "action-" + strconv.Itoa(int(a))
}

// ElementKind says why the rewriter stopped at an element.
type ElementKind uint8

const (
	// ElementScript is a <script> that loads its code from a URL (src, or
	// href in SVG).
	ElementScript ElementKind = iota + 1
	// ElementInlineScript is a <script> whose body the rewriter read.
	ElementInlineScript
	// ElementFrame is an <iframe>, <frame>, <embed> or <object> with a URL.
	ElementFrame
	// ElementBeacon is an <img>, <input type=image> (or a hidden frame)
	// that classify's beacon rule calls a tracking pixel, or an image URL
	// in an srcset or a poster that it calls one. For the latter, Block and
	// Remove both move the attribute to data-crumb-srcset or
	// data-crumb-poster and keep the element; Decide is asked about each
	// such URL until it refuses one.
	ElementBeacon
	// ElementHint is a <link rel=preconnect|dns-prefetch|preload|prefetch|
	// modulepreload|prerender> to a tracker host, or a link that loads from
	// one (rel=stylesheet, icon, apple-touch-icon, mask-icon, manifest), or
	// such a link with an imagesrcset URL that the beacon rule calls a
	// tracking pixel.
	ElementHint
	// ElementPing is a ping or attributionsrc attribute; Block and Remove
	// both drop the attribute and keep the element.
	ElementPing
	// ElementOptIn is markup the site wrote to load only with consent:
	// type="text/plain" with data-consent, data-category (cookieconsent),
	// data-cookieconsent (Cookiebot) or data-crumb-category, and iframes or
	// images with such a category and a data-src.
	ElementOptIn
	// ElementMedia is a <video>, <audio>, <source> or <track> URL, or an
	// SVG loader (<feImage>, <use>, an <animate> or <set> of href). Block
	// and Remove both move the URL to data-crumb-<attribute> (an animation
	// is removed).
	ElementMedia
	// ElementStyle is a legacy background attribute, or a url(),
	// @import or image-set() URL in a style attribute or <style>
	// element. A background moves to data-crumb-background; a style
	// attribute keeps its CSS with the URL made about:invalid and the
	// original in data-crumb-style; in a <style> element the URL is made
	// about:invalid.
	ElementStyle
	// ElementRefresh is a <meta http-equiv=refresh> URL; Block and
	// Remove both remove the <meta>.
	ElementRefresh
)

var kindNames = [...]string{"", "script", "inline-script", "frame", "beacon", "hint", "ping", "opt-in",
	"media", "style", "refresh"}

// String returns a short, stable name for k.
func (k ElementKind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "element-" + strconv.Itoa(int(k))
}

// Element describes an element the rewriter recognised, for
// Options.Decide. Its byte slices point into the input or the
// rewriter's buffers: they are valid only during the call and must not be
// modified; copy what you keep.
type Element struct {
	Kind ElementKind
	// Tag is the element name in lower case ("script", "iframe", "img"...).
	Tag string
	// URL is the attribute value that decided, with character references
	// decoded: src, href, data-src, poster, one URL of an srcset or
	// imagesrcset, or the ping list. Empty for inline scripts.
	URL []byte
	// Host is URL's host in lower case; empty for a relative URL.
	Host []byte
	// Body is an inline script's text (ElementInlineScript, and opt-in
	// scripts without a URL); for a script over Options.MaxScript it is
	// the part that was read.
	Body []byte
	// Category is what the element would load: the catalog's category for a
	// tracker, the one the site declared for opt-in markup. Known is false
	// when nothing recognised it (Category is then Unknown).
	Category classify.Category
	Known    bool
	// Negated is set on opt-in markup written "!category" (cookieconsent's
	// convention): it loads while Category is refused, not granted.
	Negated bool
	// Provider names the tracker when the catalog knows it.
	Provider string
	// InNoscript is set inside <noscript>, whose content only matters to
	// browsers with scripting off.
	InNoscript bool
	// Label, when Options.Decide sets it, is written in the
	// data-crumb-category attribute of a blocked element and of its
	// default placeholder instead of Category's name, so that a script
	// that re-activates elements can match the application's own
	// category names ("video", "statistics"). It must be made of
	// lower-case letters, digits, '-' and '_'; otherwise it is ignored.
	Label string
}

// mark is the data-crumb-category value of a blocked element.
func (e *Element) mark() string {
	if validLabel(e.Label) {
		return e.Label
	}
	return e.Category.String()
}

func validLabel(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// EventKind says what an Event reports.
type EventKind uint8

const (
	// TagTooLong: a tag was longer than Options.MaxTag, so its
	// attributes could not be judged. Size is how many bytes were held
	// when it gave up. Action is ActionRemove when it failed closed: an
	// element that loads from its attributes is dropped (a script's or
	// frame's content too) unless the Policy allows Unknown; ActionKeep
	// when it passed through unexamined (elements that load nothing by
	// themselves).
	TagTooLong EventKind = iota + 1
	// ScriptTooLong: an inline script (or a <style>) was longer than
	// Options.MaxScript. It was judged on its first Size bytes and
	// streamed on; Action says what was done with it. A script that
	// names no tracker in those bytes fails closed: it is blocked as
	// classify.Unknown unless the Policy allows Unknown.
	ScriptTooLong
	// ElementChanged: the rewriter applied Action (not ActionKeep) to
	// an element. Kind and Tag say which; Category what it would have
	// loaded.
	ElementChanged
)

var htmlEventNames = [...]string{"", "tag-too-long", "script-too-long", "element-changed"}

// String returns a short, stable name for k.
func (k EventKind) String() string {
	if int(k) < len(htmlEventNames) && htmlEventNames[k] != "" {
		return htmlEventNames[k]
	}
	return "html-event-" + strconv.Itoa(int(k))
}

// Event is reported through Options.Event.
type Event struct {
	Kind     EventKind
	Tag      string // element name, lower case, when known
	Element  ElementKind
	Action   Action
	Category classify.Category
	Size     int
}

// Options configure an Rewriter. The zero value is strict: the
// builtin catalog, a policy that allows only necessary content, no
// insertions.
type Options struct {
	// Catalog recognises tracker hosts and scripts; nil means
	// classify.Builtin().
	Catalog *classify.Catalog

	// Policy says which categories may load; nil allows only
	// classify.Necessary.
	Policy Policy

	// Decide, when set, sees every recognised element with the action the
	// rewriter chose and returns the action to apply.
	Decide func(e *Element, def Action) Action

	// Event, when set, is told about limits reached and elements changed.
	Event func(Event)

	// PageHost is the host the page is served from (Request.Host), so that
	// pings and pixels to the same site are not taken for third parties.
	PageHost string

	// Nonce is the page's CSP script nonce. When empty, the rewriter takes
	// the nonce of the first <script nonce> it meets before an insertion
	// point.
	Nonce string

	// HeadStart is inserted as the first thing in <head>: after the <head>
	// start tag and before the next tag, or, without a <head>, before the
	// first <script> or <body> (at the end of the input at the latest).
	// Use it for a Google Consent Mode default. HeadEnd is inserted before
	// </head> (or before <body>), BodyEnd before </body> (or </html>, or at
	// the end of the input). In inserted markup and in placeholders, every
	// " data-crumb-nonce" becomes ` nonce="…"` when a nonce is known and
	// disappears otherwise.
	HeadStart, HeadEnd, BodyEnd []byte

	// Origin ("https://shop.example") is the page's own origin. In inserted
	// markup and in placeholders, every OriginMark becomes Origin when the
	// document's <base href> names another host than PageHost, and
	// disappears otherwise: markup that writes its own path-absolute URLs
	// as OriginMark+"/path" reaches the page's origin whatever base the
	// page declares, and stays path-absolute on the pages (nearly all)
	// that declare none. Empty: every OriginMark disappears.
	Origin string

	// BodyStart is inserted right after the <body> start tag, so that it
	// comes first in the page's reading and keyboard order: the place for
	// a consent banner. A document without a <body> start tag gets it just
	// before BodyEnd.
	BodyStart []byte

	// Placeholder, when set, appends the markup shown in place of a blocked
	// frame to dst and returns it. The default is a short <span
	// class="crumb-placeholder" role="note"> naming the host and category.
	Placeholder func(dst []byte, e *Element) []byte

	// MaxTag bounds how many bytes one tag may hold back (default 16 KiB);
	// a longer tag is reported with TagTooLong and, when it loads, dropped.
	MaxTag int

	// MaxScript bounds how many bytes of one inline script (with its start
	// tag) are held back to classify it (default 32 KiB).
	MaxScript int
}

// Default limits. A Transformer driver must let the rewriter keep at least
// MaxScript (and MaxTag) bytes of input pending.
const (
	DefaultMaxTag    = 16 << 10
	DefaultMaxScript = 32 << 10
)
