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
