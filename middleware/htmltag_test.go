package middleware

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
