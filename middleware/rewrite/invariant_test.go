package rewrite

import (
	"bytes"
	"io"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// htmlSpan is a [start, end) range of input bytes.
type htmlSpan struct{ Start, End int64 }

// htmlRewriterSpans returns where the rewriter saw tags and comments.
func htmlRewriterSpans(t testing.TB, in []byte, splits []int) []htmlSpan {
	t.Helper()
	var spans []htmlSpan
	r := New(Options{Catalog: htmlTestCatalog(t), Policy: AllowAll})
	r.onTag = func(s, e int64) { spans = append(spans, htmlSpan{s, e}) }
	htmlRun(t, r, in, splits, 512)
	return spans
}

// htmlTokenizerSpans returns where x/net/html's Tokenizer finds tags and
// "<!--" comments, with the spans of <noscript> content (raw text to the
// Tokenizer, markup to the rewriter, by design). ok is false when the input
// reaches the one place where the Tokenizer leaves the standard: a '<' in
// the script data escaped state followed by neither '/' nor a letter, which
// only moves a boundary when "<script" follows "<!--" in a script.
func htmlTokenizerSpans(in []byte) (spans, noscript []htmlSpan, ok bool) {
	z := html.NewTokenizer(bytes.NewReader(in))
	var off int64
	prev := ""
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return spans, noscript, true
		}
		raw := z.Raw()
		s := htmlSpan{off, off + int64(len(raw))}
		off = s.End
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			spans = append(spans, s)
			name, _ := z.TagName()
			prev = ""
			if tt == html.StartTagToken {
				prev = string(name)
			}
			continue
		case html.CommentToken:
			if bytes.HasPrefix(raw, []byte("<!--")) {
				spans = append(spans, s)
			}
		case html.TextToken:
			switch prev {
			case "noscript":
				noscript = append(noscript, s)
			case "script":
				low := bytes.ToLower(raw)
				if i := bytes.Index(low, []byte("<!--")); i >= 0 && bytes.Contains(low[i:], []byte("<script")) {
					return nil, nil, false
				}
			}
		}
		prev = ""
	}
}

// htmlHasForeign reports whether in may hold SVG or MathML content, where
// the tree builder keeps the Tokenizer out of raw text and the rewriter
// follows it (see foreign.go): the Tokenizer alone is no reference
// there; the tests of livecheck_test.go judge such pages with html.Parse.
func htmlHasForeign(in []byte) bool {
	low := bytes.ToLower(in)
	return bytes.Contains(low, []byte("<svg")) || bytes.Contains(low, []byte("<math"))
}

