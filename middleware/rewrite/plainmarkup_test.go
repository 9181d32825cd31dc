package rewrite

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crumbhq/crumb/classify"
)

// htmlFastTricky are pieces of markup where a scanner that only looks for
// the closing '>' of plain tags could go wrong.
var htmlFastTricky = []string{
	`<div title="a>b" data-x='c>d'>t</div>`,
	`<a =">" href=/x>y</a>`,
	`<a b=c="d>e">f</a>`,
	`<p class = "x>" id = y>z</p>`,
	`<a href=/x ping=https://www.google-analytics.com/collect?v=1>x</a>`,
	`<A HREF=/x PING="https://t.example/p">x</A>`,
	`<a href=/x Ping>x</a><a pong=1>y</a>`,
	`<a href=/x attributionsrc="https://ad.doubleclick.net/r">x</a>`,
	`<span AttributionSrc>x</span><span attributionsrx=1>y</span>`,
	`</div class="x>y"></p a=b><br/><br / ><hr///>`,
	`<div/title=x>a</div ><li	class=c
	>b</li>`,
	"<di\x00v><sp\x0bn>x</sp\x0bn><p\x00ing=1>",
	`<div>a<b<c>d</b<c><1><<a>>x</a>`,
	`<head><meta charset=utf-8><title>a<b>c</title><script>var x = "<a href='y'>";</script></head>`,
	`<body><p>x<noscript><img src="https://www.facebook.com/tr?id=1&ev=PageView"></noscript><p>y</body>`,
	`<div><iframe src=https://www.youtube.com/embed/x></iframe><textarea><a ping=x></textarea></div>`,
	`<p>x</p><!-- <a ping=https://t.example/p> --><p>y</p><!x><?y><p>z`,
	`<p>x<plaintext><a ping=https://t.example/p>`,
	`<div class="unterminated`,
	`<div class=unterminated`,
	`<div`,
	`text only, no markup`,
	`<p>` + strings.Repeat(`<span class="s">x</span>`, 200) + `</p>`,
	`<form><input type=hidden name=a value=b><INPUT TYPE=IMAGE SRC="https://www.facebook.com/tr?id=1&ev=x" width=1 height=1><input type="image" Src=/b.png></form>`,
	`<input type=image sr=x><input type=image srcs=y><input sRC=https://www.facebook.com/tr?id=2&ev=x type=image></input>`,
	`<picture><source media="(min-width: 1px)" srcset="https://www.facebook.com/tr?id=3&ev=x 1x"><source type=image/webp srcsex=a><img src=/a.jpg></picture>`,
	`<video controls POSTER="https://www.facebook.com/tr?id=4&ev=x"><source src=/v.mp4 type=video/mp4></video><video postex=1></video>`,
	`<img src=/a.jpg srcset="/a.jpg 1x, https://www.facebook.com/tr?id=5&amp;ev=x 2x"><img srcset="/b.jpg,https://www.facebook.com/tr?id=6&ev=x,">`,
	`<svg><image href=/i.png /><video poster=https://www.facebook.com/tr?id=7&ev=x /></svg><input src=/x>`,
}

// htmlFastCase runs one rewriter over in and records what can be seen
// from outside: the output, the elements offered to Decide, the events and
// the tag boundaries.
func htmlFastCase(t testing.TB, opts Options, noFast bool, in []byte, splits []int, dstSize int) string {
	t.Helper()
	var log strings.Builder
	// Decide is logged, except where a Decide would turn the allow-all
	// path off: options that allow everything and decide nothing.
	allowAll := opts.Decide == nil && allowsAll(opts.Policy)
	if !allowAll {
		decide := opts.Decide
		opts.Decide = func(e *Element, def Action) Action {
			fmt.Fprintf(&log, "decide %v %s %q %q %v %v\n", e.Kind, e.Tag, e.URL, e.Host, e.Category, def)
			if decide != nil {
				return decide(e, def)
			}
			return def
		}
	}
	opts.Event = func(e Event) { fmt.Fprintf(&log, "event %+v\n", e) }
	r := New(opts)
	if r.allowAll != allowAll {
		t.Fatalf("allowAll = %v, want %v", r.allowAll, allowAll)
	}
	r.noFast = noFast
	r.onTag = func(s, e int64) { fmt.Fprintf(&log, "tag %d-%d\n", s, e) }
	out := htmlRun(t, r, in, splits, dstSize)
	return fmt.Sprintf("%s\n--- output ---\n%s", log.String(), out)
}

