package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/crumbhq/crumb/consent"
)

// BenchmarkProductPage measures one product page, the shop's heaviest (all
// the tags plus the YouTube player), served bare and through crumb for an
// undecided visitor (everything neutralised) and for one who accepted all.
// No network: the handler writes into a recorder.
func BenchmarkProductPage(b *testing.B) {
	d, err := newDemo(demoConfig{Keys: []consent.Key{{Hash: testKey}}})
	if err != nil {
		b.Fatal(err)
	}
	accept := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	var all []string
	for _, c := range d.consent.Declaration(nil) {
		if !c.Necessary {
			all = append(all, c.Name)
		}
	}
	if _, err := d.consent.Decide(accept, req, consent.Decision{Grant: all}); err != nil {
		b.Fatal(err)
	}
	consentCookie := accept.Result().Cookies()[0]

	cases := []struct {
		name    string
		h       http.Handler
		cookies []*http.Cookie
	}{
		{"bare", newShop(nil), nil},
		{"crumb-undecided", d, nil},
		{"crumb-accepted", d, []*http.Cookie{consentCookie}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, "/product/starter", nil)
			for _, ck := range c.cookies {
				r.AddCookie(ck)
			}
			w := httptest.NewRecorder()
			c.h.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
			b.SetBytes(int64(w.Body.Len()))
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				c.h.ServeHTTP(w, r)
			}
		})
	}
}