// htmlCompareSpans checks the rewriter's tag boundaries against the
// Tokenizer's, outside <noscript> content.
func htmlCompareSpans(t testing.TB, name string, in []byte, splits []int) {
	t.Helper()
	want, noscript, ok := htmlTokenizerSpans(in)
	if !ok || htmlHasForeign(in) {
		return
	}
	var got []htmlSpan
	for _, s := range htmlRewriterSpans(t, in, splits) {
		inside := false
		for _, n := range noscript {
			if s.Start >= n.Start && s.Start < n.End {
				inside = true
			}
		}
		if !inside {
			got = append(got, s)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: tag boundaries differ from x/net/html (-tokenizer +rewriter):\n%s", name, diff)
	}
}

func TestTagBoundariesMatchTokenizer(t *testing.T) {
	for _, f := range htmlAllFixtures(t) {
		htmlCompareSpans(t, f.name, f.data, nil)
		htmlCompareSpans(t, f.name+" (split)", f.data, []int{1, 7, 100, 1000, 4097})
		for _, v := range htmlVariants(f.data) {
			htmlCompareSpans(t, f.name+" ("+v.name+")", v.data, nil)
		}
	}
}

// htmlStrictOptions are the options of the invariant tests: everything but
// Necessary refused, with insertions, so that every path runs.
func htmlStrictOptions(t testing.TB) Options {
	return Options{
		Catalog:   htmlTestCatalog(t),
		PageHost:  "www.example.com",
		HeadStart: []byte(`<script data-crumb-nonce>gtag('consent','default',{})</script>`),
		HeadEnd:   []byte(`<link rel="stylesheet" href="/crumb.css">`),
		BodyStart: []byte(`<section id="crumb-banner"><button data-crumb-nonce>ok</button></section>`),
		BodyEnd:   []byte(`<div id="crumb-end"></div>`),
	}
}

func TestSplitInvariance(t *testing.T) {
	for _, f := range htmlAllFixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			r := New(htmlStrictOptions(t))
			want := htmlOnce(t, r, f.data)
			// Every split point of small pages; a stride through the big ones.
			step := 1
			if len(f.data) > 12<<10 {
				step = len(f.data)/1000 + 1
			}
			for k := 1; k < len(f.data); k += step {
				got := htmlRun(t, r, f.data, []int{k}, 4096)
				if !bytes.Equal(got, want) {
					t.Fatalf("split at %d: %s", k, htmlFirstDiff(want, got))
				}
			}
			// Byte at a time through a small dst.
			if len(f.data) <= 16<<10 {
				if got := htmlRun(t, r, f.data, htmlEvery(len(f.data)), 7); !bytes.Equal(got, want) {
					t.Fatalf("byte at a time: %s", htmlFirstDiff(want, got))
				}
			}
			// Uneven pieces.
			var splits []int
			for k, d := 0, 1; k < len(f.data); k, d = k+d, d*2%4093+1 {
				splits = append(splits, k)
			}
			if got := htmlRun(t, r, f.data, splits, 100); !bytes.Equal(got, want) {
				t.Fatalf("uneven pieces: %s", htmlFirstDiff(want, got))
			}
		})
	}
}

func TestNoRefusedTrackerSurvives(t *testing.T) {
	cat := htmlTestCatalog(t)
	for _, f := range htmlAllFixtures(t) {
		inputs := append([]htmlFixture{{"as is", f.data}}, htmlVariants(f.data)...)
		for _, v := range inputs {
			r := New(htmlStrictOptions(t))
			out := htmlOnce(t, r, v.data)
			if _, _, ok := htmlTokenizerSpans(v.data); !ok {
				continue
			}
			for _, p := range htmlExecutableTrackers(cat, strictPolicy{}, "www.example.com", out) {
				t.Errorf("%s (%s): %s", f.name, v.name, p)
			}
		}
	}
}

// TestFixturesAreBlocked checks that the oracle has something to find:
// before rewriting, every page of ours but optin.html loads trackers.
func TestFixturesAreBlocked(t *testing.T) {
	cat := htmlTestCatalog(t)
	for _, f := range htmlOwnFixtures(t) {
		n := len(htmlExecutableTrackers(cat, strictPolicy{}, "www.example.com", f.data))
		if f.name != "optin.html" && n == 0 {
			t.Errorf("%s: the oracle finds no tracker in the input; the test would prove nothing", f.name)
		}
		t.Logf("%s: %d executable tracker references before rewriting", f.name, n)
	}
}

var (
	htmlReTagName  = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)`)
	htmlReQuoted   = regexp.MustCompile(`=\"([^\"\s>'=` + "`" + `<]+)\"`)
	htmlReAttr     = regexp.MustCompile(` ([a-z][a-z-]*)=`)
	htmlReScript   = regexp.MustCompile(`(?i)<script>`)
	htmlReImg      = regexp.MustCompile(`(?i)(<img [^>]*>)`)
	htmlReHostDots = regexp.MustCompile(`\.(com|net|ms)\b`)
)

