package consent

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/crumbhq/crumb/middleware"
)

// A response is HTML when the type a browser reads from its Content-Type
// fields names HTML: the last valid entry of all of them.
func TestIsHTML(t *testing.T) {
	for _, tt := range []struct {
		ct   []string
		want bool
	}{
		{[]string{"text/html"}, true},
		{[]string{"TEXT/HTML; charset=utf-8"}, true},
		{[]string{" text/html ;charset=utf-8"}, true},
		{[]string{"application/xhtml+xml"}, true},
		{[]string{"Application/XHTML+XML; q=1"}, true},
		{[]string{"application/json"}, false},
		{[]string{"text/htmx"}, false},
		{[]string{"text/plain"}, false},
		{[]string{""}, false},
		{nil, false},
		{[]string{"application/xhtml+xml-not-really"}, false},
		{[]string{"text/html-fragment; charset=utf-8"}, false},
		{[]string{"text/plain; charset=utf-8", "text/html"}, true},
		{[]string{"text/html", "application/json"}, false},
		{[]string{"text/plain, text/html"}, true},
		{[]string{"text/html", "nonsense"}, true},
		{[]string{"text/html", "*/*"}, true},
	} {
		h := http.Header{}
		if tt.ct != nil {
			h["Content-Type"] = tt.ct
		}
		if got := isHTML(middleware.ContentType(h)); got != tt.want {
			t.Errorf("Content-Type %q: isHTML = %v, want %v", tt.ct, got, tt.want)
		}
	}
}

// Regression: with Config.TreatDNTAsGPC the rewritten
// page depends on the DNT request header (marketing is refused while it is
// on), but the middleware only added Vary: Cookie, Sec-GPC. A browser or shared cache
// keyed on Vary then serves the page rewritten for "DNT off" (marketing
// pixels live) to the same visitor once DNT is on, without asking.
func TestVaryNamesDNTWhenItCounts(t *testing.T) {
	clk := newClock()
	cfg := testConfig(t, clk, nil)
	cfg.TreatDNTAsGPC = true
	m := mustNew(t, cfg)
	cookie := consentCookie(t, m, allOptional, nil)

	_, off := serveHTML(t, m, cookie, nil)
	res, on := serveHTML(t, m, cookie, http.Header{"Dnt": {"1"}})
	if off == on {
		t.Fatal("setup: the page does not depend on DNT")
	}
	var vary []string
	for _, line := range res.Header.Values("Vary") {
		for v := range strings.SplitSeq(line, ",") {
			vary = append(vary, strings.ToLower(strings.TrimSpace(v)))
		}
	}
	if !slices.Contains(vary, "dnt") {
		t.Errorf("page depends on DNT but Vary is %q", res.Header.Values("Vary"))
	}
}
