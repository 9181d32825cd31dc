package classify

import (
	"fmt"
	"slices"
	"strings"
)

// A Catalog answers what a cookie name or a tracker host is. It is built once
// by NewCatalog (or Builtin, or a loader) and never changes afterwards, so one
// Catalog can serve any number of goroutines. A nil *Catalog is an empty one.
//
// Cookie rules are looked up by specificity: an exact name beats a prefix, a
// longer prefix beats a shorter one, and a pattern ("*_csrf*") comes last.
// Among rules with the same pattern, one whose Domain matches the cookie's
// domain beats one without a Domain. Names are compared case-sensitively,
// as browsers do; only when no exact name or prefix matches is the exact
// name tried again ignoring ASCII case, because sites re-case well-known
// names ("phpsessid", "jsessionid") while the software behind them stays the
// same. Prefixes never match across case: a short prefix such as Drupal's
// "SESS" would otherwise swallow unrelated names ("sessionFunnel..."), and
// a wrong "necessary" is the one error a catalog must not make. Patterns
// ignore case; they are few and deliberately narrow. A cookie that no rule
// names but that was set on a tracker host's domain takes that tracker's
// category (see LookupCookie).
type Catalog struct {
	cookies  []Cookie
	trackers []Tracker

	exact     map[string][]cookieRule // by exact name
	exactFold map[string][]cookieRule // by lower-cased exact name
	prefix    prefixIndex
	patterns  []patternRule

	hostTab hostTable // the trackers by host
}

// Limits on what a lookup folds into its stack buffer; longer inputs are not
// real cookie names or host names and simply miss the case-insensitive path.
const (
	maxFoldName = 128
	maxHostLen  = 253
)

// NewCatalog builds a Catalog from cookie rules and tracker hosts. It returns
// an error naming the first entry that is unusable: an empty or malformed
// pattern, a Category outside Necessary..Social, or a malformed host or
// domain. A later entry with the same Pattern and Domain (or the same Host)
// replaces an earlier one, as Merge does. The slices are copied.
func NewCatalog(cookies []Cookie, trackers []Tracker) (*Catalog, error) {
	c := &Catalog{}
	type cookieKey struct{ pattern, domain string }
	seen := make(map[cookieKey]int, len(cookies))
	for i, ck := range cookies {
		if err := validPattern(ck.Pattern); err != nil {
			return nil, fmt.Errorf("classify: cookie %d (%q): %w", i, ck.Pattern, err)
		}
		if !validCategory(ck.Category) {
			return nil, fmt.Errorf("classify: cookie %d (%q): unknown category %d", i, ck.Pattern, ck.Category)
		}
		if ck.Domain != "" {
			d, ok := normalHost(strings.TrimPrefix(ck.Domain, "."))
			if !ok {
				return nil, fmt.Errorf("classify: cookie %d (%q): bad domain %q", i, ck.Pattern, ck.Domain)
			}
			ck.Domain = d
		}
		k := cookieKey{ck.Pattern, ck.Domain}
		if j, dup := seen[k]; dup {
			c.cookies[j] = ck
			continue
		}
		seen[k] = len(c.cookies)
		c.cookies = append(c.cookies, ck)
	}
	hostSeen := make(map[string]int, len(trackers))
	for i, t := range trackers {
		h, ok := normalHost(t.Host)
		if !ok {
			return nil, fmt.Errorf("classify: tracker %d: bad host %q", i, t.Host)
		}
		if !validCategory(t.Category) {
			return nil, fmt.Errorf("classify: tracker %d (%q): unknown category %d", i, t.Host, t.Category)
		}
		t.Host = h
		if j, dup := hostSeen[h]; dup {
			c.trackers[j] = t
			continue
		}
		hostSeen[h] = len(c.trackers)
		c.trackers = append(c.trackers, t)
	}
	c.index()
	return c, nil
}

// MustCatalog is like NewCatalog but panics on an error. It is meant for
// tables written in the program itself, where an error is a bug.
func MustCatalog(cookies []Cookie, trackers []Tracker) *Catalog {
	c, err := NewCatalog(cookies, trackers)
	if err != nil {
		panic(err)
	}
	return c
}

