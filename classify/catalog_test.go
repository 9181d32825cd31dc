package classify

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBuiltinParses proves the embedded catalog loads: Builtin panics on a
// malformed file, so this test is what keeps that panic out of production.
func TestBuiltinParses(t *testing.T) {
	c, err := parseCatalogCSV(builtinCookiesCSV, builtinTrackersCSV)
	if err != nil {
		t.Fatalf("embedded catalog: %v", err)
	}
	cookies, trackers := c.Len()
	if cookies < 300 || trackers < 200 {
		t.Errorf("built-in catalog has %d cookie rules and %d tracker hosts, want at least 300 and 200", cookies, trackers)
	}
	if first, second := Builtin(), Builtin(); first != second {
		t.Error("Builtin returned two different catalogs; it must be built once")
	}
	t.Logf("built-in catalog: %d cookie rules, %d tracker hosts", cookies, trackers)
}

// TestBuiltinEntriesComplete checks every line of the curated files carries
// what a cookie declaration needs, and that no rule is written twice (a
// second line would silently replace the first).
func TestBuiltinEntriesComplete(t *testing.T) {
	type key struct{ pattern, domain string }
	seen := map[key]int{}
	err := readCSV("cookies.csv", builtinCookiesCSV, cookieHeader, func(line int, f []string) error {
		for i, name := range cookieHeader {
			if name != "domain" && f[i] == "" {
				t.Errorf("cookies.csv:%d: empty %s", line, name)
			}
		}
		if stripCookiePrefix(f[0]) != f[0] {
			t.Errorf("cookies.csv:%d: %q can never match: lookups strip __Host- and __Secure- first", line, f[0])
		}
		k := key{f[0], strings.ToLower(f[1])}
		if prev, dup := seen[k]; dup {
			t.Errorf("cookies.csv:%d: %q (domain %q) repeats line %d", line, f[0], f[1], prev)
		}
		seen[k] = line
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	hosts := map[string]int{}
	err = readCSV("trackers.csv", builtinTrackersCSV, trackerHeader, func(line int, f []string) error {
		for i, name := range trackerHeader {
			if f[i] == "" {
				t.Errorf("trackers.csv:%d: empty %s", line, name)
			}
		}
		if c, _ := ParseCategory(f[1]); c == Necessary {
			t.Errorf("trackers.csv:%d: %s is necessary; hosts a page needs stay out of the tracker table", line, f[0])
		}
		if prev, dup := hosts[f[0]]; dup {
			t.Errorf("trackers.csv:%d: %s repeats line %d", line, f[0], prev)
		}
		hosts[f[0]] = line
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBuiltinCookies covers the names the issue requires, one or more per
// vendor family, with the category each must get.
func TestBuiltinCookies(t *testing.T) {
	type probe struct{ name, domain string }
	want := map[probe]Category{
		// Google Analytics, Ads, DoubleClick, Tag Manager
		{"_ga", ""}: Analytics, {"_ga_ABC123XYZ", ""}: Analytics, {"_gid", ""}: Analytics,
		{"_gat", ""}: Analytics, {"_gat_UA-12345-1", ""}: Analytics, {"__utma", ""}: Analytics,
		{"__utmz", ""}: Analytics, {"__utmzz", ""}: Analytics, {"_dc_gtm_UA-1", ""}: Analytics,
		{"_gcl_au", ""}: Marketing, {"_gcl_aw", ""}: Marketing, {"_gcl_xyz", ""}: Marketing,
		{"IDE", ".doubleclick.net"}: Marketing, {"test_cookie", ".doubleclick.net"}: Marketing,
		{"NID", ".google.com"}: Marketing, {"DSID", ".doubleclick.net"}: Marketing,
		{"__gads", ""}: Marketing, {"__gpi", ""}: Marketing,
		{"__Secure-3PSID", ".google.com"}: Marketing,
		// Meta
		{"_fbp", ""}: Marketing, {"_fbc", ""}: Marketing, {"fr", ".facebook.com"}: Marketing,
		// Microsoft Clarity and UET
		{"_clck", ""}: Analytics, {"_clsk", ""}: Analytics, {"CLID", "www.clarity.ms"}: Analytics,
		{"MUID", ".bing.com"}: Marketing, {"_uetsid", ""}: Marketing, {"_uetvid", ""}: Marketing,
		// LinkedIn
		{"li_sugr", ""}: Marketing, {"li_fat_id", ""}: Marketing, {"li_gc", ""}: Necessary,
		{"bcookie", ".linkedin.com"}: Marketing, {"lidc", ".linkedin.com"}: Marketing,
		{"UserMatchHistory", ""}: Marketing, {"AnalyticsSyncHistory", ""}: Analytics,
		// TikTok, X, Pinterest, Snap, Reddit
		{"_ttp", ""}: Marketing, {"_tt_enable_cookie", ""}: Marketing,
		{"personalization_id", ".twitter.com"}: Marketing, {"guest_id", ""}: Marketing,
		{"guest_id_ads", ""}: Marketing, {"guest_id_whatever", ""}: Marketing, {"muc_ads", ""}: Marketing,
		{"_pin_unauth", ""}: Marketing, {"_pinterest_ct_ua", ""}: Marketing, {"_pinterest_other", ""}: Marketing,
		{"_scid", ""}: Marketing, {"_sctr", ""}: Marketing, {"_rdt_uuid", ""}: Marketing,
		// Hotjar, HubSpot
		{"_hjSessionUser_123456", ""}: Analytics, {"_hjSession_123456", ""}: Analytics,
		{"_hjAbsoluteSessionInProgress", ""}: Analytics, {"_hjSomethingNew", ""}: Analytics,
		{"__hstc", ""}: Analytics, {"hubspotutk", ""}: Analytics, {"__hssc", ""}: Analytics, {"__hssrc", ""}: Analytics,
		// Product analytics
		{"ajs_anonymous_id", ""}: Analytics, {"ajs_user_traits", ""}: Analytics,
		{"mp_0123abcd_mixpanel", ""}: Analytics, {"amp_a1b2c3", ""}: Analytics, {"AMP_a1b2c3d4e5", ""}: Analytics,
		{"AMP_MKTG_a1b2c3d4e5", ""}: Marketing, {"_hp2_id.123456", ""}: Analytics,
		{"_pk_id.1.1fff", ""}: Analytics, {"_pk_ses.1.1fff", ""}: Analytics, {"MATOMO_SESSID", ""}: Analytics,
		// Adobe, Criteo, Taboola, Outbrain, Yandex, Baidu
		{"AMCV_ABC123%40AdobeOrg", ""}: Analytics, {"AMCVS_ABC123%40AdobeOrg", ""}: Analytics,
		{"s_cc", ""}: Analytics, {"s_sq", ""}: Analytics, {"s_vi", ""}: Analytics, {"s_fid", ""}: Analytics,
		{"mbox", ""}: Analytics, {"demdex", ".demdex.net"}: Marketing,
		{"cto_bundle", ""}: Marketing, {"cto_bidid", ""}: Marketing, {"t_gid", ""}: Marketing, {"obuid", ""}: Marketing,
		{"_ym_uid", ""}: Analytics, {"_ym_d", ""}: Analytics, {"yandexuid", ".yandex.ru"}: Marketing,
		{"Hm_lvt_0123abcd", ""}: Analytics, {"Hm_lpvt_0123abcd", ""}: Analytics, {"BAIDUID", ".baidu.com"}: Marketing,
		// Video embeds
		{"VISITOR_INFO1_LIVE", ".youtube.com"}: Marketing, {"YSC", ".youtube.com"}: Marketing,
		{"PREF", ".youtube.com"}: Preferences, {"vuid", ".vimeo.com"}: Analytics,
		// Chat widgets recognise visitors for their agents
		{"intercom-id-abc123", ""}: Marketing, {"intercom-session-abc123", ""}: Marketing,
		{"__zlcmid", ""}: Marketing, {"drift_aid", ""}: Marketing,
		// Payment, CDN and bot protection
		{"__stripe_mid", ""}: Necessary, {"__stripe_sid", ""}: Necessary, {"m", "m.stripe.com"}: Necessary,
		{"__cf_bm", ""}: Necessary, {"cf_clearance", ""}: Necessary, {"__cflb", ""}: Necessary, {"_cfuvid", ""}: Necessary,
		{"ak_bmsc", ""}: Necessary, {"bm_sv", ""}: Necessary, {"_abck", ""}: Necessary, {"bm_sz", ""}: Necessary,
		// WordPress, Shopify, Magento
		{"wordpress_0123abcd", ""}: Necessary, {"wordpress_logged_in_0123abcd", ""}: Necessary,
		{"wp-settings-1", ""}: Preferences, {"wp-settings-time-1", ""}: Preferences,
		{"comment_author_0123abcd", ""}: Preferences, {"sbjs_current", ""}: Analytics,
		{"_shopify_y", ""}: Analytics, {"_shopify_s", ""}: Analytics, {"cart", ""}: Necessary,
		{"_tracking_consent", ""}: Necessary, {"secure_customer_sig", ""}: Necessary,
		{"form_key", ""}: Necessary, {"mage-cache-storage", ""}: Necessary, {"mage-anything", ""}: Necessary,
		{"X-Magento-Vary", ""}: Necessary,
		// Framework sessions and CSRF tokens
		{"PHPSESSID", ""}: Necessary, {"JSESSIONID", ""}: Necessary, {"ASP.NET_SessionId", ""}: Necessary,
		{".AspNetCore.Session", ""}: Necessary, {".AspNetCore.Antiforgery.Xyz123", ""}: Necessary,
		{".AspNetCore.Culture", ""}: Preferences, {"csrftoken", ""}: Necessary, {"sessionid", ""}: Necessary,
		{"XSRF-TOKEN", ""}: Necessary, {"_csrf", ""}: Necessary, {"_session_id", ""}: Necessary,
		{"connect.sid", ""}: Necessary, {"laravel_session", ""}: Necessary, {"ci_session", ""}: Necessary,
		{"rack.session", ""}: Necessary, {"__Host-next-auth.csrf-token", ""}: Necessary,
		// Consent management platforms
		{"CookieConsent", ""}: Necessary, {"OptanonConsent", ""}: Necessary, {"OptanonAlertBoxClosed", ""}: Necessary,
		{"cookieyes-consent", ""}: Necessary, {"cc_cookie", ""}: Necessary, {"klaro", ""}: Necessary,
		{"tarteaucitron", ""}: Necessary, {"euconsent-v2", ""}: Necessary,
		// Preferences and generic naming
		{"lang", ""}: Preferences, {"language", ""}: Preferences,
		{"shop_language", ""}: Preferences, {"my_app_csrf_token", ""}: Necessary, {"APP-XSRF", ""}: Necessary,
	}
	c := Builtin()
	got := map[probe]Category{}
	for p := range want {
		ck, ok := c.LookupCookie(p.name, p.domain)
		if !ok {
			t.Errorf("LookupCookie(%q, %q): no rule", p.name, p.domain)
			continue
		}
		got[p] = ck.Category
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("built-in categories (-want +got):\n%s", diff)
	}
}

// TestBuiltinHosts covers the tracker hosts the issue names.
func TestBuiltinHosts(t *testing.T) {
	want := map[string]Category{
		"www.google-analytics.com": Analytics, "region1.google-analytics.com": Analytics,
		"www.googletagmanager.com": Analytics, "stats.g.doubleclick.net": Marketing,
		"pagead2.googlesyndication.com": Marketing, "www.googleadservices.com": Marketing,
		"connect.facebook.net": Marketing, "www.facebook.com": Social,
		"www.clarity.ms": Analytics, "bat.bing.com": Marketing,
		"snap.licdn.com": Marketing, "px.ads.linkedin.com": Marketing, "platform.linkedin.com": Social,
		"analytics.tiktok.com": Marketing, "www.tiktok.com": Social,
		"static.ads-twitter.com": Marketing, "t.co": Marketing, "platform.twitter.com": Social,
		"ct.pinterest.com": Marketing, "tr.snapchat.com": Marketing, "sc-static.net": Marketing,
		"alb.reddit.com": Marketing, "www.redditstatic.com": Marketing,
		"static.hotjar.com": Analytics, "js.hs-scripts.com": Analytics,
		"www.youtube.com": Social, "www.youtube-nocookie.com": Social, "i.ytimg.com": Social,
		"player.vimeo.com": Social, "open.spotify.com": Social, "w.soundcloud.com": Social,
		"widget.intercom.io": Marketing, "static.zdassets.com": Marketing, "js.driftt.com": Marketing,
		"cdn.optimizely.com": Analytics, "dev.visualwebsiteoptimizer.com": Analytics,
		"static.criteo.net": Marketing, "cdn.taboola.com": Marketing, "widgets.outbrain.com": Marketing,
		"ib.adnxs.com": Marketing, "ads.pubmatic.com": Marketing, "fastlane.rubiconproject.com": Marketing,
		"c.amazon-adsystem.com": Marketing, "match.adsrvr.org": Marketing, "pixel.quantserve.com": Marketing,
		"sb.scorecardresearch.com": Analytics, "mc.yandex.ru": Analytics, "hm.baidu.com": Analytics,
	}
	c := Builtin()
	got := map[string]Category{}
	for h := range want {
		if tr, ok := c.LookupHost(h); ok {
			got[h] = tr.Category
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("built-in hosts (-want +got):\n%s", diff)
	}
	// Hosts a page needs to work are not trackers.
	for _, h := range []string{"js.stripe.com", "www.paypal.com", "cdnjs.cloudflare.com", "example.com", "fonts.gstatic.com"} {
		if tr, ok := c.LookupHost(h); ok {
			t.Errorf("LookupHost(%q) = %+v, want no entry", h, tr)
		}
	}
}

func mustCatalog(t *testing.T, cookies []Cookie, trackers []Tracker) *Catalog {
	t.Helper()
	c, err := NewCatalog(cookies, trackers)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLookupCookiePrecedence checks which rule wins when several match.
func TestLookupCookiePrecedence(t *testing.T) {
	c := mustCatalog(t, []Cookie{
		{Pattern: "_x", Category: Analytics, Provider: "exact"},
		{Pattern: "_x*", Category: Marketing, Provider: "prefix _x"},
		{Pattern: "_x_long*", Category: Preferences, Provider: "prefix _x_long"},
		{Pattern: "_x_long_*", Category: Necessary, Provider: "prefix _x_long_"},
		{Pattern: "*_token", Category: Necessary, Provider: "pattern *_token"},
		{Pattern: "*long*token", Category: Social, Provider: "pattern *long*token"},
		{Pattern: "sid", Category: Necessary, Provider: "sid anywhere"},
		{Pattern: "sid", Domain: "Tracker.example", Category: Marketing, Provider: "sid at tracker"},
		{Pattern: "id_*", Category: Analytics, Provider: "id_ anywhere"},
		{Pattern: "id_*", Domain: "tracker.example", Category: Marketing, Provider: "id_ at tracker"},
		{Pattern: "only", Domain: "tracker.example", Category: Marketing, Provider: "only at tracker"},
		{Pattern: "Mixed", Category: Analytics, Provider: "Mixed exact"},
		{Pattern: "Pre*", Category: Analytics, Provider: "Pre prefix"},
		{Pattern: "s", Category: Analytics, Provider: "one byte exact"},
		{Pattern: "q*", Category: Analytics, Provider: "one byte prefix"},
	}, []Tracker{{Host: "ads.example", Category: Marketing, Provider: "Ads Inc"}})

	tests := []struct {
		name, domain string
		want         string // provider of the winning rule, "" for none
	}{
		{"_x", "", "exact"},
		{"_xy", "", "prefix _x"},
		{"_x_lon", "", "prefix _x"},
		{"_x_long", "", "prefix _x_long"},
		{"_x_long_1", "", "prefix _x_long_"},
		{"_x_long_token", "", "prefix _x_long_"}, // a prefix beats any pattern
		{"a_long_token", "", "pattern *long*token"},
		{"a_token", "", "pattern *_token"},
		{"A_TOKEN", "", "pattern *_token"}, // patterns ignore case
		{"sid", "", "sid anywhere"},
		{"sid", "tracker.example", "sid at tracker"},
		{"sid", ".tracker.example", "sid at tracker"},
		{"sid", "cdn.tracker.example.", "sid at tracker"},
		{"sid", "TRACKER.EXAMPLE", "sid at tracker"},
		{"sid", "eviltracker.example", "sid anywhere"}, // suffix only on a label boundary
		{"sid", "tracker.example.org", "sid anywhere"},
		{"id_1", "", "id_ anywhere"},
		{"id_1", "x.tracker.example", "id_ at tracker"},
		{"only", "", ""},
		{"only", "other.example", ""},
		{"only", "tracker.example", "only at tracker"},
		{"__Host-sid", "", "sid anywhere"},
		{"__Secure-sid", "tracker.example", "sid at tracker"},
		{"__secure-_x", "", "exact"}, // prefixes are stripped ignoring case
		{"__Host-", "", ""},
		{"mixed", "", "Mixed exact"}, // exact names fall back to ASCII case folding
		{"MIXED", "", "Mixed exact"},
		{"pretty", "", ""}, // prefixes do not
		{"Pretty", "", "Pre prefix"},
		{"s", "", "one byte exact"},
		{"q", "", "one byte prefix"},
		{"query", "", "one byte prefix"},
		{"unknown", "", ""},
		{"unknown", "pixel.ads.example", "Ads Inc"}, // set on a tracker host
		{"_x", "pixel.ads.example", "exact"},        // a rule still wins
		{"", "", ""},
	}
	for _, tt := range tests {
		got, ok := c.LookupCookie(tt.name, tt.domain)
		if ok != (tt.want != "") || got.Provider != tt.want {
			t.Errorf("LookupCookie(%q, %q) = %q (found %v), want %q", tt.name, tt.domain, got.Provider, ok, tt.want)
		}
	}

	// The tracker-domain answer says where it came from.
	got, _ := c.LookupCookie("unknown", "ads.example")
	want := Cookie{Pattern: "*", Domain: "ads.example", Category: Marketing, Provider: "Ads Inc", Purpose: trackerCookiePurpose}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cookie on a tracker host (-want +got):\n%s", diff)
	}
}

func TestLookupHost(t *testing.T) {
	c := mustCatalog(t, nil, []Tracker{
		{Host: "doubleclick.net", Category: Marketing, Provider: "DoubleClick"},
		{Host: "tiktok.com", Category: Social, Provider: "TikTok"},
		{Host: "analytics.tiktok.com", Category: Marketing, Provider: "TikTok Pixel"},
		{Host: "Example.CO.uk.", Category: Analytics, Provider: "Mixed case input"},
	})
	tests := []struct {
		host string
		want string // provider, "" for none
	}{
		{"doubleclick.net", "DoubleClick"},
		{"stats.g.doubleclick.net", "DoubleClick"},
		{"a.b.c.d.e.f.stats.g.doubleclick.net", "DoubleClick"},
		{"STATS.G.DoubleClick.NET", "DoubleClick"},
		{"stats.g.doubleclick.net.", "DoubleClick"},
		{"stats.g.doubleclick.net:443", "DoubleClick"},
		{"notdoubleclick.net", ""},
		{"doubleclick.net.evil.example", ""},
		{"net", ""},
		{"www.tiktok.com", "TikTok"},
		{"analytics.tiktok.com", "TikTok Pixel"},
		{"x.analytics.tiktok.com", "TikTok Pixel"},
		{"www.example.co.uk", "Mixed case input"},
		{"[2001:db8::1]:443", ""},
		{"2001:db8::1", ""},
		{"", ""},
		{".", ""},
		{strings.Repeat("a.", 200) + "doubleclick.net", ""}, // longer than any DNS name
	}
	for _, tt := range tests {
		got, ok := c.LookupHost(tt.host)
		if ok != (tt.want != "") || got.Provider != tt.want {
			t.Errorf("LookupHost(%q) = %q (found %v), want %q", tt.host, got.Provider, ok, tt.want)
		}
	}
}

func TestNewCatalogErrors(t *testing.T) {
	tests := []struct {
		cookies  []Cookie
		trackers []Tracker
		want     string // substring of the error
	}{
		{cookies: []Cookie{{Pattern: "", Category: Analytics}}, want: "empty pattern"},
		{cookies: []Cookie{{Pattern: "*", Category: Analytics}}, want: `"*"`},
		{cookies: []Cookie{{Pattern: "a**", Category: Analytics}}, want: `"a**"`},
		{cookies: []Cookie{{Pattern: "*a*", Category: Analytics}}, want: "too few literal"},
		{cookies: []Cookie{{Pattern: "a b", Category: Analytics}}, want: `"a b"`},
		{cookies: []Cookie{{Pattern: "a;b", Category: Analytics}}, want: `"a;b"`},
		{cookies: []Cookie{{Pattern: "a=b", Category: Analytics}}, want: `"a=b"`},
		{cookies: []Cookie{{Pattern: "ok", Category: Analytics}, {Pattern: "tab\t", Category: Analytics}}, want: "cookie 1"},
		{cookies: []Cookie{{Pattern: "_ga", Category: Category(42)}}, want: "unknown category 42"},
		{cookies: []Cookie{{Pattern: "_ga", Category: Unknown}}, want: "unknown category 0"},
		{cookies: []Cookie{{Pattern: "_ga", Domain: "bad domain", Category: Analytics}}, want: `bad domain "bad domain"`},
		{cookies: []Cookie{{Pattern: "_ga", Domain: "a..b", Category: Analytics}}, want: `bad domain "a..b"`},
		{trackers: []Tracker{{Host: "", Category: Marketing}}, want: `bad host ""`},
		{trackers: []Tracker{{Host: "*.ads.example", Category: Marketing}}, want: `bad host "*.ads.example"`},
		{trackers: []Tracker{{Host: "ads..example", Category: Marketing}}, want: `bad host "ads..example"`},
		{trackers: []Tracker{{Host: ".ads.example", Category: Marketing}}, want: `bad host ".ads.example"`},
		{trackers: []Tracker{{Host: "https://ads.example/", Category: Marketing}}, want: "bad host"},
		{trackers: []Tracker{{Host: "ads.example", Category: Category(9)}}, want: `tracker 0 ("ads.example"): unknown category 9`},
	}
	for _, tt := range tests {
		c, err := NewCatalog(tt.cookies, tt.trackers)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewCatalog(%+v, %+v) = %v, %v; want error containing %q", tt.cookies, tt.trackers, c, err, tt.want)
		}
	}
}

func TestNewCatalogLaterEntryWins(t *testing.T) {
	c := mustCatalog(t,
		[]Cookie{
			{Pattern: "a", Category: Analytics, Provider: "first"},
			{Pattern: "b", Category: Analytics, Provider: "b"},
			{Pattern: "a", Category: Marketing, Provider: "second"},
			{Pattern: "a", Domain: ".X.example", Category: Social, Provider: "domain"},
		},
		[]Tracker{
			{Host: "t.example", Category: Analytics, Provider: "first"},
			{Host: "T.Example.", Category: Marketing, Provider: "second"},
		})
	wantCookies := []Cookie{
		{Pattern: "a", Category: Marketing, Provider: "second"},
		{Pattern: "b", Category: Analytics, Provider: "b"},
		{Pattern: "a", Domain: "x.example", Category: Social, Provider: "domain"},
	}
	if diff := cmp.Diff(wantCookies, c.Cookies()); diff != "" {
		t.Errorf("Cookies (-want +got):\n%s", diff)
	}
	wantTrackers := []Tracker{{Host: "t.example", Category: Marketing, Provider: "second"}}
	if diff := cmp.Diff(wantTrackers, c.Trackers()); diff != "" {
		t.Errorf("Trackers (-want +got):\n%s", diff)
	}
}

func TestMerge(t *testing.T) {
	base := mustCatalog(t,
		[]Cookie{
			{Pattern: "_ga", Category: Analytics, Provider: "base"},
			{Pattern: "sid", Category: Necessary, Provider: "base"},
		},
		[]Tracker{{Host: "ads.example", Category: Marketing, Provider: "base"}})
	over := mustCatalog(t,
		[]Cookie{
			{Pattern: "_ga", Category: Marketing, Provider: "over"},
			{Pattern: "sid", Domain: "tracker.example", Category: Marketing, Provider: "over"},
			{Pattern: "new*", Category: Preferences, Provider: "over"},
		},
		[]Tracker{
			{Host: "ads.example", Category: Analytics, Provider: "over"},
			{Host: "cdn.example", Category: Social, Provider: "over"},
		})
	m := base.Merge(over)

	wantCookies := []Cookie{
		{Pattern: "_ga", Category: Marketing, Provider: "over"},
		{Pattern: "sid", Category: Necessary, Provider: "base"},
		{Pattern: "sid", Domain: "tracker.example", Category: Marketing, Provider: "over"},
		{Pattern: "new*", Category: Preferences, Provider: "over"},
	}
	if diff := cmp.Diff(wantCookies, m.Cookies()); diff != "" {
		t.Errorf("merged cookies (-want +got):\n%s", diff)
	}
	wantTrackers := []Tracker{
		{Host: "ads.example", Category: Analytics, Provider: "over"},
		{Host: "cdn.example", Category: Social, Provider: "over"},
	}
	if diff := cmp.Diff(wantTrackers, m.Trackers()); diff != "" {
		t.Errorf("merged trackers (-want +got):\n%s", diff)
	}
	if got, _ := m.LookupCookie("newcomer", ""); got.Provider != "over" {
		t.Errorf("merged catalog misses the added prefix rule: %+v", got)
	}
	// The inputs stay as they were.
	if got, _ := base.LookupCookie("_ga", ""); got.Provider != "base" {
		t.Errorf("Merge changed its receiver: %+v", got)
	}
	if n, _ := base.Len(); n != 2 {
		t.Errorf("Merge changed its receiver: %d cookie rules", n)
	}
	// nil on either side is an empty catalog.
	if diff := cmp.Diff(base.Cookies(), base.Merge(nil).Cookies()); diff != "" {
		t.Errorf("Merge(nil) (-want +got):\n%s", diff)
	}
	var none *Catalog
	if diff := cmp.Diff(over.Trackers(), none.Merge(over).Trackers()); diff != "" {
		t.Errorf("nil.Merge (-want +got):\n%s", diff)
	}
}

func TestAccessorsCopy(t *testing.T) {
	c := mustCatalog(t, []Cookie{{Pattern: "a", Category: Analytics}}, []Tracker{{Host: "t.example", Category: Marketing}})
	cs, ts := c.Cookies(), c.Trackers()
	cs[0].Category, ts[0].Category = Necessary, Necessary
	if got, _ := c.LookupCookie("a", ""); got.Category != Analytics {
		t.Errorf("changing Cookies() changed the catalog: %v", got.Category)
	}
	if got, _ := c.LookupHost("t.example"); got.Category != Marketing {
		t.Errorf("changing Trackers() changed the catalog: %v", got.Category)
	}
}

func TestNilCatalog(t *testing.T) {
	var c *Catalog
	if got, ok := c.LookupCookie("_ga", "example.com"); ok || got != (Cookie{}) {
		t.Errorf("nil LookupCookie = %+v, %v", got, ok)
	}
	if got, ok := c.LookupHost("doubleclick.net"); ok || got != (Tracker{}) {
		t.Errorf("nil LookupHost = %+v, %v", got, ok)
	}
	if c.Cookies() != nil || c.Trackers() != nil {
		t.Error("nil catalog lists entries")
	}
	if a, b := c.Len(); a != 0 || b != 0 {
		t.Errorf("nil Len = %d, %d", a, b)
	}
	if a, b := c.Merge(nil).Len(); a != 0 || b != 0 {
		t.Errorf("nil.Merge(nil).Len = %d, %d", a, b)
	}
	empty := mustCatalog(t, nil, nil)
	if _, ok := empty.LookupHost("doubleclick.net"); ok {
		t.Error("empty catalog found a host")
	}
}

func TestGlobFold(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*csrf*", "csrf", true},
		{"*csrf*", "my_CSRF_token", true},
		{"*csrf*", "csr", false},
		{"*_lang", "site_lang", true},
		{"*_lang", "site_lang_x", false},
		{"a*b*c", "abc", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXbY", false},
		{"a*b*c", "acb", false},
		{"*ab", "aab", true},
		{"*ab", "abab", true},
		{"*ab*", strings.Repeat("a", 1000), false},
		{"x", "x", true},
		{"x", "", false},
		{"*x", "", false},
	}
	for _, tt := range tests {
		if got := globFold(tt.pattern, tt.s); got != tt.want {
			t.Errorf("globFold(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
		if !strings.Contains(tt.pattern, "*") {
			continue
		}
		p := newPatternRule(tt.pattern, cookieRule{})
		if got := p.match([]byte(asciiLower(tt.s))); got != tt.want {
			t.Errorf("patternRule(%q).match(%q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

// TestLookupAllocs proves the lookups allocate nothing; allocation counts are
// deterministic, unlike timings, which live in the benchmarks.
func TestLookupAllocs(t *testing.T) {
	c := Builtin()
	cases := []struct{ name, domain string }{
		{"_ga", ""}, {"_ga_ABC123", ".example.com"}, {"__Secure-3PSID", ".google.com"},
		{"PhpSessId", ""}, {"app_csrf_token", ""}, {"no_such_cookie", "shop.example"},
		{"no_such_cookie", "stats.g.doubleclick.net"},
		{strings.Repeat("Long_Cookie_Name_", 5), ""}, {strings.Repeat("x", 300), ""},
	}
	for _, tc := range cases {
		if n := testing.AllocsPerRun(100, func() { c.LookupCookie(tc.name, tc.domain) }); n != 0 {
			t.Errorf("LookupCookie(%q, %q) allocates %.1f times", tc.name, tc.domain, n)
		}
	}
	for _, h := range []string{"a.b.stats.g.doubleclick.net", "WWW.Google-Analytics.COM.", "www.example.org:8080"} {
		if n := testing.AllocsPerRun(100, func() { c.LookupHost(h) }); n != 0 {
			t.Errorf("LookupHost(%q) allocates %.1f times", h, n)
		}
	}
}

// TestConcurrentLookups is for the race detector: one catalog, many readers.
func TestConcurrentLookups(t *testing.T) {
	c := Builtin().Merge(mustCatalog(t, []Cookie{{Pattern: "own", Category: Necessary}}, nil))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				name := fmt.Sprintf("_ga_%d_%d", g, i)
				if ck, ok := c.LookupCookie(name, ""); !ok || ck.Category != Analytics {
					t.Errorf("LookupCookie(%q) = %+v, %v", name, ck, ok)
					return
				}
				if _, ok := c.LookupHost("www.google-analytics.com"); !ok {
					t.Error("LookupHost lost google-analytics.com")
					return
				}
			}
		}()
	}
	wg.Wait()
}

// FuzzCatalogLookup builds a catalog from a fuzzed rule and looks fuzzed
// names and hosts up: NewCatalog may refuse the rule, nothing may panic, and
// an accepted exact rule must find its own name.
func FuzzCatalogLookup(f *testing.F) {
	f.Add("_ga_*", "tracker.example", "_ga_123", ".Tracker.example", "a.b.doubleclick.net")
	f.Add("*csrf*", "", "X-CSRF", "", "WWW.EXAMPLE.COM.")
	f.Add("sid", "", "__Host-sid", "", "[::1]:80")
	f.Add("a**", "..", "", ".", ":")
	f.Fuzz(func(t *testing.T, pattern, domain, name, cookieDomain, host string) {
		c, err := NewCatalog(
			[]Cookie{{Pattern: pattern, Domain: domain, Category: Analytics}},
			[]Tracker{{Host: domain, Category: Marketing}},
		)
		ruleDomain := domain
		if err != nil {
			ruleDomain = ""
			c, err = NewCatalog([]Cookie{{Pattern: pattern, Category: Analytics}}, nil)
		}
		c.LookupCookie(name, cookieDomain)
		c.LookupHost(host)
		Builtin().LookupCookie(name, cookieDomain)
		Builtin().LookupHost(host)
		// The two pattern matchers must agree.
		if validPattern(pattern) == nil && strings.Contains(pattern, "*") {
			p := newPatternRule(pattern, cookieRule{})
			fast := p.match([]byte(asciiLower(name)))
			if slow := globFold(p.pattern, name); fast != slow {
				t.Errorf("pattern %q, name %q: match = %v, globFold = %v", pattern, name, fast, slow)
			}
		}
		if err == nil && !strings.Contains(pattern, "*") && stripCookiePrefix(pattern) == pattern {
			if _, ok := c.LookupCookie(pattern, ruleDomain); !ok {
				t.Errorf("exact rule %q does not find itself", pattern)
			}
		}
	})
}

// TestBuiltinNameOnly checks, by name alone as a server sees a Set-Cookie,
// that consent tools' rules stop at their documented keys, that guesses no
// vendor documents are gone (they need consent again), and that ad-tech
// families are recognised by their stem whatever the suffix.
func TestBuiltinNameOnly(t *testing.T) {
	c := Builtin()
	tests := []struct {
		name  string
		want  Category
		found bool
	}{
		// consentmanager.net: the documented keys, not every "__cmp" name.
		{"__cmpconsentx12345", Necessary, true},
		{"__cmpcccx12345", Necessary, true},
		{"__cmpiabx12345", Necessary, true},
		{"__cmpvisitor", Unknown, false},
		// HubSpot's banner keys, not every "__hs_" name.
		{"__hs_opt_out", Necessary, true},
		{"__hs_gpc_banner_dismiss", Necessary, true},
		{"__hs_anything", Unknown, false},
		// Piwik PRO's consent cookie carries the site's UUID.
		{"ppms_privacy_6f1e2d3c-1111-2222-3333-444455556666", Necessary, true},
		{"ppms_privacy_bar", Unknown, false},
		// CookieYes' category keys.
		{"cookieyes-analytics", Necessary, true},
		{"cookieyes-session-id", Unknown, false},
		// Undocumented guesses removed.
		{"gig_bootstrap_3_abc", Unknown, false},
		{"glt_3_abc", Unknown, false},
		{"termly-consent", Unknown, false},
		{"cookie-consent", Unknown, false},
		{"locale", Unknown, false},
		// Families by stem.
		{"DPSync5", Marketing, true},
		{"SyncRTB2", Marketing, true},
		{"KRTBCOOKIE_1234", Marketing, true},
		{"DotomiSession_4711", Marketing, true},
		{"dtm_token_sc", Marketing, true},
		{"__uin_rh", Marketing, true},
		{"TapAd_DID", Marketing, true},
		{"ljtrtbexp", Marketing, true},
		{"tc_cj_v2_med", Marketing, true},
		{"ev_sync_dd", Marketing, true},
		{"_hp5_meta.123456", Analytics, true},
		// Distinctive vendor names need no domain.
		{"SIDCC", Marketing, true},
		{"__Secure-3PSIDCC", Marketing, true},
		{"PUBMDCID", Marketing, true},
		{"TDID", Marketing, true},
		// Generic names stay limited to their vendor's domain.
		{"sid", Unknown, false},
		{"uid", Unknown, false},
	}
	for _, tt := range tests {
		ck, ok := c.LookupCookie(tt.name, "")
		if ok != tt.found || ok && ck.Category != tt.want {
			t.Errorf("LookupCookie(%q, \"\") = %v (%q), %v; want %v, %v", tt.name, ck.Category, ck.Pattern, ok, tt.want, tt.found)
		}
	}
}
