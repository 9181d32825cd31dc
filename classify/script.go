package classify

import (
	"bytes"
	"unsafe"
)

// scriptMarker is a piece of text that only a tracker's loader snippet
// writes. host is the tracker's host, looked up in the catalog so that an
// application's own categories win; fallback applies when the catalog does
// not list it (or has no host at all, as for self-hosted Matomo).
type scriptMarker struct {
	text     string
	host     string
	fallback Tracker
}

// scriptMarkers are the globals and calls of the common loader snippets
// (their shapes are described in shared/data/html/SNIPPET-SHAPES.md). A
// loader usually names its host too, but builds it by concatenation or
// escapes it often enough that the calls are worth knowing.
var scriptMarkers = [...]scriptMarker{
	{"gtm.start", "www.googletagmanager.com", Tracker{Category: Analytics, Provider: "Google Tag Manager"}},
	{"gtag('config'", "www.googletagmanager.com", Tracker{Category: Analytics, Provider: "Google tag"}},
	{`gtag("config"`, "www.googletagmanager.com", Tracker{Category: Analytics, Provider: "Google tag"}},
	{"gtag('event'", "www.googletagmanager.com", Tracker{Category: Analytics, Provider: "Google tag"}},
	{`gtag("event"`, "www.googletagmanager.com", Tracker{Category: Analytics, Provider: "Google tag"}},
	{"ga('create'", "www.google-analytics.com", Tracker{Category: Analytics, Provider: "Google Analytics"}},
	{"_gaq.push", "www.google-analytics.com", Tracker{Category: Analytics, Provider: "Google Analytics"}},
	{"fbq(", "connect.facebook.net", Tracker{Category: Marketing, Provider: "Meta Pixel"}},
	{"_linkedin_partner_id", "snap.licdn.com", Tracker{Category: Marketing, Provider: "LinkedIn Insight Tag"}},
	{"lintrk(", "snap.licdn.com", Tracker{Category: Marketing, Provider: "LinkedIn Insight Tag"}},
	{"_hjSettings", "static.hotjar.com", Tracker{Category: Analytics, Provider: "Hotjar"}},
	{"TiktokAnalyticsObject", "analytics.tiktok.com", Tracker{Category: Marketing, Provider: "TikTok Pixel"}},
	{"ttq.load(", "analytics.tiktok.com", Tracker{Category: Marketing, Provider: "TikTok Pixel"}},
	{"twq(", "static.ads-twitter.com", Tracker{Category: Marketing, Provider: "X (Twitter) Pixel"}},
	{"pintrk(", "s.pinimg.com", Tracker{Category: Marketing, Provider: "Pinterest Tag"}},
	{"window.uetq", "bat.bing.com", Tracker{Category: Marketing, Provider: "Microsoft Advertising UET"}},
	{`"clarity", "script"`, "www.clarity.ms", Tracker{Category: Analytics, Provider: "Microsoft Clarity"}},
	{"_paq.push", "", Tracker{Category: Analytics, Provider: "Matomo"}},
}

// ScriptTracker reports whether an inline script's text loads or calls a
// tracker: it names a host of the catalog whose category is not Necessary
// (in a URL, a protocol-relative "//host", or a bare "host" string, also
// with JSON-escaped slashes), or it holds a known loader marker such as
// fbq(, gtm.start or _linkedin_partner_id. Hosts come first, in the order
// they appear. The result is the catalog's entry (for a marker without a
// listed host, a built-in one with an empty Host). It does not allocate.
func (c *Catalog) ScriptTracker(body []byte) (Tracker, bool) {
	if t, ok := c.scriptHost(body); ok {
		return t, true
	}
	for i := range scriptMarkers {
		m := &scriptMarkers[i]
		if !containsText(body, m.text) {
			continue
		}
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

// isHostByte reports whether b can be part of a host name as written in
// script text.
func isHostByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '.' || b == '_'
}

// scriptHost finds the first run of host characters with a dot whose host
// (or a parent domain) is a non-necessary tracker of the catalog.
func (c *Catalog) scriptHost(body []byte) (Tracker, bool) {
	if c == nil || len(c.hosts) == 0 {
		return Tracker{}, false
	}
	for i := 0; i < len(body); {
		d := bytes.IndexByte(body[i:], '.')
		if d < 0 {
			break
		}
		dot := i + d
		start := dot
		for start > 0 && isHostByte(body[start-1]) {
			start--
		}
		end := dot + 1
		for end < len(body) && isHostByte(body[end]) {
			end++
		}
		i = end
		run := bytes.Trim(body[start:end], ".-_")
		if len(run) < 4 || len(run) > maxHostLen || !plausibleTLD(run) {
			continue
		}
		// The view of body as a string lives only for the lookup, which
		// keeps nothing; converting would allocate for long runs.
		if t, ok := c.LookupHost(unsafe.String(unsafe.SliceData(run), len(run))); ok && t.Category != Necessary {
			return t, true
		}
	}
	return Tracker{}, false
}

// plausibleTLD reports whether the last label of run is two or more
// letters, as every tracker host's is; it skips most property accesses
// ("a.b", "x.y2") before any map lookup.
func plausibleTLD(run []byte) bool {
	j := bytes.LastIndexByte(run, '.')
	if j < 0 || len(run)-j-1 < 2 {
		return false
	}
	for _, ch := range run[j+1:] {
		if !('a' <= ch|0x20 && ch|0x20 <= 'z') {
			return false
		}
	}
	return true
}

// containsText is bytes.Contains for a string needle, without converting it.
func containsText(b []byte, s string) bool {
	for i := 0; len(b)-i >= len(s); {
		j := bytes.IndexByte(b[i:len(b)-len(s)+1], s[0])
		if j < 0 {
			return false
		}
		i += j
		if string(b[i:i+len(s)]) == s {
			return true
		}
		i++
	}
	return false
}