func allowsAll(p Policy) bool {
	if p == nil {
		return false
	}
	for c := classify.Unknown; c <= classify.Social; c++ {
		if !p.Allowed(c) {
			return false
		}
	}
	return true
}

// htmlFastOptions are the option sets the fast path is compared under.
func htmlFastOptions(t testing.TB) map[string]Options {
	strict := htmlStrictOptions(t)
	allow := htmlStrictOptions(t)
	allow.Policy = AllowAll
	keep := htmlStrictOptions(t)
	keep.Decide = func(*Element, Action) Action { return ActionKeep }
	block := htmlStrictOptions(t)
	block.Decide = func(e *Element, def Action) Action {
		if e.Kind == ElementFrame {
			return ActionRemove // the rest of the iframe is dropped
		}
		return def
	}
	return map[string]Options{"strict": strict, "allow-all": allow, "keep-by-decide": keep, "remove-frames": block}
}

// TestFastPathMatchesGeneral checks that the fast path changes nothing
// but speed: with and without it, every page gives the same output, offers
// the same elements to Decide, reports the same events and finds the same
// tags, whole and split.
func TestFastPathMatchesGeneral(t *testing.T) {
	var pages []htmlFixture
	for _, f := range htmlAllFixtures(t) {
		pages = append(pages, f)
		for _, v := range htmlVariants(f.data) {
			pages = append(pages, htmlFixture{f.name + " (" + v.name + ")", v.data})
		}
	}
	for i, s := range htmlFastTricky {
		pages = append(pages, htmlFixture{fmt.Sprintf("tricky %d", i), []byte(s)})
	}
	// Tags past MaxTag, whole in one input: the general path reports them
	// (TagTooLong), so the fast path must leave them to it.
	long := strings.Repeat("y", DefaultMaxTag)
	pages = append(pages,
		htmlFixture{"long img", []byte(`<p>a<img src=/x.png alt="` + long + `"><body>b`)},
		htmlFixture{"long div", []byte(`<p>a<div title="` + long + `">b</div>`)},
		// <div title="…"> of exactly MaxTag bytes, and of one more.
		htmlFixture{"div at MaxTag", []byte(`<p>a<div title="` + long[14:] + `">b</div>`)},
		htmlFixture{"div past MaxTag", []byte(`<p>a<div title="` + long[13:] + `">b</div>`)})
	for optName, opts := range htmlFastOptions(t) {
		for _, p := range pages {
			for _, run := range []struct {
				splits []int
				dst    int
			}{
				{nil, len(p.data)*2 + 4096},
				{[]int{1, 7, 100, 1000, 4097}, 4096},
				{[]int{len(p.data) / 3, len(p.data) / 2}, 61},
			} {
				want := htmlFastCase(t, opts, true, p.data, run.splits, run.dst)
				got := htmlFastCase(t, opts, false, p.data, run.splits, run.dst)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s, %s, splits %v, dst %d: fast path differs (-general +fast):\n%s",
						p.name, optName, run.splits, run.dst, diff)
				}
			}
		}
	}
}

