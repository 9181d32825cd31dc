package consent

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crumbhq/crumb/classify"
	"github.com/google/go-cmp/cmp"
)

func TestJudgeSetCookie(t *testing.T) {
	clk := newClock()
	m := mustNew(t, testConfig(t, clk, nil))
	now := clk.Now()
	undecided := State{m: m}
	st := func(grant ...string) State {
		s, _, ok, _ := m.readState(requestWith(consentCookie(t, m, grant, nil)), Signals{}, now)
		if !ok {
			t.Fatal("consent cookie does not read")
		}
		return s
	}
	all := st("preferences", "analytics", "marketing", "social")
	analytics := st("analytics")
	none := st()

	const twoYears = "; Max-Age=63072000"
	type verdict struct {
		Keep, Clamp bool
		Category    string
		Action      Action
	}
	tests := []struct {
		name  string
		state State
		line  string
		want  verdict
	}{
		{"necessary declared, undecided", undecided, "session=abc; Path=/; HttpOnly", verdict{Keep: true, Category: "necessary"}},
		{"necessary declared pattern", undecided, "csrf_token=x", verdict{Keep: true, Category: "necessary"}},
		{"necessary from catalog", undecided, "PHPSESSID=1", verdict{Keep: true, Category: "necessary"}},
		{"__Host- prefix stripped", undecided, "__Host-session=abc; Secure; Path=/", verdict{Keep: true, Category: "necessary"}},
		{"analytics undecided", undecided, "_ga=GA1.1; Max-Age=100", verdict{Category: "analytics", Action: ActionDropped}},
		{"analytics refused", none, "_ga=GA1.1", verdict{Category: "analytics", Action: ActionDropped}},
		{"analytics granted", analytics, "_ga=GA1.1; Max-Age=100", verdict{Keep: true, Category: "analytics"}},
		{"prefix rule granted", analytics, "_ga_XYZ=1", verdict{Keep: true, Category: "analytics"}},
		{"marketing not granted", analytics, "_fbp=fb.1", verdict{Category: "marketing", Action: ActionDropped}},
		{"analytics granted, too long", analytics, "_ga=GA1.1" + twoYears, verdict{Clamp: true, Category: "analytics", Action: ActionClamped}},
		{"analytics granted, 395 days exactly", analytics, "_ga=1; Max-Age=34128000", verdict{Keep: true, Category: "analytics"}},
		{"necessary too long: reported only", undecided, "session=1" + twoYears, verdict{Keep: true, Category: "necessary", Action: ActionLongLived}},
		{"undeclared, undecided", undecided, "mystery=1", verdict{Action: ActionDropped}},
		{"undeclared, some granted", analytics, "mystery=1", verdict{Action: ActionDropped}},
		{"undeclared, all granted", all, "mystery=1", verdict{Keep: true}},
		{"deletion always passes", undecided, "_ga=; Max-Age=0", verdict{Keep: true}},
		{"deletion by past Expires", undecided, "_fbp=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", verdict{Keep: true}},
		{"consent cookie itself", undecided, DefaultCookieName + "=x; Path=/", verdict{Keep: true, Category: "necessary"}},
		{"unparseable line", undecided, "no equals sign", verdict{Action: ActionDropped}},
		{"unparseable, all granted", all, "no equals sign", verdict{Keep: true}},
		{"empty name", all, "=value", verdict{Keep: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := m.judgeSetCookie(&tt.state, tt.line, "shop.example.com", now)
			got := verdict{Keep: v.keep, Clamp: v.clamp, Action: v.action}
			if v.category >= 0 {
				got.Category = m.cats[v.category].Name
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%q (-want +got):\n%s", tt.line, diff)
			}
		})
	}
}

