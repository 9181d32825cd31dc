// Command proxy puts crumb in front of any existing site, whatever it is
// written in: it forwards every request to -upstream and enforces the
// visitor's consent on the way back, on cookies and on HTML.
//
//	go run ./examples/proxy -upstream http://127.0.0.1:3000 -addr localhost:8080
//
// The consent cookie is signed with keys from CRUMB_KEYS (comma-separated,
// base64 or hex, at least 32 bytes each, newest first); without it the proxy
// makes a key at start, and a restart forgets every earlier choice.
//
// Compression: crumb can only rewrite a body it can read, so the proxy drops
// the client's Accept-Encoding and Range from the forwarded request. Go's
// Transport then asks the upstream for gzip by itself and decodes it before
// crumb reads the body; no other encoding is requested. Put a compressing
// server in front of the proxy if the wire to the visitor should be
// compressed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/crumbhq/crumb/consent"
	"github.com/crumbhq/crumb/examples/internal/keys"
)

const keysEnv = "CRUMB_KEYS"

func main() {
	addr := flag.String("addr", "localhost:8080", "address the proxy listens on")
	upstream := flag.String("upstream", "http://127.0.0.1:3000", "base URL of the site to put crumb in front of")
	necessary := flag.String("necessary", "", "comma-separated names of the upstream's strictly necessary cookies (session, CSRF); crumb refuses cookies it cannot classify")
	necessaryHosts := flag.String("necessary-hosts", "", "comma-separated third-party hosts the upstream's pages cannot work without (its CDN, payment widgets); crumb's content policy refuses every other third-party host until the visitor consents")
	secure := flag.Bool("secure", false, "serve the consent cookie with Secure and the __Host- prefix (when clients reach the proxy over HTTPS)")
	flag.Parse()
	cfg := proxyConfig{Secure: *secure}
	for _, n := range strings.Split(*necessary, ",") {
		if n = strings.TrimSpace(n); n != "" {
			cfg.Necessary = append(cfg.Necessary, n)
		}
	}
	for _, h := range strings.Split(*necessaryHosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			cfg.NecessaryHosts = append(cfg.NecessaryHosts, h)
		}
	}
	if err := run(*addr, *upstream, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "proxy:", err)
		os.Exit(1)
	}
}

func run(addr, upstream string, cfg proxyConfig, out io.Writer) error {
	target, err := parseUpstream(upstream)
	if err != nil {
		return err
	}
	signing, err := keys.Parse(os.Getenv(keysEnv))
	if err != nil {
		return fmt.Errorf("%s: %w", keysEnv, err)
	}
	if signing == nil {
		signing = [][]byte{keys.Random()}
		fmt.Fprintf(out, "warning: %s is not set; consent cookies are signed with a key made just now,\n"+
			"         so a restart invalidates every earlier consent.\n\n", keysEnv)
	}
	cfg.Upstream, cfg.Keys = target, signing
	cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	h, err := newProxy(cfg)
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	fmt.Fprintf(out, "crumb proxy: http://%s/ -> %s\n", addr, target)
	if len(cfg.Necessary) == 0 {
		fmt.Fprintln(out, "note: no -necessary cookies declared; the upstream's session cookies are refused until the visitor accepts")
	}
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdownCtx)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// proxyConfig is what newProxy needs.
type proxyConfig struct {
	Upstream  *url.URL
	Keys      [][]byte // newest first
	Necessary []string // the upstream's strictly necessary cookie names
	// NecessaryHosts are third-party hosts the upstream's pages need
	// before any choice (a CDN, payment widgets).
	NecessaryHosts []string
	Secure         bool // clients reach the proxy over HTTPS
	Logger         *slog.Logger
}

// newProxy returns the proxy's whole handler: a reverse proxy to the
// upstream, wrapped by crumb's middleware.
//
// Why the middleware around the proxy rather than a ModifyResponse hook:
// the middleware sees the request too, so it can hide refused cookies from
// the upstream and delete them, and it rewrites HTML as it streams through
// the same interceptor every Go handler gets. What it cannot see is the
// response to a protocol upgrade (WebSocket): ReverseProxy hijacks the
// connection first and writes those headers itself, so m.ModifyResponse
// judges the Set-Cookie lines of 101 responses.
func newProxy(cfg proxyConfig) (http.Handler, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	keys := make([]consent.Key, len(cfg.Keys))
	for i, k := range cfg.Keys {
		keys[i] = consent.Key{Hash: k}
	}
	cats := consent.DefaultCategories()
	if len(cfg.Necessary) > 0 || len(cfg.NecessaryHosts) > 0 {
		nec := consent.Category{Name: consent.NecessaryName, Hosts: cfg.NecessaryHosts}
		for _, n := range cfg.Necessary {
			nec.Cookies = append(nec.Cookies, consent.Cookie{Name: n})
		}
		cats = append([]consent.Category{nec}, cats...)
	}
	m, err := consent.New(consent.Config{Keys: keys, Categories: cats, Insecure: !cfg.Secure, Logger: logger})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	// crumb's banner, preferences page and decision endpoint are served by
	// the proxy itself; mounting them also makes the middleware inject the
	// banner into the upstream's pages.
	mux.Handle(consent.DefaultHandlerPrefix, m.Handler())
	mux.Handle("/", newReverseProxy(cfg.Upstream, m, logger))
	return m.Middleware(mux), nil
}

// newReverseProxy forwards to upstream, asking for bodies crumb can rewrite.
func newReverseProxy(upstream *url.URL, m *consent.Manager, logger *slog.Logger) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(upstream)
			pr.SetXForwarded()
			// An encoded or partial body cannot be rewritten, and crumb would
			// let it pass unenforced; ask for the whole, plain body instead.
			// The Transport may then ask for gzip on its own, but it decodes
			// that transparently, so crumb still reads identity.
			pr.Out.Header.Del("Accept-Encoding")
			pr.Out.Header.Del("Range")
			pr.Out.Header.Del("If-Range")
		},
		// Behind m.Middleware this only judges the Set-Cookie lines of
		// upgrade (101) responses, the one thing the middleware cannot see.
		ModifyResponse: m.ModifyResponse,
		ErrorLog:       slog.NewLogLogger(logger.Handler(), slog.LevelError),
	}
}

func parseUpstream(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("upstream: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("upstream %q: want an absolute http or https URL", s)
	}
	return u, nil
}