// FuzzFastPath compares the fast path with the general one on any
// input, split anywhere, through any dst.
func FuzzFastPath(f *testing.F) {
	htmlFuzzSeeds(f, func(p []byte) { f.Add(p, uint16(len(p)/3), uint16(len(p)/2)) })
	for _, s := range htmlFastTricky {
		f.Add([]byte(s), uint16(len(s)/3), uint16(len(s)/2))
	}
	strict := htmlStrictOptions(f)
	allowAll := htmlStrictOptions(f)
	allowAll.Policy = AllowAll // the fast path of a visitor who allowed everything
	f.Fuzz(func(t *testing.T, in []byte, a, b uint16) {
		if len(in) > 64<<10 {
			return
		}
		opts := strict
		if b&1 == 1 {
			opts = allowAll
		}
		var splits []int
		if len(in) > 0 {
			x, y := int(a)%len(in), int(b)%len(in)
			splits = []int{min(x, y), max(x, y)}
		}
		dst := 1 + int(a%4099)
		want := htmlFastCase(t, opts, true, in, splits, dst)
		if got := htmlFastCase(t, opts, false, in, splits, dst); got != want {
			t.Fatalf("splits %v, dst %d: fast path differs (-general +fast):\n%s", splits, dst, cmp.Diff(want, got))
		}
	})
}

type plainCase struct {
	in   string
	want int // -1: not a plain tag, or not complete
}

func TestPlainTagEnd(t *testing.T) {
	tests := []plainCase{
		{`<div>`, 5},
		{`<div>text`, 5},
		{`</div>`, 6},
		{`<a href="/x">`, 13},
		{`<a title="a>b">`, 15},
		{`<a title='a>b' >`, 16},
		{`<a title = "a>b">`, 17},
		{`<a =">" b>`, 6},     // '=' starts a name: the quote is part of it
		{`<a b=c="d>e">`, 10}, // the quote is inside an unquoted value
		{`<a b=>`, 6},         // an empty value ended by '>'
		{`<a/b="c>d">`, 11},   // '/' ends the name and starts nothing
		{`<a b/>`, 6},         // self-closing
		{`<a b c="/>"d>`, 13}, // a value ends at its quote, the next name follows
		{"<a\nb\n=\n\"c>\"\n>", 13},
		{`</a b="c>d">`, 12},
		{`<p ping=x>`, -1},
		{`<p PING>`, -1},
		{`<p pong=x>`, -1}, // a possible hint: left to the general path
		{`<p xing=x>`, 10},
		{`<p attributionsrc>`, -1},
		{`<p AttributionSrc=x>`, -1},
		{`<p attributionsrx=x>`, -1}, // a possible hint: left to the general path
		{`<p distributionsr=x>`, 20},
		{`<img src=x>`, -1}, // decided
		{`<IMG src=x>`, -1},
		{`<script>`, -1},
		// Decided by their image URLs: plain without one.
		{`<input type=hidden name=sku value=1>`, 36},
		{`<input type=image src=/b.png>`, -1},
		{`<INPUT SRC=x>`, -1},
		{`<input sRc>`, -1},
		{`<input srx=1 name=q>`, 20}, // not a URL attribute: plain
		{`<input ping=x>`, -1},
		{`<source src=/v.mp4 type=video/mp4>`, -1},
		{`<source srcset=/a.webp>`, -1},
		{`<source type=image/webp>`, 24},
		{`<video poster=/p.jpg>`, -1},
		{`<video Poster>`, -1},
		{`<video controls>`, 16},
		{`</video>`, -1},
		{`</script>`, -1},
		{`</head>`, -1},
		{`<title>`, -1},
		{`<noscript>`, -1},
		{`<plaintext>`, -1},
		{`<plaintexts>`, 12},
		{`<imgs>`, 6},
		{`<!-- x -->`, -1},
		{`<!doctype html>`, -1},
		{`</>`, -1},
		{`< p>`, -1},
		{`<1>`, -1},
		{`<div`, -1},
		{`<div class="x>`, -1},
		{`<div class=x`, -1},
		{`<div class=`, -1},
		{`<div class`, -1},
		{`<`, -1},
		{`</`, -1},
	}
	// The elements handled apart are never plain, in any case, but for
	// those decided by image URLs they do not have; a longer name that
	// starts like one is.
	for id := tagScript; int(id) < len(tagNames); id++ {
		for _, n := range []string{tagNames[id], strings.ToUpper(tagNames[id])} {
			start := -1
			if id.byImageURL() {
				start = len(n) + 2
			}
			tests = append(tests,
				plainCase{"<" + n + ">", start},
				plainCase{"</" + n + " x>", -1},
				plainCase{"<" + n + "x class=c>", len(n) + 11})
		}
	}
	got := map[string]int{}
	want := map[string]int{}
	for _, tt := range tests {
		want[tt.in] = tt.want
		got[tt.in] = plainTagEnd([]byte(tt.in), 0, false)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("plainTagEnd (-want +got):\n%s", diff)
	}
}

