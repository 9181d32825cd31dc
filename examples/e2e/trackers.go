package e2e

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// trackerHosts are the hosts the demo's pages load from, and those the fake
// scripts send their hits to. The browser is told to resolve each of them to
// the fake server; every other name fails to resolve.
var trackerHosts = []string{
	"www.googletagmanager.com",
	"www.google-analytics.com",
	"stats.g.doubleclick.net",
	"connect.facebook.net",
	"www.facebook.com",
	"px.ads.linkedin.com",
	"www.youtube.com",
	"www.youtube-nocookie.com",
}

// TrackerHosts returns the hosts a [Trackers] server answers for.
func TrackerHosts() []string { return slices.Clone(trackerHosts) }

// Hit is one request the fake tracker server received.
type Hit struct {
	Host    string   // from the Host header, without a port
	Path    string   // URL path
	Query   string   // raw query
	Cookies []string // names of the cookies the browser sent along, sorted
}

// URL returns the hit as host + path, the form failure messages print.
func (h Hit) URL() string { return h.Host + h.Path }

// Trackers is a fake of the third parties the demo embeds: one HTTPS server
// that answers for every host in [TrackerHosts], chosen by the Host header,
// and records every request it gets.
//
// Its scripts behave like the real ones in the ways a consent test can see:
// they set the first-party cookies the real ones set (_ga, _gcl_au, _fbp),
// fire the pixels the real ones fire, and those pixels set third-party
// cookies on the vendor's domain (IDE on doubleclick.net, fr on
// facebook.com). Each script also counts its runs in window.fakeTrackers, so
// a test can tell that a script was executed and not only fetched.
type Trackers struct {
	srv *httptest.Server

	mu   sync.Mutex
	hits []Hit
}

// NewTrackers starts the fake tracker server on a loopback port with a
// self-signed certificate; browsers must be told to ignore certificate
// errors. Close it when done.
func NewTrackers() *Trackers {
	t := &Trackers{}
	t.srv = httptest.NewUnstartedServer(t)
	// Browsers that drop a connection mid-handshake are not news.
	t.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	t.srv.StartTLS()
	return t
}

// Close shuts the server down.
func (t *Trackers) Close() { t.srv.Close() }

// Addr is the server's "127.0.0.1:port".
func (t *Trackers) Addr() string { return t.srv.Listener.Addr().String() }

// Client is an HTTP client that sends every request to the server, whatever
// the URL's host, and verifies the server's certificate (made by httptest
// for "example.com", whatever the host asked for).
func (t *Trackers) Client() *http.Client {
	c := t.srv.Client()
	tr := c.Transport.(*http.Transport).Clone()
	tr.TLSClientConfig.ServerName = "example.com"
	addr := t.Addr()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	c.Transport = tr
	return c
}

// ResolverRules is the value for Chromium's --host-resolver-rules that sends
// every tracker host to this server, and makes every other name except
// localhost unresolvable, so that nothing leaves the machine.
func (t *Trackers) ResolverRules() string {
	rules := make([]string, 0, len(trackerHosts)+2)
	for _, h := range trackerHosts {
		rules = append(rules, "MAP "+h+" "+t.Addr())
	}
	rules = append(rules, "MAP * ~NOTFOUND", "EXCLUDE localhost")
	return strings.Join(rules, ", ")
}

// Hits returns a copy of every request received so far, oldest first.
func (t *Trackers) Hits() []Hit {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.hits)
}

// HitsSince returns the requests received after the first n.
func (t *Trackers) HitsSince(n int) []Hit {
	t.mu.Lock()
	defer t.mu.Unlock()
	if n > len(t.hits) {
		n = len(t.hits)
	}
	return slices.Clone(t.hits[n:])
}

func (t *Trackers) record(r *http.Request) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	var names []string
	for _, c := range r.Cookies() {
		names = append(names, c.Name)
	}
	sort.Strings(names)
	t.mu.Lock()
	t.hits = append(t.hits, Hit{Host: strings.ToLower(host), Path: r.URL.Path, Query: r.URL.RawQuery, Cookies: names})
	t.mu.Unlock()
}

