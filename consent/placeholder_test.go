package consent

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/crumbhq/crumb/classify"
	"github.com/crumbhq/crumb/consent/internal/banner"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// embedPage has a YouTube embed (a catalog host of class social) and, in a
// paragraph, a player on a host the application declares for its own
// "video" category.
const embedPage = `<!doctype html><html lang="en"><head><title>Watch</title></head><body><h1>Tea films</h1>` +
	`<iframe width="560" height="315" src="https://www.youtube.com/embed/abc"></iframe>` +
	`<p><iframe src="https://player.video.example.net/embed/1" width="400" height="300"></iframe></p>` +
	`</body></html>`

// newEmbedSite serves embedPage behind the middleware, with the handler
// mounted when mount is set.
func newEmbedSite(t *testing.T, mount bool, edit func(*Config)) *uiSite {
	t.Helper()
	rec := &recorder{}
	cfg := testConfig(t, newClock(), rec)
	cfg.Insecure = true
	social, err := classify.NewCatalog(nil, []classify.Tracker{{Host: "youtube.com", Category: classify.Social, Provider: "YouTube"}})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Catalog = cfg.Catalog.Merge(social)
	cfg.Categories = append(cfg.Categories, Category{Name: "video", Title: "Video", Hosts: []string{"player.video.example.net"}})
	if edit != nil {
		edit(&cfg)
	}
	m := mustNew(t, cfg)
	mux := http.NewServeMux()
	if mount {
		mux.Handle("/consent/", m.Handler())
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, embedPage)
	})
	srv := httptest.NewServer(m.Middleware(mux))
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &uiSite{t: t, m: m, rec: rec, srv: srv, c: c}
}

// placeholder is a blocked embed's stand-in as a browser parses it.
type placeholder struct {
	Lang, Mark, Host, Text, Button string
	Once                           string // the "load once" link's address
	Action                         string
	Form                           url.Values // what submitting the button posts
}

func placeholders(t *testing.T, page string) []placeholder {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var spans, forms []*html.Node
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch cls := attrOf(n, "class"); {
		case n.Data == "span" && strings.Contains(cls, "crumb-placeholder"):
			spans = append(spans, n)
		case n.Data == "form" && strings.Contains(cls, "crumb-ph-form"):
			forms = append(forms, n)
		}
	}
	if len(spans) != len(forms) {
		t.Fatalf("%d placeholders, %d forms", len(spans), len(forms))
	}
	var out []placeholder
	for i, s := range spans {
		p := placeholder{Lang: attrOf(s, "lang"), Mark: attrOf(s, "data-crumb-category"), Host: attrOf(s, "data-crumb-host"),
			Action: attrOf(forms[i], "action"), Form: url.Values{}}
		for c := s.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && strings.Contains(attrOf(c, "class"), "crumb-ph-text") && c.FirstChild != nil {
				p.Text += c.FirstChild.Data
			}
		}
		p.Text = strings.TrimSpace(p.Text)
		for n := range forms[i].Descendants() {
			switch n.Data {
			case "input":
				p.Form.Add(attrOf(n, "name"), attrOf(n, "value"))
			case "button":
				p.Form.Add(attrOf(n, "name"), attrOf(n, "value"))
				p.Button = n.FirstChild.Data
			case "a":
				p.Once = attrOf(n, "href")
			}
		}
		out = append(out, p)
	}
	return out
}

