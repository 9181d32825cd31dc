package rewrite

import (
	"testing"
)

// FuzzCSS checks the CSS scanner on any input: spans in order, inside the
// input and apart; once every URL found is replaced, as the rewriter does
// for refused ones, the tokenizer finds only the replacement, so no
// rewrite can leave a fetchable URL behind; and the quick scan used for
// CSS without escapes finds all that the tokenizer finds. The rewriter runs on the
// same CSS in a style attribute and a <style> element, and must not fail.
func FuzzCSS(f *testing.F) {
	for _, s := range []string{
		`a{background:url(https://www.facebook.com/tr?id=1)}`,
		`@import "https://ads.linkedin.com/x.css" screen;@import url('//bat.bing.com/a.css');`,
		`b{background:image-set("https://bat.bing.com/1.png" 1x, url(/2.png) 2x)}`,
		`c{background:u\72l(https://www.facebook\2e com/tr?id=1)}/* url(x) */`,
		`d{content:"url(no)";background:url( "q\"x" )}`,
		`e{background:-webkit-image-set('a.png' 1x)}@import"x`,
	} {
		f.Add([]byte(s))
	}
	cat := htmlTestCatalog(f)
	f.Fuzz(func(t *testing.T, css []byte) {
		if len(css) > 16<<10 {
			return
		}
		var out []byte
		last := 0
		scanCSS(css, nil, func(u cssURL, dec []byte) bool {
			if u.start < last || u.end < u.start || u.end > len(css) {
				t.Fatalf("span %d-%d after %d in %d bytes", u.start, u.end, last, len(css))
			}
			out = append(out, css[last:u.start]...)
			out = append(out, neutralURL...)
			last = u.end
			return true
		})
		out = append(out, css[last:]...)
		// The tokenizer's reading of what is left: only the replacement.
		scanCSSFull(out, nil, func(u cssURL, dec []byte) bool {
			if string(dec) != neutralURL {
				t.Fatalf("after neutralising, %q is found in %q (from %q)", dec, out, css)
			}
			return true
		})
		// Where scanCSS takes the quick scan, it finds what the tokenizer
		// finds.
		if plainCSS(css) {
			quick := map[cssURL]bool{}
			scanCSSPlain(css, nil, func(u cssURL, _ []byte) bool { quick[u] = true; return true })
			scanCSSFull(css, nil, func(u cssURL, dec []byte) bool {
				if !quick[u] {
					t.Fatalf("the quick scan misses %q at %d in %q", dec, u.start, css)
				}
				return true
			})
		}
		r := New(Options{Catalog: cat})
		htmlOnce(t, r, append(append([]byte(`<p style="`), css...), `">`...))
		htmlOnce(t, r, append(append([]byte(`<style>`), css...), `</style>`...))
	})
}
