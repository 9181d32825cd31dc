package consent

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

// The regional and script variants reach the visitor end to end: the
// pages answer in the variant Accept-Language asks for, with its direction,
// and a decision made in a variant keeps it.
func TestHandlerLanguageVariants(t *testing.T) {
	s := newUISite(t, true, nil)
	html := regexp.MustCompile(`<html lang="([^"]+)" dir="([^"]+)"`)
	tests := []struct{ path, accept, lang, dir string }{
		{"/consent/", "pt-BR,pt;q=0.9,en;q=0.8", "pt-BR", "ltr"},
		{"/consent/", "pt-PT,pt;q=0.9", "pt", "ltr"},
		{"/consent/declaration", "es-MX,es;q=0.9", "es-419", "ltr"},
		{"/consent/declaration", "es-ES", "es", "ltr"},
		{"/consent/", "zh-TW,zh;q=0.9", "zh-Hant", "ltr"},
		{"/consent/", "zh-CN", "zh-Hans", "ltr"},
		{"/consent/", "sr-Latn-RS", "sr-Latn", "ltr"},
		{"/consent/", "no", "nb", "ltr"},
		{"/consent/preferences", "ar-EG,ar;q=0.9", "ar", "rtl"},
		{"/consent/declaration", "he-IL", "he", "rtl"},
		{"/consent/?lang=ja", "de", "ja", "ltr"},
	}
	for _, tt := range tests {
		_, body := s.get(tt.path, http.Header{"Accept-Language": {tt.accept}})
		m := html.FindStringSubmatch(body)
		if m == nil || m[1] != tt.lang || m[2] != tt.dir {
			t.Errorf("%s with Accept-Language %q: <html lang dir> = %q, want %s %s", tt.path, tt.accept, m, tt.lang, tt.dir)
		}
	}

	s.post(url.Values{"action": {"reject"}, "lang": {"zh-Hant"}}, http.Header{"Accept-Language": {"de"}})
	_, body := s.get("/consent/", http.Header{"Accept-Language": {"de"}})
	if m := html.FindStringSubmatch(body); m == nil || m[1] != "zh-Hant" {
		t.Errorf("after deciding in zh-Hant: %q", m)
	}
	if r := s.rec.receipts[0]; r.Language != "zh-Hant" || r.BannerHash != s.m.BannerHash("zh-TW") || r.BannerHash == s.m.BannerHash("zh-CN") {
		t.Errorf("receipt language %q hash %q", r.Language, r.BannerHash)
	}
}
