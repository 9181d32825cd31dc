package consent

import (
	"context"
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

// BenchmarkDecodeCookieKeyring is BenchmarkDecodeCookie through the
// keyring's verification: every iteration verifies the MAC and decodes
// afresh (verify, not the cached decode).
func BenchmarkDecodeCookieKeyring(b *testing.B) {
	m := benchManager(b, []Key{{Hash: hashKey1}})
	kr, err := newKeyring([]Key{{Hash: hashKey1}}, m.lifetime)
	if err != nil {
		b.Fatal(err)
	}
	v := consentCookie(b, m, []string{"analytics"}, nil)
	b.ReportAllocs()
	for b.Loop() {
		d := decodeTarget{intern: m.lang}
		if kr.verify(m.cookieName, v, &d) != 0 {
			b.Fatal("not ok")
		}
	}
}

// BenchmarkDecodeCookieMiss is the worst case of the keyring's cache: two
// values taking turns in a cache of one slot, so every read verifies in
// full and overwrites the slot.
func BenchmarkDecodeCookieMiss(b *testing.B) {
	m := benchManager(b, []Key{{Hash: hashKey1}})
	kr, err := newKeyring([]Key{{Hash: hashKey1}}, m.lifetime)
	if err != nil {
		b.Fatal(err)
	}
	kr.cache = newCookieCache(1)
	vs := [2]string{consentCookie(b, m, []string{"analytics"}, nil), consentCookie(b, m, []string{"marketing"}, nil)}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d := decodeTarget{intern: m.lang}
		if kr.decode(m.cookieName, vs[i&1], &d) != 0 {
			b.Fatal("not ok")
		}
		i++
	}
}

// BenchmarkMiddlewareBrowserHeaders is a first visit by a browser: a
// document navigation with the dozen header fields browsers send, so the
// request-side work (signals, validators, document encoding) is counted.
func BenchmarkMiddlewareBrowserHeaders(b *testing.B) {
	m := benchManager(b, []Key{{Hash: hashKey1}})
	req, _ := http.NewRequest("GET", "https://example.com/", nil)
	req.Header = http.Header{
		"Accept":                    {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
		"Accept-Encoding":           {"gzip, deflate, br, zstd"},
		"Accept-Language":           {"en-GB,en;q=0.5"},
		"Connection":                {"keep-alive"},
		"Priority":                  {"u=0, i"},
		"Sec-Fetch-Dest":            {"document"},
		"Sec-Fetch-Mode":            {"navigate"},
		"Sec-Fetch-Site":            {"none"},
		"Sec-Fetch-User":            {"?1"},
		"Sec-Gpc":                   {"1"},
		"Upgrade-Insecure-Requests": {"1"},
		"User-Agent":                {"Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"},
	}
	runBench(b, m.Middleware(benchHandler()), req)
}

// floorState is the least a middleware can do to let handlers find
// per-request state through r.Context(), as FromRequest does: one
// allocation holding a context that carries it, the request copy that
// WithContext makes, and a forwarding writer. It is not part of crumb.
// BenchmarkFloorRequestState measures it so that the middleware's overhead
// can be read against the cost of that contract alone on the machine at
// hand.
type floorState struct {
	context.Context
	req http.Request
	w   floorWriter
}

type floorKey struct{}

func (f *floorState) Value(key any) any {
	if _, ok := key.(floorKey); ok {
		return f
	}
	return f.Context.Value(key)
}

type floorWriter struct{ inner http.ResponseWriter }

func (f *floorWriter) Header() http.Header         { return f.inner.Header() }
func (f *floorWriter) WriteHeader(code int)        { f.inner.WriteHeader(code) }
func (f *floorWriter) Write(p []byte) (int, error) { return f.inner.Write(p) }

func BenchmarkFloorRequestState(b *testing.B) {
	next := benchHandler()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := &floorState{Context: r.Context()}
		f.req = *r.WithContext(f)
		f.w.inner = w
		next.ServeHTTP(&f.w, &f.req)
	})
	req, _ := http.NewRequest("GET", "https://example.com/api", nil)
	runBench(b, h, req)
}
