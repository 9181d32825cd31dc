package consent

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/crumbhq/crumb/classify"
	"github.com/crumbhq/crumb/consent/internal/banner"
	"github.com/google/go-cmp/cmp"
)

// trackerSite serves, through http.ServeContent behind m's middleware on a
// real server, one page whose application ETag never changes and that
// loads an analytics script: live in ReportOnly, inert under enforcement
// until analytics is granted.
func trackerSite(t *testing.T, m *Manager) *httptest.Server {
	t.Helper()
	modtime := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"page1"`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		http.ServeContent(w, r, "", modtime, strings.NewReader(
			`<!doctype html><p>hello</p><script src="https://www.google-analytics.com/analytics.js"></script>`))
	})
	srv := httptest.NewServer(m.Middleware(app))
	t.Cleanup(srv.Close)
	return srv
}

// navigation is the header a browser sends when it revalidates a cached
// page: a document request.
func navigation(tag string) http.Header {
	return http.Header{"If-None-Match": {tag}, "Sec-Fetch-Dest": {"document"}, "Accept": {"text/html"}}
}

// The rollout the README recommends: ReportOnly first, enforcement later.
// A page cached in ReportOnly has its trackers live; after the switch its
// tag must not be confirmed with a 304, for a navigation or any other
// request, or the browser keeps the live copy.
func TestETagReportOnlyCopyNotConfirmed(t *testing.T) {
	clk := newClock()
	cfg := testConfig(t, clk, nil)
	cfg.Insecure = true
	cfg.ReportOnly = true
	reportOnly := trackerSite(t, mustNew(t, cfg))
	cfg.ReportOnly = false
	enforcing := trackerSite(t, mustNew(t, cfg))

	getBody(t, reportOnly.URL, nil) // the content policy learns the page's tracker host, which changes the variant
	res, body := getBody(t, reportOnly.URL, nil)
	liveTag := res.Header.Get("Etag")
	if !strings.Contains(body, `<script src="https://www.google-analytics.com/analytics.js">`) || !strings.HasPrefix(liveTag, `"page1-crumb-`) {
		t.Fatalf("report-only page: ETag %q, body %q", liveTag, body)
	}
	if res, _ := getBody(t, reportOnly.URL, navigation(liveTag)); res.StatusCode != http.StatusNotModified {
		t.Fatalf("report-only revalidation in report-only: %d, want 304", res.StatusCode)
	}
	for name, h := range map[string]http.Header{
		"navigation":    navigation(liveTag),
		"other request": {"If-None-Match": {liveTag}},
	} {
		t.Run(name, func(t *testing.T) {
			res, body := getBody(t, enforcing.URL, h)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want the full page", res.StatusCode)
			}
			if tag := res.Header.Get("Etag"); tag == liveTag || !strings.HasPrefix(tag, `"page1-crumb-`) {
				t.Errorf("ETag %q, want a new variant of page1", tag)
			}
			if strings.Contains(body, `<script src="https://www.google-analytics.com`) {
				t.Errorf("tracker live under enforcement: %q", body)
			}
		})
	}
}

