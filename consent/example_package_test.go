package consent_test

import (
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/crumbhq/crumb/consent"
)

// A shop page with a Google Analytics cookie and its tag, served to a
// visitor who has not decided yet, who then accepts analytics through the
// banner's own form. Before the decision the cookie never leaves the
// server and the tag is inert; after it both go out as the app wrote them.
func Example() {
	m, err := consent.New(consent.Config{
		Keys: []consent.Key{{Hash: demoKey}}, // from your secret store
		Categories: append([]consent.Category{
			{Name: consent.NecessaryName, Cookies: []consent.Cookie{{Name: "session"}}},
		}, consent.DefaultCategories()...),
		Logger: slog.New(slog.DiscardHandler), // receipts are logged by default
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/consent/", m.Handler()) // banner, preferences, decisions
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "_ga", Value: "GA1.1.1", MaxAge: 3600})
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<html><head><script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script></head><body>Shop</body></html>`)
	})
	site := m.Middleware(mux)

	visit := func(cookie string) *http.Response {
		req := httptest.NewRequest("GET", "https://shop.example/", nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, req)
		return rec.Result()
	}
	report := func(res *http.Response) {
		body, _ := io.ReadAll(res.Body)
		ga := false
		for _, c := range res.Cookies() {
			ga = ga || c.Name == "_ga"
		}
		fmt.Println("  _ga cookie sent:", ga)
		fmt.Println("  tag live:", strings.Contains(string(body), `<script async src="https://www.googletagmanager.com`))
	}

	fmt.Println("undecided:")
	report(visit(""))

	// The banner's form posts here; it works without JavaScript.
	form := url.Values{"action": {"save"}, "c": {"analytics"}, "return": {"/"}}
	req := httptest.NewRequest("POST", "https://shop.example/consent/decide", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://shop.example")
	rec := httptest.NewRecorder()
	site.ServeHTTP(rec, req)
	fmt.Println("decision:", rec.Code, rec.Header().Get("Location"))

	var consentCookie string
	for _, c := range rec.Result().Cookies() {
		if c.Name == "__Host-crumb_consent" {
			consentCookie = c.Name + "=" + c.Value
		}
	}
	fmt.Println("analytics granted:")
	report(visit(consentCookie))
	// Output:
	// undecided:
	//   _ga cookie sent: false
	//   tag live: false
	// decision: 303 /
	// analytics granted:
	//   _ga cookie sent: true
	//   tag live: true
}
