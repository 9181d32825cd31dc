package classify

import (
	"bytes"
	"math/bits"
	"strings"
	"unsafe"
)

// scriptMarker is a piece of text that only a tracker's loader snippet
// writes. host is the tracker's host, looked up in the catalog so that an
// application's own categories win; fallback applies when the catalog does
// not list it (or has no host at all, as for self-hosted Matomo). anchor is
// a byte of text that is rare in script, where the search for it starts.
type scriptMarker struct {
	text     string
	anchor   byte
	host     string
	fallback Tracker
}

// scriptMarkers are the globals and calls of the common loader snippets,
// as the vendors' install instructions write them (script_test.go has
// examples). A loader usually names its host too, but builds it by
// concatenation or escapes it often enough that the calls are worth
// knowing. Their order is their priority when a script holds several.
var scriptMarkers = [...]scriptMarker{
	{"gtm.start", '.', "www.googletagmanager.com", Tracker{Category: Analytics, Provider: "Google Tag Manager"}},
	{"gtag('config'", '(', "www.googletagmanager.com", Tracker{Category: Analytics, Provider: "Google tag"}},
	{`gtag("config"`, '(', "www.googletagmanager.com", Tracker{Category: Analytics, Provider: "Google tag"}},
	{"gtag('event'", '(', "www.googletagmanager.com", Tracker{Category: Analytics, Provider: "Google tag"}},
	{`gtag("event"`, '(', "www.googletagmanager.com", Tracker{Category: Analytics, Provider: "Google tag"}},
	{"ga('create'", '(', "www.google-analytics.com", Tracker{Category: Analytics, Provider: "Google Analytics"}},
	{"_gaq.push", '.', "www.google-analytics.com", Tracker{Category: Analytics, Provider: "Google Analytics"}},
	{"fbq(", 'q', "connect.facebook.net", Tracker{Category: Marketing, Provider: "Meta Pixel"}},
	{"_linkedin_partner_id", 'k', "snap.licdn.com", Tracker{Category: Marketing, Provider: "LinkedIn Insight Tag"}},
	{"lintrk(", 'k', "snap.licdn.com", Tracker{Category: Marketing, Provider: "LinkedIn Insight Tag"}},
	{"_hjSettings", 'j', "static.hotjar.com", Tracker{Category: Analytics, Provider: "Hotjar"}},
	{"TiktokAnalyticsObject", 'k', "analytics.tiktok.com", Tracker{Category: Marketing, Provider: "TikTok Pixel"}},
	{"ttq.load(", '.', "analytics.tiktok.com", Tracker{Category: Marketing, Provider: "TikTok Pixel"}},
	{"twq(", 'q', "static.ads-twitter.com", Tracker{Category: Marketing, Provider: "X (Twitter) Pixel"}},
	{"pintrk(", 'k', "s.pinimg.com", Tracker{Category: Marketing, Provider: "Pinterest Tag"}},
	{"window.uetq", '.', "bat.bing.com", Tracker{Category: Marketing, Provider: "Microsoft Advertising UET"}},
	{`"clarity", "script"`, 'y', "www.clarity.ms", Tracker{Category: Analytics, Provider: "Microsoft Clarity"}},
	{"_paq.push", '.', "", Tracker{Category: Analytics, Provider: "Matomo"}},
}

// markerSet has bit i set for scriptMarkers[i].
type markerSet uint32

// markerAnchors are the distinct anchor bytes of scriptMarkers but '.',
// each with the markers that hold it, so that finding every marker takes
// one bytes.IndexByte pass per anchor instead of one pass per marker, and
// stops only at bytes that are rare in script. Markers anchored at a '.'
// are checked by scriptHost, which stops at every dot anyway: dotMarkers
// lists them, and afterDot[c] has bit k set when dotMarkers[k] has c just
// after its dot.
var markerAnchors, dotMarkers, afterDot = func() (as []markerAnchor, dots []anchoredMarker, after [256]uint8) {
next:
	for i, m := range scriptMarkers {
		at := int8(strings.IndexByte(m.text, m.anchor))
		am := anchoredMarker{uint8(i), at}
		if m.anchor == '.' {
			after[m.text[at+1]] |= 1 << len(dots)
			dots = append(dots, am)
			continue
		}
		for k := range as {
			if as[k].b == m.anchor {
				as[k].ms = append(as[k].ms, am)
				continue next
			}
		}
		as = append(as, markerAnchor{m.anchor, []anchoredMarker{am}})
	}
	return as, dots, after
}()

type markerAnchor struct {
	b  byte
	ms []anchoredMarker
}

// anchoredMarker is scriptMarkers[i], whose first anchor byte is at
// offset at in its text.
type anchoredMarker struct {
	i  uint8
	at int8
}

