package consent

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// regimeConfig is testConfig with the EU and US presets, a notice policy
// for every other known region, and Cloudflare's headers trusted.
func regimeConfig(t testing.TB, clk *testClock, rec *recorder) Config {
	cfg := testConfig(t, clk, rec)
	cfg.Policies = []Policy{PolicyEU(), PolicyUSStates(), {Name: "rest", Regime: RegimeNotice}}
	cfg.RegionResolvers = []RegionResolver{CloudflareRegion()}
	return cfg
}

// regionHeader returns request headers claiming a Cloudflare region
// ("US-CA", "DE", "" for none) and, with gpc, Sec-GPC: 1.
func regionHeader(region string, gpc bool) http.Header {
	h := http.Header{}
	if region != "" {
		country, sub, _ := strings.Cut(region, "-")
		h.Set("CF-IPCountry", country)
		if sub != "" {
			h.Set("CF-Region-Code", sub)
		}
	}
	if gpc {
		h.Set("Sec-GPC", "1")
	}
	return h
}

// storedAs records a decision in mode for a visitor of region and returns
// the consent cookie's value.
func storedAs(t testing.TB, m *Manager, region string, gpc bool, mode decideMode, grant []string) string {
	t.Helper()
	w := &headerWriter{h: http.Header{}}
	r, _ := http.NewRequest("POST", "https://shop.example.com/consent/decide", nil)
	r.Header = regionHeader(region, gpc)
	method := MethodBanner
	if mode == modeOptOut {
		method = MethodOptOut
	}
	if _, _, err := m.record(w, r, Decision{Grant: grant, Method: method}, mode); err != nil {
		t.Fatal(err)
	}
	c, err := http.ParseSetCookie(w.h.Get("Set-Cookie"))
	if err != nil {
		t.Fatal(err)
	}
	return c.Value
}

