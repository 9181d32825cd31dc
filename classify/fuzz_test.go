package classify

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unicode"
)

// Seeds shared by the fuzz targets below; more live in
// testdata/fuzz/<Target>/.
var fuzzDateSeeds = []string{
	"Wed, 21 Oct 2015 07:28:00 GMT",
	"Wednesday, 21-Oct-15 07:28:00 GMT",
	"Wed Oct 21 07:28:00 2015",
	"Thu, 01 Jan 1970 00:00:00 GMT",
	"Sat, 15-Apr-17 91:22:33 21:01:22",
	"15 Apr 21:01:22 2017",
	"Sun, 29 Feb 2021 12:00:00 GMT",
	"0:0:0 1 jan 1601",
	"",
}

// FuzzCookieDate checks that ParseCookieDate never panics, returns only
// valid UTC times in its range, reads back its own output in the layout of
// http.TimeFormat, and accepts every date Go's strict parser accepts.
func FuzzCookieDate(f *testing.F) {
	for _, s := range fuzzDateSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseCookieDate(s)
		// The fixed-layout fast path reads what the token rule reads.
		if want, wantOK := cookieDateTokens(s); ok != wantOK || !got.Equal(want) {
			t.Fatalf("ParseCookieDate(%q) = %v, %v; the token rule says %v, %v", s, got, ok, want, wantOK)
		}
		if ok {
			if got.Location() != time.UTC || got.Year() < 1601 || got.Year() > 9999 || got.Nanosecond() != 0 {
				t.Fatalf("ParseCookieDate(%q) = %v: outside the algorithm's range", s, got)
			}
			again, ok2 := ParseCookieDate(got.Format(http.TimeFormat))
			if !ok2 || !again.Equal(got) {
				t.Fatalf("ParseCookieDate(%q) = %v, but its formatted form reads back as %v, %v", s, got, again, ok2)
			}
		} else if !got.IsZero() {
			t.Fatalf("ParseCookieDate(%q) failed but returned %v", s, got)
		}
		// Whatever Go's strict parser reads in the preferred layout, the
		// lenient algorithm reads identically (Go also takes fractional
		// seconds, which cookie dates drop).
		if want, err := time.Parse(http.TimeFormat, s); err == nil && want.Year() >= 1601 {
			if !ok || !got.Equal(want.Truncate(time.Second)) {
				t.Fatalf("ParseCookieDate(%q) = %v, %v; time.Parse says %v", s, got, ok, want)
			}
		}
	})
}

// FuzzSetCookieLifetime checks the documented invariants of Lifetime and
// SetCookieName for any header value and clock.
func FuzzSetCookieLifetime(f *testing.F) {
	for _, s := range []string{
		"sid=1",
		"sid=1; Max-Age=3600; Path=/",
		"sid=; Max-Age=0",
		"sid=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Max-Age=-1",
		"sid=1; Max-Age=99999999999999999999999",
		"=; ; max-age=; expires=;;",
	} {
		f.Add(s, int64(1331000000))
	}
	f.Fuzz(func(t *testing.T, line string, unix int64) {
		// Any clock between 1601 and 9999, so that durations stay finite.
		const lo, hi = -11644473600, 253402300799
		now := time.Unix(lo+mod(unix, hi-lo), 0)
		l := SetCookieLifetime(line, now)
		switch {
		case !l.Persistent:
			if l != (Lifetime{}) {
				t.Fatalf("%q: session lifetime with fields set: %+v", line, l)
			}
		case l.Deletion:
			if l.Expires.After(now) || l.MaxAge > 0 || l.Capped {
				t.Fatalf("%q: deletion in the future: %+v (now %v)", line, l, now)
			}
		default:
			if l.MaxAge <= 0 || l.MaxAge > MaxLifetime || !l.Expires.Equal(now.Add(l.MaxAge)) {
				t.Fatalf("%q: persistent lifetime out of range: %+v (now %v)", line, l, now)
			}
			if l.Capped && l.MaxAge != MaxLifetime {
				t.Fatalf("%q: capped below the cap: %+v", line, l)
			}
		}
		if l.Persistent && l.Expires.Location() != time.UTC {
			t.Fatalf("%q: Expires not in UTC: %v", line, l.Expires)
		}

		name := SetCookieName(line)
		if !strings.Contains(line, name) || strings.ContainsAny(name, ";=") || name != trimWSP(name) {
			t.Fatalf("SetCookieName(%q) = %q: not a trimmed name of the line", line, name)
		}
		// Header values cannot hold CR or LF, which Go trims and browsers
		// stop at; elsewhere Go's parser, when it succeeds, must agree.
		if c, err := http.ParseSetCookie(line); err == nil && !strings.ContainsAny(line, "\r\n") {
			if c.Name != name {
				t.Fatalf("SetCookieName(%q) = %q, http.ParseSetCookie says %q", line, name, c.Name)
			}
			_ = CookieLifetime(c, now)
		}
		if s := TrimCookiePrefix(name); !strings.HasSuffix(name, s) {
			t.Fatalf("TrimCookiePrefix(%q) = %q", name, s)
		}
	})
}

