package classify

import (
	"bytes"
	"slices"
	"strings"
)

// This file holds the matching machinery behind Catalog lookups. Everything
// here works on the caller's strings or on stack buffers: lookups must not
// allocate.

// cookieRule is one candidate for a name: the rule's index and the domain it
// is limited to ("" for any).
type cookieRule struct {
	idx    int32
	domain string
}

// prefixIndex finds the longest matching prefix without allocating: prefixes
// are bucketed by their first two bytes, and each bucket is sorted longest
// first, so the first applicable hit wins. One-byte prefixes live in short.
type prefixIndex struct {
	buckets map[uint16][]prefixRule
	short   []prefixRule
}

type prefixRule struct {
	prefix string
	cookieRule
}

// patternRule is a rule with '*' somewhere other than at the end, split at
// its stars into lower-case literal segments so that matching is a prefix
// test, a few substring searches and a suffix test.
type patternRule struct {
	pattern  string   // lower-cased, with '*' wildcards
	segs     [][]byte // the non-empty literal runs between stars, in order
	anchorL  bool     // the pattern does not start with '*'
	anchorR  bool     // the pattern does not end with '*'
	literals int      // number of non-'*' bytes: more is more specific
	cookieRule
}

func newPatternRule(p string, r cookieRule) patternRule {
	p = asciiLower(p)
	var segs [][]byte
	for s := range strings.SplitSeq(p, "*") {
		if s != "" {
			segs = append(segs, []byte(s))
		}
	}
	return patternRule{
		pattern:    p,
		segs:       segs,
		anchorL:    p[0] != '*',
		anchorR:    p[len(p)-1] != '*',
		literals:   len(p) - strings.Count(p, "*"),
		cookieRule: r,
	}
}

// match reports whether low, an already lower-cased name, matches. The
// leftmost match of each middle segment is the best one: it leaves the most
// room for the segments after it.
func (p *patternRule) match(low []byte) bool {
	if len(low) < p.literals {
		return false
	}
	segs := p.segs
	if p.anchorL {
		if !bytes.HasPrefix(low, segs[0]) {
			return false
		}
		low, segs = low[len(segs[0]):], segs[1:]
	}
	var last []byte
	if p.anchorR {
		last, segs = segs[len(segs)-1], segs[:len(segs)-1]
	}
	for _, s := range segs {
		i := bytes.Index(low, s)
		if i < 0 {
			return false
		}
		low = low[i+len(s):]
	}
	return bytes.HasSuffix(low, last)
}

func (x *prefixIndex) add(pre string, r cookieRule) {
	pr := prefixRule{prefix: pre, cookieRule: r}
	if len(pre) < 2 {
		x.short = append(x.short, pr)
		return
	}
	k := key2(pre)
	x.buckets[k] = append(x.buckets[k], pr)
}

func (x *prefixIndex) sort(byDomain func(a, b cookieRule) int) {
	cmp := func(a, b prefixRule) int {
		if len(a.prefix) != len(b.prefix) {
			return len(b.prefix) - len(a.prefix)
		}
		if a.prefix != b.prefix {
			return strings.Compare(a.prefix, b.prefix)
		}
		return byDomain(a.cookieRule, b.cookieRule)
	}
	for _, rs := range x.buckets {
		slices.SortStableFunc(rs, cmp)
	}
	slices.SortStableFunc(x.short, cmp)
}

func key2(s string) uint16 { return uint16(s[0])<<8 | uint16(s[1]) }

// find returns the index of the longest prefix rule applicable to name in
// domain, or -1.
func (x *prefixIndex) find(name, domain string) int32 {
	if len(name) >= 2 {
		for _, r := range x.buckets[key2(name)] {
			if len(r.prefix) <= len(name) && name[:len(r.prefix)] == r.prefix && r.applies(domain) {
				return r.idx
			}
		}
	}
	for _, r := range x.short {
		if len(name) >= len(r.prefix) && name[:len(r.prefix)] == r.prefix && r.applies(domain) {
			return r.idx
		}
	}
	return -1
}

