package classify

import (
	"strings"
)

// Element is an HTML element that makes the browser fetch a URL, as the
// HTML rewriter sees it. All fields are raw attribute text except where
// noted; the zero value of a field means the attribute is absent.
type Element struct {
	Tag        string // lower-case tag name: img, iframe, script, link, source...
	URL        string // the src (or href) with entities decoded; may be relative
	Width      string // width attribute
	Height     string // height attribute
	Style      string // style attribute
	Hidden     bool   // the hidden attribute; aria-hidden hides nothing and does not count
	InNoscript bool   // inside <noscript>, markup only script-less visitors load
	PageHost   string // host of the page, as in Request.Host, for the cross-site signal

	// Host, when not empty, is what HostOf returns for URL. A caller that
	// has parsed URL already, as the HTML rewriter has, saves Beacon from
	// parsing it again; the result is the same.
	Host string
}

// BeaconReason is a set of signals that made Beacon call an element a
// beacon. The first three decide alone; the others decide only together.
type BeaconReason uint8

const (
	// ReasonTrackerHost: the URL's host, or a parent domain, is a tracker
	// of the catalog with a category other than Necessary.
	ReasonTrackerHost BeaconReason = 1 << iota
	// ReasonEndpoint: the path and query have the shape of a known
	// collection endpoint (/tr?, /g/collect, /i/adsct, /b/ss/,
	// matomo.php?rec=1, a .gif with an id parameter...), wherever it is
	// hosted: server-side tagging and self-hosted Matomo serve them from
	// the site itself.
	ReasonEndpoint
	// ReasonEmailOpen: an e-mail open-tracking endpoint (Mailchimp,
	// SendGrid, HubSpot, Salesforce Marketing Cloud), for applications
	// that render e-mail or other user-supplied HTML.
	ReasonEmailOpen
	// ReasonTinyOrHidden: a 0 or 1 pixel size in the width/height
	// attributes or inline CSS, display:none, visibility:hidden or the
	// hidden attribute.
	ReasonTinyOrHidden
	// ReasonCrossSite: the URL is on another site than the page.
	ReasonCrossSite
	// ReasonIDQuery: the query carries an account or event id parameter
	// (id, pid, tid, ti, ev) or noscript=1.
	ReasonIDQuery
	// ReasonNoscript: the element sits in <noscript>.
	ReasonNoscript
)

// String lists the signals, joined by '+': "tiny-or-hidden+cross-site+id-query".
func (r BeaconReason) String() string {
	if r == 0 {
		return "none"
	}
	var b strings.Builder
	for bit := BeaconReason(1); bit != 0; bit <<= 1 {
		if r&bit == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('+')
		}
		b.WriteString(bit.name())
	}
	return b.String()
}

func (r BeaconReason) name() string {
	switch r {
	case ReasonTrackerHost:
		return "tracker-host"
	case ReasonEndpoint:
		return "endpoint"
	case ReasonEmailOpen:
		return "email-open"
	case ReasonTinyOrHidden:
		return "tiny-or-hidden"
	case ReasonCrossSite:
		return "cross-site"
	case ReasonIDQuery:
		return "id-query"
	case ReasonNoscript:
		return "noscript"
	}
	return "unknown"
}

