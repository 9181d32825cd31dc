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
	action     Action        // to report; 0 for none
	lifetime   time.Duration // the line's lifetime, for ActionClamped and ActionLongLived
}

// judgeSetCookie decides one Set-Cookie line for st. Deletions always pass:
// they only ever help the visitor. The consent cookie is ours and passes.
// A cookie is kept when its category is granted; a cookie nobody declared
// only when every optional category is granted. A kept persistent cookie
// of a consented category that outlives maxCookie is clamped; a necessary
// one is only reported.
func (m *Manager) judgeSetCookie(st *State, line, host string, now time.Time) cookieVerdict {
	name := classify.CookieName(line)
	if name == m.cookieName {
		return cookieVerdict{keep: true, category: 0}
	}
	lt := classify.SetCookieLifetime(line, now)
	if lt.Deletion && browserDeletes(line, now) {
		return cookieVerdict{keep: true, category: -1}
	}
	domain, ok := attrValue(line, "domain")
	if !ok || domain == "" {
		domain = host
	}
	v := cookieVerdict{category: -1}
	if name != "" {
		v.category = m.cookieCategory(classify.StripPrefix(name), domain)
	}
	v.undeclared = v.category < 0
	switch {
	case v.category < 0 && !st.allGranted():
		v.action = ActionDropped
		return v
	case v.category >= 0 && !st.grantedAt(v.category):
		v.action = ActionDropped
		return v
	}
	v.keep = true
	if lt.Persistent && lt.MaxAge > m.maxCookie {
		v.lifetime = lt.MaxAge
		if v.category == 0 {
			v.action = ActionLongLived
		} else {
			v.keep, v.clamp, v.action = false, true, ActionClamped
		}
	}
	return v
}

// browserDeletes reports whether a line is a deletion to a browser that
// reads only the last Max-Age and the last Expires attribute, as Chromium
// does: the last Max-Age when it is an integer, else the last Expires when
// it is a date. RFC 6265 lets the last valid attribute count instead, so
// "Max-Age=0; Max-Age=x" is a deletion to classify and a session cookie to
// Chromium. A deletion passes whatever the consent, so it must be one to
// both readings.
func browserDeletes(line string, now time.Time) bool {
	if v, ok := attrValue(line, "max-age"); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil || errors.Is(err, strconv.ErrRange) { // out of range saturates, as in Chromium
			return n <= 0
		}
	}
	if v, ok := attrValue(line, "expires"); ok && v != "" {
		if t, ok := classify.ParseCookieDate(v); ok {
			return !t.After(now)
		}
	}
	return false
}

// attrValue returns the value of the last attribute called name (ASCII
// case-insensitive) of a Set-Cookie line, trimmed, as browsers read it.
func attrValue(line, name string) (string, bool) {
	semi := strings.IndexByte(line, ';')
	if semi < 0 {
		return "", false
	}
	var val string
	found := false
	for rest := line[semi+1:]; rest != ""; {
		var av string
		av, rest, _ = strings.Cut(rest, ";")
		k, v, _ := strings.Cut(av, "=")
		if strings.EqualFold(strings.TrimSpace(k), name) {
			val, found = strings.TrimSpace(v), true
		}
	}
	return val, found
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
