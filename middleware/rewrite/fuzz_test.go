package rewrite

import (
	"bytes"
	"testing"
)

// htmlFuzzSeeds adds crumb's fixture pages and their variants, cut short so
// the fuzzer works on pieces it can mutate quickly.
func htmlFuzzSeeds(f *testing.F, add func(page []byte)) {
	for _, p := range htmlOwnFixtures(f) {
		add(p.data)
		for _, v := range htmlVariants(p.data) {
			add(v.data[:min(len(v.data), 2048)])
		}
	}
	for _, s := range []string{
		`<script><!--<script>x</script>--></script><script src=//www.facebook.com/x.js>`,
		`<noscript><img alt="</noscript><script src=https://connect.facebook.net/f.js></script>"></noscript>`,
		`<!--><!---><!-- --!><![CDATA[<script src=//www.googletagmanager.com/gtm.js>]]>`,
		`<iframe src=https://www.youtube.com/embed/x></iframe><textarea></textarea></title>`,
		`<svg><title/><style/><desc><style><!--</desc><img src=https://www.facebook.com/tr?id=1 width=1 height=1>--></style></desc></svg><script src=//www.googletagmanager.com/gtm.js></script>`,
		`<img src=/a.jpg srcset="/a.jpg 1x,https://www.facebook.com/tr?id=1&amp;ev=x 2x"><picture><source srcset="/b.webp (a, b) 1x, //px.ads.linkedin.com/collect?pid=1 2x"><img src=/b.jpg></picture>`,
		`<video poster=https://www.facebook.com/tr?id=1><source src=/v.mp4></video><input type=image src=//www.facebook.com/tr?id=2 width=1><link rel=preload as=image imagesrcset="/c.jpg,, https://bat.bing.com/action/0?ti=1 2x">`,
		`<math><mi><noscript><script></noscript><script src=//connect.facebook.net/f.js></script></mi></math><svg><script>fbq('init','1')</script><p><title></title>`,
	} {
		add([]byte(s))
	}
}

// FuzzSplit checks, on any input, that the output does not depend on
// how the input is split or on the size of dst, that keeping everything
// gives back the input byte for byte, and that tag boundaries agree with
// x/net/html's Tokenizer.
func FuzzSplit(f *testing.F) {
	htmlFuzzSeeds(f, func(p []byte) { f.Add(p, uint16(len(p)/3), uint16(len(p)/2)) })
	f.Fuzz(func(t *testing.T, in []byte, a, b uint16) {
		if len(in) > 64<<10 {
			return
		}
		r := New(htmlStrictOptions(t))
		want := htmlOnce(t, r, in)
		var splits []int
		if len(in) > 0 {
			x, y := int(a)%len(in), int(b)%len(in)
			splits = []int{min(x, y), max(x, y)}
		}
		if got := htmlRun(t, r, in, splits, 1+int(a%61)); !bytes.Equal(got, want) {
			t.Fatalf("split at %v: %s", splits, htmlFirstDiff(want, got))
		}
		keep := New(Options{Catalog: htmlTestCatalog(t), Decide: func(*Element, Action) Action { return ActionKeep }})
		if got := htmlRun(t, keep, in, splits, 64); !bytes.Equal(got, in) {
			t.Fatalf("keeping everything changed the input: %s", htmlFirstDiff(in, got))
		}
		htmlCompareSpans(t, "fuzz", in, splits)
	})
}

// FuzzNoTracker checks that no executable reference to a refused
// tracker survives rewriting, as x/net/html's Tokenizer reads the output.
func FuzzNoTracker(f *testing.F) {
	htmlFuzzSeeds(f, func(p []byte) { f.Add(p) })
	cat := htmlTestCatalog(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 64<<10 {
			return
		}
		if _, _, ok := htmlTokenizerSpans(in); !ok {
			return // x/net/html leaves the standard here; see htmlTokenizerSpans
		}
		r := New(htmlStrictOptions(t))
		out := htmlOnce(t, r, in)
		for _, p := range htmlExecutableTrackers(cat, strictPolicy{}, "www.example.com", out) {
			t.Errorf("%s\ninput: %q\noutput: %q", p, in, out)
		}
	})
}