// Beacon reports whether loading e sends a request to a tracker - a web
// beacon, tracking pixel or tracking embed - with the category of that
// tracking and the signals that decided (see standards section 6):
//
//   - the URL's host and endpoint decide first, as ResolveURL does, so an
//     img pixel, a script, a link and a ping to the same URL get the same
//     answer; a host the catalog calls Necessary does not make a beacon
//     (unless the path is a known collection endpoint);
//   - a tiny or hidden img, iframe, embed or object is a beacon only when it
//     is cross-site and also carries an id-like query or sits in
//     <noscript>. Same-site 1x1 spacer GIFs are layout, not tracking. Such an
//     unknown pixel is Marketing: pixels exist to attribute conversions and
//     retarget, and Marketing is the category visitors refuse most.
//
// Navigation (a, area, form) is never a beacon; their ping and
// attributionsrc attributes go through PingBeacon. A nil Catalog has no
// hosts, so only endpoints and heuristics apply. Beacon does not allocate
// unless it has to compare sites (the heuristic case) or lower-case a host.
func (c *Catalog) Beacon(e Element) (Category, BeaconReason, bool) {
	switch e.Tag {
	case "a", "area", "form":
		return Unknown, 0, false
	}
	u := strings.TrimSpace(e.URL)
	if u == "" {
		return Unknown, 0, false
	}
	host := e.Host
	if host == "" {
		host = HostOf(u)
	}
	r := c.resolve(host, u)
	if r.reason != 0 {
		return r.cat, r.reason, true
	}
	if r.necessary || host == "" || !fetchesVisibly(e.Tag) {
		return Unknown, 0, false
	}

	// Visible elements, most images, need no look at the query.
	if !e.Hidden && !tinyOrHidden(e.Width, e.Height, e.Style) {
		return Unknown, 0, false
	}
	why := ReasonTinyOrHidden
	if idQuery(r.query) {
		why |= ReasonIDQuery
	}
	if e.InNoscript {
		why |= ReasonNoscript
	}
	if why&(ReasonIDQuery|ReasonNoscript) == 0 {
		return Unknown, 0, false
	}
	if SameSite(e.PageHost, host) {
		return Unknown, 0, false
	}
	return Marketing, why | ReasonCrossSite, true
}

// ResolveURL judges one URL by what it reaches, the way every entry point
// of classify does before any entry-specific heuristic: the catalog's
// tracker for the host (or a parent domain), and the collection endpoint
// its path and query name (/tr?, /g/collect, /b/ss/...), wherever it is
// hosted. When both speak, the stricter category wins (see Stricter): a
// host can have two jobs, as www.facebook.com serves social plugins and the
// Meta Pixel's /tr conversion beacon, and the endpoint says which job this
// request does. ok is false when neither names tracking, including a host
// the catalog calls Necessary.
//
// Beacon (img, iframe, script, link...) and PingBeacon (ping and
// attributionsrc) build on it, so they agree wherever host or endpoint
// decides; a caller that judges a script src or a resource hint itself
// should use it rather than LookupHost alone. It does not allocate unless
// it has to lower-case the host.
func (c *Catalog) ResolveURL(u string) (Category, BeaconReason, bool) {
	u = strings.TrimSpace(u)
	if u == "" {
		return Unknown, 0, false
	}
	r := c.resolve(HostOf(u), u)
	return r.cat, r.reason, r.reason != 0
}

// resolved is what resolve found for one URL.
type resolved struct {
	cat       Category     // the tracking category; meaningful when reason != 0
	reason    BeaconReason // ReasonTrackerHost and/or the endpoint's reason; 0: no tracking
	necessary bool         // the catalog lists the host as Necessary
	query     string       // the URL's query, for the heuristics
}

// resolve is the one host+endpoint resolution of classify; host is what
// HostOf returns for u.
func (c *Catalog) resolve(host, u string) resolved {
	path, query := pathQuery(u)
	hostCat := Unknown
	if host != "" {
		if t, ok := c.LookupHost(host); ok {
			hostCat = t.Category
		}
	}
	return resolveKnown(hostCat, host, path, query)
}

// resolveKnown is resolve once the host's catalog category is known
// (Unknown: not listed).
func resolveKnown(hostCat Category, host, path, query string) resolved {
	r := resolved{query: query}
	r.necessary = hostCat == Necessary
	epCat, epReason := endpoint(host, path, query)
	switch {
	case hostCat != Unknown && hostCat != Necessary:
		r.cat, r.reason = hostCat, ReasonTrackerHost|epReason
		if epReason != 0 {
			r.cat = Stricter(hostCat, epCat)
		}
	case epReason != 0:
		r.cat, r.reason = epCat, epReason
	}
	return r
}

