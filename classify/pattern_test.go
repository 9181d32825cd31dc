package classify

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLookupHostEveryBuiltinHost checks that the last-label filter lets
// every listed host through, as written, upper-cased, as a subdomain, with
// a port and with a trailing dot, and that hosts differing only in their
// last label miss.
func TestLookupHostEveryBuiltinHost(t *testing.T) {
	c := Builtin()
	for _, tr := range c.Trackers() {
		for _, h := range []string{tr.Host, strings.ToUpper(tr.Host), "a.b." + tr.Host, tr.Host + ":8080", tr.Host + "."} {
			got, ok := c.LookupHost(h)
			if !ok {
				t.Errorf("LookupHost(%q) missed", h)
				continue
			}
			if !strings.HasSuffix(tr.Host, got.Host) {
				t.Errorf("LookupHost(%q) = %q, want %q or a parent", h, got.Host, tr.Host)
			}
		}
		if got, ok := c.LookupHost(tr.Host + "x"); ok && !strings.HasSuffix(tr.Host+"x", "."+got.Host) && tr.Host+"x" != got.Host {
			t.Errorf("LookupHost(%q) = %q", tr.Host+"x", got.Host)
		}
	}
}

func TestLabelFilter(t *testing.T) {
	var f labelFilter
	for _, l := range []string{"com", "net", "io"} {
		f.add(suffixHash(l))
	}
	got := map[string]bool{}
	for _, l := range []string{"com", "COM", "Net", "io", "", "location"} {
		got[l] = f.has(suffixHash(l))
	}
	want := map[string]bool{"com": true, "COM": true, "Net": true, "io": true, "": false, "location": false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("labelFilter.has (-want +got):\n%s", diff)
	}
}
