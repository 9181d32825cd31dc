package consent

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Config.Cookies adds cookies to the default categories, "necessary"
// included, as declaring them in Categories would.
func TestConfigCookies(t *testing.T) {
	byMap := testConfig(t, newClock(), nil)
	byMap.Categories = nil
	byMap.Cookies = map[string][]Cookie{
		"analytics":   {{Name: "_ga_*"}, {Name: "stats", Purpose: "Counts visits."}},
		NecessaryName: {{Name: "session"}},
	}
	byList := testConfig(t, newClock(), nil)
	byList.Categories = append([]Category{{Name: NecessaryName, Cookies: []Cookie{{Name: "session"}}}}, DefaultCategories()...)
	byList.Categories[2].Cookies = []Cookie{{Name: "_ga_*"}, {Name: "stats", Purpose: "Counts visits."}}
	if byList.Categories[2].Name != "analytics" {
		t.Fatalf("default categories reordered: %q", byList.Categories[2].Name)
	}
	a, b := mustNew(t, byMap), mustNew(t, byList)
	if diff := cmp.Diff(b.declaration(""), a.declaration("")); diff != "" {
		t.Errorf("declaration (-Categories +Cookies):\n%s", diff)
	}
	for _, name := range []string{"_ga_X1", "stats", "session"} {
		if got, want := a.cookieCategory(name, "shop.example.com"), b.cookieCategory(name, "shop.example.com"); got != want || got <= 0 && name != "session" {
			t.Errorf("%s: category %d via Cookies, %d via Categories", name, got, want)
		}
	}
}

func TestConfigCookiesErrors(t *testing.T) {
	for _, tt := range []struct {
		name    string
		cookies map[string][]Cookie
		want    string
	}{
		{"no such category", map[string][]Cookie{"video": {{Name: "v"}}}, `"video" is not a category`},
		{"declared twice", map[string][]Cookie{"analytics": {{Name: "x"}}, "marketing": {{Name: "x"}}}, "declared twice"},
		{"bad path", map[string][]Cookie{"analytics": {{Name: "x", Paths: []string{"rel"}}}}, "not an absolute cookie path"},
	} {
		cfg := testConfig(t, newClock(), nil)
		cfg.Categories = nil
		cfg.Cookies = tt.cookies
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: New error %v, want %q", tt.name, err, tt.want)
		}
	}
}