// PingBeacon reports whether a ping or attributionsrc attribute - a list
// of URLs separated by ASCII whitespace, each of which the browser contacts
// in the background - reaches a tracker. Each URL is judged by ResolveURL
// first, exactly as an img or script to it would be. A URL it clears on the
// page's own site is left alone (hyperlink auditing to oneself tells
// nobody else anything), and so is one on a host the catalog calls
// Necessary; any other cross-site URL is a beacon of category Marketing.
// With several beacon URLs the result is the strictest category among them
// (see Stricter). An empty attributionsrc registers with the element's own
// URL: pass that URL instead.
func (c *Catalog) PingBeacon(pageHost, urls string) (Category, BeaconReason, bool) {
	var (
		best    Category
		reasons BeaconReason
		found   bool
	)
	for u := range strings.FieldsSeq(urls) {
		cat, r, ok := c.pingOne(pageHost, u)
		if !ok {
			continue
		}
		if !found {
			best = cat
		}
		best = Stricter(best, cat)
		reasons |= r
		found = true
	}
	return best, reasons, found
}

func (c *Catalog) pingOne(pageHost, u string) (Category, BeaconReason, bool) {
	host := HostOf(u)
	r := c.resolve(host, u)
	switch {
	case r.reason != 0:
		return r.cat, r.reason, true
	case host == "" || r.necessary || SameSite(pageHost, host):
		return Unknown, 0, false
	}
	return Marketing, ReasonCrossSite, true
}

// fetchesVisibly reports whether a tag's URL is rendered, so that its size
// and visibility say something: an invisible script is normal, an invisible
// image is not.
func fetchesVisibly(tag string) bool {
	switch tag {
	case "img", "image", "iframe", "frame", "embed", "object", "input":
		return true
	}
	return false
}

// tinyOrHidden reports whether width, height and style make an element
// invisible: display:none or visibility:hidden in the style, or a size
// where every dimension given is 0 or 1 pixel and at least one is given.
func tinyOrHidden(width, height, style string) bool {
	tiny, large := 0, 0
	count := func(px int, ok bool) {
		switch {
		case !ok:
		case px <= 1:
			tiny++
		default:
			large++
		}
	}
	count(attrPixels(width))
	count(attrPixels(height))
	for decl := range strings.SplitSeq(style, ";") {
		prop, val, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		prop = strings.TrimSpace(prop)
		val = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(val), "!important"))
		switch {
		case equalFold(prop, "display") && equalFold(val, "none"),
			equalFold(prop, "visibility") && (equalFold(val, "hidden") || equalFold(val, "collapse")):
			return true
		case equalFold(prop, "width"), equalFold(prop, "height"):
			count(cssPixels(val))
		}
	}
	return tiny > 0 && large == 0
}

// attrPixels parses a width/height attribute as HTML does for dimensions:
// leading spaces, then digits, anything after them ignored. A non-zero
// percentage is reported as a large size: it is not a pixel.
func attrPixels(s string) (int, bool) {
	s = trimURLSpace(s)
	n, i := 0, 0
	for i < len(s) && isDigit(s[i]) {
		if n < notTiny {
			n = n*10 + int(s[i]-'0')
		}
		i++
	}
	if i == 0 {
		return 0, false
	}
	if rest := skipNumber(s[i:]); strings.HasPrefix(rest, "%") && n > 0 {
		return notTiny, true
	}
	return n, true
}

// notTiny stands for any size too large to hide an element.
const notTiny = 1 << 20

// cssPixels parses a CSS width/height: a length in px, or a unitless 0. A
// non-zero length in another unit counts as large; keywords such as auto
// are not sizes it can judge.
func cssPixels(v string) (int, bool) {
	n, ok := attrPixels(v)
	if !ok {
		return 0, false
	}
	switch unit := skipNumber(trimURLSpace(v)); {
	case n == 0, equalFold(unit, "px"):
		return n, true
	}
	return notTiny, true
}

// skipNumber drops leading digits and dots.
func skipNumber(s string) string {
	for s != "" && (isDigit(s[0]) || s[0] == '.') {
		s = s[1:]
	}
	return s
}
