package consent

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// consent cookies that must not count. Two copies (a sibling
// subdomain's injection under Insecure, or a path-scoped leftover), a
// quoted copy with junk appended, the same value under a name that differs
// in case, and a cookie from a removed key all read as undecided, so the
// refused cookie of the response is dropped.
func TestConsentCookieLookalikes(t *testing.T) {
	clk := newClock()
	cfg := testConfig(t, clk, nil)
	m := mustNew(t, cfg)
	good := consentCookie(t, m, allOptional, nil)
	oldCfg := testConfig(t, clk, nil)
	oldCfg.Keys = []Key{{Hash: hashKey2}}
	retired := consentCookie(t, mustNew(t, oldCfg), allOptional, nil)
	tests := []struct {
		name   string
		cookie string
		want   []string
	}{
		{"valid", DefaultCookieName + "=" + good, []string{"_ga"}},
		{"quoted valid", DefaultCookieName + `="` + good + `"`, []string{"_ga"}},
		{"duplicate", DefaultCookieName + "=" + good + "; " + DefaultCookieName + "=" + good, nil},
		{"name case differs", strings.ToLower(DefaultCookieName) + "=" + good, nil},
		{"prefix dropped", "crumb_consent=" + good, nil},
		{"junk appended", DefaultCookieName + "=" + good + "x", nil},
		{"retired key", DefaultCookieName + "=" + retired, nil},
	}
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "_ga=GA1.2.3; Path=/; Max-Age=3600")
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "https://shop.example.com/", nil)
			req.Header.Set("Cookie", tt.cookie)
			rec := httptest.NewRecorder()
			m.Middleware(app).ServeHTTP(rec, req)
			var got []string
			for _, l := range rec.Result().Header.Values("Set-Cookie") {
				// Deletions of the lookalikes (undeclared cookies) are fine.
				if n := nameOf(l); n != DefaultCookieName && !strings.Contains(l, "Max-Age=0") {
					got = append(got, n)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("cookies sent (-want +got):\n%s", diff)
			}
		})
	}
}