func (t *Trackers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t.record(r)
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	const day = 24 * time.Hour
	switch p := r.URL.Path; {
	case host == "www.googletagmanager.com" && p == "/gtag/js":
		serve(w, "text/javascript", gtagScript)
	case host == "www.googletagmanager.com" && p == "/gtm.js":
		serve(w, "text/javascript", gtmScript)
	case host == "www.googletagmanager.com" && p == "/ns.html":
		serve(w, "text/html", "<!doctype html><title>Tag Manager</title>")
	case host == "connect.facebook.net" && strings.HasSuffix(p, "/fbevents.js"):
		serve(w, "text/javascript", fbeventsScript)
	case host == "www.google-analytics.com" && strings.HasSuffix(p, "/collect"):
		w.WriteHeader(http.StatusNoContent)
	case host == "stats.g.doubleclick.net" && strings.HasSuffix(p, "/collect"):
		setThirdParty(w, "IDE", "fakeIDE", ".doubleclick.net", 390*day)
		serve(w, "image/gif", gif1x1)
	case host == "www.facebook.com" && (p == "/tr" || p == "/tr/"):
		setThirdParty(w, "fr", "fakefr", ".facebook.com", 90*day)
		serve(w, "image/gif", gif1x1)
	case host == "px.ads.linkedin.com" && strings.HasPrefix(p, "/collect"):
		setThirdParty(w, "lidc", "fakelidc", ".linkedin.com", day)
		serve(w, "image/gif", gif1x1)
	case host == "www.youtube.com" && strings.HasPrefix(p, "/embed/"):
		setThirdParty(w, "YSC", "fakeYSC", ".youtube.com", 0)
		setThirdParty(w, "VISITOR_INFO1_LIVE", "fakeVisitor", ".youtube.com", 180*day)
		serve(w, "text/html", "<!doctype html><title>Player</title><p>fake player")
	case host == "www.youtube-nocookie.com" && strings.HasPrefix(p, "/embed/"):
		serve(w, "text/html", "<!doctype html><title>Player</title><p>fake player")
	default:
		http.NotFound(w, r)
	}
}

// setThirdParty sets a cookie the way trackers do from their own domain:
// usable cross-site, hence SameSite=None and Secure.
func setThirdParty(w http.ResponseWriter, name, value, domain string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Domain: domain, Path: "/",
		MaxAge: int(maxAge.Seconds()), Secure: true, SameSite: http.SameSiteNoneMode})
}

func serve(w http.ResponseWriter, contentType, body string) {
	w.Header().Set("Content-Type", contentType)
	// A cached script would not show up as a hit the second time.
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, body)
}

// gif1x1 is a transparent 1×1 GIF, what tracking pixels answer with.
const gif1x1 = "GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"

// scriptPrelude is shared by the fake scripts: count the run, and set a
// first-party cookie unless the page already has it.
const scriptPrelude = `
  var runs = window.fakeTrackers = window.fakeTrackers || {};
  function count(name) { runs[name] = (runs[name] || 0) + 1; }
  function setCookie(name, value, days) {
    var has = document.cookie.split('; ').some(function (c) { return c.indexOf(name + '=') === 0; });
    if (!has) document.cookie = name + '=' + value + '; path=/; max-age=' + days * 86400 + '; samesite=lax';
  }
  function pixel(url) { new Image().src = url + (url.indexOf('?') < 0 ? '?' : '&') + 'dl=' + encodeURIComponent(location.href); }
`

const gtagScript = `/* fake gtag.js */
(function () {` + scriptPrelude + `
  count('gtag');
  setCookie('_ga', 'GA1.1.' + Date.now(), 400);
  pixel('https://www.google-analytics.com/g/collect?v=2&en=page_view');
  pixel('https://stats.g.doubleclick.net/g/collect?v=2');
})();
`

const gtmScript = `/* fake gtm.js */
(function () {` + scriptPrelude + `
  count('gtm');
  setCookie('_gcl_au', '1.1.' + Date.now(), 90);
})();
`

// fbeventsScript also drains the queue the inline Meta snippet builds, so a
// /tr hit with ev=PageView shows that the inline snippet ran too.
const fbeventsScript = `/* fake fbevents.js */
(function () {` + scriptPrelude + `
  count('fbevents');
  setCookie('_fbp', 'fb.1.' + Date.now(), 90);
  var q = window.fbq, id = '';
  if (!q) return;
  function send(args) {
    if (args[0] === 'init') { id = args[1]; return; }
    pixel('https://www.facebook.com/tr?id=' + encodeURIComponent(id) + '&ev=' + encodeURIComponent(args[1] || ''));
  }
  var queued = q.queue || [];
  q.callMethod = function () { send(arguments); };
  for (var i = 0; i < queued.length; i++) send(queued[i]);
})();
`
