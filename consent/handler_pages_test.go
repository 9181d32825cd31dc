package consent

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The preferences page and the declaration lead back to the page they
// were opened from, or the home page, and link to each other keeping that
// page; the banner links to the declaration with the page it is on.
func TestPagesLeadBack(t *testing.T) {
	s := newUISite(t, true, nil)
	tests := []struct {
		path string
		want []string
	}{
		{"/consent/?return=/shop%3Fitem%3D1", []string{
			`<p class="crumb-top"><a href="/shop?item=1">Back to the site</a></p>`,
			`name="return" value="/shop?item=1"`,
			`<a href="/consent/declaration?return=/shop%3Fitem%3D1">Cookie declaration</a>`,
		}},
		// Opened on its own, the page saves back to itself, but its way
		// back leads to the home page.
		{"/consent/", []string{
			`<p class="crumb-top"><a href="/">Back to the site</a></p>`,
			`name="return" value="/consent/"`,
		}},
		{"/consent/declaration?return=/shop", []string{
			`<p class="crumb-top"><a href="/shop">Back to the site</a></p>`,
			`<a href="/consent/?return=/shop">Cookie settings</a>`,
		}},
		// An off-site return path is never a way back.
		{"/consent/declaration?return=//evil.example/", []string{
			`<p class="crumb-top"><a href="/">Back to the site</a></p>`,
		}},
		{"/shop?item=42", []string{
			`/consent/declaration?return=/shop%3Fitem%3D42">Cookie declaration</a>`,
		}},
	}
	for _, tt := range tests {
		_, body := s.get(tt.path, nil)
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %s:\n%s", tt.path, w, body)
			}
		}
		if strings.Contains(body, "evil.example/\"") {
			t.Errorf("GET %s links off site:\n%s", tt.path, body)
		}
	}
}

// The preferences page has one primary button, and each switch carries
// its On and Off text.
func TestPreferencesButtonsAndSwitches(t *testing.T) {
	s := newUISite(t, true, nil)
	_, body := s.get("/consent/", nil)
	var classes []string
	for _, part := range strings.Split(body, `<button class="`)[1:] {
		cls, _, _ := strings.Cut(part, `"`)
		classes = append(classes, cls)
	}
	if diff := cmp.Diff([]string{"crumb-btn", "crumb-btn crumb-btn2", "crumb-btn crumb-btn2"}, classes); diff != "" {
		t.Errorf("preferences buttons (-want +got):\n%s", diff)
	}
	if n, m := strings.Count(body, `role="switch"`), strings.Count(body, `<span class="crumb-on">On</span><span class="crumb-off">Off</span>`); n == 0 || n != m {
		t.Errorf("%d switches, %d with On/Off text", n, m)
	}
}

// ThemeStylesheet reaches crumb's own pages, after crumb's stylesheet, so
// that the site's --crumb-* properties win there too; without it there is
// no extra link.
func TestThemeStylesheet(t *testing.T) {
	s := newUISite(t, true, func(c *Config) { c.ThemeStylesheet = "/static/theme.css?v=2" })
	for _, path := range []string{"/consent/", "/consent/declaration"} {
		_, body := s.get(path, nil)
		crumb := strings.Index(body, `href="/consent/crumb.css`)
		theme := strings.Index(body, `<link rel="stylesheet" href="/static/theme.css?v=2">`)
		if crumb < 0 || theme < crumb {
			t.Errorf("GET %s: crumb's stylesheet at %d, the theme at %d; want the theme after it", path, crumb, theme)
		}
	}
	plain := newUISite(t, true, nil)
	if _, body := plain.get("/consent/", nil); strings.Count(body, `rel="stylesheet"`) != 1 {
		t.Errorf("without ThemeStylesheet the page links %d stylesheets", strings.Count(body, `rel="stylesheet"`))
	}
}
