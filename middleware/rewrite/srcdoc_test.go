package rewrite

// Regressions of srcdoc handling: each test pins a defect, now fixed.

import (
	"testing"

	"github.com/crumbhq/crumb/classify"
)

// identityPolicy is a Policy that a test can recognise by identity.
type identityPolicy struct{ id int }

func (*identityPolicy) Allowed(c classify.Category) bool { return c == classify.Necessary }

// Found in review 2 (medium), fixed: a rewriter that looked into an
// <iframe srcdoc> keeps a second rewriter
// (r.srcdoc.sub) for the next frame, configured with a copy of the
// response's options. ResetOptions(Options{}), which consent calls
// before putting a rewriter back in its pool so that it holds nothing of
// the request, clears the outer rewriter's options but not the sub's: the
// pooled rewriter keeps the last request's Policy (consent's per-request
// state, with its *http.Request copy and context), its Decide closure and
// its page host and nonce until the next srcdoc happens to come by.
func TestSrcdocSubReleasesOptions(t *testing.T) {
	pol := &identityPolicy{id: 1}
	decide := func(_ *Element, def Action) Action { return def }
	r := New(Options{
		Catalog:  htmlTestCatalog(t),
		Policy:   pol,
		Decide:   decide,
		PageHost: "www.example.com",
		Nonce:    "request-nonce",
	})
	in := []byte(`<iframe srcdoc="<script src=&quot;https://www.googletagmanager.com/gtm.js&quot;></script>"></iframe>`)
	out := string(htmlRun(t, r, in, nil, 4096))
	if out == string(in) {
		t.Fatalf("the srcdoc frame was not blocked, so the case does not reach the sub rewriter:\n%s", out)
	}
	if r.srcdoc.sub == nil {
		t.Fatal("no srcdoc sub rewriter was made")
	}

	// What consent's requestState.release does before rewriterPool.Put.
	r.ResetOptions(Options{})

	sub := r.srcdoc.sub.opts
	if sub.Policy != nil || sub.Decide != nil || sub.PageHost != "" || sub.Nonce != "" {
		t.Errorf("after ResetOptions(Options{}) the srcdoc sub rewriter still holds the last response's options: Policy=%v Decide set=%v PageHost=%q Nonce=%q",
			sub.Policy, sub.Decide != nil, sub.PageHost, sub.Nonce)
	}
}

// Regression (severity medium: a known limit, "srcdoc left alone",
// with a real pattern behind it), fixed: an iframe with srcdoc shows that
// document whatever its src, in every browser. The widely copied "lazy
// YouTube embed" puts the video's thumbnail and a play link in srcdoc next
// to the real src: blocking the src left the thumbnail to load from
// YouTube under the placeholder, and a click on it played the embed. A
// blocked frame now loses srcdoc too (kept in data-crumb-srcdoc, restored by
// the banner's script), and a frame whose srcdoc loads a refused tracker is
// blocked for it.
func TestBlockedFrameSrcdoc(t *testing.T) {
	liveCheck(t, liveOptions(t), []liveCase{
		{"lazy YouTube embed", `<iframe width="560" height="315" src="https://www.youtube.com/embed/abc" ` +
			`srcdoc="<style>*{padding:0;margin:0}</style><a href=https://www.youtube.com/embed/abc?autoplay=1><img src=https://img.youtube.com/vi/abc/hqdefault.jpg alt='Play'></a>" ` +
			`allowfullscreen></iframe>`},
		{"tag in srcdoc", `<iframe srcdoc="&lt;script src=&quot;https://www.googletagmanager.com/gtag/js?id=G-1&quot;&gt;&lt;/script&gt;"></iframe>`},
	})
}
