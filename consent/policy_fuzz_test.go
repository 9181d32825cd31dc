package consent

import (
	"net/http"
	"testing"
)

// FuzzPolicyReport posts arbitrary report bodies: the endpoint answers
// 204 or a 4xx, never panics, and what reports teach the policy is only
// catalog entries, each under its own entry's category: a report can make
// no host allowed that no category claims.
func FuzzPolicyReport(f *testing.F) {
	f.Add("application/csp-report", `{"csp-report":{"document-uri":"https://shop.example/","blocked-uri":"https://www.google-analytics.com/collect"}}`)
	f.Add("application/reports+json", `[{"type":"csp-violation","body":{"documentURL":"https://shop.example/","blockedURL":"wss://x.example:1/"}}]`)
	f.Add("application/json", `[]`)
	s := newPolicySite(f, nil)
	f.Fuzz(func(t *testing.T, ct, body string) {
		code := s.postReport(ct, body, "192.0.2.1:1")
		switch code {
		case http.StatusNoContent, http.StatusBadRequest, http.StatusRequestEntityTooLarge,
			http.StatusUnsupportedMediaType, http.StatusTooManyRequests:
		default:
			t.Fatalf("status %d", code)
		}
		s.m.cspReports.mu.Lock()
		s.m.cspReports.clients = nil // no rate limit between inputs
		s.m.cspReports.mu.Unlock()
		s.m.csp.mu.Lock()
		defer s.m.csp.mu.Unlock()
		for h, i := range s.m.csp.learned {
			if e, ei, declared := s.m.hostEntry(h); e != h || ei != i || declared {
				t.Fatalf("learned %q as category %d; its entry is %q, category %d, declared %v", h, i, e, ei, declared)
			}
		}
	})
}
