package consent

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/crumbhq/crumb/classify"
)

// cookieVerdict is what enforcement does with one Set-Cookie line.
type cookieVerdict struct {
	keep       bool          // send the line as written
	clamp      bool          // send clampLine(line) instead
	category   int           // index into Manager.cats, -1 when undeclared
	undeclared bool          // a cookie no category declares and the catalog does not know
	action     CookieAction  // to report; 0 for none
	lifetime   time.Duration // the line's lifetime, for CookieClamped and CookieLongLived
}

// judgeSetCookie decides one Set-Cookie line for st. Deletions always pass:
// they only ever help the visitor. The consent cookie is ours and passes.
// A cookie is kept when its category is granted; a cookie nobody declared
// only when every optional category is granted. A kept persistent cookie
// of a consented category that outlives maxCookie is clamped; a necessary
// one is only reported.
//
// It runs for every Set-Cookie line of every response, so it reads the
// line's attributes once and parses a lifetime only where the answer
// depends on it: a refused line only to see whether it is a deletion (and
// only when Chromium would delete it too), a kept line only when it has a
// lifetime to clamp.
func (m *Manager) judgeSetCookie(st *State, line, host string, now time.Time) cookieVerdict {
	name := classify.SetCookieName(line)
	if name == m.cookieName {
		return cookieVerdict{keep: true, category: 0}
	}
	attrs := readAttrs(line)
	deletion := func() bool {
		return attrs.browserDeletes(now) && classify.SetCookieLifetime(line, now).Deletion
	}
	domain := attrs.domain
	if domain == "" {
		domain = host
	}
	v := cookieVerdict{category: -1}
	if name != "" {
		v.category = m.cookieCategory(classify.TrimCookiePrefix(name), domain)
	}
	v.undeclared = v.category < 0
	if (v.category < 0 && !st.allGranted()) || (v.category >= 0 && !st.grantedAt(v.category)) {
		if deletion() {
			return cookieVerdict{keep: true, category: -1}
		}
		v.action = CookieDropped
		return v
	}
	if !attrs.hasMaxAge && !attrs.hasExpires {
		v.keep = true // a session cookie: nothing to clamp, and no deletion
		return v
	}
	lt := classify.SetCookieLifetime(line, now)
	if lt.Deletion && attrs.browserDeletes(now) {
		return cookieVerdict{keep: true, category: -1}
	}
	v.keep = true
	if lt.Persistent && lt.MaxAge > m.maxCookie {
		v.lifetime = lt.MaxAge
		if v.category == 0 {
			v.action = CookieLongLived
		} else {
			v.keep, v.clamp, v.action = false, true, CookieClamped
		}
	}
	return v
}

// lineAttrs are the last Domain, Max-Age and Expires attributes of a
// Set-Cookie line, trimmed, as browsers read them: the last one of each
// name counts, names are ASCII case-insensitive.
type lineAttrs struct {
	domain, maxAge, expires string
	hasMaxAge, hasExpires   bool
}