func TestClampLine(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	max := DefaultMaxCookieLifetime
	exp := now.Add(max).Format(http.TimeFormat)
	tests := []struct{ in, want string }{
		{"_ga=GA1.2.3; Max-Age=63072000; Path=/; Domain=.example.com; SameSite=Lax",
			"_ga=GA1.2.3; Max-Age=34128000; Path=/; Domain=.example.com; SameSite=Lax"},
		{"_ga=v;path=/;expires=Fri, 01 Jan 2100 00:00:00 GMT;secure",
			"_ga=v;path=/;expires=" + exp + ";secure"},
		{"_ga=v; Expires=Fri, 01 Jan 2100 00:00:00 GMT; MAX-AGE = 99999999 ; HttpOnly",
			"_ga=v; Expires=" + exp + "; MAX-AGE =34128000; HttpOnly"},
		{"_ga=v", "_ga=v"},
		{"_ga=v; Max-Age=63072000;", "_ga=v; Max-Age=34128000;"},
	}
	for _, tt := range tests {
		got := clampLine(tt.in, max, now)
		if got != tt.want {
			t.Errorf("clampLine(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
		if lt := classify.SetCookieLifetime(got, now); lt.Persistent && lt.MaxAge > max {
			t.Errorf("clampLine(%q) still lives %v", tt.in, lt.MaxAge)
		}
		// Only the lifetime attributes may change.
		c1, err1 := http.ParseSetCookie(tt.in)
		c2, err2 := http.ParseSetCookie(got)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("parse errors differ: %v / %v", err1, err2)
		}
		if err1 == nil {
			c1.MaxAge, c2.MaxAge, c1.Expires, c2.Expires, c1.RawExpires, c2.RawExpires, c1.Raw, c2.Raw = 0, 0, time.Time{}, time.Time{}, "", "", "", ""
			if strings.Contains(tt.in, " = ") { // Go leaves a spaced Max-Age unparsed
				c1.Unparsed, c2.Unparsed = nil, nil
			}
			if diff := cmp.Diff(c1, c2); diff != "" {
				t.Errorf("clampLine(%q) changed more than the lifetime (-in +out):\n%s", tt.in, diff)
			}
		}
	}
}

func TestDeletionLines(t *testing.T) {
	const tail = "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
	tests := []struct {
		name   string
		cookie string
		host   string
		paths  []string
		secure bool
		limit  int
		want   []string
	}{
		{"subdomain", "_ga", "www.shop.example.co.uk", []string{"/"}, true, 32, []string{
			"_ga" + tail + "; Path=/; Secure",
			"_ga" + tail + "; Path=/; Domain=www.shop.example.co.uk; Secure",
			"_ga" + tail + "; Path=/; Domain=shop.example.co.uk; Secure",
			"_ga" + tail + "; Path=/; Domain=example.co.uk; Secure",
		}},
		{"registrable domain, two paths, plain http", "_fbp", "example.com", []string{"/", "/shop"}, false, 32, []string{
			"_fbp" + tail + "; Path=/",
			"_fbp" + tail + "; Path=/; Domain=example.com",
			"_fbp" + tail + "; Path=/shop",
			"_fbp" + tail + "; Path=/shop; Domain=example.com",
		}},
		{"private suffix stays inside the site", "x", "app.alice.github.io", []string{"/"}, true, 32, []string{
			"x" + tail + "; Path=/; Secure",
			"x" + tail + "; Path=/; Domain=app.alice.github.io; Secure",
			"x" + tail + "; Path=/; Domain=alice.github.io; Secure",
		}},
		{"IP host: host-only", "_ga", "127.0.0.1", []string{"/"}, false, 32, []string{"_ga" + tail + "; Path=/"}},
		{"localhost", "_ga", "localhost", []string{"/"}, false, 32, []string{"_ga" + tail + "; Path=/"}},
		{"__Host- is host-only at /", "__Host-id", "a.example.com", []string{"/", "/x"}, false, 32, []string{
			"__Host-id" + tail + "; Path=/; Secure"}},
		{"__Secure- forces Secure", "__Secure-id", "example.com", []string{"/"}, false, 32, []string{
			"__Secure-id" + tail + "; Path=/; Secure",
			"__Secure-id" + tail + "; Path=/; Domain=example.com; Secure"}},
		{"limit", "_ga", "a.b.example.com", []string{"/"}, true, 2, []string{
			"_ga" + tail + "; Path=/; Secure",
			"_ga" + tail + "; Path=/; Domain=a.b.example.com; Secure"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := deletionLines(nil, tt.cookie, tt.host, tt.paths, tt.secure, tt.limit)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			for _, l := range got {
				if lt := classify.SetCookieLifetime(l, time.Now()); !lt.Deletion {
					t.Errorf("%q is not a deletion", l)
				}
			}
		})
	}
}

func TestAddVary(t *testing.T) {
	tests := []struct {
		have []string
		want []string
	}{
		{nil, []string{"Cookie, Sec-GPC"}},
		{[]string{"Accept-Encoding"}, []string{"Accept-Encoding", "Cookie, Sec-GPC"}},
		{[]string{"accept-encoding, cookie"}, []string{"accept-encoding, cookie", "Sec-GPC"}},
		{[]string{"Cookie", "sec-gpc"}, []string{"Cookie", "sec-gpc"}},
		{[]string{"*"}, []string{"*"}},
	}
	for _, tt := range tests {
		h := http.Header{}
		for _, v := range tt.have {
			h.Add("Vary", v)
		}
		addVary(h, "Cookie", "Sec-GPC")
		if diff := cmp.Diff(tt.want, h.Values("Vary")); diff != "" {
			t.Errorf("Vary %q (-want +got):\n%s", tt.have, diff)
		}
	}
}

func TestMergePermissionsPolicy(t *testing.T) {
	const ours = "browsing-topics=(), join-ad-interest-group=(), run-ad-auction=(), attribution-reporting=()"
	tests := []struct {
		have []string
		want string
	}{
		{nil, ours},
		{[]string{"camera=(), geolocation=(self \"https://maps.example\")"},
			"camera=(), geolocation=(self \"https://maps.example\"), " + ours},
		{[]string{"browsing-topics=*, fullscreen=(self)", "Attribution-Reporting=(self)"}, "fullscreen=(self), " + ours},
		{[]string{"a=(\"x,y\"), b=()"}, "a=(\"x,y\"), b=(), " + ours},
	}
	for _, tt := range tests {
		h := http.Header{}
		for _, v := range tt.have {
			h.Add("Permissions-Policy", v)
		}
		mergePermissionsPolicy(h, nil)
		if got := h.Values("Permissions-Policy"); len(got) != 1 || got[0] != tt.want {
			t.Errorf("merge %q:\n got %q\nwant %q", tt.have, got, tt.want)
		}
	}
}

func TestParseSignals(t *testing.T) {
	tests := []struct {
		h    http.Header
		want Signals
	}{
		{http.Header{}, Signals{}},
		{http.Header{"Sec-Gpc": {"1"}}, Signals{GPC: true}},
		{http.Header{"Sec-Gpc": {"0"}}, Signals{}},
		{http.Header{"Sec-Gpc": {"true"}}, Signals{}},
		{http.Header{"Sec-Gpc": {"1, 1"}}, Signals{}},
		{http.Header{"Sec-Gpc": {"0", "1"}}, Signals{GPC: true}},
		{http.Header{"Dnt": {"1"}}, Signals{DNT: true}},
		{http.Header{"Dnt": {"0"}}, Signals{}},
		{http.Header{"Dnt": {"1"}, "Sec-Gpc": {"1"}}, Signals{GPC: true, DNT: true}},
	}
	for _, tt := range tests {
		if got := ParseSignals(tt.h); got != tt.want {
			t.Errorf("ParseSignals(%v) = %+v, want %+v", tt.h, got, tt.want)
		}
	}
}

func TestGPC(t *testing.T) {
	clk := newClock()
	cfg := testConfig(t, clk, nil)
	cfg.Categories = append(cfg.Categories, Category{Name: "partners", SaleOrShare: true})
	m := mustNew(t, cfg)
	grantAll := []string{"preferences", "analytics", "marketing", "social", "partners"}
	before := consentCookie(t, m, grantAll, http.Header{})
	withGPC := consentCookie(t, m, grantAll, http.Header{"Sec-Gpc": {"1"}})
	dntCfg := cfg
	dntCfg.TreatDNTAsGPC = true
	mDNT := mustNew(t, dntCfg)

	tests := []struct {
		name   string
		m      *Manager
		cookie string
		sig    Signals
		want   map[string]bool
	}{
		{"accept all, no GPC", m, before, Signals{}, map[string]bool{"marketing": true, "partners": true, "analytics": true}},
		{"accept all earlier, GPC now", m, before, Signals{GPC: true}, map[string]bool{"marketing": false, "partners": false, "analytics": true}},
		{"opted in under GPC", m, withGPC, Signals{GPC: true}, map[string]bool{"marketing": true, "partners": true, "analytics": true}},
		{"DNT has no effect by default", m, before, Signals{DNT: true}, map[string]bool{"marketing": true, "partners": true, "analytics": true}},
		{"TreatDNTAsGPC", mDNT, before, Signals{DNT: true}, map[string]bool{"marketing": false, "partners": false, "analytics": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _, ok, _ := tt.m.readState(requestWith(tt.cookie), tt.sig, clk.Now())
			if !ok {
				t.Fatal("cookie does not read")
			}
			got := map[string]bool{}
			for k := range tt.want {
				got[k] = st.Granted(k)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if tt.want["marketing"] != (st.Choice("marketing") == Granted) {
				t.Errorf("Choice(marketing) = %v", st.Choice("marketing"))
			}
			if st.Stored("marketing") != Granted {
				t.Errorf("Stored(marketing) = %v, want granted", st.Stored("marketing"))
			}
		})
	}
}

func TestConsentMode(t *testing.T) {
	clk := newClock()
	m := mustNew(t, testConfig(t, clk, nil))
	get := func(st State) string {
		var on []string
		for _, v := range st.ConsentMode() {
			if v.Granted {
				on = append(on, v.Type)
			}
		}
		if n := len(st.ConsentMode()); n != 7 {
			t.Errorf("%d consent mode types, want 7", n)
		}
		return strings.Join(on, " ")
	}
	read := func(grant []string, sig Signals) State {
		st, _, _, _ := m.readState(requestWith(consentCookie(t, m, grant, nil)), sig, clk.Now())
		return st
	}
	tests := []struct {
		name string
		st   State
		want string
	}{
		{"zero state", State{}, "security_storage"},
		{"undecided", State{m: m}, "security_storage"},
		{"analytics", read([]string{"analytics"}, Signals{}), "analytics_storage security_storage"},
		{"marketing+preferences", read([]string{"marketing", "preferences"}, Signals{}),
			"ad_storage ad_user_data ad_personalization functionality_storage personalization_storage security_storage"},
		{"marketing under GPC", read([]string{"marketing"}, Signals{GPC: true}), "security_storage"},
	}
	for _, tt := range tests {
		if got := get(tt.st); got != tt.want {
			t.Errorf("%s: granted %q, want %q", tt.name, got, tt.want)
		}
	}
}