func validCategory(c Category) bool { return c >= Necessary && c <= Social }

// validPattern accepts an exact cookie name, a prefix "name*", or a pattern
// with '*' anywhere that still has at least two literal bytes, so a rule can
// never swallow every cookie.
func validPattern(p string) error {
	if p == "" {
		return fmt.Errorf("empty pattern")
	}
	literal := 0
	for i := 0; i < len(p); i++ {
		b := p[i]
		switch {
		case b == '*':
			if i > 0 && p[i-1] == '*' {
				return fmt.Errorf("bad pattern: \"**\"")
			}
		case b <= ' ' || b == 0x7f || b == ';' || b == ',' || b == '=' || b == '"':
			return fmt.Errorf("bad pattern: byte %q cannot appear in a cookie name", b)
		default:
			literal++
		}
	}
	if literal == len(p) {
		return nil
	}
	if literal < 1 || (literal < 2 && !isPrefix(p)) {
		return fmt.Errorf("bad pattern: too few literal characters")
	}
	return nil
}

// isPrefix reports whether p is "literal*" with no other wildcard.
func isPrefix(p string) bool {
	return len(p) > 1 && p[len(p)-1] == '*' && strings.IndexByte(p[:len(p)-1], '*') < 0
}

// normalHost lower-cases h, drops one trailing dot and checks it is a
// plausible DNS name: letters, digits, '-' and '_' in non-empty labels.
func normalHost(h string) (string, bool) {
	h = strings.TrimSuffix(h, ".")
	if h == "" || len(h) > maxHostLen {
		return "", false
	}
	label := 0
	for i := 0; i < len(h); i++ {
		b := h[i]
		switch {
		case b == '.':
			if label == 0 {
				return "", false
			}
			label = 0
			continue
		case b >= 'a' && b <= 'z', b >= '0' && b <= '9', b == '-', b == '_':
		case b >= 'A' && b <= 'Z':
		default:
			return "", false
		}
		label++
	}
	if label == 0 {
		return "", false
	}
	return strings.ToLower(h), true
}

// index builds the lookup structures from c.cookies and c.trackers.
func (c *Catalog) index() {
	c.exact = make(map[string][]cookieRule)
	c.exactFold = make(map[string][]cookieRule)
	c.prefix = prefixIndex{buckets: make(map[uint16][]prefixRule)}
	c.patterns = nil
	for i, ck := range c.cookies {
		r := cookieRule{idx: int32(i), domain: ck.Domain}
		p := ck.Pattern
		switch {
		case strings.IndexByte(p, '*') < 0:
			c.exact[p] = append(c.exact[p], r)
			f := asciiLower(p)
			c.exactFold[f] = append(c.exactFold[f], r)
		case isPrefix(p):
			pre := p[:len(p)-1]
			c.prefix.add(pre, r)
		default:
			c.patterns = append(c.patterns, newPatternRule(p, r))
		}
	}
	// Within one key, domain-limited rules come first so they beat the
	// general rule; otherwise keep catalog order for stable results.
	byDomain := func(a, b cookieRule) int {
		switch {
		case a.domain != "" && b.domain == "":
			return -1
		case a.domain == "" && b.domain != "":
			return 1
		}
		return int(a.idx - b.idx)
	}
	for _, m := range []map[string][]cookieRule{c.exact, c.exactFold} {
		for _, rs := range m {
			slices.SortStableFunc(rs, byDomain)
		}
	}
	c.prefix.sort(byDomain)
	slices.SortStableFunc(c.patterns, func(a, b patternRule) int {
		if a.literals != b.literals {
			return b.literals - a.literals
		}
		return byDomain(a.cookieRule, b.cookieRule)
	})

	c.hostTab = newHostTable(c.trackers)
}

