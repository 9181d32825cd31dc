package consent

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func regimeSite(t *testing.T) *uiSite {
	return newUISite(t, true, func(c *Config) {
		c.Policies = []Policy{PolicyEU(), PolicyUSStates(), {Name: "rest", Regime: RegimeNotice}}
		c.RegionResolvers = []RegionResolver{CloudflareRegion()}
	})
}

// Which banner each region gets, with and without GPC, and what the page
// lets through.
func TestRegimeBanners(t *testing.T) {
	s := regimeSite(t)
	tests := []struct {
		region  string
		gpc     bool
		variant string // data-crumb-variant, "" for the consent banner
		gpcNote bool
		tracker bool // the analytics script stays live
		link    bool // the Do Not Sell link
	}{
		{"DE", false, "", false, false, false},
		{"DE", true, "", true, false, false},
		{"US-CA", false, "optout", false, true, true},
		{"US-CA", true, "optout", true, true, true},
		{"BR", false, "notice", false, true, false},
		{"", false, "", false, false, false}, // unknown: the strictest
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			resp, body := s.get("/", regionHeader(tt.region, tt.gpc))
			if !hasBanner(body) {
				t.Fatalf("no banner:\n%s", body)
			}
			got := struct {
				Variant       string
				GPC, Live, Ln bool
			}{
				GPC:  strings.Contains(body, "Opt-out preference signal honored."),
				Live: strings.Contains(body, `<script src="https://www.google-analytics.com/analytics.js">`),
				Ln:   strings.Contains(body, `href="/consent/do-not-sell?return=`),
			}
			if i := strings.Index(body, `data-crumb-variant="`); i >= 0 {
				got.Variant, _, _ = strings.Cut(body[i+len(`data-crumb-variant="`):], `"`)
			}
			want := got
			want.Variant, want.GPC, want.Live, want.Ln = tt.variant, tt.gpcNote, tt.tracker, tt.link
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if v := strings.Join(resp.Header.Values("Vary"), ","); !strings.Contains(v, "Cf-Ipcountry") || !strings.Contains(v, "Cf-Region-Code") {
				t.Errorf("Vary %q lacks the region headers", v)
			}
		})
	}
}

// The US pack end to end: the no-JS Do Not Sell page, an opt-out request
// recorded with Method opt-out, the page confirming it, marketing off.
func TestDoNotSellPage(t *testing.T) {
	s := regimeSite(t)
	ca := regionHeader("US-CA", false)
	resp, body := s.get("/consent/do-not-sell?return=/shop", ca)
	if resp.StatusCode != 200 || !strings.Contains(body, "<h1>Do Not Sell or Share My Personal Information</h1>") ||
		!strings.Contains(body, `name="action" value="optout"`) || strings.Contains(body, "data-crumb-opted-out") {
		t.Fatalf("opt-out page: %d\n%s", resp.StatusCode, body)
	}
	resp, _ = s.post(url.Values{"action": {"optout"}, "return": {"/shop"}}, ca)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/shop" {
		t.Fatalf("opt-out POST: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if len(s.rec.receipts) != 1 {
		t.Fatalf("%d receipts", len(s.rec.receipts))
	}
	r := s.rec.receipts[0]
	got := []string{r.Method.String(), r.Policy}
	for _, c := range r.Choices {
		got = append(got, c.Category+"="+c.Choice.String())
	}
	want := []string{"opt-out", "us", "necessary=granted", "preferences=undecided", "analytics=undecided", "marketing=refused", "social=undecided"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("receipt (-want +got):\n%s", diff)
	}
	_, body = s.get("/consent/do-not-sell", ca)
	if !strings.Contains(body, "data-crumb-opted-out") {
		t.Errorf("the page does not confirm the opt-out:\n%s", body)
	}
	_, body = s.get("/", ca)
	if hasBanner(body) || !strings.Contains(body, `<script src="https://www.google-analytics.com/analytics.js">`) {
		t.Errorf("after the opt-out: banner %v, analytics live %v", hasBanner(body), strings.Contains(body, `src="https://www.google-analytics.com/analytics.js"`))
	}
	// In Spanish, for the US pack's second language.
	_, body = s.get("/consent/do-not-sell?lang=es", ca)
	if !strings.Contains(body, "No vender ni compartir mi información personal") {
		t.Errorf("no Spanish opt-out page:\n%s", body)
	}
	// The page does not exist without an opt-out policy.
	plain := newUISite(t, true, nil)
	if resp, _ := plain.get("/consent/do-not-sell", nil); resp.StatusCode != 404 {
		t.Errorf("without an opt-out policy: %d, want 404", resp.StatusCode)
	}
}

// GPC and an explicit opt-in: the preferences page says the signal is
// honoured and that a grant overrides it; accepting all records the
// override in the receipt, and the grant then stands.
func TestGPCConflictIsToldAndRecorded(t *testing.T) {
	s := regimeSite(t)
	h := regionHeader("US-CA", true)
	_, body := s.get("/consent/", h)
	if !strings.Contains(body, "Opt-out preference signal honored.") || !strings.Contains(body, "your explicit choice overrides the signal") {
		t.Fatalf("the preferences page does not tell:\n%s", body)
	}
	if s.state().GPCHonored { // no GPC header on this request
		t.Error("gpcHonored without GPC")
	}
	s.post(url.Values{"action": {"accept"}}, h)
	if len(s.rec.receipts) != 1 {
		t.Fatalf("%d receipts", len(s.rec.receipts))
	}
	r := s.rec.receipts[0]
	if diff := cmp.Diff([]string{"marketing"}, r.GPCOverride); diff != "" || !r.GPC || r.Method != MethodBanner {
		t.Errorf("receipt GPC %v method %v override (-want +got):\n%s", r.GPC, r.Method, diff)
	}
	_, body = s.get("/", h)
	if strings.Contains(body, "Opt-out preference signal honored.") || hasBanner(body) {
		t.Error("after the explicit grant the note or banner still shows")
	}
}

