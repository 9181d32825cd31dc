package consent

import (
	"io"
	"log/slog"
	"net/http"
	"testing"
)

// BenchmarkMiddlewareRegions is BenchmarkMiddlewareValidCookie with the
// EU, US and notice policies and Cloudflare's headers trusted, for a
// California visitor: the cost of resolving the region and the policy.
func BenchmarkMiddlewareRegions(b *testing.B) {
	cfg := Config{Keys: []Key{{Hash: hashKey1}}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Policies:        []Policy{PolicyEU(), PolicyUSStates(), {Name: "rest", Regime: RegimeNotice}},
		RegionResolvers: []RegionResolver{CloudflareRegion()}}
	m := mustNew(b, cfg)
	v := storedAs(b, m, "US-CA", false, modeGrant, []string{"analytics"})
	req, _ := http.NewRequest("GET", "https://example.com/api", nil)
	req.Header = regionHeader("US-CA", false)
	req.Header.Set("Cookie", m.CookieName()+"="+v)
	if st, _, ok, _ := m.readState(req.Header, Signals{}, m.now()); !ok || !st.Granted("analytics") || st.policy().Name != "us" {
		b.Fatal("benchmark cookie does not read under the US policy")
	}
	runBench(b, m.Middleware(benchHandler()), req)
}

// BenchmarkConsentModeRegions is the template function a cached page
// calls on every render, with the EU, US and notice policies.
func BenchmarkConsentModeRegions(b *testing.B) {
	m := mustNew(b, Config{Keys: []Key{{Hash: hashKey1}}, Logger: slog.New(slog.DiscardHandler),
		Policies: []Policy{PolicyEU(), PolicyUSStates(), {Name: "rest", Regime: RegimeNotice}}})
	b.ReportAllocs()
	for b.Loop() {
		m.ConsentModeRegions("n0nce")
	}
}
