package consent_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/crumbhq/crumb/consent"
)

func ExampleManager_Handler() {
	m, err := consent.New(consent.Config{
		Keys: []consent.Key{{Hash: demoKey}},
		Hooks: consent.Hooks{Decision: func(_ context.Context, r consent.Receipt) {
			// Store the receipt as proof of consent; here, print it.
			fmt.Println("receipt:", r.Method, r.Language, r.Choices, len(r.BannerHash))
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	// The banner, the preferences page, the decision endpoint and the
	// rest; mounting it also turns on the banner's injection into pages.
	mux.Handle("/consent/", m.Handler())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><html><head><title>Shop</title></head><body><h1>Tea</h1></body></html>")
	})
	site := m.Middleware(mux)

	// A first visit: the banner is inserted first in <body>.
	rec := httptest.NewRecorder()
	site.ServeHTTP(rec, httptest.NewRequest("GET", "https://shop.example/tea", nil))
	fmt.Println("banner shown:", strings.Contains(rec.Body.String(), `id="crumb-banner"`))

	// The visitor presses "Reject all": a plain form POST, no script needed.
	form := url.Values{"action": {"reject"}, "return": {"/tea"}}
	req := httptest.NewRequest("POST", "https://shop.example/consent/decide", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec = httptest.NewRecorder()
	site.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Location"))
	cookie := rec.Result().Cookies()[0]

	// The next page comes without the banner.
	req = httptest.NewRequest("GET", "https://shop.example/tea", nil)
	req.AddCookie(cookie)
	rec = httptest.NewRecorder()
	site.ServeHTTP(rec, req)
	fmt.Println("banner shown:", strings.Contains(rec.Body.String(), `id="crumb-banner"`))
	// Output:
	// banner shown: true
	// receipt: banner en [{necessary granted} {preferences refused} {analytics refused} {marketing refused} {social refused}] 64
	// 303 /tea
	// banner shown: false
}
