package main

// With -trackers the demo also runs stand-ins for the tracker hosts its pages
// name, so that the effect of consent can be watched offline: the scripts set
// the cookies the real ones set, and every hit is logged. A browser reaches
// them only if it is told to resolve those hosts to this machine, for example
// with Chromium's --host-resolver-rules (printWelcome prints the command).
//
// The pages keep their real https:// URLs, so that they are what a real
// visitor gets, and the stand-ins speak HTTPS with a certificate made at
// start. No browser trusts it, hence --ignore-certificate-errors on a
// throw-away profile. Rewriting the URLs to plain http would not be simpler:
// several of these hosts are on the browsers' HSTS preload lists, so the
// browser would insist on HTTPS anyway.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// standInHosts are the hosts the stand-ins answer for: those the shop's pages
// load from, and those the stand-in scripts send their hits to.
var standInHosts = []string{
	"www.googletagmanager.com",
	"www.google-analytics.com",
	"connect.facebook.net",
	"www.facebook.com",
	"www.youtube.com",
	"www.youtube-nocookie.com",
	"px.ads.linkedin.com",
}

// hit is one request a stand-in received.
type hit struct {
	At      time.Time
	Host    string
	URL     string
	Referer string
	Cookies int // how many cookies the browser sent along
}

// trackerStandIns serves every stand-in host, choosing by the Host header,
// and keeps the latest hits for its index page.
type trackerStandIns struct {
	log *slog.Logger

	mu   sync.Mutex
	hits []hit // newest last, at most maxHits
}

const maxHits = 200

func newTrackerStandIns(logger *slog.Logger) *trackerStandIns {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &trackerStandIns{log: logger}
}

func (t *trackerStandIns) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	if !isStandInHost(host) {
		t.index(w, r)
		return
	}
	t.record(hit{At: time.Now(), Host: host, URL: host + r.URL.RequestURI(), Referer: r.Referer(), Cookies: len(r.Cookies())})

	switch p := r.URL.Path; {
	case host == "www.googletagmanager.com" && p == "/gtag/js":
		serveJS(w, gtagStandIn)
	case host == "www.googletagmanager.com" && p == "/gtm.js":
		serveJS(w, gtmStandIn)
	case host == "www.googletagmanager.com" && p == "/ns.html":
		serveHTML(w, "<!doctype html><title>GTM</title><p>Tag Manager (no-script stand-in)")
	case host == "connect.facebook.net" && strings.HasSuffix(p, "/fbevents.js"):
		serveJS(w, fbeventsStandIn)
	case host == "www.facebook.com" && (p == "/tr" || p == "/tr/"):
		setThirdPartyCookie(w, "fr", "0demo"+randomHex(8), 90*24*time.Hour)
		serveGIF(w)
	case host == "px.ads.linkedin.com" && strings.HasPrefix(p, "/collect"):
		setThirdPartyCookie(w, "lidc", "b=DEMO:s=O:r=O:a=O:p=O:g=1", 24*time.Hour)
		serveGIF(w)
	case host == "www.google-analytics.com" && strings.HasSuffix(p, "/collect"):
		w.WriteHeader(http.StatusNoContent)
	case (host == "www.youtube.com" || host == "www.youtube-nocookie.com") && strings.HasPrefix(p, "/embed/"):
		if host == "www.youtube.com" {
			setThirdPartyCookie(w, "YSC", randomHex(6), 0)
			setThirdPartyCookie(w, "VISITOR_INFO1_LIVE", randomHex(8), 180*24*time.Hour)
		}
		serveHTML(w, `<!doctype html><title>YouTube</title>
<style>body{margin:0;display:grid;place-items:center;height:100vh;background:#111;color:#eee;font:16px system-ui}</style>
<p>&#9654; YouTube player stand-in for <b>`+template.HTMLEscapeString(strings.TrimPrefix(p, "/embed/"))+`</b></p>`)
	default:
		http.NotFound(w, r)
	}
}

func isStandInHost(host string) bool {
	for _, h := range standInHosts {
		if h == host {
			return true
		}
	}
	return false
}

func (t *trackerStandIns) record(h hit) {
	t.log.Info("tracker stand-in hit", "url", "https://"+h.URL, "cookies", h.Cookies, "page", h.Referer)
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.hits) == maxHits {
		t.hits = append(t.hits[:0], t.hits[1:]...)
	}
	t.hits = append(t.hits, h)
}

var indexTemplate = template.Must(template.New("index").Parse(`<!doctype html>
<meta charset="utf-8"><title>Tracker stand-ins</title>
<style>body{font:15px system-ui;margin:2rem}td,th{padding:.2rem .6rem;text-align:left}</style>
<h1>Tracker stand-ins</h1>
<p>{{len .}} hits so far, newest first. Reload after browsing the shop.</p>
<table><tr><th>time</th><th>URL</th><th>cookies sent</th><th>page</th></tr>
{{range .}}<tr><td>{{.At.Format "15:04:05"}}</td><td>{{.URL}}</td><td>{{.Cookies}}</td><td>{{.Referer}}</td></tr>
{{end}}</table>`))