// The notice banner's OK records an acknowledgement: the banner goes, the
// defaults stay.
func TestNoticeAcknowledge(t *testing.T) {
	s := regimeSite(t)
	h := regionHeader("BR", false)
	resp, _ := s.post(url.Values{"action": {"acknowledge"}, "return": {"/"}}, h)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d", resp.StatusCode)
	}
	_, body := s.get("/", h)
	if hasBanner(body) {
		t.Error("banner after acknowledging the notice")
	}
	if r := s.rec.receipts; len(r) != 1 || r[0].Policy != "rest" || r[0].Choices[2].Choice != Undecided {
		t.Errorf("receipts %+v", r)
	}
}

func TestConsentModeRegions(t *testing.T) {
	s := regimeSite(t)
	got := string(s.m.ConsentModeRegions("n1"))
	const denied = `"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied","analytics_storage":"denied","functionality_storage":"denied","personalization_storage":"denied","security_storage":"granted"`
	const granted = `"ad_storage":"granted","ad_user_data":"granted","ad_personalization":"granted","analytics_storage":"granted","functionality_storage":"granted","personalization_storage":"granted","security_storage":"granted"`
	want := `<script nonce="n1">window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}` +
		`gtag('consent','default',{` + granted + `});` + // rest: notice, the default policy
		`gtag('consent','default',{` + denied + `,"region":["AT","BE","BG","HR","CY","CZ","DK","EE","FI","FR","DE","GR","HU","IE","IT","LV","LT","LU","MT","NL","PL","PT","RO","SK","SI","ES","SE","IS","LI","NO"]});` +
		`gtag('consent','default',{` + granted + `,"region":["US-CA","US-VA","US-CO","US-CT","US-UT","US-OR","US-TX","US-MT","US-IA","US-DE","US-NE","US-NH","US-NJ","US-TN","US-MN","US-MD","US-IN","US-KY","US-RI"]});</script>`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A California visitor with GPC on who dismisses the opt-out banner: the
// receipt records that the signal refused marketing (GPCApplied), and
// nothing overrode it.
func TestGPCAppliedReceipt(t *testing.T) {
	s := regimeSite(t)
	s.post(url.Values{"action": {"acknowledge"}}, regionHeader("US-CA", true))
	s.post(url.Values{"action": {"reject"}}, regionHeader("US-CA", true))
	s.post(url.Values{"action": {"acknowledge"}}, regionHeader("US-CA", false))
	type r struct {
		Method            string
		Applied, Overrode []string
	}
	var got []r
	for _, rc := range s.rec.receipts {
		got = append(got, r{rc.Method.String(), rc.GPCApplied, rc.GPCOverride})
	}
	want := []r{
		{"banner", []string{"marketing"}, nil}, // off by the signal alone
		{"banner", nil, nil},                   // refused by the visitor
		{"banner", nil, nil},                   // no signal
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("receipts (-want +got):\n%s", diff)
	}
}

// Under opt-in a dismissal is no choice: acknowledge is refused and
// recorded nowhere.
func TestAcknowledgeRefusedUnderOptIn(t *testing.T) {
	s := regimeSite(t)
	resp, _ := s.post(url.Values{"action": {"acknowledge"}}, regionHeader("DE", false))
	if resp.StatusCode != http.StatusBadRequest || len(s.rec.receipts) != 0 {
		t.Errorf("status %d, %d receipts; want 400 and none", resp.StatusCode, len(s.rec.receipts))
	}
}

// The GPC note changes the page, so it changes the ETag variant even where
// GPC changes no grant (an EU visitor who has not decided).
func TestGPCNoteChangesETagVariant(t *testing.T) {
	clk := newClock()
	m := mustNew(t, regimeConfig(t, clk, nil))
	variant := func(gpc bool) string {
		h := regionHeader("DE", gpc)
		rs := &requestState{m: m}
		rs.state, _, _, _ = m.readState(h, ParseSignals(h), clk.Now())
		return rs.variant()
	}
	if variant(false) == variant(true) {
		t.Error("the same ETag variant with and without the GPC note")
	}
}

// The footer's Do Not Sell link: only under an opt-out policy, with the
// return path, in the visitor's language, and with the site's own wording
// when Config.Strings overrides it.
func TestOptOutLink(t *testing.T) {
	s := newUISite(t, true, func(c *Config) {
		c.Policies = []Policy{PolicyEU(), PolicyUSStates()}
		c.RegionResolvers = []RegionResolver{CloudflareRegion()}
		c.Strings = map[string]map[string]string{"en": {"optout.title": "Your Privacy Choices"}}
	})
	link := func(region, lang string) string {
		r := httptest.NewRequest("GET", "https://shop.example.com/shop?x=1", nil)
		r.Header = regionHeader(region, false)
		r.Header.Set("Accept-Language", lang)
		return string(s.m.OptOutLink(r))
	}
	want := `<a class="crumb-optout-link" href="/consent/do-not-sell?return=/shop%3Fx%3D1" lang="en" dir="ltr">Your Privacy Choices</a>`
	if got := link("US-CA", "en-US"); got != want {
		t.Errorf("California:\n got %s\nwant %s", got, want)
	}
	if got := link("US-CA", "es"); !strings.Contains(got, `lang="es"`) || strings.Contains(got, "Your Privacy Choices") {
		t.Errorf("California, Spanish: %s", got)
	}
	if got := link("DE", "en"); got != "" {
		t.Errorf("EU visitor got a Do Not Sell link: %s", got)
	}
}
