package main

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// With -cloudflare-regions the demo picks the regime from Cloudflare's
// headers: the EU's consent banner, California's opt-out banner with the
// Do Not Sell link in the footer, a notice elsewhere, and the strictest for
// a visitor without headers. Without the flag the headers mean nothing.
func TestCloudflareRegions(t *testing.T) {
	d, err := newDemo(demoConfig{Keys: [][]byte{testKey}, CloudflareRegions: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(d)
	t.Cleanup(srv.Close)
	plain := startDemo(t)
	type seen struct{ Banner, OptOut, Notice, DoNotSell bool }
	look := func(base string, h ...string) seen {
		r := newVisitor(t, base).get("/", h...)
		return seen{strings.Contains(r.Body, bannerMarker), strings.Contains(r.Body, `data-crumb-variant="optout"`),
			strings.Contains(r.Body, `data-crumb-variant="notice"`), strings.Contains(r.Body, "Do Not Sell or Share My Personal Information")}
	}
	tests := []struct {
		name string
		base string
		h    []string
		want seen
	}{
		{"EU", srv.URL, []string{"CF-IPCountry", "DE"}, seen{Banner: true}},
		{"California", srv.URL, []string{"CF-IPCountry", "US", "CF-Region-Code", "CA"}, seen{true, true, false, true}},
		{"Brazil", srv.URL, []string{"CF-IPCountry", "BR"}, seen{Banner: true, Notice: true}},
		{"no header", srv.URL, nil, seen{Banner: true}},
		{"flag off", plain, []string{"CF-IPCountry", "US", "CF-Region-Code", "CA"}, seen{Banner: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, look(tt.base, tt.h...)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
