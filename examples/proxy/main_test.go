package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// upstreamSeen is what the upstream test server saw of one request.
type upstreamSeen struct {
	AcceptEncoding, Range, IfRange string
	Cookies                        []string
}

const upstreamPage = `<!doctype html><title>upstream</title>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-DEMO123"></script>
<p>hello from upstream`

// startProxy runs an upstream that sets a necessary session cookie, two
// tracking cookies and one nobody knows, and a crumb proxy in front of it.
func startProxy(t *testing.T) (proxyURL string, seen chan upstreamSeen) {
	t.Helper()
	seen = make(chan upstreamSeen, 16)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var names []string
		for _, c := range r.Cookies() {
			names = append(names, c.Name)
		}
		slices.Sort(names)
		seen <- upstreamSeen{r.Header.Get("Accept-Encoding"), r.Header.Get("Range"), r.Header.Get("If-Range"), names}
		for _, name := range []string{"sid", "_ga", "_fbp", "mystery"} {
			http.SetCookie(w, &http.Cookie{Name: name, Value: "v", Path: "/"})
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// Like any compressing server: gzip when the request allows it.
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			defer zw.Close()
			io.WriteString(zw, upstreamPage)
			return
		}
		io.WriteString(w, upstreamPage)
	}))
	t.Cleanup(upstream.Close)
	u, _ := url.Parse(upstream.URL)
	h, err := newProxy(proxyConfig{Upstream: u, Keys: [][]byte{bytes.Repeat([]byte{3}, 32)}, Necessary: []string{"sid"}})
	if err != nil {
		t.Fatal(err)
	}
	proxy := httptest.NewServer(h)
	t.Cleanup(proxy.Close)
	return proxy.URL, seen
}

func setNames(cs []*http.Cookie) (set, deleted []string) {
	for _, c := range cs {
		if c.MaxAge < 0 {
			deleted = append(deleted, c.Name)
		} else {
			set = append(set, c.Name)
		}
	}
	slices.Sort(set)
	slices.Sort(deleted)
	return set, slices.Compact(deleted)
}

