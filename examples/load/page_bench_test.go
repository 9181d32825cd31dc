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

// BenchmarkFloor is what any streaming HTML rewriter must spend on the
// load tool's page at the least, in the same units as BenchmarkPage:
//   - copy: moving the page from the handler's buffer to the output once;
//   - find-tags: finding where every tag starts and ends, with one
//     vectorised search for each '<' and each '>', no more (quoted values,
//     comments and raw text would need more).
//
// Compare find-tags with the budget the load tool prints: a rewriter that
// reads every tag of this page cannot cost less.
func BenchmarkFloor(b *testing.B) {
	page := Page(30_000)
	b.Run("copy", func(b *testing.B) {
		dst := make([]byte, len(page))
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			copy(dst, page)
		}
	})
	b.Run("find-tags", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		tags := 0
		for b.Loop() {
			tags = 0
			for p := 0; ; tags++ {
				i := bytes.IndexByte(page[p:], '<')
				if i < 0 {
					break
				}
				p += i
				j := bytes.IndexByte(page[p:], '>')
				if j < 0 {
					break
				}
				p += j + 1
			}
		}
		b.ReportMetric(float64(tags), "tags")
	})
}