// htmlVariants rewrites a page in the ways that real pages and careless
// scanners differ: upper-case tags, unquoted and newline-split attributes,
// entities in URLs, protocol-relative and scheme-less URLs, comments,
// noscript, CDATA and "</script" look-alikes inside scripts.
func htmlVariants(page []byte) []htmlFixture {
	s := string(page)
	return []htmlFixture{
		{"upper-case tags", []byte(htmlReTagName.ReplaceAllStringFunc(s, strings.ToUpper))},
		{"unquoted attributes", []byte(htmlReQuoted.ReplaceAllString(s, "=$1"))},
		{"newline-split attributes", []byte(htmlReAttr.ReplaceAllString(s, "\n$1\n=\n"))},
		{"entities in URLs", []byte(strings.NewReplacer("://", "&colon;&sol;&#x2f;", ".com", "&period;com", ".net", "&#46;net").Replace(s))},
		{"protocol-relative URLs", []byte(strings.ReplaceAll(s, "https://", "//"))},
		{"scheme-less URLs", []byte(strings.ReplaceAll(s, "https://", ""))},
		{"upper-case hosts", []byte(htmlReHostDots.ReplaceAllStringFunc(s, strings.ToUpper))},
		{"comments", []byte(strings.ReplaceAll(s, "<script", "<!-- <script src=x> --><!--><script"))},
		{"noscript images", []byte(htmlReImg.ReplaceAllString(s, "<noscript>$1</noscript>"))},
		{"cdata", []byte(strings.ReplaceAll(s, "<body>", "<body><![CDATA[ <p> ]]>"))},
		{"script look-alikes", []byte(htmlReScript.ReplaceAllString(s, `<script>var a="</scr"+"ipt>", b="</scripts>", c="<!-"+"-", d=1<2;`))},
	}
}

// TestBoundedMemory streams a 50 MB page through one rewriter and
// checks that the heap does not grow with it and no goroutine is left.
func TestBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 50 MB")
	}
	unit := htmlOwnPage(t)
	const total = 50 << 20
	r := New(htmlStrictOptions(t))
	goroutines := runtime.NumGoroutine()
	src := &htmlRepeatReader{unit: unit, left: total}
	in := make([]byte, 64<<10)
	dst := make([]byte, 32<<10)
	stream := func(limit int64) {
		src.left = limit
		r.Reset()
		var n int
		for {
			m, err := src.Read(in[n:])
			n += m
			atEOF := err == io.EOF
			for {
				nDst, nSrc, terr := r.Transform(dst, in[:n], atEOF)
				_ = nDst
				n = copy(in, in[nSrc:n])
				if terr == nil || terr.Error() != "transform: short destination buffer" {
					break
				}
			}
			if atEOF {
				return
			}
		}
	}
	stream(1 << 20) // warm up the buffers
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	stream(total)
	runtime.GC()
	runtime.ReadMemStats(&after)
	grew := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("50 MB: heap %+d bytes, allocated %d bytes in %d objects", grew, after.TotalAlloc-before.TotalAlloc, after.Mallocs-before.Mallocs)
	if grew > 1<<20 {
		t.Errorf("heap grew by %d bytes streaming 50 MB, want < 1 MB", grew)
	}
	if g := runtime.NumGoroutine(); g > goroutines {
		t.Errorf("%d goroutines after streaming, %d before", g, goroutines)
	}
}

type htmlRepeatReader struct {
	unit []byte
	off  int
	left int64
}

func (h *htmlRepeatReader) Read(p []byte) (int, error) {
	if h.left <= 0 {
		return 0, io.EOF
	}
	n := copy(p, h.unit[h.off:])
	n = int(min(int64(n), h.left))
	h.off = (h.off + n) % len(h.unit)
	h.left -= int64(n)
	return n, nil
}

func TestVariantsChangeThePage(t *testing.T) {
	// A variant that changes nothing tests nothing.
	page := htmlOwnFixtures(t)[0].data
	for _, v := range htmlVariants(page) {
		if bytes.Equal(v.data, page) {
			t.Errorf("variant %q leaves %d-byte page unchanged", v.name, len(page))
		}
	}
	_ = slices.Clone(page)
}

// htmlOwnPage joins crumb's fixture pages into one, without the <plaintext>
// that would turn everything after it into text.
func htmlOwnPage(t testing.TB) []byte {
	var page []byte
	for _, f := range htmlOwnFixtures(t) {
		page = append(page, bytes.ReplaceAll(f.data, []byte("<plaintext>"), []byte("<p>"))...)
	}
	return page
}
