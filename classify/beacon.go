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
//   - a host of the catalog decides alone, with its category; a host the
//     catalog calls Necessary does not make a beacon;
//   - a known collection or e-mail open endpoint decides alone, also on the
//     page's own site, with the category of what collects there
//     (Analytics for Google Analytics, Matomo and Adobe hits, Marketing for
//     the rest);
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
	path, query := pathQuery(u)

	var hostCat Category
	if host != "" {
		if t, ok := c.LookupHost(host); ok {
			hostCat = t.Category
		}
	}
	epCat, epReason := endpoint(host, path, query)
	if hostCat != Unknown && hostCat != Necessary {
		// A host can have two jobs: www.facebook.com serves social plugins
		// and the Meta Pixel's /tr conversion beacon. The endpoint says
		// which job this request does, so the more demanding category wins.
		if epReason != 0 && pingRank(epCat) > pingRank(hostCat) {
			hostCat = epCat
		}
		return hostCat, ReasonTrackerHost | epReason, true
	}
	if epReason != 0 {
		return epCat, epReason, true
	}
	if hostCat == Necessary || host == "" || !fetchesVisibly(e.Tag) {
		return Unknown, 0, false
	}

	// Visible elements, most images, need no look at the query.
	if !e.Hidden && !tinyOrHidden(e.Width, e.Height, e.Style) {
		return Unknown, 0, false
	}
	r := ReasonTinyOrHidden
	if idQuery(query) {
		r |= ReasonIDQuery
	}
	if e.InNoscript {
		r |= ReasonNoscript
	}
	if r&(ReasonIDQuery|ReasonNoscript) == 0 {
		return Unknown, 0, false
	}
	if SameSite(e.PageHost, host) {
		return Unknown, 0, false
	}
	return Marketing, r | ReasonCrossSite, true
}

// PingBeacon reports whether a ping or attributionsrc attribute - a list
// of URLs separated by ASCII whitespace, each of which the browser contacts
// in the background - reaches a tracker. A URL on the page's own site is
// left alone (hyperlink auditing to oneself tells nobody else anything)
// unless it is a known collection endpoint; any cross-site URL is a beacon,
// with its tracker's category when the catalog knows the host and Marketing
// otherwise. With several beacon URLs the result is the most demanding
// category among them, in the order Marketing, Social, Analytics,
// Preferences. An empty attributionsrc registers with the element's own
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
		if !found || pingRank(cat) > pingRank(best) {
			best = cat
		}
		reasons |= r
		found = true
	}
	return best, reasons, found
}

func (c *Catalog) pingOne(pageHost, u string) (Category, BeaconReason, bool) {
	host := HostOf(u)
	path, query := pathQuery(u)
	var hostCat Category
	if host != "" {
		if t, ok := c.LookupHost(host); ok {
			hostCat = t.Category
		}
	}
	epCat, epReason := endpoint(host, path, query)
	switch {
	case hostCat != Unknown && hostCat != Necessary:
		return hostCat, ReasonTrackerHost | epReason, true
	case epReason != 0:
		return epCat, epReason, true
	case host == "" || hostCat == Necessary || SameSite(pageHost, host):
		return Unknown, 0, false
	}
	return Marketing, ReasonCrossSite, true
}

func pingRank(c Category) int {
	switch c {
	case Marketing:
		return 4
	case Social:
		return 3
	case Analytics:
		return 2
	case Preferences:
		return 1
	}
	return 0
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
