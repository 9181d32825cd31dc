package rewrite

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

func TestLookupAttrID(t *testing.T) {
	got := map[string]attrID{}
	want := map[string]attrID{}
	for id := attrSrc; id < numAttrIDs; id++ {
		n := attrNames[id]
		for _, v := range []string{n, strings.ToUpper(n), strings.ToUpper(n[:1]) + n[1:]} {
			want[v] = id
			got[v] = lookupAttrID([]byte(v))
		}
	}
	for _, v := range []string{"", "a", "id", "alt", "srcs", "hre", "typ", "data-srcx", "data-sr", "class", "async",
		"defer", "heigth", "hiddem", "datax", "xlink:hraf", "data-consents", "data-crumb-sre", "onload", "s\xf2c"} {
		want[v] = attrOther
		got[v] = lookupAttrID([]byte(v))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lookupAttrID (-want +got):\n%s", diff)
	}
}

// TestIndexAttrs checks findAttr, firstAttr and dropAll on a tag with
// duplicate and unknown attributes.
func TestIndexAttrs(t *testing.T) {
	tag := []byte(`<img alt=x SRC="a.gif" src=b.gif Data-Src='c' hidden width=1>`)
	ts := tagScan{pos: 1, record: true}
	r := New(Options{})
	end, done := scanTag(&ts, tag, &r.attrs)
	if !done || end != len(tag) {
		t.Fatalf("scanTag = %d, %v", end, done)
	}
	r.indexAttrs(tag)
	r.resetPlan()
	type result struct {
		Src, DataSrc, Hidden, Href string
		First                      attrID
		Dropped                    []bool
	}
	val := func(i int) string {
		if i < 0 {
			return "<absent>"
		}
		return string(r.rawValue(tag, i))
	}
	_, first := r.firstAttr(attrHref, attrDataSrc, attrSrc)
	r.dropAll(attrSrc)
	got := result{val(r.findAttr(attrSrc)), val(r.findAttr(attrDataSrc)), val(r.findAttr(attrHidden)), val(r.findAttr(attrHref)), first, r.dropAttr}
	want := result{"a.gif", "c", "", "<absent>", attrDataSrc, []bool{false, true, true, false, false, false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("attribute index (-want +got):\n%s", diff)
	}
}

// Regression (severity high), fixed: the two most used WordPress
// performance plugins delay scripts and lazy-load frames by moving the URL
// out of src into an attribute their own loader reads later:
//
//   - WP Rocket's "Delay JavaScript execution" writes
//     <script type="rocketlazyloadscript" data-rocket-src="...">, including
//     for the Site Kit gtag.js tag, and runs it on the first interaction;
//   - LiteSpeed Cache writes <script type="litespeed/javascript"
//     data-src="...">;
//   - WP Rocket's iframe lazy load writes <iframe src="about:blank"
//     data-lazy-src="https://www.youtube.com/embed/...">, lazysizes
//     <iframe class="lazyload" data-src="...">.
//
// The rewriter judged src only (data-src only with a consent category), so
// it kept these, and the plugin's loader, a first-party script crumb lets
// run, then set src from the kept attribute after the first scroll or tap.
// It now judges those attributes like src and blocks the usual way: the
// URL moved to data-crumb-src, which no loader reads, a script's type to
// text/plain (with the type the loader would have given it in
// data-crumb-type), so the loader no longer finds them.
func TestDeferredLoaderAttributes(t *testing.T) {
	tests := []struct {
		name string
		page string
		tag  string // the element the loader activates
		typ  string // for a script, the type the loader looks for
		attr string // where the loader reads the URL
	}{
		{"WP Rocket delayed script", `<script type="rocketlazyloadscript" data-rocket-type="text/javascript" data-rocket-src="https://www.googletagmanager.com/gtag/js?id=G-1" id="google_gtagjs-js" async></script>`,
			"script", "rocketlazyloadscript", "data-rocket-src"},
		{"LiteSpeed delayed script", `<script type="litespeed/javascript" data-src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>`,
			"script", "litespeed/javascript", "data-src"},
		{"WP Rocket lazy iframe", `<iframe title="Video" width="560" height="315" src="about:blank" allowfullscreen data-rocket-lazyload="fitvidscompatible" data-lazy-src="https://www.youtube.com/embed/abc?feature=oembed"></iframe>`,
			"iframe", "", "data-lazy-src"},
		{"lazysizes iframe", `<iframe class="lazyload" data-src="https://www.youtube.com/embed/abc?rel=0" allowfullscreen></iframe>`,
			"iframe", "", "data-src"},
	}
	cat := htmlTestCatalog(t)
	// live lists the elements a loader would still activate with a
	// refused URL.
	live := func(t *testing.T, page, tag, typ, attr string) []string {
		var found []string
		liveElements(t, page, func(n *html.Node) {
			if n.Data != tag {
				return
			}
			gotType, _ := liveAttr(n, "", "type")
			v, ok := liveAttr(n, "", attr)
			if ok && (typ == "" || strings.EqualFold(strings.TrimSpace(gotType), typ)) {
				if tr, known := cat.LookupHost(liveHost(v)); known && !(strictPolicy{}).Allowed(tr.Category) {
					found = append(found, fmt.Sprintf("<%s %s=%q>", tag, attr, v))
				}
			}
		})
		return found
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(live(t, tt.page, tt.tag, tt.typ, tt.attr)) == 0 {
				t.Fatal("the input has nothing for the loader; the case proves nothing")
			}
			out := liveRewrite(t, liveOptions(t), tt.page)
			if diff := cmp.Diff([]string(nil), live(t, out, tt.tag, tt.typ, tt.attr)); diff != "" {
				t.Errorf("the plugin's loader would still load a refused tracker (-want +got):\n%s\nout: %s", diff, out)
			}
		})
	}
}
