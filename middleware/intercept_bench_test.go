package middleware

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/transform"
)

// The benchmarks run each handler bare and intercepted against a cheap fake
// writer (httptest.ResponseRecorder would dominate the figures), so the
// difference is the interceptor's own cost.

type icptBenchWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *icptBenchWriter) Header() http.Header { return w.h }
func (w *icptBenchWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}
func (w *icptBenchWriter) Write(p []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	w.n += len(p)
	return len(p), nil
}
func (w *icptBenchWriter) Flush() {}

func (w *icptBenchWriter) reset() {
	clear(w.h)
	w.code, w.n = 0, 0
}

// icptBenchPolicy is shaped like a consent policy: one value for all
// requests, decisions from the request and the cookie name.
type icptBenchPolicy struct{ t transform.Transformer }

func (p *icptBenchPolicy) KeepCookie(_ *http.Request, line string) bool {
	return !strings.HasPrefix(line, "_")
}

func (p *icptBenchPolicy) Commit(_ *http.Request, _ int, h http.Header) Body {
	if p.t != nil {
		if ct := h["Content-Type"]; len(ct) > 0 && strings.HasPrefix(ct[0], "text/html") {
			return Body{Transformer: p.t, Variant: "c1"}
		}
	}
	return Body{}
}

func (p *icptBenchPolicy) Event(*http.Request, Event) {}

var (
	icptJSONType  = []string{"application/json"}
	icptHTMLType  = []string{"text/html; charset=utf-8"}
	icptJSON      = []byte(`{"ok":true}`)
	icptFiveLines = []string{
		"session=abc; Path=/; HttpOnly",
		"_ga=GA1.1.1; Max-Age=63072000",
		"lang=en; Path=/",
		"_gid=GA1.1.2; Max-Age=86400",
		"_fbp=fb.1.3; Path=/",
	}
	icptPage = bytes.Repeat([]byte("<div class=\"row\"><a href=\"/x\">hello world</a></div>\n"), 64<<10/52)
)

func icptBench(b *testing.B, h http.Handler, setBytes int64) {
	w := &icptBenchWriter{h: http.Header{}}
	r := httptest.NewRequest("GET", "/", nil)
	if setBytes > 0 {
		b.SetBytes(setBytes)
	}
	b.ReportAllocs()
	for b.Loop() {
		w.reset()
		h.ServeHTTP(w, r)
	}
	if w.code != http.StatusOK || w.n == 0 {
		b.Fatalf("bad response: %d, %d bytes", w.code, w.n)
	}
}

var (
	icptJSONHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = icptJSONType
		w.Write(icptJSON)
	})
	icptCookieHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = icptJSONType
		w.Header()["Set-Cookie"] = icptFiveLines
		w.Write(icptJSON)
	})
	icptPageHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = icptHTMLType
		for p := icptPage; len(p) > 0; {
			n := min(len(p), 4096)
			w.Write(p[:n])
			p = p[n:]
		}
	})
)

func BenchmarkBarePassThrough(b *testing.B) { icptBench(b, icptJSONHandler, 0) }

func BenchmarkInterceptPassThrough(b *testing.B) {
	icptBench(b, Wrap(icptJSONHandler, &icptBenchPolicy{}), 0)
}

func BenchmarkBareFiveCookies(b *testing.B) { icptBench(b, icptCookieHandler, 0) }

func BenchmarkInterceptFiveCookies(b *testing.B) {
	icptBench(b, Wrap(icptCookieHandler, &icptBenchPolicy{}), 0)
}

func BenchmarkBarePage(b *testing.B) { icptBench(b, icptPageHandler, int64(len(icptPage))) }

func BenchmarkInterceptPageIdentity(b *testing.B) {
	icptBench(b, Wrap(icptPageHandler, &icptBenchPolicy{t: transform.Nop}), int64(len(icptPage)))
}

func BenchmarkInterceptPageReplace(b *testing.B) {
	t := &icptReplace{old: []byte("world"), repl: []byte("everyone")}
	icptBench(b, Wrap(icptPageHandler, &icptBenchPolicy{t: t}), int64(len(icptPage)))
}

// Parallel pass-through, to see that pooling holds under contention.
func BenchmarkInterceptPassThroughParallel(b *testing.B) {
	h := Wrap(icptJSONHandler, &icptBenchPolicy{})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		w := &icptBenchWriter{h: http.Header{}}
		r := httptest.NewRequest("GET", "/", nil)
		for pb.Next() {
			w.reset()
			h.ServeHTTP(w, r)
		}
	})
}

// floorWriter is the least a ResponseWriter wrapper that is not reused
// across requests can be: one allocation holding the inner writer, every
// call forwarded, nothing looked at. It is not part of crumb.
// BenchmarkFloorWrapper measures it so that the interceptor's overhead can
// be read against what any such wrapper costs on the machine at hand:
// whatever the interceptor adds on top of it is the price of its checks.
type floorWriter struct{ inner http.ResponseWriter }

func (f *floorWriter) Header() http.Header         { return f.inner.Header() }
func (f *floorWriter) WriteHeader(code int)        { f.inner.WriteHeader(code) }
func (f *floorWriter) Write(p []byte) (int, error) { return f.inner.Write(p) }

func BenchmarkFloorWrapper(b *testing.B) {
	icptBench(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		icptJSONHandler.ServeHTTP(&floorWriter{inner: w}, r)
	}), 0)
}

// The benchmarks above reuse the inner writer's header map, which makes the
// interceptor's own map (the handler's, copied at the commit) show up as
// pure extra cost. net/http starts every request with a new map, so the
// bare handler pays for its inserts too; these two compare on that footing.
func icptBenchFresh(b *testing.B, h http.Handler) {
	w := &icptBenchWriter{}
	r := httptest.NewRequest("GET", "/", nil)
	b.ReportAllocs()
	for b.Loop() {
		w.reset()
		w.h = make(http.Header)
		h.ServeHTTP(w, r)
	}
	if w.code != http.StatusOK || w.n == 0 {
		b.Fatalf("bad response: %d, %d bytes", w.code, w.n)
	}
}

func BenchmarkBarePassThroughFreshMap(b *testing.B) { icptBenchFresh(b, icptJSONHandler) }

func BenchmarkInterceptPassThroughFreshMap(b *testing.B) {
	icptBenchFresh(b, Wrap(icptJSONHandler, &icptBenchPolicy{}))
}

// Over a real loopback server, where net/http's own cost frames the
// interceptor's.
func BenchmarkServeBareJSON(b *testing.B) { icptBenchServe(b, icptJSONHandler, len(icptJSON)) }

func BenchmarkServeInterceptJSON(b *testing.B) {
	icptBenchServe(b, Wrap(icptJSONHandler, &icptBenchPolicy{}), len(icptJSON))
}
