package consent_test

import (
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/crumbhq/crumb/consent"
)

// demoKey stands in for a key read from a secret store: 32 random bytes.
var demoKey = []byte("0123456789abcdef0123456789abcdef")

func ExampleNew() {
	m, err := consent.New(consent.Config{
		Keys: []consent.Key{{Hash: demoKey}},
		Categories: append([]consent.Category{
			// The site's own cookies it cannot work without.
			{Name: consent.NecessaryName, Cookies: []consent.Cookie{{Name: "session"}, {Name: "csrf_*"}}},
		}, consent.DefaultCategories()...),
		Revision: 3,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range m.Declaration(nil) {
		fmt.Println(c.Name, c.Necessary, c.SaleOrShare)
	}
	// Output:
	// necessary true false
	// preferences false false
	// analytics false false
	// marketing false true
	// social false false
}

func ExampleManager_Middleware() {
	m, err := consent.New(consent.Config{Keys: []consent.Key{{Hash: demoKey}}})
	if err != nil {
		log.Fatal(err)
	}
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// An analytics cookie, set before the visitor agreed: dropped.
		http.SetCookie(w, &http.Cookie{Name: "_ga", Value: "GA1.1.1", MaxAge: 3600})
		io.WriteString(w, "hello")
	})
	rec := httptest.NewRecorder()
	m.Middleware(app).ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/", nil))
	fmt.Printf("Set-Cookie: %q\n", rec.Header().Values("Set-Cookie"))
	fmt.Println("Vary:", rec.Header().Get("Vary"))
	// Output:
	// Set-Cookie: []
	// Vary: Cookie, Sec-GPC
}

func ExampleFromRequest() {
	m, err := consent.New(consent.Config{
		Keys: []consent.Key{{Hash: demoKey}},
		Now:  func() time.Time { return time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC) },
		// Receipts go to the log by default; keep the example's output clean.
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /consent", func(w http.ResponseWriter, r *http.Request) {
		m.Decide(w, r, consent.Decision{Grant: []string{"analytics"}})
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		st := consent.FromRequest(r)
		fmt.Fprintln(w, "decided:", st.Decided())
		fmt.Fprintln(w, "analytics:", st.Granted("analytics"))
		fmt.Fprintln(w, "marketing:", st.Choice("marketing"))
	})
	h := m.Middleware(mux)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "https://example.com/consent", nil))
	cookie := rec.Header().Get("Set-Cookie")

	req := httptest.NewRequest("GET", "https://example.com/", nil)
	req.Header.Set("Cookie", strings.SplitN(cookie, ";", 2)[0])
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Print(rec.Body.String())
	// Output:
	// decided: true
	// analytics: true
	// marketing: refused
}