// TestRegimeTable is the region × signals × stored state × policy table:
// what a request is granted, whether it is decided, whether the banner is
// due and whether the GPC note shows.
func TestRegimeTable(t *testing.T) {
	clk := newClock()
	m := mustNew(t, regimeConfig(t, clk, nil))
	all := []string{"preferences", "analytics", "marketing", "social"}
	euAll := storedAs(t, m, "DE", false, modeGrant, all)
	caAll := storedAs(t, m, "US-CA", false, modeGrant, all)
	caAllGPC := storedAs(t, m, "US-CA", true, modeGrant, all)
	caAck := storedAs(t, m, "US-CA", false, modeAcknowledge, nil)
	caOptOut := storedAs(t, m, "US-CA", false, modeOptOut, nil)
	caNone := storedAs(t, m, "US-CA", false, modeGrant, nil)
	restAck := storedAs(t, m, "BR", false, modeAcknowledge, nil)

	type want struct {
		Policy     string
		Granted    []string
		Decided    bool
		Banner     bool
		GPCHonored bool
		Reason     string // why the cookie did not count; "" when it did or there was none
	}
	tests := []struct {
		name   string
		region string
		gpc    bool
		cookie string
		want   want
	}{
		// EU: opt-in.
		{"EU, new", "DE", false, "", want{"eu", []string{"necessary"}, false, true, false, "missing"}},
		{"EU, new, GPC", "DE", true, "", want{"eu", []string{"necessary"}, false, true, true, "missing"}},
		{"EU, accepted", "DE", false, euAll, want{"eu", []string{"necessary", "preferences", "analytics", "marketing", "social"}, true, false, false, ""}},
		{"EU, accepted, then GPC", "DE", true, euAll, want{"eu", []string{"necessary", "preferences", "analytics", "social"}, true, false, true, ""}},
		{"EU subdivision is still EU", "FR-75", false, euAll, want{"eu", []string{"necessary", "preferences", "analytics", "marketing", "social"}, true, false, false, ""}},
		{"EU, a Californian cookie: asked again", "DE", false, caAll, want{"eu", []string{"necessary"}, false, true, false, "policy"}},
		// Unknown region: the strictest policy, EU's.
		{"unknown, new", "", false, "", want{"eu", []string{"necessary"}, false, true, false, "missing"}},
		{"unknown, EU cookie", "", false, euAll, want{"eu", []string{"necessary", "preferences", "analytics", "marketing", "social"}, true, false, false, ""}},
		{"malformed country is unknown", "U1-CA", false, "", want{"eu", []string{"necessary"}, false, true, false, "missing"}},
		// California: opt-out, GPC binding.
		{"CA, new", "US-CA", false, "", want{"us", []string{"necessary", "preferences", "analytics", "marketing", "social"}, false, true, false, "missing"}},
		{"CA, new, GPC", "US-CA", true, "", want{"us", []string{"necessary", "preferences", "analytics", "social"}, false, true, true, "missing"}},
		{"CA, acknowledged", "US-CA", false, caAck, want{"us", []string{"necessary", "preferences", "analytics", "marketing", "social"}, true, false, false, ""}},
		{"CA, acknowledged, GPC", "US-CA", true, caAck, want{"us", []string{"necessary", "preferences", "analytics", "social"}, true, false, true, ""}},
		{"CA, opted out", "US-CA", false, caOptOut, want{"us", []string{"necessary", "preferences", "analytics", "social"}, true, false, false, ""}},
		{"CA, refused all", "US-CA", false, caNone, want{"us", []string{"necessary"}, true, false, false, ""}},
		{"CA, accepted without GPC, GPC now", "US-CA", true, caAll, want{"us", []string{"necessary", "preferences", "analytics", "social"}, true, false, true, ""}},
		{"CA, accepted with GPC on: explicit choice stands", "US-CA", true, caAllGPC, want{"us", []string{"necessary", "preferences", "analytics", "marketing", "social"}, true, false, false, ""}},
		{"CA, an EU cookie: asked again", "US-CA", false, euAll, want{"us", []string{"necessary", "preferences", "analytics", "marketing", "social"}, false, true, false, "policy"}},
		{"Virginia shares the US policy", "US-VA", false, caAck, want{"us", []string{"necessary", "preferences", "analytics", "marketing", "social"}, true, false, false, ""}},
		// A US state without a law falls to the default (notice) policy.
		{"Wyoming, new", "US-WY", false, "", want{"rest", []string{"necessary", "preferences", "analytics", "marketing", "social"}, false, true, false, "missing"}},
		{"Brazil, new, GPC", "BR", true, "", want{"rest", []string{"necessary", "preferences", "analytics", "social"}, false, true, true, "missing"}},
		{"Brazil, acknowledged", "BR", false, restAck, want{"rest", []string{"necessary", "preferences", "analytics", "marketing", "social"}, true, false, false, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := regionHeader(tt.region, tt.gpc)
			if tt.cookie != "" {
				h.Set("Cookie", DefaultCookieName+"="+tt.cookie)
			}
			st, reason, ok, _ := m.readState(h, ParseSignals(h), clk.Now())
			got := want{Granted: granted(st), Decided: st.Decided(), Banner: st.bannerDue(), GPCHonored: st.GPCHonored()}
			got.Policy, _ = st.Policy()
			if !ok {
				got.Reason = reason.String()
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Without Policies nothing changes: one strict policy, and the cookie is
// the version 1 record it always was.
func TestZeroConfigIsStrictOptIn(t *testing.T) {
	clk := newClock()
	m := mustNew(t, testConfig(t, clk, nil))
	if got := m.PolicyNames(); !cmp.Equal(got, []string{"strict"}) {
		t.Errorf("policies %v", got)
	}
	h := regionHeader("US-CA", false) // no resolver: ignored
	st, _, _, _ := m.readState(h, Signals{}, clk.Now())
	if diff := cmp.Diff([]string{"necessary"}, granted(st)); diff != "" {
		t.Errorf("granted (-want +got):\n%s", diff)
	}
	if !st.bannerDue() {
		t.Error("no banner for an undecided visitor")
	}
	v := consentCookie(t, m, []string{"analytics"}, nil)
	d := decodeTarget{}
	if m.keys.decode(m.cookieName, v, &d) < 0 || d.rec.policy != 0 {
		t.Fatalf("policy fingerprint %d, want 0", d.rec.policy)
	}
	raw := securePayload(t, m, v)
	if raw[0] != codecVersion {
		t.Errorf("record version %d, want %d", raw[0], codecVersion)
	}
}

// Region headers count only from a resolver the configuration trusts, and
// a client-sent header is exactly as trusted as the resolver says.
func TestRegionNeedsATrustedResolver(t *testing.T) {
	clk := newClock()
	cfg := regimeConfig(t, clk, nil)
	cfg.RegionResolvers = []RegionResolver{VercelRegion()}
	m := mustNew(t, cfg)
	h := regionHeader("US-CA", false) // Cloudflare's headers: not trusted here
	h.Set("Accept-Language", "en-US")
	if st, _, _, _ := m.readState(h, Signals{}, clk.Now()); st.policy().Name != "eu" {
		t.Errorf("policy %q from untrusted headers, want the strictest (eu)", st.policy().Name)
	}
	h.Set("X-Vercel-IP-Country", "US")
	h.Set("X-Vercel-IP-Country-Region", "CA")
	if st, _, _, _ := m.readState(h, Signals{}, clk.Now()); st.policy().Name != "us" {
		t.Errorf("policy %q from Vercel's headers, want us", st.policy().Name)
	}
}

func TestRegionResolvers(t *testing.T) {
	tests := []struct {
		name string
		res  RegionResolver
		h    http.Header
		want Region
	}{
		{"cloudflare", CloudflareRegion(), http.Header{"Cf-Ipcountry": {"US"}, "Cf-Region-Code": {"CA"}}, Region{"US", "CA"}},
		{"cloudflare country only", CloudflareRegion(), http.Header{"Cf-Ipcountry": {"de"}}, Region{"DE", ""}},
		{"cloudflare unknown", CloudflareRegion(), http.Header{"Cf-Ipcountry": {"XX"}}, Region{}},
		{"cloudflare tor", CloudflareRegion(), http.Header{"Cf-Ipcountry": {"T1"}}, Region{}},
		{"cloudfront", CloudFrontRegion(), http.Header{"Cloudfront-Viewer-Country": {"US"}, "Cloudfront-Viewer-Country-Region": {"TX"}}, Region{"US", "TX"}},
		{"vercel", VercelRegion(), http.Header{"X-Vercel-Ip-Country": {"US"}, "X-Vercel-Ip-Country-Region": {"CO"}}, Region{"US", "CO"}},
		{"app engine lower case", AppEngineRegion(), http.Header{"X-Appengine-Country": {"US"}, "X-Appengine-Region": {"ca"}}, Region{"US", "CA"}},
		{"app engine unknown", AppEngineRegion(), http.Header{"X-Appengine-Country": {"ZZ"}}, Region{}},
		{"prefixed subdivision", CloudflareRegion(), http.Header{"Cf-Ipcountry": {"US"}, "Cf-Region-Code": {"US-NY"}}, Region{"US", "NY"}},
		{"another country's subdivision dropped", CloudflareRegion(), http.Header{"Cf-Ipcountry": {"US"}, "Cf-Region-Code": {"CA-ON"}}, Region{"US", ""}},
		{"junk subdivision dropped", CloudflareRegion(), http.Header{"Cf-Ipcountry": {"US"}, "Cf-Region-Code": {"<script>"}}, Region{"US", ""}},
		{"no headers", CloudflareRegion(), http.Header{}, Region{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.res.Resolve(&http.Request{Header: tt.h})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestPolicyValidation(t *testing.T) {
	clk := newClock()
	tests := []struct {
		name     string
		policies []Policy
		want     string
	}{
		{"bad name", []Policy{{Name: "EU"}}, "policy name"},
		{"duplicate", []Policy{{Name: "a", Regions: []string{"DE"}}, {Name: "a", Regions: []string{"FR"}}}, "duplicate policy"},
		{"two defaults", []Policy{{Name: "a"}, {Name: "b"}}, "only one policy may have no Regions"},
		{"bad region", []Policy{{Name: "a", Regions: []string{"Germany"}}}, "not an ISO 3166"},
		{"region twice", []Policy{{Name: "a", Regions: []string{"DE"}}, {Name: "b", Regions: []string{"de"}}}, "region DE is in policies"},
		{"unknown category", []Policy{{Name: "a", Categories: []string{"ads"}}}, "no optional category"},
		{"necessary is not optional", []Policy{{Name: "a", SaleOrShare: []string{"necessary"}}}, "no optional category"},
		{"opt-in with defaults on", []Policy{{Name: "a", DefaultOn: []string{"analytics"}}}, "only an opt-out policy"},
		{"default on outside categories", []Policy{{Name: "a", Regime: RegimeOptOut, Categories: []string{"analytics"}, DefaultOn: []string{"marketing"}}}, "its Categories do not"},
		{"unknown regime", []Policy{{Name: "a", Regime: 9}}, "unknown regime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t, clk, nil)
			cfg.Policies = tt.policies
			_, err := New(cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// A policy that narrows its categories refuses the others whatever was
// stored, and an opt-in policy never shows a lesser banner.
func TestPolicyCategoriesAndBanner(t *testing.T) {
	clk := newClock()
	cfg := testConfig(t, clk, nil)
	cfg.Policies = []Policy{{Name: "narrow", Regime: RegimeNotice, Categories: []string{"analytics"}},
		{Name: "eu", Regions: []string{"DE"}, Banner: BannerNone}}
	cfg.RegionResolvers = []RegionResolver{CloudflareRegion()}
	m := mustNew(t, cfg)
	h := regionHeader("BR", false)
	st, _, _, _ := m.readState(h, Signals{}, clk.Now())
	if diff := cmp.Diff([]string{"necessary", "analytics"}, granted(st)); diff != "" {
		t.Errorf("granted (-want +got):\n%s", diff)
	}
	if m.policies[1].banner != BannerConsent {
		t.Errorf("opt-in policy banner %d, want the consent banner", m.policies[1].banner)
	}
}

// securePayload returns the record bytes of an unencrypted consent cookie
// value: base64(date "|" base64(record) "|" mac).
func securePayload(t testing.TB, m *Manager, value string) []byte {
	t.Helper()
	raw, err := base64.URLEncoding.DecodeString(value)
	if err != nil {
		t.Fatal(err)
	}
	parts := bytes.SplitN(raw, []byte("|"), 3) // the MAC is binary and may hold "|"
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	rec, err := base64.URLEncoding.DecodeString(string(parts[1]))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// A custom resolver's answer is normalised, and a malformed one is
// unknown, so the strictest policy applies.
func TestCustomRegionResolver(t *testing.T) {
	clk := newClock()
	for _, tt := range []struct {
		answer Region
		want   string
	}{
		{Region{"us", "ca"}, "us"},
		{Region{"US", "WY"}, "rest"},
		{Region{"U1", ""}, "eu"},
		{Region{"US", "CALIFORNIA"}, "eu"},
		{Region{}, "eu"},
	} {
		cfg := regimeConfig(t, clk, nil)
		cfg.RegionResolvers = []RegionResolver{{Resolve: func(*http.Request) Region { return tt.answer }}}
		m := mustNew(t, cfg)
		st, _, _, _ := m.readState(http.Header{}, Signals{}, clk.Now())
		if name, _ := st.Policy(); name != tt.want {
			t.Errorf("%#v: policy %q, want %q", tt.answer, name, tt.want)
		}
	}
}

// The Consent Mode signal says what enforcement does: under GPC, a policy
// whose sale-or-share categories leave marketing out keeps marketing, and
// its ad types, granted; one that names marketing refuses both.
func TestConsentModeFollowsGPCPolicy(t *testing.T) {
	for _, tt := range []struct {
		saleOrShare []string
		ads         bool
	}{
		{[]string{"social"}, true},
		{[]string{"marketing", "social"}, false},
	} {
		clk := newClock()
		cfg := testConfig(t, clk, nil)
		cfg.Policies = []Policy{{Name: "optout", Regime: RegimeOptOut, SaleOrShare: tt.saleOrShare}}
		m := mustNew(t, cfg)
		h := regionHeader("", true)
		st, _, _, _ := m.readState(h, ParseSignals(h), clk.Now())
		ads := map[string]bool{}
		for _, v := range st.ConsentMode() {
			if strings.HasPrefix(v.Type, "ad_") {
				ads[v.Type] = v.Granted
			}
		}
		want := map[string]bool{"ad_storage": tt.ads, "ad_user_data": tt.ads, "ad_personalization": tt.ads}
		if st.Granted("marketing") != tt.ads || !cmp.Equal(want, ads) {
			t.Errorf("sale or share %v under GPC: marketing granted %v, Consent Mode %v; want %v", tt.saleOrShare, st.Granted("marketing"), ads, tt.ads)
		}
	}
}

// A response crumb changes varies by what decided it: the cookie, the
// signals, and the headers a trusted resolver reads the region from.
func TestVaryNamesTheRegionHeaders(t *testing.T) {
	for _, dnt := range []bool{false, true} {
		cfg := regimeConfig(t, newClock(), nil)
		cfg.TreatDNTAsGPC = dnt
		m := mustNew(t, cfg)
		h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<p>hi</p>")
		}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "https://shop.example.com/", nil))
		want := "Cookie, Sec-GPC, Cf-Ipcountry, Cf-Region-Code"
		if dnt {
			want = "Cookie, Sec-GPC, DNT, Cf-Ipcountry, Cf-Region-Code"
		}
		if got := rec.Header().Values("Vary"); len(got) == 0 || got[0] != want {
			t.Errorf("TreatDNTAsGPC %v: Vary %q, want %q first", dnt, got, want)
		}
	}
}
