package consent

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/crumbhq/crumb/middleware/rewrite"
)

// originPage serves page through a site whose handler is mounted.
func originPage(t *testing.T, change func(*Config), page, target, host string) string {
	t.Helper()
	cfg := testConfig(t, newClock(), nil)
	if change != nil {
		change(&cfg)
	}
	m := mustNew(t, cfg)
	mux := http.NewServeMux()
	mux.Handle("/consent/", m.Handler())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	})
	r := httptest.NewRequest("GET", target, nil)
	if host != "" {
		r.Host = host
	}
	w := httptest.NewRecorder()
	m.Middleware(mux).ServeHTTP(w, r)
	return w.Body.String()
}

func TestInjectedURLsAndBase(t *testing.T) {
	const embed = `<iframe src="https://ad.doubleclick.net/x"></iframe>` // marketing in testCatalog
	tests := []struct {
		name         string
		change       func(*Config)
		page, target string
		host         string
		want, not    []string
	}{
		{name: "no base: path-absolute",
			page: `<html><head></head><body>` + embed, target: "https://shop.example/",
			want: []string{`action="/consent/decide"`, `src="/consent/crumb.js?v=`},
			not:  []string{"https://shop.example/consent/", rewrite.OriginMark}},
		{name: "same-host base: path-absolute",
			page: `<html><head><base href="https://shop.example/en/"></head><body>` + embed, target: "https://shop.example/",
			want: []string{`action="/consent/decide"`},
			not:  []string{"https://shop.example/consent/"}},
		{name: "foreign base: banner and placeholder absolute",
			page: `<html><head><base href="https://cdn.other.example/"></head><body>` + embed, target: "https://shop.example/",
			want: []string{`action="https://shop.example/consent/decide" data-crumb-form>`, // the banner
				`class="crumb crumb-ph-form" method="post" action="https://shop.example/consent/decide"`, // the placeholder
				`formaction="https://shop.example/consent/decide"`},
			not: []string{`="/consent/`, rewrite.OriginMark}},
		{name: "Config.Origin wins over a rewritten Host",
			change: func(c *Config) { c.Origin = "https://Shop.Example" },
			page:   `<html><head><base href="https://cdn.other.example/"></head><body>`, target: "http://127.0.0.1:8080/", host: "127.0.0.1:8080",
			want: []string{`action="https://shop.example/consent/decide"`},
			not:  []string{"127.0.0.1"}},
		{name: "loopback over plain HTTP",
			page: `<html><head><base href="https://cdn.other.example/"></head><body>`, target: "http://localhost:8080/",
			want: []string{`action="http://localhost:8080/consent/decide"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := originPage(t, tt.change, tt.page, tt.target, tt.host)
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %s:\n%s", w, body)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(body, n) {
					t.Errorf("has %s:\n%s", n, body)
				}
			}
		})
	}
}

func TestConfigOrigin(t *testing.T) {
	for _, o := range []string{"shop.example", "ftp://shop.example", "https://shop.example/path", "https://shop.example?x", "https://u@shop.example", "https://sh op.example"} {
		cfg := testConfig(t, newClock(), nil)
		cfg.Origin = o
		if _, err := New(cfg); err == nil {
			t.Errorf("Origin %q accepted", o)
		}
	}
	cfg := testConfig(t, newClock(), nil)
	cfg.Origin = "https://shop.example/"
	m := mustNew(t, cfg)
	if got := m.Banner(httptest.NewRequest("GET", "https://shop.example/", nil), ""); !strings.Contains(string(got), `action="https://shop.example/consent/decide"`) {
		t.Errorf("manual banner with Origin: %s", got)
	}
}
