package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	chimw "github.com/go-chi/chi/v5/middleware"

	"github.com/crumbhq/crumb/middleware"
)

// The pass-through benchmarks put crumb's interceptor next to chi's own
// response-writer wrapper (what chi's Logger, Compress and friends wrap
// every response in) in one process, on a response crumb has nothing to do
// with: JSON, no cookies. Each wrapped figure minus "bare" is that
// wrapper's overhead; issue #13 asks crumb's to be no larger than chi's.
// "floor-private-map" is the least any wrapper with a private header map
// costs (see privateMapWriter).
//
//	go test -run '^$' -bench PassThrough -count 10 ./ | benchstat -col /wrapper -

// benchWriter is a cheap ResponseWriter: httptest.ResponseRecorder would
// cost more than either wrapper.
type benchWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *benchWriter) Header() http.Header { return w.h }
func (w *benchWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}
func (w *benchWriter) Write(p []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	w.n += len(p)
	return len(p), nil
}
func (w *benchWriter) Flush() {}

// keepAll is the least a crumb caller can ask of the interceptor: keep
// every cookie, transform no body.
type keepAll struct{}

func (keepAll) KeepCookie(*http.Request, string) bool { return true }
func (keepAll) Commit(*http.Request, int, http.Header) middleware.Body {
	return middleware.Body{}
}
func (keepAll) Event(*http.Request, middleware.Event) {}

var jsonBody = []byte(`{"ok":true,"items":[1,2,3]}`)

var jsonType = []string{"application/json"}

func jsonHandler(w http.ResponseWriter, _ *http.Request) {
	w.Header()["Content-Type"] = jsonType
	w.Write(jsonBody)
}

// privateMapWriter is not part of crumb: it is the least a wrapper can be
// that gives the handler a header map of its own, copied into the inner
// writer's at the commit, which is what keeps changes made after the
// commit from leaking through an outer layer that sends the map late
// (crumb's pitfall 21). Its overhead is the floor of crumb's: one
// allocation for the wrapper and two for the map and its first group.
type privateMapWriter struct {
	inner     http.ResponseWriter
	h         http.Header
	committed bool
}

func (p *privateMapWriter) Header() http.Header { return p.h }

func (p *privateMapWriter) WriteHeader(code int) {
	if p.committed {
		return
	}
	p.committed = true
	dst := p.inner.Header()
	for k, v := range p.h {
		dst[k] = v
	}
	p.inner.WriteHeader(code)
}

func (p *privateMapWriter) Write(b []byte) (int, error) {
	p.WriteHeader(http.StatusOK)
	return p.inner.Write(b)
}

func BenchmarkPassThrough(b *testing.B) {
	app := http.HandlerFunc(jsonHandler)
	chiWrapped := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := chimw.NewWrapResponseWriter(w, r.ProtoMajor)
		app.ServeHTTP(ww, r)
	})
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"wrapper=bare", app},
		{"wrapper=chi", chiWrapped},
		{"wrapper=crumb", middleware.Wrap(app, keepAll{})},
		{"wrapper=floor-private-map", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			pw := &privateMapWriter{inner: w, h: make(http.Header)}
			app.ServeHTTP(pw, r)
		})},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "https://example.com/api", nil)
			w := &benchWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.code, w.n = 0, 0
				bc.h.ServeHTTP(w, r)
			}
			if w.n != len(jsonBody) || w.code != http.StatusOK {
				b.Fatalf("wrote %d bytes with status %d", w.n, w.code)
			}
		})
	}
}
