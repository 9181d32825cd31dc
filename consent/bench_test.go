package consent

import (
	"io"
	"log/slog"
	"net/http"
	"testing"
)

// The benchmarks run a small handler bare and behind the middleware, with
// a cheap ResponseWriter, so the difference is crumb's overhead per
// request.

var benchBody = []byte(`{"ok":true}`)

func benchHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(benchBody)
	})
}

func benchManager(b *testing.B, keys []Key) *Manager {
	cfg := Config{Keys: keys, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return mustNew(b, cfg)
}

func runBench(b *testing.B, h http.Handler, req *http.Request) {
	w := &headerWriter{h: make(http.Header, 4)}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

func BenchmarkBareHandler(b *testing.B) {
	req, _ := http.NewRequest("GET", "https://example.com/api", nil)
	runBench(b, benchHandler(), req)
}

func BenchmarkMiddlewareNoCookie(b *testing.B) {
	m := benchManager(b, []Key{{Hash: hashKey1}})
	req, _ := http.NewRequest("GET", "https://example.com/api", nil)
	runBench(b, m.Middleware(benchHandler()), req)
}

func benchWithCookie(b *testing.B, keys []Key) {
	m := benchManager(b, keys)
	v := consentCookie(b, m, []string{"analytics"}, nil)
	req, _ := http.NewRequest("GET", "https://example.com/api", nil)
	req.Header.Set("Cookie", m.CookieName()+"="+v)
	if st, _, ok, _ := m.readState(req.Header, Signals{}, m.now()); !ok || !st.Granted("analytics") {
		b.Fatal("benchmark cookie does not read")
	}
	runBench(b, m.Middleware(benchHandler()), req)
}

func BenchmarkMiddlewareValidCookie(b *testing.B) {
	benchWithCookie(b, []Key{{Hash: hashKey1}})
}

func BenchmarkMiddlewareValidCookieEncrypted(b *testing.B) {
	benchWithCookie(b, []Key{{Hash: hashKey1, Block: blockKey1}})
}

// BenchmarkDecodeCookie isolates reading the consent cookie.
func BenchmarkDecodeCookie(b *testing.B) {
	m := benchManager(b, []Key{{Hash: hashKey1}})
	h := requestWith(consentCookie(b, m, []string{"analytics"}, nil))
	now := m.now()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok, _ := m.readState(h, Signals{}, now); !ok {
			b.Fatal("not ok")
		}
	}
}
