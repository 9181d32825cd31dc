package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The shop below is written the way many small sites are: the marketing team
// pasted Google Analytics, Tag Manager, the Meta Pixel and a LinkedIn pixel
// into the layout, the product pages embed YouTube, and a "server-side
// tagging" setup writes _ga, _fbp and friends straight from the handlers. The
// shop itself knows nothing about consent; that is the point of the demo.

// ga4ID is the placeholder GA4 measurement id the pasted Google tag carries;
// the server-side tagging names its session cookie after it.
const ga4ID = "G-DEMO123"

// product is one item of the shop's fixed range.
type product struct {
	ID    string
	Name  string
	Blurb string
	Price int    // in cents
	Video string // YouTube video id of the product film
}

// PriceText formats the price for the page.
func (p product) PriceText() string {
	return fmt.Sprintf("€%d.%02d", p.Price/100, p.Price%100)
}

// products is read-only after start; handlers only look things up in it.
var products = []product{
	{ID: "starter", Name: "Sourdough starter kit", Price: 1900, Video: "crumbDemo01",
		Blurb: "A lively rye starter, a jar with a wide mouth and a feeding schedule that fits a working week."},
	{ID: "cloche", Name: "Cast-iron bread cloche", Price: 8900, Video: "crumbDemo02",
		Blurb: "Traps the steam for a crackling crust, survives a 260 °C oven and outlives the baker."},
	{ID: "lame", Name: "Walnut scoring lame", Price: 2400, Video: "crumbDemo03",
		Blurb: "A steady handle and a replaceable blade for the ear every loaf deserves."},
}

func findProduct(id string) (product, bool) {
	for _, p := range products {
		if p.ID == id {
			return p, true
		}
	}
	return product{}, false
}

// words holds the few phrases the page chrome shows, per language. The lang
// cookie (a preferences cookie) picks one; without it the shop speaks English.
type words struct {
	Tagline, Products, Login, Logout, SignedInAs, Language, Details, Film, User, Password, Submit string
}

var dictionary = map[string]words{
	"en": {Tagline: "Tools for bakers who care about the crumb.", Products: "Our range", Login: "Sign in",
		Logout: "Sign out", SignedInAs: "Signed in as", Language: "Language", Details: "Details",
		Film: "Watch it in use", User: "Name", Password: "Password", Submit: "Sign in"},
	"de": {Tagline: "Werkzeug für alle, denen die Krume wichtig ist.", Products: "Unser Sortiment",
		Login: "Anmelden", Logout: "Abmelden", SignedInAs: "Angemeldet als", Language: "Sprache",
		Details: "Details", Film: "So wird es benutzt", User: "Name", Password: "Passwort",
		Submit: "Anmelden"},
}

// shop is the demo's application: a handful of pages, a login backed by an
// in-memory session table, and a language switch.
type shop struct {
	mux  *http.ServeMux
	tmpl *template.Template
	log  *slog.Logger

	// settingsLink renders the link to the consent settings for the
	// footer; nil shows none.
	settingsLink func(*http.Request) template.HTML

	mu       sync.Mutex
	sessions map[string]string // session token -> user name
}

// newShop builds the shop's handler. logger may be nil.
func newShop(logger *slog.Logger) *shop {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &shop{
		mux:      http.NewServeMux(),
		tmpl:     template.Must(template.New("page").Parse(pageTemplate)),
		log:      logger,
		sessions: make(map[string]string),
	}
	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.HandleFunc("GET /product/{id}", s.product)
	s.mux.HandleFunc("GET /login", s.loginForm)
	s.mux.HandleFunc("POST /login", s.login)
	s.mux.HandleFunc("POST /logout", s.logout)
	s.mux.HandleFunc("POST /lang", s.setLang)
	s.mux.HandleFunc("GET /static/shop.css", serveCSS(shopCSS))
	s.mux.HandleFunc("GET /static/theme.css", serveCSS(themeCSS))
	return s
}

