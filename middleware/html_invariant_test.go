package middleware

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/crumbhq/crumb/classify"
)

// htmlSpan is a [start, end) range of input bytes.
type htmlSpan struct{ Start, End int64 }

// htmlRewriterSpans returns where the rewriter saw tags and comments.
func htmlRewriterSpans(t testing.TB, in []byte, splits []int) []htmlSpan {
	t.Helper()
	var spans []htmlSpan
	r := NewHTMLRewriter(HTMLOptions{Catalog: htmlTestCatalog(t), Policy: AllowAll})
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
// follows it (see htmlforeign.go): the Tokenizer alone is no reference
// there; the review tests judge such pages with html.Parse.
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

func TestHTMLTagBoundariesMatchTokenizer(t *testing.T) {
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
func htmlStrictOptions(t testing.TB) HTMLOptions {
	return HTMLOptions{
		Catalog:   htmlTestCatalog(t),
		PageHost:  "www.example.com",
		HeadStart: []byte(`<script data-crumb-nonce>gtag('consent','default',{})</script>`),
		HeadEnd:   []byte(`<link rel="stylesheet" href="/crumb.css">`),
		BodyEnd:   []byte(`<div id="crumb-banner"></div>`),
	}
}

func TestHTMLSplitInvariance(t *testing.T) {
	for _, f := range htmlAllFixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			r := NewHTMLRewriter(htmlStrictOptions(t))
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

func TestHTMLNoRefusedTrackerSurvives(t *testing.T) {
	cat := htmlTestCatalog(t)
	for _, f := range htmlAllFixtures(t) {
		inputs := append([]htmlFixture{{"as is", f.data}}, htmlVariants(f.data)...)
		for _, v := range inputs {
			r := NewHTMLRewriter(htmlStrictOptions(t))
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

// TestHTMLFixturesAreBlocked checks that the oracle has something to find:
// before rewriting, every page of ours but optin.html loads trackers.
func TestHTMLFixturesAreBlocked(t *testing.T) {
	cat := htmlTestCatalog(t)
	for _, f := range htmlOwnFixtures(t) {
		n := len(htmlExecutableTrackers(cat, strictPolicy{}, "www.example.com", f.data))
		if f.name != "optin.html" && n == 0 {
			t.Errorf("%s: the oracle finds no tracker in the input; the test would prove nothing", f.name)
		}
		t.Logf("%s: %d executable tracker references before rewriting", f.name, n)
	}
}

// htmlExecutableTrackers lists the references in page that make a browser
// contact a refused tracker, read the way x/net/html's Tokenizer reads the
// page (with scripting on), plus the images and frames inside <noscript>
// that a browser with scripting off would load.
func htmlExecutableTrackers(cat *classify.Catalog, pol Policy, pageHost string, page []byte) []string {
	var problems []string
	var base string
	refusedHost := func(raw string) (string, bool) {
		h := htmlOracleHost(raw)
		if h == "" && base != "" && !strings.Contains(raw, ":") && !strings.HasPrefix(strings.TrimSpace(raw), "//") {
			h = base
		}
		if t, ok := cat.LookupHost(h); ok && !pol.Allowed(t.Category) {
			return h, true
		}
		return h, false
	}
	var check func(z *html.Tokenizer, scriptingOff bool)
	check = func(z *html.Tokenizer, scriptingOff bool) {
		prevScriptExec := false
		prev := ""
		for {
			tt := z.Next()
			switch tt {
			case html.ErrorToken:
				return
			case html.TextToken:
				switch {
				case prev == "script" && prevScriptExec && !scriptingOff:
					if tr, ok := cat.ScriptTracker(z.Raw()); ok && !pol.Allowed(tr.Category) {
						problems = append(problems, fmt.Sprintf("inline script loads %s (%s)", tr.Provider, tr.Category))
					}
				case prev == "noscript" && !scriptingOff:
					check(html.NewTokenizer(bytes.NewReader(z.Raw())), true)
				}
				prev = ""
				continue
			case html.StartTagToken, html.SelfClosingTagToken:
			default:
				prev = ""
				continue
			}
			tok := z.Token()
			prev = tok.Data
			attr := func(name string) (string, bool) {
				for _, a := range tok.Attr {
					if a.Namespace == "" && a.Key == name {
						return a.Val, true
					}
				}
				return "", false
			}
			for _, a := range tok.Attr {
				if a.Key == "ping" || (a.Key == "attributionsrc" && strings.TrimSpace(a.Val) != "") {
					if c, _, ok := cat.PingBeacon(pageHost, a.Val); ok && !pol.Allowed(c) {
						problems = append(problems, fmt.Sprintf("<%s %s=%q>", tok.Data, a.Key, a.Val))
					}
				}
			}
			switch tok.Data {
			case "base":
				if v, ok := attr("href"); ok && base == "" {
					base = htmlOracleHost(v)
				}
			case "script":
				typ, _ := attr("type")
				prevScriptExec = classifyScriptType([]byte(typ)) == typeCode
				if scriptingOff || !prevScriptExec {
					continue
				}
				for _, n := range []string{"src", "href", "xlink:href"} {
					if v, ok := attr(n); ok {
						if n == "src" {
							// A script with a src, even an empty one,
							// never runs its inline text (HTML "prepare
							// the script element"). href counts only in
							// SVG, which the Tokenizer cannot tell apart.
							prevScriptExec = false
						}
						if h, bad := refusedHost(v); bad {
							problems = append(problems, fmt.Sprintf("<script %s> to %s", n, h))
						}
						break
					}
				}
			case "iframe", "frame", "embed", "object":
				n := "src"
				if tok.Data == "object" {
					n = "data"
				}
				if v, ok := attr(n); ok {
					if h, bad := refusedHost(v); bad {
						problems = append(problems, fmt.Sprintf("<%s> to %s", tok.Data, h))
					}
				}
			case "img", "image":
				n := "src"
				if tok.Data == "image" {
					n = "href"
				}
				v, ok := attr(n)
				if !ok {
					continue
				}
				w, _ := attr("width")
				hgt, _ := attr("height")
				st, _ := attr("style")
				_, hidden := attr("hidden")
				if c, _, isB := cat.Beacon(classify.Element{Tag: tok.Data, URL: htmlOracleURL(v), Width: w, Height: hgt, Style: st, Hidden: hidden, InNoscript: scriptingOff, PageHost: pageHost}); isB && !pol.Allowed(c) {
					problems = append(problems, fmt.Sprintf("<%s> beacon %s", tok.Data, v))
				}
			case "link":
				rel, _ := attr("rel")
				v, ok := attr("href")
				if ok && hasHintRel([]byte(rel)) {
					if h, bad := refusedHost(v); bad {
						problems = append(problems, fmt.Sprintf("<link rel=%s> to %s", rel, h))
					}
				}
			}
		}
	}
	check(html.NewTokenizer(bytes.NewReader(page)), false)
	return problems
}

// htmlOracleURL cleans a decoded attribute value as the URL parser does.
func htmlOracleURL(v string) string {
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, v)
	return strings.TrimFunc(v, func(r rune) bool { return r <= ' ' })
}

// htmlOracleHost finds the host of a decoded attribute value with net/url,
// independently of the rewriter's own code.
func htmlOracleHost(v string) string {
	v = htmlOracleURL(v)
	v = strings.ReplaceAll(v, `\`, "/")
	if strings.HasPrefix(v, "//") {
		v = "https:" + v
	}
	if u, err := url.Parse(v); err == nil {
		if strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "https") {
			if u.Host == "" && u.Opaque != "" {
				return strings.ToLower(strings.TrimLeft(u.Opaque, "/"))
			}
			return strings.ToLower(u.Hostname())
		}
		return ""
	}
	return classify.HostOf(v)
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

// TestHTMLBoundedMemory streams a 50 MB page through one rewriter and
// checks that the heap does not grow with it and no goroutine is left.
func TestHTMLBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 50 MB")
	}
	unit := htmlOwnPage(t)
	const total = 50 << 20
	r := NewHTMLRewriter(htmlStrictOptions(t))
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

func TestHTMLVariantsChangeThePage(t *testing.T) {
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