// TestPlainTagEndAllowAll checks the fast path's tags when every category
// is allowed: loaders are plain unless they carry opt-in markup, hints and
// styles need no look, and the elements that change the scanner's state,
// mark insertions or set the base never are.
func TestPlainTagEndAllowAll(t *testing.T) {
	tests := []plainCase{
		{`<div>`, 5},
		{`<p ping=x>`, 10},
		{`<p attributionsrc>`, 18},
		{`<p style="background:url(//t.example/p.gif)">`, 45},
		{`<img src=x>`, 11},
		{`<IMG SRC="https://www.facebook.com/tr?id=1">`, 44},
		{`<img data-src=x data-category=marketing>`, -1},
		{`<img DATA-CONSENT=marketing>`, -1},
		{`<img data-crumb-srcset=x>`, -1},
		{`<img data-c>`, 12}, // no marker is this short
		{`<img data-cx=1>`, -1},
		{`<div data-category=marketing>`, 29}, // opt-in only on the elements that load
		{`<link rel=preconnect href=https://www.googletagmanager.com>`, 59},
		{`<video poster=/p.jpg>`, 21},
		{`<meta http-equiv=refresh content="0;url=https://t.example/">`, 60},
		{`</img>`, -1},
		{`<script>`, -1},
		{`<iframe src=x>`, -1},
		{`<base href=/>`, -1},
		{`<body>`, -1},
		{`<head>`, -1},
		{`<html>`, -1},
		{`<svg>`, -1},
		{`<math>`, -1},
		{`<noscript>`, -1},
		{`<style>`, -1},
		{`<a title="a>b">`, 15},
		{`<img`, -1},
	}
	got := map[string]int{}
	want := map[string]int{}
	for _, tt := range tests {
		want[tt.in] = tt.want
		got[tt.in] = plainTagEnd([]byte(tt.in), 0, true)
	}
	// Every other special element follows passesAllowAll; those listed
	// above keep the answer written there.
	for id := tagScript; int(id) < len(tagNames); id++ {
		in := "<" + tagNames[id] + ">"
		if _, listed := want[in]; listed {
			continue
		}
		want[in] = -1
		if id.passesAllowAll() {
			want[in] = len(in)
		}
		got[in] = plainTagEnd([]byte(in), 0, true)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("plainTagEnd, allowAll (-want +got):\n%s", diff)
	}
}

