package consent

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkMiddlewarePage is an HTML document through the middleware with
// the handler mounted (banner and Consent Mode injected) for an undecided
// visitor and for one who accepted everything, on a small page, where the
// fixed cost per response shows, and on a saved real Shopify product page
// (437 KB, when ../shared/data is present), where per-response
// allocation must not grow with the page.
func BenchmarkMiddlewarePage(b *testing.B) {
	pages := []struct {
		name string
		body []byte
	}{{"small", []byte(sitePage)}}
	if src, err := os.ReadFile(filepath.Join("..", "..", "shared", "data", "html", "partytown", "underoutfit-shopify.standard.html")); err == nil {
		pages = append(pages, struct {
			name string
			body []byte
		}{"shopify", src})
	}
	m, _ := benchUI(b)
	accepted := consentCookie(b, m, []string{"preferences", "analytics", "marketing", "social"}, nil)
	for _, p := range pages {
		mux := http.NewServeMux()
		mux.Handle("/consent/", m.Handler())
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(p.body)
		})
		h := m.Middleware(mux)
		for _, visitor := range []struct{ name, cookie string }{{"undecided", ""}, {"accepted", accepted}} {
			b.Run(p.name+"/"+visitor.name, func(b *testing.B) {
				r := httptest.NewRequest("GET", "https://shop.example/products/tea", nil)
				r.Header.Set("Accept-Language", "en-GB,en;q=0.9")
				r.Header.Set("Sec-Fetch-Dest", "document")
				if visitor.cookie != "" {
					r.Header.Set("Cookie", DefaultCookieName+"="+visitor.cookie)
				}
				b.ReportAllocs()
				b.SetBytes(int64(len(p.body)))
				for b.Loop() {
					h.ServeHTTP(&headerWriter{h: http.Header{}}, r)
				}
			})
		}
	}
}
