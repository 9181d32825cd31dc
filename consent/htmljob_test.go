package consent

import (
	"net/http"
	"strings"
	"testing"
)

// The interface's renderers append into pooled buffers; an application's
// SetBanner and SetHeadStart after mounting still replace them, and
// responses served one after another through the pooled jobs each get
// their own banner (the return path is the page's), never a leftover of
// the one before.
func TestPooledInjections(t *testing.T) {
	s := newUISite(t, true, nil)
	for _, path := range []string{"/a", "/bb?x=1", "/a", "/ccc"} {
		_, body := s.get(path, nil)
		if !hasBanner(body) || !strings.Contains(body, "gtag('consent','default'") {
			t.Fatalf("%s: banner %v, Consent Mode default %v", path, hasBanner(body), strings.Contains(body, "gtag("))
		}
		if n := strings.Count(body, `id="crumb-banner"`); n != 1 {
			t.Errorf("%s: %d banners", path, n)
		}
		if !strings.Contains(body, `name="return" value="`+path+`"`) {
			t.Errorf("%s: the banner does not return to this page:\n%s", path, body)
		}
	}
	s.m.SetBanner(func(*http.Request, State, string) []byte { return []byte(`<div id="own-banner"></div>`) })
	s.m.SetHeadStart(func(*http.Request, State, string) []byte { return []byte(`<meta name="own">`) })
	_, body := s.get("/a", nil)
	if hasBanner(body) || strings.Contains(body, "gtag(") {
		t.Errorf("the interface's renderers survive SetBanner and SetHeadStart:\n%s", body)
	}
	if !strings.Contains(body, `<div id="own-banner"></div>`) || !strings.Contains(body, `<meta name="own">`) {
		t.Errorf("the application's renderers are not used:\n%s", body)
	}
}
