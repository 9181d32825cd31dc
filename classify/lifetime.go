package classify

import (
	"net/http"
	"strings"
	"time"
)

// MaxLifetime is the longest lifetime browsers grant a cookie: rfc6265bis
// caps Expires and Max-Age at 400 days, and Chrome (since 104) and Firefox
// enforce it. A cookie that asks for two years lives 400 days at most.
const MaxLifetime = 400 * 24 * time.Hour

// Lifetime is how long a browser keeps the cookie one Set-Cookie line
// stores. The zero value is a session cookie.
type Lifetime struct {
	// Persistent is false for a session cookie: the line carries neither a
	// valid Max-Age nor a valid Expires, so the cookie lives until the
	// browser ends the session (which session restore can stretch to days).
	// A deleting line is Persistent too: it carries an expiry, one in the
	// past.
	Persistent bool
	// Deletion reports a line that removes a cookie instead of storing one:
	// Max-Age <= 0, or an Expires (without Max-Age) not after now.
	Deletion bool
	// Capped reports that the line asked for more than MaxLifetime and the
	// figures below were cut to it.
	Capped bool
	// Expires is the effective expiry in UTC when Persistent: from Max-Age
	// if the line has a valid one, else from Expires, at most now plus
	// MaxLifetime. For a Deletion it is not after now.
	Expires time.Time
	// MaxAge is Expires minus now when Persistent; for a Deletion it is
	// zero or negative.
	MaxAge time.Duration
}

// SetCookieLifetime reads the lifetime of the cookie one Set-Cookie header
// value stores, as a browser would at time now. It parses the line leniently
// per RFC 6265 section 5.2 but looks only at the attributes that bear on
// lifetime:
//
//   - Max-Age wins over Expires wherever each appears; among attributes of
//     the same name the last valid one counts, and invalid ones (a Max-Age
//     that is not an optional '-' and digits, an Expires ParseCookieDate
//     rejects, a value over 1024 bytes) are ignored as browsers ignore them.
//   - Max-Age <= 0, or an Expires not after now, is a Deletion.
//   - Lifetimes are capped at MaxLifetime.
//
// Whether a browser would accept the cookie at all (name, Domain, Secure,
// prefixes) is not its concern. It does not allocate.
func SetCookieLifetime(line string, now time.Time) Lifetime {
	semi := strings.IndexByte(line, ';')
	if semi < 0 {
		return Lifetime{}
	}
	var (
		maxAge             int64
		expires            time.Time
		hasMaxAge, hasExps bool
	)
	for rest := line[semi+1:]; rest != ""; {
		var av string
		av, rest, _ = strings.Cut(rest, ";")
		name, val, _ := strings.Cut(av, "=")
		name = trimWSP(name)
		if len(name) != len("max-age") { // and len("expires"): most attributes are neither
			continue
		}
		if val = trimWSP(val); len(val) > maxAttrValue {
			continue
		}
		// ASCII case only, as browsers compare names: the long s of
		// "expireſ" (two bytes) makes no Expires.
		switch {
		case equalFold(name, "max-age"):
			if n, ok := parseMaxAge(val); ok {
				maxAge, hasMaxAge = n, true
			}
		case !hasMaxAge && equalFold(name, "expires"):
			// Once a valid Max-Age is seen no Expires matters, before or after.
			if t, ok := ParseCookieDate(val); ok {
				expires, hasExps = t, true
			}
		}
	}
	switch {
	case hasMaxAge:
		return maxAgeLifetime(maxAge, now)
	case hasExps:
		return expiresLifetime(expires, now)
	}
	return Lifetime{}
}

