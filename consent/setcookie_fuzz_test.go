package consent

import (
	"strings"
	"testing"
)

// lastAttr is the plain reading readAttrs must agree with: split on ';',
// then on the first '=', trim, fold the name, the last one counts.
func lastAttr(line, name string) (string, bool) {
	parts := strings.Split(line, ";")
	val, found := "", false
	for _, av := range parts[1:] {
		k, v, _ := strings.Cut(av, "=")
		if strings.EqualFold(strings.TrimSpace(k), name) {
			val, found = strings.TrimSpace(v), true
		}
	}
	return val, found
}

// FuzzReadAttrs checks the one-pass attribute reader of Set-Cookie
// judging against the plain reading, on any line.
func FuzzReadAttrs(f *testing.F) {
	for _, s := range []string{
		"_ga=1; Domain=.example.com; Max-Age=100",
		"a=b; max-age=0; MAX-AGE=5; expires=Thu, 01 Jan 1970 00:00:00 GMT",
		"a=b;domain=x;Domain=;  EXPIRES =  Wed, 09 Jun 2027 10:18:14 GMT ; Path=/",
		"no-semicolon",
		"a=b;;;=;max-age",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		a := readAttrs(line)
		d, _ := lastAttr(line, "domain")
		ma, hasMA := lastAttr(line, "max-age")
		ex, hasEx := lastAttr(line, "expires")
		if a.domain != d || a.maxAge != ma || a.hasMaxAge != hasMA || a.expires != ex || a.hasExpires != hasEx {
			t.Errorf("readAttrs(%q) = %+v; want domain %q, max-age %q (%v), expires %q (%v)", line, a, d, ma, hasMA, ex, hasEx)
		}
	})
}
