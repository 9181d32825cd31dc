package consent

import (
	"strings"
	"testing"
	"time"

	"github.com/crumbhq/crumb/classify"
	"github.com/google/go-cmp/cmp"
)

func TestNewValidates(t *testing.T) {
	key := []Key{{Hash: hashKey1}}
	tests := []struct {
		name string
		cfg  Config
		want string // substring of the error
	}{
		{"no keys", Config{}, "at least one signing key"},
		{"short hash key", Config{Keys: []Key{{Hash: []byte("short")}}}, "at least 32"},
		{"bad block key", Config{Keys: []Key{{Hash: hashKey1, Block: []byte("0123456789")}}}, "block key"},
		{"bad second key", Config{Keys: []Key{{Hash: hashKey1}, {Hash: nil}}}, "key 1"},
		{"duplicate category", Config{Keys: key, Categories: []Category{{Name: "analytics"}, {Name: "analytics"}}}, "duplicate category"},
		{"two of one class", Config{Keys: key, Categories: []Category{{Name: "analytics"}, {Name: "stats", Class: classify.Analytics}}}, "both have class"},
		{"unknown class", Config{Keys: key, Categories: []Category{{Name: "x", Class: 42}}}, "unknown class"},
		{"bad name", Config{Keys: key, Categories: []Category{{Name: "Analytics"}}}, "name"},
		{"empty name", Config{Keys: key, Categories: []Category{{}}}, "name"},
		{"necessary by another name", Config{Keys: key, Categories: []Category{{Name: "core", Class: classify.Necessary}}}, "necessary"},
		{"necessary sale", Config{Keys: key, Categories: []Category{{Name: "necessary", SaleOrShare: true}}}, "cannot be refused"},
		{"bad consent mode", Config{Keys: key, Categories: []Category{{Name: "analytics", ConsentMode: []string{"ads"}}}}, "consent mode"},
		{"bad pattern", Config{Keys: key, Categories: []Category{{Name: "analytics", Cookies: []Cookie{{Name: "*"}}}}}, "pattern"},
		{"pattern with ;", Config{Keys: key, Categories: []Category{{Name: "analytics", Cookies: []Cookie{{Name: "a;b"}}}}}, "pattern"},
		{"cookie twice", Config{Keys: key, Categories: []Category{{Name: "analytics", Cookies: []Cookie{{Name: "x"}}}, {Name: "marketing", Cookies: []Cookie{{Name: "x"}}}}}, "declared twice"},
		{"bad host", Config{Keys: key, Categories: []Category{{Name: "analytics", Hosts: []string{"not a host"}}}}, "bad host"},
		{"bad cookie path", Config{Keys: key, Categories: []Category{{Name: "analytics", Cookies: []Cookie{{Name: "x", Paths: []string{"rel"}}}}}}, "path"},
		{"too many categories", Config{Keys: key, Categories: manyCategories(16)}, "at most"},
		{"lifetime too long", Config{Keys: key, Lifetime: 500 * 24 * time.Hour}, "Lifetime"},
		{"cookie lifetime too long", Config{Keys: key, MaxCookieLifetime: 401 * 24 * time.Hour}, "MaxCookieLifetime"},
		{"negative deletions", Config{Keys: key, MaxDeletionLines: -1}, "MaxDeletionLines"},
		{"bad language", Config{Keys: key, Language: "not a tag!"}, "Language"},
		{"insecure __Host-", Config{Keys: key, Insecure: true, CookieName: "__Host-c"}, "Insecure"},
		{"bad cookie name", Config{Keys: key, CookieName: "a b"}, "CookieName"},
		{"bad withdraw path", Config{Keys: key, WithdrawPaths: []string{"x"}}, "WithdrawPaths"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := New(tt.cfg)
			if err == nil {
				t.Fatalf("New succeeded (%v), want error containing %q", m != nil, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func manyCategories(n int) []Category {
	var out []Category
	for i := 0; i < n; i++ {
		out = append(out, Category{Name: "c" + string(rune('a'+i))})
	}
	return out
}

func TestNewDefaults(t *testing.T) {
	m, err := New(Config{Keys: []Key{{Hash: hashKey1}}})
	if err != nil {
		t.Fatal(err)
	}
	type defaults struct {
		CookieName, Language string
		Lifetime, MaxCookie  time.Duration
		MaxDeletions         int
		WithdrawPaths        []string
		Categories           []string
		SaleOrShare          []string
		ReportOnly, Insecure bool
		DNTAsGPC             bool
		Revision             uint32
	}
	got := defaults{CookieName: m.CookieName(), Language: m.lang, Lifetime: m.lifetime, MaxCookie: m.maxCookie,
		MaxDeletions: m.maxDeletions, WithdrawPaths: m.withdrawPaths, ReportOnly: m.reportOnly, Insecure: m.insecure,
		DNTAsGPC: m.treatDNTAsGPC, Revision: m.revision}
	for _, c := range m.declaration("") {
		got.Categories = append(got.Categories, c.Name)
		if c.SaleOrShare {
			got.SaleOrShare = append(got.SaleOrShare, c.Name)
		}
	}
	want := defaults{CookieName: "__Host-crumb_consent", Language: "en", Lifetime: 182 * 24 * time.Hour,
		MaxCookie: 395 * 24 * time.Hour, MaxDeletions: 32, WithdrawPaths: []string{"/"},
		Categories:  []string{"necessary", "preferences", "analytics", "marketing", "social"},
		SaleOrShare: []string{"marketing"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if m.catalog != classify.Builtin() {
		t.Error("default catalog is not classify.Builtin()")
	}
	ins, err := New(Config{Keys: []Key{{Hash: hashKey1}}, Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	if ins.CookieName() != "crumb_consent" {
		t.Errorf("insecure cookie name %q", ins.CookieName())
	}
}

func TestCustomCategory(t *testing.T) {
	clk := newClock()
	cfg := testConfig(t, clk, nil)
	cfg.Categories = append(cfg.Categories, Category{Name: "video", Title: "Video",
		Cookies: []Cookie{{Name: "vid_*", Provider: "VideoCo", Lifetime: 24 * time.Hour, Domain: "video.example.net"}},
		Hosts:   []string{"player.video.example.net"}})
	m := mustNew(t, cfg)
	if got, ok := m.HostCategory("cdn.player.video.example.net"); !ok || got != "video" {
		t.Errorf("HostCategory = %q, %v", got, ok)
	}
	if got, ok := m.HostCategory("www.google-analytics.com"); !ok || got != "analytics" {
		t.Errorf("HostCategory(catalog) = %q, %v", got, ok)
	}
	if _, ok := m.HostCategory("example.org"); ok {
		t.Error("unknown host has a category")
	}
	infos := m.declaration("www.shop.example.com")
	last := infos[len(infos)-1]
	want := CategoryInfo{Name: "video", Title: "Video", Hosts: []string{"player.video.example.net"},
		Cookies: []CookieInfo{{Name: "vid_*", Domain: "video.example.net", Provider: "VideoCo", Lifetime: 24 * time.Hour, ThirdParty: true}}}
	if diff := cmp.Diff(want, last); diff != "" {
		t.Errorf("CategoryInfo (-want +got):\n%s", diff)
	}
	if infos[0].Cookies[0].Name != DefaultCookieName {
		t.Errorf("the consent cookie is not declared under necessary: %+v", infos[0].Cookies)
	}
	now := clk.Now()
	vid := consentCookie(t, m, []string{"video"}, nil)
	st, _, _, _ := m.readState(requestWith(vid), Signals{}, now)
	if v := m.judgeSetCookie(&st, "vid_1=x; Domain=video.example.net", "shop.example.com", now); !v.keep {
		t.Error("declared video cookie dropped although video is granted")
	}
	if v := m.judgeSetCookie(&State{m: m}, "vid_1=x; Domain=video.example.net", "shop.example.com", now); v.keep {
		t.Error("declared video cookie kept although undecided")
	}
}