// A plain validator, cached before crumb was deployed, names the page as
// the application sent it, trackers live: a navigation never gets it
// confirmed. A request that is not a document keeps its plain tags, since
// those are the right validators for what crumb passes through.
func TestETagPlainValidator(t *testing.T) {
	clk := newClock()
	cfg := testConfig(t, clk, nil)
	cfg.Insecure = true
	srv := trackerSite(t, mustNew(t, cfg))
	getWith(t, srv.URL, nil) // the content policy learns the page's tracker host, which changes the variant
	current := getWith(t, srv.URL, nil).Header.Get("Etag")

	type result struct {
		Status int
		ETag   string
	}
	tests := []struct {
		name string
		h    http.Header
		want result
	}{
		{"plain tag, navigation", navigation(`"page1"`), result{200, current}},
		{"plain tag with ours, navigation", navigation(`"page1", ` + current), result{304, current}},
		{"star, navigation", navigation(`*`), result{200, current}},
		{"unparseable, navigation", navigation(`page1`), result{200, current}},
		{"weak plain tag, navigation", navigation(`W/"page1"`), result{200, current}},
		{"plain tag, not a document", http.Header{"If-None-Match": {`"page1"`}}, result{304, `"page1"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := getWith(t, srv.URL, tt.h)
			got := result{res.StatusCode, res.Header.Get("Etag")}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("response (-want +got):\n%s", diff)
			}
		})
	}
}

// The variant names everything that changes a rewritten page's bytes
// while the consent state stays: each configuration change below gives
// another variant. The same configuration built twice (two instances of
// one site) gives the same one, so caches work across instances.
func TestETagVariantNamesConfiguration(t *testing.T) {
	clk := newClock()
	base := func() Config {
		cfg := testConfig(t, clk, nil)
		cfg.Insecure = true
		return cfg
	}
	variant := func(cfg Config) string {
		t.Helper()
		m := mustNew(t, cfg)
		r := httptest.NewRequest("GET", "https://shop.example.com/", nil)
		rs := m.begin(r)
		rs.request(r)
		return rs.variant()
	}
	ref := variant(base())
	if again := variant(base()); again != ref {
		t.Errorf("the same configuration gives %q and %q", ref, again)
	}
	changes := map[string]func(*Config){
		"ReportOnly":   func(c *Config) { c.ReportOnly = true },
		"Revision":     func(c *Config) { c.Revision = 7 },
		"Language":     func(c *Config) { c.Language = "de" },
		"PolicyURL":    func(c *Config) { c.PolicyURL = "/privacy" },
		"prefix":       func(c *Config) { c.HandlerPrefix = "/cookies/" },
		"Strings":      func(c *Config) { c.Strings = map[string]map[string]string{"en": {banner.KeyAccept: "OK"}} },
		"ManualBanner": func(c *Config) { c.ManualBanner = true },
		"a category": func(c *Config) {
			c.Categories = append(c.Categories[:len(c.Categories):len(c.Categories)], Category{Name: "video", Hosts: []string{"video.example"}})
		},
		"a declared host": func(c *Config) {
			cats := append([]Category(nil), c.Categories...)
			cats[1].Hosts = []string{"stats.example"}
			c.Categories = cats
		},
		"a description": func(c *Config) {
			cats := append([]Category(nil), c.Categories...)
			cats[1].Description = "new text"
			c.Categories = cats
		},
		"the catalog": func(c *Config) {
			c.Catalog = c.Catalog.Merge(classify.MustCatalog(nil, []classify.Tracker{{Host: "new-tracker.example", Category: classify.Marketing}}))
		},
	}
	seen := map[string]string{ref: "base"}
	for name, change := range changes {
		cfg := base()
		change(&cfg)
		v := variant(cfg)
		if prev, dup := seen[v]; dup {
			t.Errorf("%s: variant %q, the same as %s", name, v, prev)
		}
		seen[v] = name
	}
}

// Configuring an injection (Config.BodyStart) changes the rewritten
// bytes, so it changes the variant too.
func TestETagVariantNamesInjection(t *testing.T) {
	variant := func(m *Manager) string {
		r := httptest.NewRequest("GET", "https://shop.example.com/", nil)
		rs := m.begin(r)
		rs.request(r)
		return rs.variant()
	}
	clk := newClock()
	cfg := testConfig(t, clk, nil)
	without := mustNew(t, cfg)
	cfg.BodyStart = func(*http.Request, State, string) []byte { return []byte("<div>banner</div>") }
	with := mustNew(t, cfg)
	if v, w := variant(without), variant(with); v == w || variant(mustNew(t, testConfig(t, clk, nil))) != v {
		t.Errorf("variants without, with and again without a banner: %q %q", v, w)
	}
}

// Regression: pages rewritten for one consent state
// kept the application's Last-Modified, and If-Modified-Since reached the
// application untouched. The ETag carries a digest of the consent state
// (so If-None-Match from another state never gets a 304), but the date
// validator does not: after the state changed while the Cookie header
// stayed the same (Config.Revision raised, the decision expired, a key
// retired), a client revalidating its copy with If-Modified-Since gets a
// 304 and keeps showing the page rewritten for the old state, trackers
// live. http.FileServer and http.ServeContent answer If-Modified-Since this
// way for every static HTML page, and browsers revalidate pages that carry
// only Last-Modified (heuristic freshness, back/forward, reload).
func TestLastModifiedRevalidatesOtherConsentState(t *testing.T) {
	modtime := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	files := fstest.MapFS{"page.html": {Data: []byte(trackedPage), ModTime: modtime}}
	tests := []struct {
		name   string
		change func(cfg *Config, clk *testClock)
	}{
		{"revision raised", func(cfg *Config, _ *testClock) { cfg.Revision = 1 }},
		{"decision expired", func(_ *Config, clk *testClock) { clk.Add(DefaultLifetime + time.Hour) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			cfg := testConfig(t, clk, nil)
			m := mustNew(t, cfg)
			cookie := http.Header{"Cookie": {DefaultCookieName + "=" + consentCookie(t, m, allOptional, nil)}}
			srv := httptest.NewServer(m.Middleware(http.FileServerFS(files)))
			res, body := getBody(t, srv.URL+"/page.html", cookie)
			srv.Close()
			if res.StatusCode != 200 || !strings.Contains(body, liveGA) {
				t.Fatalf("setup: accepted visitor got %d, live tag %v", res.StatusCode, strings.Contains(body, liveGA))
			}
			// The rewritten page gives clients no date to revalidate by...
			if lm := res.Header.Get("Last-Modified"); lm != "" {
				t.Errorf("the page rewritten for one consent state carries Last-Modified %q", lm)
			}
			// ...and a copy that has one (cached before crumb, say) is
			// not confirmed either: a browser revalidating the page.
			lastMod := modtime.Format(http.TimeFormat)
			cookie.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")

			tt.change(&cfg, clk)
			m2 := mustNew(t, cfg)
			srv2 := httptest.NewServer(m2.Middleware(http.FileServerFS(files)))
			defer srv2.Close()
			h := cookie.Clone()
			h.Set("If-Modified-Since", lastMod)
			res, _ = getBody(t, srv2.URL+"/page.html", h)
			if res.StatusCode == http.StatusNotModified {
				t.Errorf("the visitor is now undecided, yet a 304 confirms the copy rewritten for 'accept all' (trackers live)")
			}
		})
	}
}