// index lists the hits, newest first, for any host that is not a stand-in.
func (t *trackerStandIns) index(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	t.mu.Lock()
	hits := make([]hit, len(t.hits))
	for i, h := range t.hits {
		hits[len(hits)-1-i] = h
	}
	t.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := indexTemplate.Execute(w, hits); err != nil {
		t.log.Error("stand-in index", "err", err)
	}
}

// setThirdPartyCookie sets a cookie the way trackers do from their own host:
// cross-site, so SameSite=None and Secure.
func setThirdPartyCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		Secure: true, HttpOnly: true, SameSite: http.SameSiteNoneMode})
}

func serveJS(w http.ResponseWriter, src string) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, src)
}

func serveHTML(w http.ResponseWriter, doc string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = io.WriteString(w, doc)
}

// gif1x1 is a transparent 1×1 GIF, the body of every tracking pixel.
var gif1x1 = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

func serveGIF(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "image/gif")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(gif1x1)
}

// The stand-in scripts set, from the page, the first-party cookies the real
// ones set, and send one hit home so that it shows in the log.
const standInHelpers = `
  function crumbDemoHas(name) {
    return document.cookie.split('; ').some(function (c) { return c.indexOf(name + '=') === 0; });
  }
  function crumbDemoSet(name, value, days) {
    if (!crumbDemoHas(name)) document.cookie = name + '=' + value + '; path=/; max-age=' + days * 86400 + '; samesite=lax';
  }
  var now = Math.floor(Date.now() / 1000);
  var rnd = Math.floor(Math.random() * 1e9);
`

const gtagStandIn = `/* crumb demo: stand-in for gtag.js */
(function () {` + standInHelpers + `
  var src = document.currentScript ? document.currentScript.src : '';
  var id = (src.match(/[?&]id=([^&]+)/) || [])[1] || 'G-UNKNOWN';
  crumbDemoSet('_ga', 'GA1.1.' + rnd + '.' + now, 400);
  crumbDemoSet('_ga_' + id.replace(/^G-/, ''), 'GS1.1.' + now + '.1.0', 400);
  new Image().src = 'https://www.google-analytics.com/g/collect?v=2&tid=' + encodeURIComponent(id) +
    '&en=page_view&dl=' + encodeURIComponent(location.href);
  console.log('crumb demo: gtag.js stand-in ran for ' + id);
})();
`

const gtmStandIn = `/* crumb demo: stand-in for gtm.js */
(function () {` + standInHelpers + `
  crumbDemoSet('_gcl_au', '1.1.' + rnd + '.' + now, 90);
  console.log('crumb demo: gtm.js stand-in ran');
})();
`

const fbeventsStandIn = `/* crumb demo: stand-in for fbevents.js */
(function () {` + standInHelpers + `
  crumbDemoSet('_fbp', 'fb.1.' + Date.now() + '.' + rnd, 90);
  var pixel = '';
  function send(args) {
    if (args[0] === 'init') { pixel = args[1]; return; }
    new Image().src = 'https://www.facebook.com/tr?id=' + encodeURIComponent(pixel) + '&ev=' +
      encodeURIComponent(args[1] || '') + '&dl=' + encodeURIComponent(location.href);
  }
  var q = window.fbq;
  if (!q) return;
  var queued = q.queue || [];
  q.callMethod = function () { send(arguments); };
  for (var i = 0; i < queued.length; i++) send(queued[i]);
  console.log('crumb demo: fbevents.js stand-in ran');
})();
`

// newTrackerServer returns an HTTPS server for the stand-ins with a
// self-signed certificate naming every stand-in host.
func newTrackerServer(addr string, logger *slog.Logger) (*http.Server, error) {
	cert, err := selfSignedCert(append([]string{"localhost", "127.0.0.1"}, standInHosts...))
	if err != nil {
		return nil, fmt.Errorf("tracker stand-ins: %w", err)
	}
	return &http.Server{
		Addr:              addr,
		Handler:           newTrackerStandIns(logger),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
	}, nil
}

func selfSignedCert(names []string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "crumb demo tracker stand-ins"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(7 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// chromiumCommand is the command line that starts a throw-away Chromium
// whose resolver sends every stand-in host to the stand-in server.
func chromiumCommand(shopAddr, trackersAddr string) string {
	host, port, err := net.SplitHostPort(trackersAddr)
	if err != nil {
		host, port = trackersAddr, "443"
	}
	if host == "" || host == "localhost" {
		host = "127.0.0.1"
	}
	rules := make([]string, len(standInHosts))
	for i, h := range standInHosts {
		rules[i] = "MAP " + h + " " + net.JoinHostPort(host, port)
	}
	return fmt.Sprintf(`chromium --user-data-dir="$(mktemp -d)" --ignore-certificate-errors --host-resolver-rules=%q http://%s/`,
		strings.Join(rules, ", "), shopAddr)
}
