package classify

import "strings"

// Collection endpoints: the paths and queries that tags send their hits to,
// recognised wherever they are hosted.

// pathQuery returns the path and query (without '?') of a URL, absolute,
// protocol-relative or relative; the fragment is dropped.
func pathQuery(u string) (path, query string) {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u = u[:i]
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u, query = u[:i], u[i+1:]
	}
	// Skip "scheme:" and "//authority" when present.
	if len(u) >= 2 && isSlash(u[0]) && isSlash(u[1]) {
		u = trimSlashes(u)
		if i := indexSlash(u); i >= 0 {
			return u[i:], query
		}
		return "", query
	}
	if scheme, rest, ok := cutScheme(u); ok {
		switch {
		case isSpecialScheme(scheme):
			rest = trimSlashes(rest)
		case strings.HasPrefix(rest, "//"):
			rest = rest[2:]
		default:
			return rest, query
		}
		if i := indexSlash(rest); i >= 0 {
			return rest[i:], query
		}
		return "", query
	}
	return u, query
}

// endpoint matches the collection endpoints of the common tags by path and
// query. All of them need a query except where the path alone is telling;
// path names compare case-insensitively.
func endpoint(host, path, query string) (Category, BeaconReason) {
	last, parent := lastSegments(path)
	marks := pathMarks(path)
	switch {
	// E-mail opens.
	case hostWithin(host, "list-manage.com") && equalFold(last, "open.php") && equalFold(parent, "track"):
		return Marketing, ReasonEmailOpen
	case equalFold(last, "open") && equalFold(parent, "wf") && queryHas(query, "upn"):
		return Marketing, ReasonEmailOpen // SendGrid
	case marks&markE2TO != 0:
		return Marketing, ReasonEmailOpen // HubSpot
	case hostWithin(host, "exct.net") && equalFold(last, "open.aspx"):
		return Marketing, ReasonEmailOpen // Salesforce Marketing Cloud
	// Analytics hits.
	case marks&markGCollect != 0 && query != "":
		return Analytics, ReasonEndpoint // GA4
	case equalFold(last, "collect") && query != "":
		return Analytics, ReasonEndpoint // Universal Analytics, Measurement Protocol and look-alikes
	case marks&markBSS != 0:
		return Analytics, ReasonEndpoint // Adobe Analytics image requests
	case (equalFold(last, "matomo.php") || equalFold(last, "piwik.php")) && queryParam(query, "rec") == "1":
		return Analytics, ReasonEndpoint
	case equalFold(last, "__utm.gif") && query != "":
		return Analytics, ReasonEndpoint // legacy ga.js
	// Advertising pixels.
	case marks&markIAdsct != 0:
		return Marketing, ReasonEndpoint // X conversion tracking
	case query != "" && (equalFold(last, "tr") || equalFold(last, "pixel") ||
		equalFold(last, "track") || equalFold(last, "beacon") ||
		equalFold(last, "p.gif") || equalFold(last, "rp.gif")):
		return Marketing, ReasonEndpoint
	case hasSuffixFold(last, ".gif") && idQuery(query):
		return Marketing, ReasonEndpoint
	}
	return Unknown, 0
}

// lastSegments returns the last path segment and the one before it; a
// trailing slash is ignored, so "/collect/" ends in "collect".
func lastSegments(path string) (last, parent string) {
	path = strings.TrimRight(path, "/")
	i := strings.LastIndexByte(path, '/')
	last = path[i+1:]
	if i <= 0 {
		return last, ""
	}
	path = path[:i]
	return last, path[strings.LastIndexByte(path, '/')+1:]
}

// Path pieces that mark collection endpoints wherever they appear in a
// path, found by pathMarks.
const (
	markE2TO     = 1 << iota // "/e2t/o/": HubSpot e-mail opens
	markGCollect             // segments "/g/collect": GA4
	markBSS                  // "/b/ss/": Adobe Analytics
	markIAdsct               // segments "/i/adsct": X conversions
)

// pathMarks finds the marks in one pass over path, looking only at
// slashes, ignoring case.
func pathMarks(path string) (m uint8) {
	for i := strings.IndexByte(path, '/'); i >= 0 && i+1 < len(path); {
		rest := path[i:]
		switch rest[1] | 0x20 {
		case 'e':
			if hasPrefixFold(rest, "/e2t/o/") {
				m |= markE2TO
			}
		case 'g':
			if hasSegmentsFold(rest, "/g/collect") {
				m |= markGCollect
			}
		case 'b':
			if hasPrefixFold(rest, "/b/ss/") {
				m |= markBSS
			}
		case 'i':
			if hasSegmentsFold(rest, "/i/adsct") {
				m |= markIAdsct
			}
		}
		j := strings.IndexByte(path[i+1:], '/')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return m
}

// equalFold compares s with the ASCII name t ignoring ASCII case. Unlike
// strings.EqualFold it does not take the Kelvin sign for a 'k' or the long
// s for an 's': no server does, so such a path names no endpoint. Most
// candidates differ in length and cost a single comparison.
func equalFold(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lowerByte(s[i]) != lowerByte(t[i]) {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && equalFold(s[:len(prefix)], prefix)
}

// hasSegmentsFold reports whether s starts with the whole segments seg:
// followed by the end or a '/'.
func hasSegmentsFold(s, seg string) bool {
	return hasPrefixFold(s, seg) && (len(s) == len(seg) || s[len(seg)] == '/')
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// hostWithin reports whether host is domain or a subdomain of it; host is
// lower-case (HostOf made it so).
func hostWithin(host, domain string) bool {
	return host == domain || strings.HasSuffix(host, domain) && host[len(host)-len(domain)-1] == '.'
}

// idQuery reports whether a query carries a parameter that names an
// account, property or event - what a pixel sends and a spacer does not.
func idQuery(query string) bool {
	for kv := range strings.SplitSeq(query, "&") {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case equalFold(k, "id"), equalFold(k, "pid"), equalFold(k, "tid"),
			equalFold(k, "ti"), equalFold(k, "ev"):
			if v != "" {
				return true
			}
		case equalFold(k, "noscript") && v == "1":
			return true
		}
	}
	return false
}

func queryHas(query, name string) bool {
	for kv := range strings.SplitSeq(query, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if equalFold(k, name) {
			return true
		}
	}
	return false
}

func queryParam(query, name string) string {
	for kv := range strings.SplitSeq(query, "&") {
		if k, v, _ := strings.Cut(kv, "="); equalFold(k, name) {
			return v
		}
	}
	return ""
}
