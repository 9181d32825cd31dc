package main

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/crumbhq/crumb/consent"
)

// BenchmarkPage serves the load tool's page in process, without sockets,
// bare and through crumb for an undecided and an accepting visitor, so
// that the server's CPU per request can be profiled:
//
//	go test -run '^$' -bench Page -benchmem -cpuprofile cpu.out ./
func BenchmarkPage(b *testing.B) {
	page := Page(30_000)
	shop := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	m, err := consent.New(consent.Config{Keys: []consent.Key{{Hash: bytes.Repeat([]byte("k"), 32)}},
		Insecure: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/consent/", m.Handler())
	mux.Handle("/", shop)
	crumb := m.Middleware(mux)

	accept := httptest.NewRequest("POST", "/consent/decide", bytes.NewReader([]byte("action=accept")))
	accept.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	accept.Header.Set("Sec-Fetch-Site", "same-origin")
	rec := httptest.NewRecorder()
	crumb.ServeHTTP(rec, accept)
	var cookie string
	for _, line := range rec.Header()["Set-Cookie"] {
		if c, err := http.ParseSetCookie(line); err == nil && strings.HasSuffix(c.Name, "crumb_consent") {
			cookie = c.Name + "=" + c.Value
		}
	}
	if cookie == "" {
		b.Fatalf("accept gave no consent cookie: %d", rec.Code)
	}
	for _, bc := range []struct {
		name   string
		h      http.Handler
		cookie string
	}{{"bare", shop, ""}, {"undecided", crumb, ""}, {"accepted", crumb, cookie}} {
		b.Run(bc.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "http://127.0.0.1/", nil)
			r.Header.Set("Sec-Fetch-Dest", "document")
			if bc.cookie != "" {
				r.Header.Set("Cookie", bc.cookie)
			}
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				clear(w.h)
				w.n = 0
				bc.h.ServeHTTP(w, r)
			}
			if w.n == 0 {
				b.Fatal("no body")
			}
		})
	}
}

type discardWriter struct {
	h http.Header
	n int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(int)             {}
func (w *discardWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }
