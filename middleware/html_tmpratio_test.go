package middleware

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/text/transform"
)

func TestTmpRatio(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	pages := htmlBenchPages(t)
	for _, name := range htmlBenchNames(pages) {
		page := pages[name]
		r := NewHTMLRewriter(htmlStrictOptions(t))
		dst := make([]byte, 32<<10)
		rw := func() {
			r.Reset()
			src := page
			for {
				_, n, err := r.Transform(dst, src, true)
				src = src[n:]
				if err == nil {
					break
				}
				if !errors.Is(err, transform.ErrShortDst) {
					t.Fatal(err)
				}
			}
		}
		tk := func() {
			z := html.NewTokenizer(bytes.NewReader(page))
			for z.Next() != html.ErrorToken {
			}
		}
		best := func(f func()) time.Duration {
			s := time.Now()
			for range 5 {
				f()
			}
			return time.Since(s) / 5
		}
		var br, bt time.Duration = 1 << 62, 1 << 62
		for range 200 {
			br = min(br, best(rw))
			bt = min(bt, best(tk))
		}
		mb := func(d time.Duration) float64 { return float64(len(page)) / d.Seconds() / 1e6 }
		t.Logf("%s: rewriter %v (%.0f MB/s) tokenizer %v (%.0f MB/s) ratio %.2f", name, br, mb(br), bt, mb(bt), float64(bt)/float64(br))
	}
}
