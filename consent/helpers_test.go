package consent

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/crumbhq/crumb/classify"
)

// testClock is a clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *testClock {
	return &testClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var (
	hashKey1  = bytes.Repeat([]byte{0x11}, 32)
	hashKey2  = bytes.Repeat([]byte{0x22}, 32)
	blockKey1 = bytes.Repeat([]byte{0x33}, 32)
)

// testCatalog is a small fixed catalog, so tests do not depend on the
// built-in data.
func testCatalog(t testing.TB) *classify.Catalog {
	t.Helper()
	c, err := classify.NewCatalog([]classify.Cookie{
		{Pattern: "_ga", Category: classify.Analytics, Provider: "Google Analytics", Purpose: "Tells visitors apart.", Retention: "2 years"},
		{Pattern: "_ga_*", Category: classify.Analytics, Provider: "Google Analytics"},
		{Pattern: "_fbp", Category: classify.Marketing, Provider: "Meta"},
		{Pattern: "PHPSESSID", Category: classify.Necessary, Provider: "PHP"},
		{Pattern: "lang", Category: classify.Preferences},
		{Pattern: "yt_pref", Category: classify.Social},
	}, []classify.Tracker{
		{Host: "google-analytics.com", Category: classify.Analytics, Provider: "Google"},
		{Host: "doubleclick.net", Category: classify.Marketing, Provider: "Google"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// recorder collects hook events.
type recorder struct {
	mu       sync.Mutex
	cookies  []CookieEvent
	unknown  []CookieEvent
	invalid  []InvalidEvent
	notEnf   []NotEnforcedEvent
	receipts []Receipt
}

func (r *recorder) hooks() Hooks {
	return Hooks{
		CookieBlocked: func(_ context.Context, e CookieEvent) { r.mu.Lock(); r.cookies = append(r.cookies, e); r.mu.Unlock() },
		UnknownCookie: func(_ context.Context, e CookieEvent) { r.mu.Lock(); r.unknown = append(r.unknown, e); r.mu.Unlock() },
		InvalidConsent: func(_ context.Context, e InvalidEvent) {
			r.mu.Lock()
			r.invalid = append(r.invalid, e)
			r.mu.Unlock()
		},
		NotEnforced: func(_ context.Context, e NotEnforcedEvent) {
			r.mu.Lock()
			r.notEnf = append(r.notEnf, e)
			r.mu.Unlock()
		},
		Decision: func(_ context.Context, rc Receipt) { r.mu.Lock(); r.receipts = append(r.receipts, rc); r.mu.Unlock() },
	}
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cookies, r.unknown, r.invalid, r.notEnf, r.receipts = nil, nil, nil, nil, nil
}

func (r *recorder) actions() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.cookies {
		s := e.Action.String() + " " + e.Name
		if e.ReportOnly {
			s += " (report-only)"
		}
		out = append(out, s)
	}
	return out
}

// testConfig is a strict config with a fixed catalog, a test clock and the
// application's necessary cookies declared.
func testConfig(t testing.TB, clk *testClock, rec *recorder) Config {
	cats := append([]Category{{Name: NecessaryName, Cookies: []Cookie{{Name: "session"}, {Name: "csrf_*"}}}}, DefaultCategories()...)
	cfg := Config{
		Keys:       []Key{{Hash: hashKey1}},
		Categories: cats,
		Catalog:    testCatalog(t),
		Now:        clk.Now,
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if rec != nil {
		cfg.Hooks = rec.hooks()
	}
	return cfg
}

func mustNew(t testing.TB, cfg Config) *Manager {
	t.Helper()
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// consentCookie records a decision with m and returns the consent cookie
// value it wrote.
func consentCookie(t testing.TB, m *Manager, grant []string, h http.Header) string {
	t.Helper()
	w := &headerWriter{h: http.Header{}}
	r, _ := http.NewRequest("POST", "https://shop.example.com/consent", nil)
	if h != nil {
		r.Header = h
	}
	if _, err := m.Decide(w, r, Decision{Grant: grant}); err != nil {
		t.Fatal(err)
	}
	c, err := http.ParseSetCookie(w.h.Get("Set-Cookie"))
	if err != nil {
		t.Fatal(err)
	}
	return c.Value
}

// headerWriter is a cheap ResponseWriter that discards the body.
type headerWriter struct {
	h      http.Header
	status int
}

func (w *headerWriter) Header() http.Header         { return w.h }
func (w *headerWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *headerWriter) WriteHeader(code int)        { w.status = code }

func requestWith(value string) http.Header {
	return http.Header{"Cookie": {DefaultCookieName + "=" + value}}
}

// liveGA is the tracker of trackedPage as it reaches the browser when it
// is NOT made inert.
const liveGA = `<script async src="https://www.google-analytics.com/analytics.js">`

// allOptional grants every default optional category.
var allOptional = []string{"preferences", "analytics", "marketing", "social"}