func (s *shop) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// page is what the layout template renders.
type page struct {
	Title    string
	Lang     string
	W        words
	User     string
	Path     string // where the language switch returns to
	Products []product
	Product  *product
	Next     string // the login form's return path
	Error    string
	Settings template.HTML // the link to the consent settings, when they are mounted
}

func (s *shop) newPage(r *http.Request, title string) *page {
	lang := "en"
	if c, err := r.Cookie("lang"); err == nil {
		if _, ok := dictionary[c.Value]; ok {
			lang = c.Value
		}
	}
	p := &page{Title: title, Lang: lang, W: dictionary[lang], User: s.user(r), Path: r.URL.RequestURI()}
	if s.settingsLink != nil {
		p.Settings = s.settingsLink(r)
	}
	return p
}

func (s *shop) render(w http.ResponseWriter, r *http.Request, status int, p *page) {
	tagServerSide(w, r)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := s.tmpl.Execute(w, p); err != nil {
		s.log.Error("render", "path", r.URL.Path, "err", err)
	}
}

func (s *shop) home(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Home")
	p.Products = products
	s.render(w, r, http.StatusOK, p)
}

func (s *shop) product(w http.ResponseWriter, r *http.Request) {
	prod, ok := findProduct(r.PathValue("id"))
	if !ok {
		p := s.newPage(r, "Not found")
		p.Error = "We do not sell that (yet)."
		s.render(w, r, http.StatusNotFound, p)
		return
	}
	p := s.newPage(r, prod.Name)
	p.Product = &prod
	s.render(w, r, http.StatusOK, p)
}

func (s *shop) loginForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Sign in")
	p.Next = localPath(r.URL.Query().Get("next"))
	s.render(w, r, http.StatusOK, p)
}

// login accepts any non-empty name: the demo is about the cookie it sets, a
// strictly necessary session cookie that no consent choice may remove.
func (s *shop) login(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	next := localPath(r.PostFormValue("next"))
	if name == "" || len(name) > 64 {
		p := s.newPage(r, "Sign in")
		p.Next = next
		p.Error = "Please give a name of at most 64 characters."
		s.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	token := randomHex(16)
	s.mu.Lock()
	s.sessions[token] = name
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "session", Value: token, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *shop) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie("session"); err == nil {
		s.mu.Lock()
		delete(s.sessions, c.Value)
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: "session", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// setLang stores the visitor's language in a preferences cookie.
func (s *shop) setLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	if _, ok := dictionary[lang]; ok {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}

func (s *shop) user(r *http.Request) string {
	c, err := r.Cookie("session")
	if err != nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[c.Value]
}

// tagServerSide does what server-side tagging setups do: it sets the
// analytics and advertising cookies from the server, so no browser-side
// blocker sees them coming. A visitor who already carries them keeps theirs.
func tagServerSide(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	set := func(name, value string, maxAge time.Duration) {
		if _, err := r.Cookie(name); err == nil {
			return
		}
		http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
			Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	}
	const day = 24 * time.Hour
	clientID := strconv.FormatUint(uint64(now.UnixNano())%1e10, 10) + "." + strconv.FormatInt(now.Unix(), 10)
	set("_ga", "GA1.1."+clientID, 400*day)
	set("_ga_"+strings.TrimPrefix(ga4ID, "G-"), "GS1.1."+strconv.FormatInt(now.Unix(), 10)+".1.0", 400*day)
	set("_gcl_au", "1.1."+strconv.FormatInt(now.UnixNano()%1e9, 10)+"."+strconv.FormatInt(now.Unix(), 10), 90*day)
	set("_fbp", "fb.1."+strconv.FormatInt(now.UnixMilli(), 10)+"."+strconv.FormatInt(now.UnixNano()%1e9, 10), 90*day)
}

// localPath returns p when it is a path on this site, and "/" otherwise, so
// that a crafted "next" or "back" cannot send the visitor elsewhere.
func localPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return p
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24
	return hex.EncodeToString(b)
}

func serveCSS(css string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		_, _ = io.WriteString(w, css)
	}
}
