package main

import (
	"testing"
)

// FuzzParseUpstream: an accepted upstream is always an absolute http(s)
// URL with a host, the only kind ReverseProxy can forward to.
func FuzzParseUpstream(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1:3000", "https://example.com/app", "127.0.0.1:3000", "http://", "::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		u, err := parseUpstream(in)
		if err != nil {
			return
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Fatalf("parseUpstream(%q) accepted %#v", in, u)
		}
	})
}