func TestProxyEnforcesConsent(t *testing.T) {
	proxyURL, seen := startProxy(t)
	req, _ := http.NewRequest(http.MethodGet, proxyURL+"/page", nil)
	req.Header.Set("Accept-Encoding", "gzip, br")
	req.Header.Set("Range", "bytes=0-9")
	req.Header.Set("If-Range", `"x"`)
	req.AddCookie(&http.Cookie{Name: "sid", Value: "1"})
	req.AddCookie(&http.Cookie{Name: "_ga", Value: "GA1.1.1.1"})
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gzip
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	// The client's "gzip, br" and its Range never reach the upstream. The
	// proxy's Transport may ask for gzip on its own: it decodes that itself,
	// so crumb still gets identity.
	got := <-seen
	if got.AcceptEncoding != "" && got.AcceptEncoding != "gzip" {
		t.Errorf("upstream saw Accept-Encoding %q, want none or the Transport's own gzip", got.AcceptEncoding)
	}
	got.AcceptEncoding = ""
	want := upstreamSeen{Cookies: []string{"sid"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("upstream saw (-want +got):\n%s", diff)
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "hello from upstream") {
		t.Errorf("status %d, body %q: want the whole upstream page", resp.StatusCode, body)
	}
	if ce := resp.Header.Get("Content-Encoding"); ce != "" {
		t.Errorf("Content-Encoding %q, want identity", ce)
	}
	// The upstream compressed its page, and crumb still rewrote it: the
	// Google tag no longer loads for an undecided visitor.
	if strings.Contains(string(body), `<script async src="https://www.googletagmanager.com/`) {
		t.Errorf("the Google tag is live in the proxied page:\n%s", body)
	}
	if !strings.Contains(string(body), "googletagmanager.com/gtag/js") {
		t.Errorf("the Google tag vanished instead of being made inert:\n%s", body)
	}
	if !strings.Contains(string(body), `/consent/decide" data-crumb-form`) {
		t.Errorf("the proxied page carries no banner:\n%s", body)
	}
	set, deleted := setNames(resp.Cookies())
	if diff := cmp.Diff([]string{"sid"}, set); diff != "" {
		t.Errorf("cookies set for an undecided visitor (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"_ga"}, deleted); diff != "" {
		t.Errorf("cookies deleted (-want +got):\n%s", diff)
	}
}

// ReverseProxy writes the headers of a 101 itself after hijacking, out of
// the middleware's reach; ModifyResponse must have judged its Set-Cookie
// lines: the refused one dropped, the necessary one kept.
func TestProxyFiltersCookiesOfUpgrade(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "Upgrade")
		w.Header().Set("Upgrade", "demo")
		w.Header().Add("Set-Cookie", "_ga=GA1.1.1.1; Path=/")
		w.Header()["set-cookie"] = []string{"_fbp=fb.1.1.1; Path=/"}
		w.Header().Add("Set-Cookie", "sid=1; Path=/; HttpOnly")
		w.WriteHeader(http.StatusSwitchingProtocols)
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		brw.WriteString("ping")
		brw.Flush()
	}))
	t.Cleanup(upstream.Close)
	u, _ := url.Parse(upstream.URL)
	h, err := newProxy(proxyConfig{Upstream: u, Keys: [][]byte{bytes.Repeat([]byte{3}, 32)}, Necessary: []string{"sid"}})
	if err != nil {
		t.Fatal(err)
	}
	proxy := httptest.NewServer(h)
	t.Cleanup(proxy.Close)

	conn, err := net.Dial("tcp", strings.TrimPrefix(proxy.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(conn, "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: demo\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("status %d, want 101", resp.StatusCode)
	}
	if diff := cmp.Diff([]string{"sid=1; Path=/; HttpOnly"}, resp.Header.Values("Set-Cookie")); diff != "" {
		t.Errorf("Set-Cookie of the upgrade response (-want +got):\n%s", diff)
	}
}

func TestParseUpstream(t *testing.T) {
	for in, wantErr := range map[string]bool{
		"http://127.0.0.1:3000":   false,
		"https://example.com/app": false,
		"127.0.0.1:3000":          true,
		"ftp://example.com":       true,
		"http://":                 true,
		"::":                      true,
	} {
		if _, err := parseUpstream(in); (err != nil) != wantErr {
			t.Errorf("parseUpstream(%q) error %v, want error %v", in, err, wantErr)
		}
	}
}

// The banner's decision endpoint is the proxy's own: after Accept all the
// upstream's tracking cookies pass, and it sees them again.
func TestProxyAcceptAll(t *testing.T) {
	proxyURL, seen := startProxy(t)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(proxyURL+"/consent/decide", url.Values{"action": {"accept"}, "return": {"/page"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/page" {
		t.Fatalf("accept: status %d, Location %q; want 303 to /page", resp.StatusCode, resp.Header.Get("Location"))
	}
	if len(seen) != 0 {
		t.Error("the decision was forwarded to the upstream")
	}
	resp, err = client.Get(proxyURL + "/page")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	<-seen
	set, _ := setNames(resp.Cookies())
	// "mystery" is in no category and no catalog: refused until the
	// visitor grants every category, as here.
	if diff := cmp.Diff([]string{"_fbp", "_ga", "mystery", "sid"}, set); diff != "" {
		t.Errorf("cookies after accept all (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(body), `<script async src="https://www.googletagmanager.com/gtag/js?id=G-DEMO123">`) {
		t.Errorf("after accept all, the Google tag is not live:\n%s", body)
	}
	if resp, err = client.Get(proxyURL + "/page"); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := (<-seen).Cookies; !slices.Contains(got, "_ga") {
		t.Errorf("upstream did not get _ga back after accept all (got %v)", got)
	}
}
