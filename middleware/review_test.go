package middleware

// Cases from an adversarial review of the interceptor. Each TestReview...
// test pins a defect the review found (now fixed).

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Found in review (low), fixed: afterCommit filtered Set-Cookie lines
// changed after the commit only when the canonical key held MORE lines
// than at the commit, and then only the lines past the committed count. A handler that
// replaces a committed line (Header().Set("Set-Cookie", ...), or writes
// into the slice) keeps the count, so the replacement is never judged.
// The package's stated reason for filtering late lines at all is an outer
// layer that buffers the header map and sends it when it finally writes
// (a compressor waiting for enough bytes, such as gzhttp, which the docs
// put outermost): that layer would send the refused cookie.
//
// The fake inner writer plays that outer layer: what is left in its map
// when Serve returns is what it would send.
func TestReviewReplacedCookieAfterCommit(t *testing.T) {
	tests := []struct {
		name    string
		replace func(h http.Header)
	}{
		{"Header().Set", func(h http.Header) { h.Set("Set-Cookie", "ad=track") }},
		{"slice element", func(h http.Header) { h["Set-Cookie"][0] = "ad=track" }},
		{"new slice, same count plus one", func(h http.Header) {
			h["Set-Cookie"] = []string{"ad=track", "session=ok"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hooks := &icptHooks{}
			inner := &icptFakeWriter{h: http.Header{}}
			Serve(inner, icptRequest("GET", "/"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.Header().Add("Set-Cookie", "session=ok")
				w.Write([]byte("body"))
				tt.replace(w.Header())
			}), hooks)
			for _, l := range inner.h.Values("Set-Cookie") {
				if l == "ad=track" {
					t.Errorf("a refused line set after the commit is left in the map an outer buffering layer sends: %q",
						inner.h.Values("Set-Cookie"))
				}
			}
			if diff := cmp.Diff([]string{"session=ok"}, inner.sent.Values("Set-Cookie")); diff != "" {
				t.Errorf("committed Set-Cookie (-want +got):\n%s", diff)
			}
		})
	}
}
