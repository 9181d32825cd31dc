package classify

import (
	"net/netip"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Site returns the registrable domain ("eTLD+1") of host, the unit browsers
// use for "same site" and third-party cookies: the public suffix plus one
// label, by the Public Suffix List including its private section, as
// browsers use it. So a.github.io and b.github.io are different sites
// (github.io is a suffix that GitHub registered), while shop.example.co.uk
// and www.example.co.uk are both example.co.uk.
//
// host may carry what hosts carry in practice: a port ("example.com:8080",
// as in Request.Host), brackets around an IPv6 address, a leading dot (a
// cookie Domain attribute), a trailing dot, upper case. The result is
// lower-case and has none of these. Beyond that:
//
//   - an IP address (v4 or v6) is its own site, and so is a single-label
//     host such as "localhost";
//   - a host that is itself a public suffix ("co.uk", "github.io") is
//     returned whole;
//   - a TLD the list does not know counts as a public suffix, the list's
//     default rule, so "app.corp.internal" is in site "corp.internal";
//   - non-ASCII hosts are converted to their ASCII (punycode) form first.
//
// Site returns "" for an empty host or one a browser would reject (see
// HostOf). It allocates only for upper-case or non-ASCII input, plus the
// one allocation publicsuffix makes per lookup (its IP-address check builds
// an error value).
func Site(host string) string {
	h := cleanHost(host)
	if h == "" || isIPHost(h) || strings.IndexByte(h, '.') < 0 {
		return h
	}
	ps, _ := publicsuffix.PublicSuffix(h)
	if len(ps) >= len(h) {
		return h
	}
	i := len(h) - len(ps) - 1
	if h[i] != '.' || i == 0 || h[i-1] == '.' {
		// No label before the suffix ("a..co.uk"): a malformed host is its
		// own site.
		return h
	}
	return h[strings.LastIndexByte(h[:i], '.')+1:]
}

// SameSite reports whether hosts a and b have the same registrable domain
// (see Site). Schemes are not part of the comparison: callers that care
// about schemeful same-site compare schemes themselves. An empty host is
// never the same site as anything, so an unknown page counts as foreign.
func SameSite(a, b string) bool {
	a, b = cleanHost(a), cleanHost(b)
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	return Site(a) == Site(b)
}

// ThirdParty reports whether resource belongs to another site than the
// page served from pageHost (a host, with or without port, as in
// Request.Host). resource may be an absolute or protocol-relative URL
// ("https://x.com/a", "//x.com/a"), a bare host ("x.com"), or a cookie
// Domain attribute (".x.com"). A value with a path but no host is a relative
// URL and so first party; a caller holding a raw src attribute such as
// "pixel.gif" should pass it through HostOf first, since ThirdParty would
// take it for a host.
func ThirdParty(pageHost, resource string) bool {
	h := HostOf(resource)
	if h == "" {
		if strings.ContainsAny(resource, "/?#") || !hostLike(resource) {
			return false // relative URL, or a scheme without a host (data:, mailto:)
		}
		h = resource
	}
	if cleanHost(h) == "" {
		return false
	}
	return !SameSite(pageHost, h)
}

// hostLike tells a bare host, possibly with a port ("x.com", "x.com:8443",
// "[::1]:80"), from a URL with a scheme and no authority ("mailto:a@x.com",
// "javascript:void(0)", "about:blank").
func hostLike(s string) bool {
	if strings.HasPrefix(s, "[") || strings.Count(s, ":") > 1 {
		return true // IPv6 literal
	}
	_, port, ok := strings.Cut(s, ":")
	if !ok {
		return true
	}
	if port == "" {
		return false
	}
	for i := 0; i < len(port); i++ {
		if !isDigit(port[i]) {
			return false
		}
	}
	return true
}

// HostOf returns the host of an absolute ("https://x.com/a") or
// protocol-relative ("//x.com/a") URL: lower-case, without userinfo, port,
// brackets around an IPv6 address, or trailing dot. It returns "" for a
// relative URL and for a URL without a host ("data:", "mailto:",
// "about:blank").
//
// It reads URLs the way browsers do where that differs from net/url:
// surrounding spaces are ignored, and for the special schemes (http, https,
// ws, wss, ftp) backslashes count as slashes and their number does not
// matter, so "https:\\evil.example" is evil.example. A host a
// browser would reject yields "": one with a space, '[', '^' or another
// code point the URL standard forbids in domains, or with colons but no
// valid IPv6 address. Percent escapes in the host are decoded first, as
// browsers do ("www%2Eexample%2Ecom" is www.example.com; a '%' that starts
// no escape is forbidden). Tabs or newlines inside the URL are not removed.
//
// It allocates only to lower-case a host that has upper case or to decode
// escapes; otherwise the result is a substring of rawURL.
func HostOf(rawURL string) string {
	u := trimURLSpace(rawURL)
	var rest string
	switch {
	case len(u) >= 2 && isSlash(u[0]) && isSlash(u[1]):
		rest = trimSlashes(u)
	default:
		scheme, after, ok := cutScheme(u)
		if !ok {
			return ""
		}
		if isSpecialScheme(scheme) {
			rest = trimSlashes(after)
		} else if strings.HasPrefix(after, "//") {
			rest = after[2:]
		} else {
			return "" // mailto:x, data:..., javascript:..., urn:...
		}
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; isSlash(c) || c == '?' || c == '#' {
			rest = rest[:i]
			break
		}
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		rest = rest[at+1:]
	}
	return cleanHost(rest)
}

func isSlash(c byte) bool { return c == '/' || c == '\\' }

// trimSlashes drops leading slashes and backslashes (strings.TrimLeft with
// a cutset builds a set on every call; this is the hot path).
func trimSlashes(s string) string {
	for s != "" && isSlash(s[0]) {
		s = s[1:]
	}
	return s
}

// trimURLSpace drops the ASCII whitespace browsers strip around a URL.
func trimURLSpace(s string) string {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
	for s != "" && isSpace(s[0]) {
		s = s[1:]
	}
	for s != "" && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// cutScheme splits "scheme:rest" when u starts with a syntactically valid
// scheme: a letter, then letters, digits, '+', '-' or '.'.
func cutScheme(u string) (scheme, rest string, ok bool) {
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c|0x20 && c|0x20 <= 'z':
		case i > 0 && (isDigit(c) || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return u[:i], u[i+1:], true
		default:
			return "", "", false
		}
	}
	return "", "", false
}

// isSpecialScheme reports the schemes whose URLs always have an authority.
// A scheme from cutScheme is ASCII, so an ASCII case fold is exact; it is
// on every URL's path, hence no strings.EqualFold loop.
func isSpecialScheme(s string) bool {
	switch len(s) {
	case 2:
		return equalFold(s, "ws")
	case 3:
		return equalFold(s, "wss") || equalFold(s, "ftp")
	case 4:
		return equalFold(s, "http")
	case 5:
		return equalFold(s, "https")
	}
	return false
}

// indexSlash is strings.IndexAny(s, `/\`) without building a set per call.
func indexSlash(s string) int {
	for i := 0; i < len(s); i++ {
		if isSlash(s[i]) {
			return i
		}
	}
	return -1
}

// cleanHost reduces a host as found in URLs, Host headers and cookie
// Domain attributes to the bare lower-case name: no leading or trailing
// dots, no port, no IPv6 brackets; non-ASCII names become punycode.
func cleanHost(h string) string {
	h = strings.TrimLeft(h, ".")
	if strings.HasPrefix(h, "[") {
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return ""
		}
		return ipv6Host(h[1:end]) // whatever follows is a port
	}
	if i := strings.IndexByte(h, ':'); i >= 0 {
		if strings.IndexByte(h[i+1:], ':') >= 0 {
			return ipv6Host(h) // two or more colons: a bare IPv6 address
		}
		h = h[:i] // one colon: a port
	}
	if strings.IndexByte(h, '%') >= 0 {
		// Browsers percent-decode a host before anything else
		// ("www%2Eexample%2Ecom" is www.example.com); a '%' left over
		// is then forbidden.
		h = strings.TrimLeft(percentDecode(h), ".")
	}
	h = strings.TrimRight(h, ".")
	for i := 0; i < len(h); i++ {
		if forbiddenInHost(h[i]) {
			return ""
		}
	}
	for i := 0; i < len(h); i++ {
		if h[i] >= 0x80 {
			a, err := idna.Lookup.ToASCII(h)
			if err != nil {
				// A host the lookup rules reject (a bidi rule, say)
				// still gets one ASCII spelling, so that it always
				// compares equal to itself and to its site.
				a, err = idna.Punycode.ToASCII(strings.ToLower(h))
			}
			if err != nil {
				return ""
			}
			// A label that maps to nothing (a soft hyphen, say) can
			// leave a dot at either end again.
			return strings.Trim(a, ".")
		}
	}
	return lowerASCII(h)
}

