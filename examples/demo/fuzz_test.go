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
