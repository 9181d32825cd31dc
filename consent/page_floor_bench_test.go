package consent

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/crumbhq/crumb/middleware/rewrite"
	"golang.org/x/text/transform"
)

// BenchmarkFloorPageApp is the other part of BenchmarkMiddlewarePage that
// is not crumb's: the same mux, handler and writer, without the
// middleware (so the page is not rewritten).
func BenchmarkFloorPageApp(b *testing.B) {
	body := []byte(sitePage)
	m, _ := benchUI(b)
	mux := http.NewServeMux()
	mux.Handle("/consent/", m.Handler())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	})
	r := httptest.NewRequest("GET", "https://shop.example/products/tea", nil)
	r.Header.Set("Accept-Language", "en-GB,en;q=0.9")
	r.Header.Set("Sec-Fetch-Dest", "document")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		mux.ServeHTTP(&headerWriter{h: http.Header{}}, r)
	}
}

// BenchmarkFloorPageRewrite is the floor of BenchmarkMiddlewarePage: the
// rewriter alone over the same pages for the same undecided or accepted
// visitor, with the same catalog, policy and injected markup, rendered
// once outside the loop, writing into a 32 KiB buffer as the interceptor
// does. BenchmarkMiddlewarePage minus this and minus BenchmarkFloorPageApp
// is the fixed cost per HTML response (issue 13: <= 3 µs, <= 5
// allocations beyond the rewrite):
//
//	go test -run '^$' -bench 'MiddlewarePage/small|FloorPage' -benchmem -count 6 ./consent/
func BenchmarkFloorPageRewrite(b *testing.B) {
	pages := map[string][]byte{"small": []byte(sitePage)}
	if src, err := os.ReadFile(filepath.Join("..", "..", "shared", "data", "html", "partytown", "underoutfit-shopify.standard.html")); err == nil {
		pages["shopify"] = src
	}
	m, _ := benchUI(b)
	m.Handler() // installs the banner and the Consent Mode default
	accepted := consentCookie(b, m, []string{"preferences", "analytics", "marketing", "social"}, nil)
	in := m.inject.Load()
	for _, name := range []string{"small", "shopify"} {
		body, ok := pages[name]
		if !ok {
			continue
		}
		for _, visitor := range []struct{ name, cookie string }{{"undecided", ""}, {"accepted", accepted}} {
			b.Run(name+"/"+visitor.name, func(b *testing.B) {
				r := httptest.NewRequest("GET", "https://shop.example/products/tea", nil)
				r.Header.Set("Accept-Language", "en-GB,en;q=0.9")
				if visitor.cookie != "" {
					r.Header.Set("Cookie", DefaultCookieName+"="+visitor.cookie)
				}
				rs := m.begin(r)
				rs.ctx = rs
				r = rs.request(r)
				var head, banner appendBuf
				in.headAppend(&head, r, &rs.state, "")
				in.bodyAppend(&banner, r, &rs.state, "")
				opts := rewrite.Options{
					Catalog:   m.htmlCatalog,
					Policy:    rs,
					PageHost:  rs.pageHost(),
					HeadStart: head,
					BodyStart: banner,
				}
				rw := rewrite.New(opts)
				dst := make([]byte, 32<<10)
				b.ReportAllocs()
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					rw.ResetOptions(opts)
					if err := drain(rw, dst, body); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// drain runs t over all of src, discarding the output.
func drain(t transform.Transformer, dst, src []byte) error {
	for {
		_, n, err := t.Transform(dst, src, true)
		src = src[n:]
		switch {
		case err == nil:
			return nil
		case !errors.Is(err, transform.ErrShortDst):
			return err
		}
	}
}
