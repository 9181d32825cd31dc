package consent

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The constant Permissions-Policy sent to a response without one must be
// what merging into an empty policy gives.
func TestAdOffPolicyIsTheMergeOfNothing(t *testing.T) {
	fast := http.Header{}
	mergePermissionsPolicy(fast, make([]string, 0, 1))
	merged := http.Header{"Permissions-Policy": {""}} // present: the merging path
	mergePermissionsPolicy(merged, nil)
	if diff := cmp.Diff(merged["Permissions-Policy"], fast["Permissions-Policy"]); diff != "" {
		t.Errorf("adOffPolicy differs from the merge (-merged +fast):\n%s", diff)
	}
}

// addVaryLine gives the same fields as addVary, and a field it adds to a
// response without Vary comes from the store.
func TestAddVaryLine(t *testing.T) {
	for _, have := range [][]string{nil, {"Accept-Encoding"}, {"cookie"}, {"*"}, {"Sec-GPC, Cookie"}} {
		want, got := http.Header{}, http.Header{}
		for _, v := range have {
			want.Add("Vary", v)
			got.Add("Vary", v)
		}
		addVary(want, "Cookie", "Sec-GPC")
		addVary(want, "Accept-Language")
		var store [2]string
		addVaryLine(got, "Cookie, Sec-GPC", store[:0:2])
		addVaryLine(got, "Accept-Language", store[:0:2])
		if diff := cmp.Diff(want.Values("Vary"), got.Values("Vary")); diff != "" {
			t.Errorf("Vary %q (-addVary +addVaryLine):\n%s", have, diff)
		}
		if have == nil && &got["Vary"][0] != &store[0] {
			t.Errorf("Vary added to a response without one does not use the store")
		}
	}
}
