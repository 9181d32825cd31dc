package middleware

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestKeepETagVariant(t *testing.T) {
	tests := []struct {
		name    string
		in      http.Header
		want    http.Header
		changed bool
	}{
		{"only ours", http.Header{"If-None-Match": {`"a-v1", W/"b-v1"`}}, http.Header{"If-None-Match": {`"a-v1", W/"b-v1"`}}, false},
		{"plain tag dropped", http.Header{"If-None-Match": {`"a"`}}, http.Header{}, true},
		{"plain and ours", http.Header{"If-None-Match": {`"a", "a-v1"`}}, http.Header{"If-None-Match": {`"a-v1"`}}, true},
		{"another variant", http.Header{"If-None-Match": {`"a-v2"`}}, http.Header{}, true},
		{"variant is not a suffix", http.Header{"If-None-Match": {`"a-v1x"`, `"v1"`, `"-v1"`}}, http.Header{}, true},
		{"star", http.Header{"If-None-Match": {`*`}}, http.Header{}, true},
		{"unparseable line", http.Header{"If-None-Match": {`"a-v1"`, `a-v1`}}, http.Header{"If-None-Match": {`"a-v1"`}}, true},
		{"comma inside a tag", http.Header{"If-None-Match": {`"x,y-v1", "z"`}}, http.Header{"If-None-Match": {`"x,y-v1"`}}, true},
		{"If-Match left alone", http.Header{"If-Match": {`"a"`}, "If-None-Match": {`"b"`}}, http.Header{"If-Match": {`"a"`}}, true},
		{"no If-None-Match", http.Header{"If-Match": {`"a"`}}, http.Header{"If-Match": {`"a"`}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.in.Clone()
			got, changed := KeepETagVariant(tt.in, "v1")
			if changed != tt.changed {
				t.Errorf("changed = %v, want %v", changed, tt.changed)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, tt.in); diff != "" {
				t.Errorf("input modified (-before +after):\n%s", diff)
			}
		})
	}
	if _, changed := KeepETagVariant(http.Header{"If-None-Match": {`"a"`}}, "bad/variant"); changed {
		t.Error("an invalid variant changed the header")
	}
}

// FuzzKeepETagVariant checks that KeepETagVariant never panics, never
// modifies its input, keeps only tags that carry the variant, and leaves
// a field that still parses.
func FuzzKeepETagVariant(f *testing.F) {
	for _, s := range []string{`"a-v1"`, `"a", W/"b-v1"`, `*`, `"x,y-v1", "z"`, `W/`, `"-v1"`, `"a-v1" junk`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		in := http.Header{"If-None-Match": {line}}
		out, changed := KeepETagVariant(in, "v1")
		if in["If-None-Match"][0] != line {
			t.Fatal("input modified")
		}
		if !changed {
			if out["If-None-Match"][0] != line {
				t.Fatalf("unchanged result differs: %q", out["If-None-Match"])
			}
			return
		}
		for _, l := range out["If-None-Match"] {
			ok := scanTags(l, func(tag, opaque string) {
				if !strings.HasSuffix(opaque, "-v1") || len(opaque) <= len("-v1") {
					t.Fatalf("%q kept %q", line, tag)
				}
			})
			if !ok {
				t.Fatalf("result %q does not parse", l)
			}
		}
	})
}