func mod(a, m int64) int64 {
	a %= m
	if a < 0 {
		a += m
	}
	return a
}

// FuzzHostOf checks that HostOf yields clean hosts (lower-case, no port,
// path or userinfo, a colon only in an IPv6 address) that read back
// unchanged, and that Site and SameSite accept whatever it yields.
func FuzzHostOf(f *testing.F) {
	for _, s := range []string{
		"https://www.example.com/path?q=1#f",
		"//cdn.example.co.uk/a.js",
		`https:\\evil.com\x`,
		"https://user:pw@EXAMPLE.com:8443/",
		"https://[2001:db8::1]:443/",
		"https://bücher.de/",
		"mailto:a@example.com",
		"/relative/path",
		"https://a.github.io./",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		h := HostOf(raw)
		if h == "" {
			return
		}
		if strings.ToLower(h) != h {
			t.Fatalf("HostOf(%q) = %q: not lower-case", raw, h)
		}
		if strings.ContainsAny(h, `/\?#@`) || strings.HasSuffix(h, ".") || strings.HasPrefix(h, ".") {
			t.Fatalf("HostOf(%q) = %q: not a bare host", raw, h)
		}
		wrapped := h
		if strings.Contains(h, ":") {
			if a, err := netip.ParseAddr(h); err != nil || !a.Is6() {
				t.Fatalf("HostOf(%q) = %q: a colon outside an IPv6 address", raw, h)
			}
			wrapped = "[" + h + "]"
		}
		if again := HostOf("https://" + wrapped + "/"); again != h {
			t.Fatalf("HostOf(%q) = %q, but HostOf of that host in a URL is %q", raw, h, again)
		}
		site := Site(h)
		if site == "" || !strings.HasSuffix(h, site) {
			t.Fatalf("Site(%q) = %q: not a suffix of the host", h, site)
		}
		if !SameSite(h, site) || !SameSite(h, h) || ThirdParty(h, raw) {
			t.Fatalf("host %q (from %q) is not same-site with itself or its site %q", h, raw, site)
		}
	})
}

// FuzzBeacon feeds arbitrary elements to Beacon and PingBeacon: no panic,
// a beacon always comes with a category and a reason, and wherever
// ResolveURL names tracking, an element and a ping to that URL agree with it.
func FuzzBeacon(f *testing.F) {
	f.Add("img", "https://www.facebook.com/tr?id=1&ev=PageView&noscript=1", "1", "1", "display:none", "www.shop.example", true)
	f.Add("iframe", "//sync.ads.example/frame?pid=1", "0", "0", "", "shop.example:8080", false)
	f.Add("img", "/matomo.php?idsite=1&rec=1", "", "", "border:0", "", true)
	f.Add("script", "https://www.facebook.com/plugins/like.php?x=1", "", "", "", "www.shop.example", false)
	f.Add("link", "https://cdn.shop.example/tr?id=3", "", "", "", "www.shop.example", false)
	c := MustCatalog(nil, []Tracker{
		{Host: "facebook.com", Category: Social, Provider: "Meta"},
		{Host: "doubleclick.net", Category: Marketing, Provider: "Google"},
		{Host: "cdn.shop.example", Category: Necessary, Provider: "Shop"},
	})
	f.Fuzz(func(t *testing.T, tag, url, w, h, style, page string, noscript bool) {
		e := Element{Tag: tag, URL: url, Width: w, Height: h, Style: style, InNoscript: noscript, PageHost: page}
		for _, cat := range []struct {
			name string
			fn   func() (Category, BeaconReason, bool)
		}{
			{"Beacon", func() (Category, BeaconReason, bool) { return c.Beacon(e) }},
			{"PingBeacon", func() (Category, BeaconReason, bool) { return c.PingBeacon(page, url) }},
		} {
			got, reason, ok := cat.fn()
			if ok != (reason != 0) || ok != (got != Unknown) || got == Necessary {
				t.Fatalf("%s(%+v) = %v, %v, %v: inconsistent", cat.name, e, got, reason, ok)
			}
		}
		want, _, ok := c.ResolveURL(url)
		if !ok || strings.ContainsFunc(url, isFieldSpace) {
			return // heuristics may speak; a ping splits the URL at spaces
		}
		if got, _, _ := c.PingBeacon(page, url); got != want {
			t.Fatalf("PingBeacon(%q) = %v, ResolveURL = %v", url, got, want)
		}
		switch tag {
		case "a", "area", "form":
		default:
			if got, _, _ := c.Beacon(e); got != want {
				t.Fatalf("Beacon(%+v) = %v, ResolveURL = %v", e, got, want)
			}
		}
	})
}

// isFieldSpace is what strings.Fields splits at.
func isFieldSpace(r rune) bool { return unicode.IsSpace(r) }