// CookieLifetime is SetCookieLifetime for a cookie already parsed into an
// *http.Cookie, by http.ParseSetCookie or built by application code. Go's
// conventions apply: MaxAge > 0 is Max-Age in seconds, MaxAge < 0 a deletion
// (Go writes it as Max-Age=0), MaxAge == 0 no Max-Age at all. A RawExpires
// is re-read with ParseCookieDate, because Go leaves Expires zero for the
// many date layouts it does not know; a set Expires counts otherwise. A nil
// cookie has the zero Lifetime.
func CookieLifetime(c *http.Cookie, now time.Time) Lifetime {
	switch {
	case c == nil:
		return Lifetime{}
	case c.MaxAge > 0:
		return maxAgeLifetime(int64(c.MaxAge), now)
	case c.MaxAge < 0:
		return maxAgeLifetime(0, now)
	}
	if c.RawExpires != "" && len(c.RawExpires) <= maxAttrValue {
		if t, ok := ParseCookieDate(c.RawExpires); ok {
			return expiresLifetime(t, now)
		}
	}
	if !c.Expires.IsZero() {
		return expiresLifetime(c.Expires, now)
	}
	return Lifetime{}
}

// maxAttrValue is rfc6265bis' limit on an attribute value: browsers ignore
// a longer attribute.
const maxAttrValue = 1024

// maxAgeLimit bounds the seconds parseMaxAge accumulates; anything longer
// is capped to MaxLifetime anyway, so saturating here loses nothing and
// keeps the arithmetic far from overflow.
const maxAgeLimit = int64(MaxLifetime/time.Second) + 1

func maxAgeLifetime(secs int64, now time.Time) Lifetime {
	now = now.UTC()
	if secs <= 0 {
		// RFC 6265 sets the expiry to the earliest representable time; now
		// is as good, and keeps Expires meaningful.
		return Lifetime{Persistent: true, Deletion: true, Expires: now}
	}
	return capped(time.Duration(secs)*time.Second, now)
}

func expiresLifetime(exp, now time.Time) Lifetime {
	now = now.UTC()
	if !exp.After(now) {
		return Lifetime{Persistent: true, Deletion: true, Expires: exp.UTC(), MaxAge: exp.Sub(now)}
	}
	return capped(exp.Sub(now), now)
}

func capped(d time.Duration, now time.Time) Lifetime {
	l := Lifetime{Persistent: true}
	if d > MaxLifetime {
		d, l.Capped = MaxLifetime, true
	}
	l.MaxAge = d
	l.Expires = now.Add(d).Round(0) // drop a monotonic reading: Expires is a wall time
	return l
}

// parseMaxAge reads a Max-Age value: an optional '-' and at least one digit,
// nothing else (RFC 6265 5.2.2). Large values saturate at maxAgeLimit.
func parseMaxAge(v string) (int64, bool) {
	neg := false
	if v != "" && v[0] == '-' {
		neg, v = true, v[1:]
	}
	if v == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(v); i++ {
		if !isDigit(v[i]) {
			return 0, false
		}
		if n < maxAgeLimit {
			n = n*10 + int64(v[i]-'0')
		}
	}
	if neg {
		return -n, true
	}
	return n, true
}

// SetCookieName returns the name of the cookie a Set-Cookie header value sets,
// as browsers read it: the text before the first '=' of the part before the
// first ';', without surrounding spaces and tabs. A line without '=' in that
// part has an empty name (rfc6265bis reads it as a nameless cookie, RFC 6265
// ignores it). The result is a substring of line.
func SetCookieName(line string) string {
	if i := strings.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	name, _, ok := strings.Cut(line, "=")
	if !ok {
		return ""
	}
	return trimWSP(name)
}

// TrimCookiePrefix removes one cookie name prefix - __Host-, __Secure-, or the
// layered-cookies draft's __Http- and __Host-Http- - matched
// case-insensitively as browsers match them, so that "__Host-sid" classifies
// as "sid". Other names, and a name that is nothing but a prefix, come back
// unchanged.
func TrimCookiePrefix(name string) string {
	if !strings.HasPrefix(name, "__") {
		return name
	}
	for _, p := range [...]string{"__Host-Http-", "__Host-", "__Secure-", "__Http-"} {
		if len(name) > len(p) && strings.EqualFold(name[:len(p)], p) {
			return name[len(p):]
		}
	}
	return name
}

// trimWSP trims the spaces and tabs RFC 6265 calls WSP.
func trimWSP(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}