// ScriptTracker reports whether an inline script's text loads or calls a
// tracker: it names a host of the catalog whose category is not Necessary
// (in a URL, a protocol-relative "//host", or a bare "host" string, also
// with JSON-escaped slashes), or it holds a known loader marker such as
// fbq(, gtm.start or _linkedin_partner_id. Hosts come first, in the order
// they appear. The result is the catalog's entry (for a marker without a
// listed host, a built-in one with an empty Host). It does not allocate.
func (c *Catalog) ScriptTracker(body []byte) (Tracker, bool) {
	t, ok, dots := c.scriptHost(body)
	if ok {
		return t, true
	}
	for found := dots | findMarkers(body); found != 0; found &= found - 1 {
		m := &scriptMarkers[bits.TrailingZeros32(uint32(found))]
		if m.host != "" {
			if t, ok := c.LookupHost(m.host); ok {
				if t.Category == Necessary {
					continue
				}
				return t, true
			}
		}
		return m.fallback, true
	}
	return Tracker{}, false
}

// findMarkers returns the set of scriptMarkers that body holds, but for
// those anchored at a dot (see scriptHost).
func findMarkers(body []byte) markerSet {
	var found markerSet
	for k := range markerAnchors {
		a := &markerAnchors[k]
		for i := 0; ; i++ {
			j := bytes.IndexByte(body[i:], a.b)
			if j < 0 {
				break
			}
			i += j
			for _, am := range a.ms {
				m := &scriptMarkers[am.i]
				start := i - int(am.at)
				if start >= 0 && len(body)-start >= len(m.text) && body[start] == m.text[0] &&
					string(body[start:start+len(m.text)]) == m.text {
					found |= 1 << am.i
				}
			}
		}
	}
	return found
}

// hostByte marks the bytes that can be part of a host name as written in
// script text: letters, digits, '-', '.' and '_'.
var hostByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_'
	}
	return t
}()

// scriptHost finds the first run of host characters with a dot whose host
// (or a parent domain) is a non-necessary tracker of the catalog. Without
// one, it returns the markers anchored at a dot (see markerAnchors) that
// body holds.
func (c *Catalog) scriptHost(body []byte) (Tracker, bool, markerSet) {
	hosts := c != nil && len(c.trackers) > 0
	var found markerSet
	for i := 0; i < len(body); {
		d := bytes.IndexByte(body[i:], '.')
		if d < 0 {
			break
		}
		dot := i + d
		end := dot
		for {
			// Every dot of the run may anchor a marker.
			if body[end] == '.' && end+1 < len(body) {
				if cand := afterDot[body[end+1]]; cand != 0 {
					found |= dotMarkersAt(body, end, cand)
				}
			}
			end++
			if end == len(body) || !hostByte[body[end]] {
				break
			}
		}
		i = end
		if !hosts {
			continue
		}
		// Most runs are property accesses ("a.length", "e.target"): their
		// last label tells them apart before the run is even delimited.
		tail := body[dot:end]
		for len(tail) > 0 && trimmedHostByte(tail[len(tail)-1]) {
			tail = tail[:len(tail)-1]
		}
		tld := tail[bytes.LastIndexByte(tail, '.')+1:]
		if !c.hostTab.mayEndInTLD(tld) {
			continue
		}
		if _, ok := plausibleTLD(tail); !ok || !c.hostTab.last.has(suffixHash(viewString(tld))) {
			continue
		}
		start := dot
		for start > 0 && hostByte[body[start-1]] {
			start--
		}
		run := trimHostRun(body[start:end])
		if len(run) < 4 || len(run) > maxHostLen {
			continue
		}
		if _, ok := plausibleTLD(run); !ok {
			continue // "_.com": trimming took the dot
		}
		// A run has no port, no trailing dot and fits maxHostLen: it can
		// skip LookupHost's preparation.
		if t, ok := c.lookupHost(viewString(run)); ok && t.Category != Necessary {
			return t, true, 0
		}
	}
	return Tracker{}, false, found
}

// dotMarkersAt checks the candidates cand (bits into dotMarkers) for a
// marker whose dot is body[dot].
func dotMarkersAt(body []byte, dot int, cand uint8) markerSet {
	var found markerSet
	for ; cand != 0; cand &= cand - 1 {
		am := dotMarkers[bits.TrailingZeros8(cand)]
		m := &scriptMarkers[am.i]
		start := dot - int(am.at)
		if start >= 0 && len(body)-start >= len(m.text) && body[start] == m.text[0] &&
			string(body[start:start+len(m.text)]) == m.text {
			found |= 1 << am.i
		}
	}
	return found
}

// viewString views b as a string for a lookup that keeps nothing:
// converting would allocate for long runs.
func viewString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// trimHostRun drops the dots, dashes and underscores at both ends of run.
func trimHostRun(run []byte) []byte {
	for len(run) > 0 && trimmedHostByte(run[0]) {
		run = run[1:]
	}
	for len(run) > 0 && trimmedHostByte(run[len(run)-1]) {
		run = run[:len(run)-1]
	}
	return run
}

func trimmedHostByte(c byte) bool { return c == '.' || c == '-' || c == '_' }

// plausibleTLD returns the last label of run when it is two or more
// letters, as every tracker host's is; it skips most property accesses
// ("a.b", "x.y2") before any map lookup.
func plausibleTLD(run []byte) ([]byte, bool) {
	j := bytes.LastIndexByte(run, '.')
	if j < 0 || len(run)-j-1 < 2 {
		return nil, false
	}
	for _, ch := range run[j+1:] {
		if !('a' <= ch|0x20 && ch|0x20 <= 'z') {
			return nil, false
		}
	}
	return run[j+1:], true
}