// applies reports whether a rule may be used for a cookie of domain: a rule
// without a Domain always may, one with a Domain only when the cookie's
// domain is that domain or a subdomain of it. An unknown domain ("") never
// satisfies a domain-limited rule.
func (r cookieRule) applies(domain string) bool {
	if r.domain == "" {
		return true
	}
	return domainWithin(domain, r.domain)
}

// domainWithin reports whether d (any case, optional leading and trailing
// dot) is base or a subdomain of base (lower-case), on a label boundary.
func domainWithin(d, base string) bool {
	d = strings.TrimPrefix(d, ".")
	d = strings.TrimSuffix(d, ".")
	if len(d) < len(base) {
		return false
	}
	if len(d) > len(base) && d[len(d)-len(base)-1] != '.' {
		return false
	}
	return strings.EqualFold(d[len(d)-len(base):], base)
}

func firstApplicable(rs []cookieRule, domain string) int32 {
	for _, r := range rs {
		if r.applies(domain) {
			return r.idx
		}
	}
	return -1
}

// stripCookiePrefix removes "__Host-" or "__Secure-", compared ignoring
// case as current browsers do.
func stripCookiePrefix(name string) string {
	const host, secure = "__Host-", "__Secure-"
	if len(name) > len(host) && strings.EqualFold(name[:len(host)], host) {
		return name[len(host):]
	}
	if len(name) > len(secure) && strings.EqualFold(name[:len(secure)], secure) {
		return name[len(secure):]
	}
	return name
}

// lowerInto writes the ASCII lower case of s into buf (len(buf) >= len(s)).
func lowerInto(buf []byte, s string) []byte {
	b := buf[:len(s)]
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 'A' && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		b[i] = ch
	}
	return b
}

// asciiLower is lowerInto for building tables: it leaves bytes outside
// A-Z alone, where strings.ToLower would rewrite invalid UTF-8.
func asciiLower(s string) string {
	return string(lowerInto(make([]byte, len(s)), s))
}

