package rewrite

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crumbhq/crumb/classify"
)

// resolveReference is resolve without its shortcuts: every URL cleaned by
// appendURL, every host read by classify.HostOf and lower-cased.
func resolveReference(raw, baseHost []byte) (url, host string, fromBase bool) {
	u := appendURL(nil, raw)
	h := classify.HostOf(string(u))
	if h == "" {
		if isRelativeURL(u) && len(baseHost) > 0 {
			return string(u), string(baseHost), true
		}
		return string(u), "", false
	}
	return string(u), h, false
}

type resolved struct {
	URL, Host string
	FromBase  bool
}

func checkResolve(t *testing.T, r *Rewriter, raw string) {
	t.Helper()
	u, h := r.resolve([]byte(raw))
	got := resolved{string(u), string(h), r.hostFromBase}
	var want resolved
	want.URL, want.Host, want.FromBase = resolveReference([]byte(raw), r.baseHost)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resolve(%q) (-reference +got):\n%s", raw, diff)
	}
	// Beacon is given a quick host in place of its own HostOf of the
	// trimmed URL: they must agree.
	if h := classify.HostOf(strings.TrimSpace(string(u))); r.hostQuick && h != got.Host {
		t.Errorf("resolve(%q): quick host %q, Beacon would read %q", raw, got.Host, h)
	}
}

func TestResolveMatchesHostOf(t *testing.T) {
	urls := []string{
		"https://www.googletagmanager.com/gtag/js?id=G-1",
		"HTTPS://WWW.Example.COM/a", "http://x.com", "http:x.com/a", "https:\\\\x.com\\a",
		"//cdn.shopify.com/s/files/a.js", "\\\\x.com/a", "///x.com", "https:///", "https://./a",
		"https://..x.com../a", "https://x.com:8080/a", "https://user@x.com/", "https://x.com@y.com/",
		"https://[::1]/a", "https://1.2.3.4/x", "https://x%41.com/", "https://bücher.de/", "https://x.com?q",
		"https://x.com#f", "https://x_y.com/", "https://x!y.com/", "ftp://x.com/a", "ws://x.com", "foo://x.com/a",
		"mailto:a@b.com", "javascript:alert(1)", "data:image/gif;base64,AA", "/relative/path.js", "relative.js",
		"?q=1", "#frag", "", " ", " https://x.com/a ", "https://x.com/a\n", "ht\ttps://x.com/", "https://x.c\nom/",
		"https&#58;//x.com/", "https://x&#46;com/", "&#104;ttps://x.com", "https://x.com/?a=1&amp;b=2",
		"\x00https://x.com", "https://x.com\x01", "https:", "http", "//", "/", "https://\u00a0x.com",
		"https://x.com\u00a0", "https://x.com/\u00a0", "\u0085https://x.com", "https://x.com\u2003/a",
	}
	r := New(Options{})
	for _, base := range []string{"", "base.example"} {
		r.baseHost = append(r.baseHost[:0], base...)
		for _, raw := range urls {
			checkResolve(t, r, raw)
		}
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{"https://X.com/a", "//a.b", "http:\\\\a.b?c", " &#47;/x.y ", "https://x@y.z:1/"} {
		f.Add(s, false)
	}
	r := New(Options{})
	f.Fuzz(func(t *testing.T, raw string, base bool) {
		r.baseHost = r.baseHost[:0]
		if base {
			r.baseHost = append(r.baseHost, "base.example"...)
		}
		checkResolve(t, r, raw)
	})
}
