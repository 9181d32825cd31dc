package middleware

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/text/transform"
)

// htmlBenchPages returns the 437 KB Shopify page (when ../shared/data is
// present) and a 100 KB page made of crumb's own fixtures.
func htmlBenchPages(b testing.TB) map[string][]byte {
	pages := map[string][]byte{}
	own := htmlOwnPage(b)
	var p []byte
	for len(p) < 100<<10 {
		p = append(p, own...)
	}
	pages["own100k"] = p[:100<<10]
	shopify := filepath.Join("..", "..", "shared", "data", "html", "partytown", "underoutfit-shopify.standard.html")
	if data, err := os.ReadFile(shopify); err == nil {
		pages["shopify437k"] = data
	}
	return pages
}

func htmlBenchNames(pages map[string][]byte) []string {
	names := []string{"own100k"}
	if _, ok := pages["shopify437k"]; ok {
		names = append(names, "shopify437k")
	}
	return names
}

// BenchmarkHTMLRewrite rewrites a page with everything but Necessary
// refused and all insertions on, as the consent middleware would, through a
// 32 KiB dst with a reused (pooled) rewriter.
func BenchmarkHTMLRewrite(b *testing.B) {
	pages := htmlBenchPages(b)
	if _, ok := pages["shopify437k"]; !ok {
		b.Log("../shared/data/html is absent: benchmarking crumb's own page only")
	}
	for _, name := range htmlBenchNames(pages) {
		page := pages[name]
		b.Run(name, func(b *testing.B) {
			r := NewHTMLRewriter(htmlStrictOptions(b))
			dst := make([]byte, 32<<10)
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				r.Reset()
				src := page
				for {
					_, n, err := r.Transform(dst, src, true)
					src = src[n:]
					if err == nil {
						break
					}
					if !errors.Is(err, transform.ErrShortDst) {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkHTMLTokenizer is the reference: x/net/html's raw Tokenizer pass
// over the same bytes, Next only.
func BenchmarkHTMLTokenizer(b *testing.B) {
	pages := htmlBenchPages(b)
	for _, name := range htmlBenchNames(pages) {
		page := pages[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				z := html.NewTokenizer(bytes.NewReader(page))
				for z.Next() != html.ErrorToken {
				}
			}
		})
	}
}