// readAttrs finds the attributes judging needs in one pass over the line.
func readAttrs(line string) lineAttrs {
	var a lineAttrs
	semi := strings.IndexByte(line, ';')
	if semi < 0 {
		return a
	}
	for rest := line[semi+1:]; rest != ""; {
		av := rest
		if i := strings.IndexByte(rest, ';'); i >= 0 {
			av, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		k, v := av, ""
		if i := strings.IndexByte(av, '='); i >= 0 {
			k, v = av[:i], av[i+1:]
		}
		k = strings.TrimSpace(k)
		switch len(k) {
		case len("domain"):
			if strings.EqualFold(k, "domain") {
				a.domain = strings.TrimSpace(v)
			}
		case len("max-age"):
			if strings.EqualFold(k, "max-age") {
				a.maxAge, a.hasMaxAge = strings.TrimSpace(v), true
			} else if strings.EqualFold(k, "expires") {
				a.expires, a.hasExpires = strings.TrimSpace(v), true
			}
		}
	}
	return a
}

// browserDeletes reports whether a line is a deletion to a browser that
// reads only the last Max-Age and the last Expires attribute, as Chromium
// does: the last Max-Age when it is an integer, else the last Expires when
// it is a date. RFC 6265 lets the last valid attribute count instead, so
// "Max-Age=0; Max-Age=x" is a deletion to classify and a session cookie to
// Chromium. A deletion passes whatever the consent, so it must be one to
// both readings.
func (a lineAttrs) browserDeletes(now time.Time) bool {
	if a.hasMaxAge {
		n, err := strconv.ParseInt(a.maxAge, 10, 64)
		if err == nil || errors.Is(err, strconv.ErrRange) { // out of range saturates, as in Chromium
			return n <= 0
		}
	}
	if a.expires != "" {
		if t, ok := classify.ParseCookieDate(a.expires); ok {
			return !t.After(now)
		}
	}
	return false
}

// clampLine rewrites the lifetime of a Set-Cookie line to max: every
// Max-Age attribute gets max in seconds and every Expires attribute now+max.
// It is the one place crumb changes a kept cookie line, and it touches
// nothing but those two attributes: name, value, other attributes, their
// order, spelling and spacing stay as written.
func clampLine(line string, max time.Duration, now time.Time) string {
	semi := strings.IndexByte(line, ';')
	if semi < 0 {
		return line
	}
	var b strings.Builder
	b.Grow(len(line) + 16)
	b.WriteString(line[:semi])
	secs := strconv.FormatInt(int64(max/time.Second), 10)
	exp := now.Add(max).UTC().Format(http.TimeFormat)
	for rest := line[semi+1:]; ; {
		av, next, more := strings.Cut(rest, ";")
		b.WriteByte(';')
		k, _, hasEq := strings.Cut(av, "=")
		key := strings.TrimSpace(k)
		switch {
		case hasEq && strings.EqualFold(key, "max-age"):
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(secs)
		case hasEq && strings.EqualFold(key, "expires"):
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(exp)
		default:
			b.WriteString(av)
		}
		if !more {
			break
		}
		rest = next
	}
	return b.String()
}

// deletionLines appends the Set-Cookie lines that delete a request cookie
// called name wherever it may have been set: host-only and with a Domain of
// host and each parent up to the registrable domain, for each path. A
// "__Host-" cookie can only be host-only at "/". Secure is added when the
// site is served securely or the prefix demands it. It stops at limit
// lines in total.
func deletionLines(dst []string, name, host string, paths []string, secure bool, limit int) []string {
	const tail = "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
	hostPrefix := hasPrefixFold(name, "__Host-")
	if hasPrefixFold(name, "__Secure-") || hostPrefix {
		secure = true
	}
	add := func(domain, path string) bool {
		if len(dst) >= limit {
			return false
		}
		var b strings.Builder
		b.WriteString(name)
		b.WriteString(tail)
		b.WriteString("; Path=")
		b.WriteString(path)
		if domain != "" {
			b.WriteString("; Domain=")
			b.WriteString(domain)
		}
		if secure {
			b.WriteString("; Secure")
		}
		dst = append(dst, b.String())
		return true
	}
	if hostPrefix {
		add("", "/")
		return dst
	}
	domains := []string{""}
	if host != "" && !isIP(host) && strings.IndexByte(host, '.') > 0 {
		site := classify.Site(host)
		for d := host; ; {
			domains = append(domains, d)
			if d == site || len(d) <= len(site) {
				break
			}
			i := strings.IndexByte(d, '.')
			if i < 0 {
				break
			}
			d = d[i+1:]
		}
	}
	for _, p := range paths {
		for _, d := range domains {
			if !add(d, p) {
				return dst
			}
		}
	}
	return dst
}

func isIP(h string) bool {
	return strings.IndexByte(h, ':') >= 0 || strings.Trim(h, "0123456789.") == ""
}

// cookiePairs calls f for each name=value pair of the Cookie header lines.
func cookiePairs(lines []string, f func(name, value string)) {
	for _, line := range lines {
		for line != "" {
			var part string
			part, line, _ = strings.Cut(line, ";")
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if ok && k != "" {
				f(k, v)
			}
		}
	}
}