// TestPlainTagEndAgreesWithScanTag checks that where plainTagEnd finds
// the end of a tag, scanTag finds the same end and no attribute the
// general path would look at.
func TestPlainTagEndAgreesWithScanTag(t *testing.T) {
	var tags []string
	for _, s := range htmlFastTricky {
		for i := 0; i < len(s); i++ {
			if s[i] == '<' {
				tags = append(tags, s[i:])
			}
		}
	}
	for _, f := range htmlOwnFixtures(t) {
		for _, v := range htmlVariants(f.data) {
			s := string(v.data)
			for i := strings.IndexByte(s, '<'); i >= 0; {
				tags = append(tags, s[i:min(len(s), i+512)])
				j := strings.IndexByte(s[i+1:], '<')
				if j < 0 {
					break
				}
				i += 1 + j
			}
		}
	}
	checked, byURLChecked := 0, 0
	for _, tag := range tags {
		b := []byte(tag)
		if end := plainTagEnd(b, 0, true); end >= 0 {
			// With everything allowed, the fast path must end the tag where
			// the general path does and skip no opt-in marker.
			isEnd := b[1] == '/'
			ts := tagScan{end: isEnd, pos: int32(nameStart(isEnd)), record: true}
			var attrs []htmlAttr
			n, done := scanTag(&ts, b, &attrs)
			optIn := false
			for _, a := range attrs {
				name := b[a.nameStart:a.nameEnd]
				optIn = optIn || len(name) > 6 && equalFoldLower(name[:6], "data-c")
			}
			if !done || n != end || !(ts.id == tagOther || !isEnd && ts.id.passesAllowAll() && !optIn) {
				t.Errorf("%.80q: plainTagEnd(allowAll) = %d; scanTag = %d, %v, id %v", tag, end, n, done, ts.id)
			}
		}
		end := plainTagEnd(b, 0, false)
		if end < 0 {
			continue
		}
		checked++
		isEnd := b[1] == '/'
		ts := tagScan{end: isEnd, pos: int32(nameStart(isEnd)), record: true}
		var attrs []htmlAttr
		n, done := scanTag(&ts, b, &attrs)
		// An element decided by its image URLs is plain without them: all
		// its attributes are recorded, and none may be one.
		// Plain unless an attribute may load: ping, attributionsrc, a style
		// that may name a URL, or a URL attribute of a byImageURL element.
		byURL := ts.id.byImageURL() && !isEnd
		urls := 0
		for _, a := range attrs {
			id := lookupAttrID(b[a.nameStart:a.nameEnd])
			if id == attrPing || id == attrAttributionsrc || byURL && urlAttr[id] ||
				id == attrStyle && cssMayLoad(b[a.valStart:a.valEnd]) {
				urls++
			}
		}
		if byURL && ts.id == tagInput {
			byURLChecked++
		}
		plain := (ts.id == tagOther || byURL) && urls == 0
		if !done || n != end || !plain {
			t.Errorf("%.80q: plainTagEnd = %d; scanTag = %d, %v, id %v, %d attributes recorded", tag, end, n, done, ts.id, len(attrs))
		}
	}
	if checked < 100 || byURLChecked == 0 {
		t.Errorf("only %d plain tags checked, %d of them inputs", checked, byURLChecked)
	}
}

func TestTagIDAt(t *testing.T) {
	names := []string{"", "a", "p", "li", "div", "img", "IMG", "Img", "imgs", "image", "span", "link", "lınk",
		"script", "SCRIPT", "scripts", "noscript", "noscripx", "noframes", "textarea", "plaintext", "PlainText",
		"plaintexx", "plaintex", "iframe", "iframes", "head", "heaD", "body", "html", "base", "bas\x00", "x\x00mp", "xmp"}
	for _, n := range names {
		want := lookupTagID([]byte(n))
		// The name alone, at the start of a longer buffer, and in the middle.
		for _, b := range []string{n, n + ">", n + " class=x>", "<" + n + "                >"} {
			s := strings.Index(b, n)
			if got := tagIDAt([]byte(b), s, s+len(n)); got != want {
				t.Errorf("tagIDAt(%q, %d, %d) = %v, want %v", b, s, s+len(n), got, want)
			}
		}
	}
}

// TestKeepAdjacentArrays checks that output is not joined across two
// arrays that happen to be adjacent in memory.
func TestKeepAdjacentArrays(t *testing.T) {
	mem := []byte("<p>one</p><p>two</p>")
	first, second := mem[:10:10], mem[10:]
	r := New(Options{})
	dst := make([]byte, 64)
	r.dst = dst
	r.keep(first)
	r.keep(second)
	r.copyKept()
	if got := string(dst[:r.nDst]); got != string(mem) {
		t.Errorf("kept %q, want %q", got, mem)
	}
	if !bytes.Equal(mem, []byte("<p>one</p><p>two</p>")) {
		t.Errorf("input changed: %q", mem)
	}
}
