package main

import (
	"strings"
	"testing"
)

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
	})
}

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
