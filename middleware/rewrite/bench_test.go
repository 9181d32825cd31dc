package rewrite

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/text/transform"
)

// htmlBenchPages returns the pages the rewriter is measured on:
//   - shopify437k, a saved real Shopify product page (when ../shared/data is
//     present);
//   - shop100k, a page of our own shaped like a real shop listing: the
//     common tags in <head> (GA4, Meta Pixel), a grid of product cards, a
//     YouTube embed and a noscript pixel, the card repeated to 100 KB;
//   - trackers100k, the worst case: crumb's fixture pages, which hold a
//     tracker decision every hundred bytes or so, repeated to 100 KB.
func htmlBenchPages(b testing.TB) map[string][]byte {
	pages := map[string][]byte{}
	own := htmlOwnPage(b)
	var p []byte
	for len(p) < 100<<10 {
		p = append(p, own...)
	}
	pages["trackers100k"] = p[:100<<10]
	pages["shop100k"] = htmlShopPage(b, 100<<10)
	shopify := filepath.Join("..", "..", "..", "shared", "data", "html", "partytown", "underoutfit-shopify.standard.html")
	if data, err := os.ReadFile(shopify); err == nil {
		pages["shopify437k"] = data
	}
	return pages
}

// htmlShopPage grows testdata/html/shop-listing.html to about size bytes by
// repeating its product card, as a listing page with many products would.
func htmlShopPage(b testing.TB, size int) []byte {
	src, err := os.ReadFile(filepath.Join("..", "..", "testdata", "html", "shop-listing.html"))
	if err != nil {
		b.Fatal(err)
	}
	start := bytes.Index(src, []byte(`<article class="product">`))
	end := bytes.Index(src, []byte("</article>"))
	if start < 0 || end < 0 {
		b.Fatal("shop-listing.html has no product card")
	}
	end += len("</article>\n")
	card := src[start:end]
	page := append([]byte{}, src[:end]...)
	for len(page)+len(src)-end < size {
		page = append(page, card...)
	}
	return append(page, src[end:]...)
}

func htmlBenchNames(pages map[string][]byte) []string {
	names := []string{"shop100k", "trackers100k"}
	if _, ok := pages["shopify437k"]; ok {
		names = append(names, "shopify437k")
	}
	return names
}

// BenchmarkRewrite rewrites a page with everything but Necessary
// refused and all insertions on, as the consent middleware would, through a
// 32 KiB dst with a reused (pooled) rewriter.
func BenchmarkRewrite(b *testing.B) {
	benchmarkRewrite(b, htmlStrictOptions(b))
}

// BenchmarkRewriteAllowAll is BenchmarkRewrite for a visitor who allowed
// every category, as the consent middleware rewrites for them: no Decide
// callback, insertions on.
func BenchmarkRewriteAllowAll(b *testing.B) {
	opts := htmlStrictOptions(b)
	opts.Policy, opts.Decide = AllowAll, nil
	benchmarkRewrite(b, opts)
}

func benchmarkRewrite(b *testing.B, opts Options) {
	pages := htmlBenchPages(b)
	if _, ok := pages["shopify437k"]; !ok {
		b.Log("../shared/data/html is absent: benchmarking crumb's own page only")
	}
	for _, name := range htmlBenchNames(pages) {
		page := pages[name]
		b.Run(name, func(b *testing.B) {
			r := New(opts)
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

// BenchmarkTokenizer is the reference: x/net/html's raw Tokenizer pass
// over the same bytes, Next only.
func BenchmarkTokenizer(b *testing.B) {
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
