package consent

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

// BenchmarkPolicy is the policy's cost on one HTML response: the lookup of
// the cached policy for the visitor's state and the two header lines.
func BenchmarkPolicy(b *testing.B) {
	for _, tt := range []struct {
		name  string
		grant []string
	}{{"undecided", nil}, {"analytics", []string{"analytics"}}} {
		b.Run(tt.name, func(b *testing.B) {
			s := newPolicySite(b, nil)
			rs := &requestState{m: s.m}
			rs.state = s.m.stateOf(httptestRequest(b, s.m, tt.grant))
			h := http.Header{}
			b.ReportAllocs()
			for b.Loop() {
				clear(h)
				rs.addPolicy(h)
			}
			b.ReportMetric(float64(len(h.Get(policyHeader))), "header-bytes")
		})
	}
}

func httptestRequest(t testing.TB, m *Manager, grant []string) *http.Request {
	r, _ := http.NewRequest("GET", "https://shop.example/", nil)
	if grant != nil {
		r.Header.Set("Cookie", m.cookieName+"="+consentCookie(t, m, grant, nil))
	}
	return r
}

// TestPolicySizeOnShopify reports the size of the policy an undecided
// visitor gets on the saved Shopify page once the site's necessary hosts
// are declared and its trackers have been reported, the largest policy
// that site sends.
func TestPolicySizeOnShopify(t *testing.T) {
	page, err := os.ReadFile("../../shared/data/html/partytown/underoutfit-shopify.standard.html")
	if err != nil {
		t.Skip("shared data not present:", err)
	}
	s := newPolicySite(t, func(c *Config) {
		c.Catalog = nil
		c.Categories[0].Hosts = []string{"cdn.shopify.com", "underoutfit.com", "shop.app", "monorail-edge.shopifysvc.com"}
	})
	// Every third-party host the page names, as reports would bring them.
	for _, f := range strings.FieldsFunc(string(page), func(r rune) bool { return r == '"' || r == '\'' || r == ' ' || r == '(' || r == ')' }) {
		if h := blockedHost(f); h != "" {
			if entry, i, declared := s.m.hostEntry(h); !declared {
				s.m.csp.learn(entry, i, false)
			}
		}
	}
	for _, grant := range [][]string{nil, {"analytics"}, {"analytics", "marketing"}} {
		v := s.get(t, "/", grant).Header().Get(policyHeader)
		t.Logf("grant %v: %d bytes, %d sources", grant, len(v), len(sources(v)))
		if len(v) > 2<<10 {
			t.Errorf("grant %v: policy of %d bytes, over 2 KB", grant, len(v))
		}
	}
}
