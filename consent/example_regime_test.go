package consent_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/crumbhq/crumb/consent"
)

// Per-region rules: opt-in for the EU, opt-out for the US states with
// privacy laws, a notice elsewhere, the region from Cloudflare's headers.
func Example_regimes() {
	m, err := consent.New(consent.Config{
		Keys:            []consent.Key{{Hash: bytes.Repeat([]byte{7}, 32)}},
		Policies:        []consent.Policy{consent.PolicyEU(), consent.PolicyUSStates(), {Name: "elsewhere", Regime: consent.RegimeNotice}},
		RegionResolvers: []consent.RegionResolver{consent.CloudflareRegion()},
	})
	if err != nil {
		panic(err)
	}
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := consent.FromRequest(r)
		name, regime := st.Policy()
		fmt.Printf("%s (%s): marketing %v, analytics %v\n", name, regime, st.Granted("marketing"), st.Granted("analytics"))
	}))
	for _, hdr := range []map[string]string{
		{"CF-IPCountry": "FR"},
		{"CF-IPCountry": "US", "CF-Region-Code": "CA"},
		{"CF-IPCountry": "US", "CF-Region-Code": "CA", "Sec-GPC": "1"},
		{"CF-IPCountry": "JP"},
		{}, // unknown: the strictest
	} {
		r := httptest.NewRequest("GET", "https://shop.example/", nil)
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	// Output:
	// eu (opt-in): marketing false, analytics false
	// us (opt-out): marketing true, analytics true
	// us (opt-out): marketing false, analytics true
	// elsewhere (notice): marketing true, analytics true
	// eu (opt-in): marketing false, analytics false
}