// percentDecode decodes the %XX sequences of s, leaving a '%' that does not
// start one as it is, as the URL standard's percent-decode does.
func percentDecode(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// forbiddenInHost reports the bytes the URL standard forbids in a domain
// (its "forbidden domain code points"): a browser rejects a URL whose host
// holds one, so no request goes anywhere.
func forbiddenInHost(c byte) bool {
	if c <= 0x20 || c == 0x7F {
		return true
	}
	return strings.IndexByte(`#%/:<>?@[\]^|`, c) >= 0
}

// ipv6Host returns h lower-cased when it is an IPv6 address without zone
// and "" when it is not, so that no other host keeps a colon.
func ipv6Host(h string) string {
	if a, err := netip.ParseAddr(h); err != nil || !a.Is6() || a.Zone() != "" {
		return "" // browsers reject zones ("%eth0") in URLs too
	}
	return lowerASCII(h)
}

// lowerASCII lower-cases ASCII letters, allocating only when there are
// upper-case ones.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// isIPHost reports whether a cleaned host is an IP literal: it holds a
// colon (IPv6; cleanHost removed ports), or its last label is numeric,
// which browsers parse as IPv4 and no TLD is.
func isIPHost(h string) bool {
	if strings.IndexByte(h, ':') >= 0 {
		return true
	}
	last := h[strings.LastIndexByte(h, '.')+1:]
	if last == "" {
		return false
	}
	digits := func(s string, hex bool) bool {
		for i := 0; i < len(s); i++ {
			c := s[i] | 0x20
			if !isDigit(s[i]) && !(hex && 'a' <= c && c <= 'f') {
				return false
			}
		}
		return true
	}
	if len(last) > 2 && last[0] == '0' && last[1]|0x20 == 'x' {
		return digits(last[2:], true) // 0x7f.0.0.1 is an IPv4 address to a browser
	}
	return digits(last, false)
}
