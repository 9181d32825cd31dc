package classify

import (
	"strconv"
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

func TestLookupHostLongestListedSuffix(t *testing.T) {
	c := MustCatalog(nil, []Tracker{
		{Host: "b.com", Category: Marketing, Provider: "parent"},
		{Host: "a.b.com", Category: Analytics, Provider: "child"},
		{Host: "deep.x.y.z.org", Category: Social, Provider: "deep"},
		{Host: "localhost", Category: Analytics, Provider: "single label"},
	})
	tests := []struct{ host, want string }{
		{"b.com", "parent"},
		{"y.b.com", "parent"},
		{"a.b.com", "child"},
		{"x.a.b.com", "child"},
		{"X.A.B.COM", "child"},
		{"ab.com", ""},
		{"a.bb.com", ""},
		{"deep.x.y.z.org", "deep"},
		{"q.deep.x.y.z.org", "deep"},
		{"x.y.z.org", ""},
		{"localhost", "single label"},
		{"my.localhost", "single label"},
		{"b.com..", ""},
		{"..b.com", "parent"},
		{".", ""},
	}
	got := map[string]string{}
	want := map[string]string{}
	for _, tt := range tests {
		tr, _ := c.LookupHost(tt.host)
		got[tt.host], want[tt.host] = tr.Provider, tt.want
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LookupHost providers (-want +got):\n%s", diff)
	}
}

// TestLookupHostManyHosts fills the table enough for probes to collide.
func TestLookupHostManyHosts(t *testing.T) {
	var trs []Tracker
	for i := range 1000 {
		trs = append(trs, Tracker{Host: "h" + strconv.Itoa(i) + ".example", Category: Analytics, Provider: strconv.Itoa(i)})
	}
	c := MustCatalog(nil, trs)
	for i := range 1000 {
		h := "www.h" + strconv.Itoa(i) + ".EXAMPLE"
		if tr, ok := c.LookupHost(h); !ok || tr.Provider != strconv.Itoa(i) {
			t.Errorf("LookupHost(%q) = %q, %v", h, tr.Provider, ok)
		}
		if tr, ok := c.LookupHost("h" + strconv.Itoa(i+1000) + ".example"); ok {
			t.Errorf("LookupHost of an unlisted host found %q", tr.Provider)
		}
	}
}
