package main

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzLocalPath checks the property the login and language forms rely on:
// whatever the form says, the redirect target is a path on this site.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "/product/lame?x=1", "//evil.example", "/\\evil.example", "https://evil.example", "/%2F%2Fx", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := localPath(in)
		if got != "/" && got != in {
			t.Fatalf("localPath(%q) = %q: neither the input nor /", in, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(got, "/") ||
			strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\r\n\t") {
			t.Fatalf("localPath(%q) = %q leaves the site", in, got)
		}
		base, _ := url.Parse("http://shop.example/a/b")
		if r := base.ResolveReference(u); r.Host != "shop.example" {
			t.Fatalf("localPath(%q) = %q resolves to host %q", in, got, r.Host)
		}
	})
}

// FuzzParseKeys: any CRUMB_KEYS value gives keys of at least 32 bytes or
// an error, never a panic or a short key.
func FuzzParseKeys(f *testing.F) {
	for _, s := range []string{"", strings.Repeat("ab", 32), "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=", "a,b", ",,,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		keys, err := parseKeys(in)
		if err != nil {
			if keys != nil {
				t.Fatalf("parseKeys(%q) returned keys with error %v", in, err)
			}
			return
		}
		for i, k := range keys {
			if len(k) < 32 {
				t.Fatalf("parseKeys(%q): key %d has %d bytes", in, i, len(k))
			}
		}
		if strings.TrimSpace(in) != "" && len(keys) != strings.Count(in, ",")+1 {
			t.Fatalf("parseKeys(%q): %d keys for %d fields", in, len(keys), strings.Count(in, ",")+1)
		}
	})
}
