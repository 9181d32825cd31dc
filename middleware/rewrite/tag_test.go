package rewrite

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLookupTagID(t *testing.T) {
	got := map[string]tagID{}
	want := map[string]tagID{}
	for id := tagScript; int(id) < len(tagNames); id++ {
		n := tagNames[id]
		for _, v := range []string{n, strings.ToUpper(n), strings.ToUpper(n[:1]) + n[1:]} {
			want[v] = id
			got[v] = lookupTagID([]byte(v))
		}
	}
	for _, v := range []string{"", "p", "a", "div", "span", "scripts", "scrip", "ifram", "hea", "htm", "noscrip",
		"noscriptx", "nofr", "xmq", "imgg", "lin", "bode", "baze", "heat", "style2", "s\xe7ript", "img\x00"} {
		want[v] = tagOther
		got[v] = lookupTagID([]byte(v))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lookupTagID (-want +got):\n%s", diff)
	}
}

// TestMinSpecialTag checks that scanTag's shortcut, which looks up no name
// shorter than minSpecialTag, skips no special tag.
func TestMinSpecialTag(t *testing.T) {
	shortest := len(tagNames[tagScript])
	for _, n := range tagNames[tagScript:] {
		shortest = min(shortest, len(n))
	}
	if shortest != minSpecialTag {
		t.Errorf("shortest special tag name has %d bytes, minSpecialTag = %d", shortest, minSpecialTag)
	}
}

// TestScanTagRecords checks which attributes scanTag records: all of them
// for the tags the rewriter decides about, only the possible ping and
// attributionsrc of any other.
func TestScanTagRecords(t *testing.T) {
	tests := []struct {
		tag   string
		id    tagID
		names []string
	}{
		{`<img src=a.gif alt="x" ping=p>`, tagImg, []string{"src", "alt", "ping"}},
		{`<IFRAME src=x.html title='t'>`, tagIframe, []string{"src", "title"}},
		{`<a href=/x PING="/p" peng=1 class=c AttributionSrc>`, tagOther, []string{"PING", "peng", "AttributionSrc"}},
		{`<p class=c id=i>`, tagOther, nil},
		{`<span>`, tagOther, nil},
		{`<li/>`, tagOther, nil},
	}
	for _, tt := range tests {
		var attrs []htmlAttr
		ts := tagScan{pos: 1, record: true}
		b := []byte(tt.tag)
		end, done := scanTag(&ts, b, &attrs)
		if !done || end != len(b) {
			t.Errorf("%s: scanTag = %d, %v", tt.tag, end, done)
			continue
		}
		var names []string
		for _, a := range attrs {
			names = append(names, string(b[a.nameStart:a.nameEnd]))
		}
		if diff := cmp.Diff(tt.names, names); diff != "" || ts.id != tt.id {
			t.Errorf("%s: id %v, want %v; recorded names (-want +got):\n%s", tt.tag, ts.id, tt.id, diff)
		}
	}
}

// Markup constructs that end a comment, a bogus comment or a raw text
// element where a browser does are followed correctly, so the tracker
// after them is seen.
func TestScannerBoundaries(t *testing.T) {
	const gtm = `<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>`
	liveCheck(t, liveOptions(t), []liveCase{
		{"abrupt comment", `<!-->` + gtm},
		{"abrupt comment with dash", `<!--->` + gtm},
		{"comment closed by --!>", `<!-- a --!>` + gtm},
		{"bogus comment", `<! x>` + gtm},
		{"processing instruction", `<?php x ?>` + gtm},
		{"invalid end tag", `</ x>` + gtm},
		{"end tag with attributes", `<title></title x>` + gtm},
		{"end tag with space", `<style>a{}</style >` + gtm},
		{"slash between name and attribute", `<script/src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>`},
		{"form feed between name and attribute", "<script\fsrc=\"https://www.googletagmanager.com/gtag/js?id=G-1\"></script>"},
		{"upper case", `<SCRIPT SRC="https://www.googletagmanager.com/gtag/js?id=G-1"></SCRIPT>`},
		{"attribute quote containing </noscript>", `<noscript><p title="</noscript>` + gtm + `">`},
		{"comment in noscript", `<noscript><!-- </noscript>` + gtm + ` --></noscript>`},
		{"style in noscript", `<noscript><style></noscript>` + gtm},
		{"script closed inside an escaped script", `<script><!--</script>` + gtm},
		{"foreignObject content is HTML", `<svg><foreignObject><img src="https://www.facebook.com/tr?id=1&amp;ev=PageView" width="1" height="1"></foreignObject></svg>`},
		{"SVG script href", `<svg><script href="https://www.googletagmanager.com/gtag/js?id=G-1"></script></svg>`},
		{"module script", `<script type="module" src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>`},
	})
}
