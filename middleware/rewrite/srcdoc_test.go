package rewrite

// Cases from a second review. Each TestReview2... test pins a defect the
// review found, now fixed.

import (
	"testing"

	"github.com/crumbhq/crumb/classify"
)

// review2Policy is a Policy that a test can recognise by identity.
type review2Policy struct{ id int }

func (*review2Policy) Allowed(c classify.Category) bool { return c == classify.Necessary }

// Found in review 2 (medium), fixed: a rewriter that looked into an
// <iframe srcdoc> keeps a second rewriter
// (r.srcdoc.sub) for the next frame, configured with a copy of the
// response's options. ResetOptions(Options{}), which consent calls
// before putting a rewriter back in its pool so that it holds nothing of
// the request, clears the outer rewriter's options but not the sub's: the
// pooled rewriter keeps the last request's Policy (consent's per-request
// state, with its *http.Request copy and context), its Decide closure and
// its page host and nonce until the next srcdoc happens to come by.
func TestReview2SrcdocSubReleasesOptions(t *testing.T) {
	pol := &review2Policy{id: 1}
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
