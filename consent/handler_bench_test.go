package consent

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func benchUI(b *testing.B) (*Manager, http.Handler) {
	b.Helper()
	cfg := Config{Keys: []Key{{Hash: hashKey1}}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	m := mustNew(b, cfg)
	return m, m.Middleware(m.Handler())
}

// BenchmarkHandlerDecide is a "save" form POST through the middleware:
// decode, decide, sign the cookie, 303.
func BenchmarkHandlerDecide(b *testing.B) {
	_, h := benchUI(b)
	const body = "return=%2Fshop%3Fid%3D42&lang=de&c=analytics&c=social&action=save"
	w := &headerWriter{h: http.Header{}}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		r := httptest.NewRequest("POST", "https://shop.example/consent/decide", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		clear(w.h)
		h.ServeHTTP(w, r)
		if w.status != http.StatusSeeOther {
			b.Fatalf("status %d", w.status)
		}
	}
}

// BenchmarkHandlerPreferences is the preferences page for a visitor who
// decided, in the language of the decision.
func BenchmarkHandlerPreferences(b *testing.B) {
	m, h := benchUI(b)
	cookie := consentCookie(b, m, []string{"analytics"}, nil)
	r := httptest.NewRequest("GET", "https://shop.example/consent/?return=%2Fshop", nil)
	r.Header.Set("Cookie", DefaultCookieName+"="+cookie)
	r.Header.Set("Accept-Language", "de-DE,de;q=0.9,en;q=0.8")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 || !strings.Contains(w.Body.String(), " checked") {
		b.Fatalf("preferences: %d", w.Code)
	}
	b.ReportAllocs()
	b.SetBytes(int64(w.Body.Len()))
	for b.Loop() {
		w := &headerWriter{h: http.Header{}}
		h.ServeHTTP(w, r)
	}
}

// BenchmarkInjectedBanner is an HTML page of a fresh visitor, with the
// banner and the Consent Mode default injected.
func BenchmarkInjectedBanner(b *testing.B) {
	m, _ := benchUI(b)
	page := []byte(sitePage)
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	r := httptest.NewRequest("GET", "https://shop.example/tea", nil)
	r.Header.Set("Accept-Language", "fr")
	b.ReportAllocs()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		h.ServeHTTP(&headerWriter{h: http.Header{}}, r)
	}
}
