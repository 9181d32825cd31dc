package rewrite

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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
