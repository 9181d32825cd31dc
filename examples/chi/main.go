// Command chi shows crumb in a chi application: one r.Use line enforces the
// visitor's consent on every route.
//
//	cd examples/chi && go run .     # http://localhost:8080/
//
// Like the demo, it signs the consent cookie with the keys in CRUMB_KEYS
// (comma-separated, hex or base64, at least 32 bytes each, newest first)
// and, without them, with a key made at start, which it warns about.
//
// It lives in a module of its own so that crumb's core module does not
// depend on chi.
package main

import (
	"flag"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/crumbhq/crumb/consent"
	"github.com/crumbhq/crumb/examples/internal/listen"
	"github.com/go-chi/chi/v5"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "address to listen on")
	flag.Parse()
	if err := run(*addr, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "chi:", err)
		os.Exit(1)
	}
}

// run reads the keys, listens, and only then says where the app is.
func run(addr string, getenv func(string) string, out io.Writer) error {
	signing, err := keysFromEnv(getenv, out)
	if err != nil {
		return err
	}
	m, err := newConsent(signing, slog.Default())
	if err != nil {
		return err
	}
	ln, err := listen.Listen(addr, "addr")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "listening on http://%s/\n", addr)
	srv := &http.Server{Addr: addr, Handler: newRouter(m), ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

// newConsent configures crumb for the app: the default categories plus the
// app's own necessary session cookie. It runs on plain HTTP, hence Insecure.
func newConsent(keys []consent.Key, logger *slog.Logger) (*consent.Manager, error) {
	cfg := consent.Config{Keys: keys, Insecure: true, Logger: logger}
	cfg.Categories = append([]consent.Category{{
		Name:    consent.NecessaryName,
		Cookies: []consent.Cookie{{Name: "session", Purpose: "Keeps you signed in."}},
	}}, consent.DefaultCategories()...)
	return consent.New(cfg)
}

// newRouter is the application: chi routes, with crumb in front of all of
// them and its banner, preferences page and decision endpoint mounted at
// /consent/ (which also makes the middleware inject the banner).
func newRouter(m *consent.Manager) http.Handler {
	r := chi.NewRouter()
	r.Use(m.Middleware)
	r.Handle(consent.DefaultHandlerPrefix+"*", m.Handler())
	r.Get("/", func(w http.ResponseWriter, r *http.Request) { page(w, r, "") })
	r.Get("/product/{id}", func(w http.ResponseWriter, r *http.Request) {
		page(w, r, chi.URLParam(r, "id"))
	})
	r.Post("/login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: strconv.FormatInt(time.Now().UnixNano(), 36),
			Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	return r
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>chi shop</title>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-DEMO123"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag() { dataLayer.push(arguments); }
  gtag('js', new Date());
  gtag('config', 'G-DEMO123');
</script>
</head><body>
<h1>{{if .Product}}Product {{.Product}}{{else}}chi shop{{end}}</h1>
<p>Analytics granted: {{.Analytics}}</p>
<form method="post" action="/login"><button>Sign in</button></form>
<img src="https://www.facebook.com/tr?id=1234&ev=PageView&noscript=1" width="1" height="1" alt="" style="display:none">
</body></html>
`))

// page renders a page and, as server-side tagging does, sets the Google
// Analytics and Meta cookies from the handler; crumb decides whether they
// reach the browser. The handler can also ask the consent state itself.
func page(w http.ResponseWriter, r *http.Request, product string) {
	now := time.Now()
	http.SetCookie(w, &http.Cookie{Name: "_ga", Value: "GA1.1." + strconv.FormatInt(now.UnixNano()%1e10, 10) + "." +
		strconv.FormatInt(now.Unix(), 10), Path: "/", MaxAge: 400 * 24 * 3600})
	http.SetCookie(w, &http.Cookie{Name: "_fbp", Value: "fb.1." + strconv.FormatInt(now.UnixMilli(), 10) + ".1",
		Path: "/", MaxAge: 90 * 24 * 3600})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = pageTmpl.Execute(w, struct {
		Product   string
		Analytics bool
	}{product, consent.FromRequest(r).Granted("analytics")})
}