func lowerByte(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// globFold matches s against a lower-case pattern in which '*' stands for
// any run of bytes, ignoring ASCII case in s. It backtracks only to the last
// star, so it runs in O(len(p)*len(s)) at worst and allocates nothing.
func globFold(p, s string) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(p) && p[pi] == lowerByte(s[si]):
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// hostTable finds a host and its parent domains in one pass over the
// host's bytes, from the end: the hash of every suffix that starts a label
// comes out on the way, and each is probed in an open-addressed table. Case
// is folded while hashing and comparing, so a host is never copied.
type hostTable struct {
	slots     []hostSlot // a power of two, at most half full
	maxLabels int        // most labels of any listed host
	last      labelFilter
	// tldShapes has bit c-'a' of entry n set when a listed host ends in a
	// label of n letters starting with c: a test that needs no hashing.
	tldShapes [maxTLDLen + 1]uint32
}

const maxTLDLen = 24

// mayEndInTLD reports whether some listed host may end in tld, a label of
// letters as plausibleTLD accepts; false is certain for such labels.
func (t *hostTable) mayEndInTLD(tld []byte) bool {
	switch {
	case len(tld) == 0:
		return false
	case len(tld) > maxTLDLen:
		return true
	}
	c := tld[0] | 0x20
	return 'a' <= c && c <= 'z' && t.tldShapes[len(tld)]&(1<<(c-'a')) != 0
}

type hostSlot struct {
	hash uint64
	idx  int32 // index into Catalog.trackers plus one; 0 is an empty slot
}

// FNV-1a, fed a host's bytes from the last to the first.
const (
	suffixHashSeed  = 14695981039346656037
	suffixHashPrime = 1099511628211
)

func suffixHashStep(h uint64, c byte) uint64 {
	return (h ^ uint64(lowerTable[c])) * suffixHashPrime
}

// lowerTable maps a byte to its ASCII lower case without a branch.
var lowerTable = func() (t [256]byte) {
	for c := range 256 {
		t[c] = lowerByte(byte(c))
	}
	return t
}()

// suffixHash is the hash lookups compute for s, in any case.
func suffixHash(s string) uint64 {
	h := uint64(suffixHashSeed)
	for i := len(s) - 1; i >= 0; i-- {
		h = suffixHashStep(h, s[i])
	}
	return h
}

// newHostTable indexes the hosts of trackers, which are lower case and
// distinct.
func newHostTable(trackers []Tracker) hostTable {
	n := 2
	for n < 2*len(trackers) {
		n *= 2
	}
	t := hostTable{slots: make([]hostSlot, n)}
	for i, tr := range trackers {
		h := suffixHash(tr.Host)
		j := h & uint64(n-1)
		for t.slots[j].idx != 0 {
			j = (j + 1) & uint64(n-1)
		}
		t.slots[j] = hostSlot{hash: h, idx: int32(i + 1)}
		t.maxLabels = max(t.maxLabels, strings.Count(tr.Host, ".")+1)
		tld := tr.Host[strings.LastIndexByte(tr.Host, '.')+1:]
		t.last.add(suffixHash(tld))
		if c := tld[0]; len(tld) <= maxTLDLen && 'a' <= c && c <= 'z' {
			// Script scanning only asks about labels of letters.
			t.tldShapes[len(tld)] |= 1 << (c - 'a')
		}
	}
	return t
}

// find returns the index plus one of the tracker whose host is s (any
// case) and hashes to h, or 0.
func (t *hostTable) find(h uint64, s string, trackers []Tracker) int32 {
	mask := uint64(len(t.slots) - 1)
	for j := h & mask; ; j = (j + 1) & mask {
		sl := &t.slots[j]
		if sl.idx == 0 {
			return 0
		}
		if sl.hash == h {
			// Hosts are lower case nearly always: compare as they are first.
			if k := trackers[sl.idx-1].Host; s == k || equalFoldASCII(s, k) {
				return sl.idx
			}
		}
	}
}

// lookupHost is LookupHost's walk over a host without port or trailing dot:
// every suffix that starts a label, up to the most labels a listed host
// has, is probed, and the longest listed one wins.
func (c *Catalog) lookupHost(host string) (Tracker, bool) {
	t := &c.hostTab
	best := int32(0)
	h := uint64(suffixHashSeed)
	labels := 0
	for i := len(host) - 1; i >= 0; i-- {
		h = suffixHashStep(h, host[i])
		if i > 0 && host[i-1] != '.' {
			continue
		}
		labels++
		if labels == 1 && !t.last.has(h) {
			return Tracker{}, false
		}
		if k := t.find(h, host[i:], c.trackers); k != 0 {
			best = k
		}
		if labels == t.maxLabels {
			break
		}
	}
	if best == 0 {
		return Tracker{}, false
	}
	return c.trackers[best-1], true
}

// equalFoldASCII compares s, in any case, with the lower-case low.
func equalFoldASCII(s, low string) bool {
	if len(s) != len(low) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lowerByte(s[i]) != low[i] {
			return false
		}
	}
	return true
}

// labelFilter is a one-sided test for the last label of a host, by its
// suffixHash: when has is false, no listed host ends in that label, and a
// lookup stops at once. Script text is full of "a.b" property accesses,
// and a page names many hosts no catalog lists.
type labelFilter [16]uint64

func (f *labelFilter) add(h uint64) {
	h %= uint64(len(f) * 64)
	f[h/64] |= 1 << (h % 64)
}

func (f *labelFilter) has(h uint64) bool {
	h %= uint64(len(f) * 64)
	return f[h/64]&(1<<(h%64)) != 0
}
