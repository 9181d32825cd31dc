package rewrite

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crumbhq/crumb/classify"
)

// TestHostMemoAgreesWithCatalog looks up hosts that share memo slots,
// repeat, differ by case or exceed the memo's length limit, and compares
// every answer with the catalog's.
func TestHostMemoAgreesWithCatalog(t *testing.T) {
	cat := htmlTestCatalog(t)
	hosts := []string{
		"www.googletagmanager.com", "googletagmanager.com", "cdn.example.com", "connect.facebook.net",
		"www.youtube.com", "youtube.com", "a.b", "x", "static.hotjar.com", "cdn.example-necessary.com",
		"www." + strings.Repeat("long", 12) + ".doubleclick.net", "www." + strings.Repeat("long", 12) + ".example.org",
	}
	var m hostMemo
	for round := range 3 {
		for i := range hosts {
			h := hosts[(i*7+round)%len(hosts)]
			type answer struct {
				T  classify.Tracker
				OK bool
			}
			var got, want answer
			got.T, got.OK = m.lookup(cat, []byte(h))
			want.T, want.OK = cat.LookupHost(h)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("round %d: memo lookup of %q (-catalog +memo):\n%s", round, h, diff)
			}
		}
	}
}

// TestResetOptionsNewCatalog checks that a rewriter reused with another
// catalog does not answer from what it remembered of the first.
func TestResetOptionsNewCatalog(t *testing.T) {
	page := []byte(`<script src="https://www.googletagmanager.com/gtm.js"></script>`)
	r := New(Options{Catalog: htmlTestCatalog(t)})
	if got := htmlOnce(t, r, page); string(got) == string(page) {
		t.Fatalf("the test catalog kept %s", page)
	}
	empty, err := classify.NewCatalog(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.ResetOptions(Options{Catalog: empty})
	if diff := cmp.Diff(string(page), string(htmlOnce(t, r, page))); diff != "" {
		t.Errorf("with an empty catalog (-want +got):\n%s", diff)
	}
}

// TestHostMemoFullSet looks up more hosts of one set than it has slots,
// round after round, so that each evicts another, and compares every
// answer with the catalog's.
func TestHostMemoFullSet(t *testing.T) {
	cat := htmlTestCatalog(t)
	want := memoSlot([]byte("connect.facebook.net"))
	hosts := []string{"connect.facebook.net"}
	for i := 0; len(hosts) < memoWays+2; i++ {
		h := fmt.Sprintf("h%d.doubleclick.net", i)
		if i%2 == 0 {
			h = fmt.Sprintf("h%d.example.org", i)
		}
		if memoSlot([]byte(h)) == want {
			hosts = append(hosts, h)
		}
	}
	var m hostMemo
	for round := range 3 {
		for _, h := range hosts {
			gotT, gotOK := m.lookup(cat, []byte(h))
			wantT, wantOK := cat.LookupHost(h)
			if diff := cmp.Diff(wantT, gotT); diff != "" || gotOK != wantOK {
				t.Errorf("round %d: memo lookup of %q = %v (-catalog +memo):\n%s", round, h, gotOK, diff)
			}
		}
	}
}