func attrOf(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// germanText is the German placeholder sentence for a host and category
// title, from the built-in strings.
func germanText(t *testing.T, host, title string) string {
	t.Helper()
	return fmt.Sprintf(mustDefault(t, "de", banner.KeyEmbedText), host, title)
}

func TestPlaceholderEndToEnd(t *testing.T) {
	s := newEmbedSite(t, true, nil)
	de := http.Header{"Accept-Language": {"de-DE,de;q=0.9,en;q=0.5"}}
	label, _ := banner.Default("de", banner.KeyEmbedAlways)

	resp, body := s.get("/watch?v=1", de)
	if vary := resp.Header.Values("Vary"); !strings.Contains(strings.Join(vary, ","), "Accept-Language") {
		t.Errorf("localised page without Vary: Accept-Language: %q", vary)
	}
	want := []placeholder{
		{Lang: "de", Mark: "social", Host: "www.youtube.com", Text: germanText(t, "www.youtube.com", mustDefault(t, "de", "cat.social.title")),
			Button: label, Once: "https://www.youtube.com/embed/abc", Action: "/consent/decide",
			Form: url.Values{"c": {"social"}, "return": {"/watch?v=1"}, "lang": {"de"}, "action": {"save"}}},
		// The declared host's own category, titled as the application
		// wrote it, and the frame marked with its name, so that granting
		// "video" brings the frame back without a reload.
		{Lang: "de", Mark: "video", Host: "player.video.example.net", Text: germanText(t, "player.video.example.net", "Video"),
			Button: label, Once: "https://player.video.example.net/embed/1", Action: "/consent/decide",
			Form: url.Values{"c": {"video"}, "return": {"/watch?v=1"}, "lang": {"de"}, "action": {"save"}}},
	}
	if diff := cmp.Diff(want, placeholders(t, body)); diff != "" {
		t.Fatalf("fresh German visitor (-want +got):\n%s\n%s", diff, body)
	}
	// The first placeholder brings the stylesheet and the script; the
	// second does not repeat them.
	first := strings.Index(body, `<span class="crumb crumb-placeholder"`)
	if !strings.HasSuffix(body[:first], `defer></script>`) || !strings.Contains(body[:first], `<link rel="stylesheet" href="/consent/crumb.css?v=`) {
		t.Errorf("first placeholder lacks its assets:\n%s", body[:first])
	}
	second := first + 1 + strings.Index(body[first+1:], `<span class="crumb crumb-placeholder"`)
	if strings.Contains(body[first:second], "<script") {
		t.Errorf("second placeholder repeats the script:\n%s", body[first:second])
	}
	if !strings.Contains(body, `data-crumb-src="https://www.youtube.com/embed/abc"`) {
		t.Errorf("the YouTube frame is not inert:\n%s", body)
	}

	// The visitor grants analytics in German from the banner; afterwards
	// the page follows the language of that decision, whatever the
	// browser asks for, and the placeholders carry the grant.
	resp, _ = s.post(url.Values{"action": {"save"}, "c": {"analytics"}, "return": {"/watch?v=1"}, "lang": {"de"}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("banner save: %d", resp.StatusCode)
	}
	_, body = s.get("/watch?v=1", http.Header{"Accept-Language": {"fr"}})
	got := placeholders(t, body)
	if len(got) != 2 || got[0].Lang != "de" || !slices.Equal(got[0].Form["c"], []string{"social", "analytics"}) {
		t.Fatalf("after granting analytics: %+v", got)
	}

	// Submitting the YouTube placeholder's form without JavaScript grants
	// social, keeps analytics and goes back to the page.
	resp, _ = s.do("POST", got[0].Action, got[0].Form.Encode(), nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/watch?v=1" {
		t.Fatalf("placeholder form: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if diff := cmp.Diff([]string{"necessary", "analytics", "social"}, s.state().Granted); diff != "" {
		t.Errorf("granted after the placeholder (-want +got):\n%s", diff)
	}
	_, body = s.get("/watch?v=1", nil)
	if !strings.Contains(body, `<iframe width="560" height="315" src="https://www.youtube.com/embed/abc">`) {
		t.Errorf("the YouTube frame is still blocked:\n%s", body)
	}
	got = placeholders(t, body)
	if len(got) != 1 || got[0].Host != "player.video.example.net" {
		t.Fatalf("after granting social: %+v", got)
	}

	// The script posts the same form asking for JSON: the answer lists
	// what it must activate.
	resp, answer := s.do("POST", got[0].Action, got[0].Form.Encode(), http.Header{"Accept": {"application/json"}})
	var a decisionAnswer
	if err := json.Unmarshal([]byte(answer), &a); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("JSON decision: %d %v %s", resp.StatusCode, err, answer)
	}
	if diff := cmp.Diff([]string{"necessary", "analytics", "social", "video"}, a.Granted); diff != "" {
		t.Errorf("JSON granted (-want +got):\n%s", diff)
	}
	_, body = s.get("/watch?v=1", nil)
	if got := placeholders(t, body); len(got) != 0 || strings.Contains(body, "data-crumb-src") {
		t.Errorf("everything granted, yet blocked content:\n%s", body)
	}
}

func mustDefault(t *testing.T, lang, key string) string {
	t.Helper()
	s, ok := banner.Default(lang, key)
	if !ok {
		t.Fatalf("no built-in %s %s", lang, key)
	}
	return s
}

// Without the handler, nothing can take the placeholder's decision: the
// middleware's own English placeholder stays, also when the application
// installs a banner of its own.
func TestPlaceholderWithoutHandler(t *testing.T) {
	const english = `>Content from www.youtube.com is blocked until you accept social cookies.</span>`
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{"bare middleware", nil},
		{"own banner", func(c *Config) {
			c.BodyStart = func(*http.Request, State, string) []byte { return []byte(`<div id="own-banner"></div>`) }
			c.HeadStart = func(*http.Request, State, string) []byte { return []byte(`<meta name="own">`) }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newEmbedSite(t, false, tt.edit)
			resp, body := s.get("/watch", http.Header{"Accept-Language": {"de"}})
			if !strings.Contains(body, english) || strings.Contains(body, "crumb-ph-form") {
				t.Errorf("not the middleware's placeholder:\n%s", body)
			}
			if vary := resp.Header.Values("Vary"); strings.Contains(strings.Join(vary, ","), "Accept-Language") {
				t.Errorf("English-only page varies by language: %q", vary)
			}
		})
	}
}

// The application's own banner (Config.BodyStart) keeps the mounted
// interface's placeholders: the handler is still there to take their
// decisions.
func TestPlaceholderWithOwnBanner(t *testing.T) {
	s := newEmbedSite(t, true, func(c *Config) {
		c.BodyStart = func(*http.Request, State, string) []byte { return []byte(`<div id="own-banner"></div>`) }
	})
	_, body := s.get("/watch", http.Header{"Accept-Language": {"de"}})
	if !strings.Contains(body, `<div id="own-banner"></div>`) || strings.Contains(body, `id="crumb-banner"`) {
		t.Errorf("not the app's banner alone:\n%s", body)
	}
	if got := placeholders(t, body); len(got) != 2 || got[0].Lang != "de" {
		t.Errorf("placeholders with the app's BodyStart: %+v", got)
	}
}

// BenchmarkEmbedPage is a page with n blocked YouTube embeds for a visitor
// who granted analytics only, with the interface mounted (localised
// placeholders) and without (the middleware's English one). The
// difference between n=1 and n=8 is the cost per blocked element.
func BenchmarkEmbedPage(b *testing.B) {
	social, err := classify.NewCatalog(nil, []classify.Tracker{{Host: "youtube.com", Category: classify.Social}})
	if err != nil {
		b.Fatal(err)
	}
	for _, mounted := range []bool{true, false} {
		for _, n := range []int{1, 8} {
			b.Run(fmt.Sprintf("mounted=%v/embeds=%d", mounted, n), func(b *testing.B) {
				cfg := testConfig(b, newClock(), nil)
				cfg.Catalog = cfg.Catalog.Merge(social)
				m := mustNew(b, cfg)
				if mounted {
					m.Handler()
				}
				page := []byte(`<!doctype html><html><head><title>t</title></head><body>` +
					strings.Repeat(`<p>Watch this.</p><iframe width="560" height="315" src="https://www.youtube.com/embed/abc"></iframe>`, n) +
					`</body></html>`)
				h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					w.Write(page)
				}))
				r := httptest.NewRequest("GET", "https://shop.example/watch?v=1", nil)
				r.Header.Set("Cookie", DefaultCookieName+"="+consentCookie(b, m, []string{"analytics"}, nil))
				r.Header.Set("Accept-Language", "de")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if got := strings.Count(w.Body.String(), "crumb-placeholder"); got < n {
					b.Fatalf("%d placeholders for %d embeds", got, n)
				}
				b.ReportAllocs()
				b.SetBytes(int64(len(page)))
				for b.Loop() {
					h.ServeHTTP(&headerWriter{h: http.Header{}}, r)
				}
			})
		}
	}
}