// LookupCookie finds the rule for a cookie name. domain is the cookie's
// Domain attribute or the host that set it ("" when unknown; a leading dot is
// fine): it picks or allows domain-limited rules, and when no rule names the
// cookie but domain is a tracker host, LookupCookie answers with a Cookie
// whose Pattern is "*" and whose category and provider are the tracker's.
// The "__Host-" and "__Secure-" prefixes are stripped first. Lookups do not
// allocate.
func (c *Catalog) LookupCookie(name, domain string) (Cookie, bool) {
	if c == nil || name == "" {
		return Cookie{}, false
	}
	name = stripCookiePrefix(name)
	if i := firstApplicable(c.exact[name], domain); i >= 0 {
		return c.cookies[i], true
	}
	if i := c.prefix.find(name, domain); i >= 0 {
		return c.cookies[i], true
	}
	// Past this point compare ignoring case; names too long for the stack
	// buffer are not real cookie names and get the slower matcher.
	var buf [maxFoldName]byte
	if len(name) <= len(buf) {
		low := lowerInto(buf[:], name)
		if i := firstApplicable(c.exactFold[string(low)], domain); i >= 0 {
			return c.cookies[i], true
		}
		for i := range c.patterns {
			if p := &c.patterns[i]; p.applies(domain) && p.match(low) {
				return c.cookies[p.idx], true
			}
		}
	} else {
		for i := range c.patterns {
			if p := &c.patterns[i]; p.applies(domain) && globFold(p.pattern, name) {
				return c.cookies[p.idx], true
			}
		}
	}
	// A cookie no rule names, set on a tracker's own domain, belongs to
	// that tracker: whatever doubleclick.net stores serves its ads. The
	// tracker table lists no necessary hosts, so this never clears a cookie.
	if domain != "" {
		if t, ok := c.LookupHost(strings.TrimPrefix(domain, ".")); ok {
			return Cookie{
				Pattern:  "*",
				Domain:   t.Host,
				Category: t.Category,
				Provider: t.Provider,
				Purpose:  trackerCookiePurpose,
			}, true
		}
	}
	return Cookie{}, false
}

// trackerCookiePurpose describes the cookies LookupCookie attributes to a
// tracker host because no rule names them.
const trackerCookiePurpose = "Set on the domain of a known tracker; no rule names this cookie."

// LookupHost finds the tracker entry for host or the nearest parent domain
// listed: "stats.g.doubleclick.net" finds "doubleclick.net". Case and one
// trailing dot are ignored, as is a ":port" suffix. It does not allocate.
func (c *Catalog) LookupHost(host string) (Tracker, bool) {
	if c == nil || len(c.trackers) == 0 || host == "" {
		return Tracker{}, false
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		if strings.IndexByte(host[:i], ':') >= 0 || host[0] == '[' {
			return Tracker{}, false // an IPv6 literal is never a listed host
		}
		host = host[:i]
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" || len(host) > maxHostLen {
		return Tracker{}, false
	}
	return c.lookupHost(host)
}

// Merge returns a new Catalog with the entries of c and over, where an entry
// of over replaces the one of c with the same Pattern and Domain (cookies) or
// Host (trackers). Neither input changes; either may be nil.
func (c *Catalog) Merge(over *Catalog) *Catalog {
	cookies := append(c.Cookies(), over.Cookies()...)
	trackers := append(c.Trackers(), over.Trackers()...)
	m, err := NewCatalog(cookies, trackers)
	if err != nil {
		// Both inputs passed validation already.
		panic("classify: merging two valid catalogs: " + err.Error())
	}
	return m
}

// Cookies returns a copy of the cookie rules in catalog order, e.g. to print
// a cookie declaration.
func (c *Catalog) Cookies() []Cookie {
	if c == nil {
		return nil
	}
	return slices.Clone(c.cookies)
}

// Trackers returns a copy of the tracker hosts in catalog order.
func (c *Catalog) Trackers() []Tracker {
	if c == nil {
		return nil
	}
	return slices.Clone(c.trackers)
}

// Len reports how many cookie rules and tracker hosts c holds.
func (c *Catalog) Len() (cookies, trackers int) {
	if c == nil {
		return 0, 0
	}
	return len(c.cookies), len(c.trackers)
}
