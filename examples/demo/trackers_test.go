package main

import (
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The stand-ins answer by Host header, set the cookies the real hosts set,
// and list every hit on their index page.
func TestTrackerStandIns(t *testing.T) {
	ts := httptest.NewTLSServer(newTrackerStandIns(nil))
	t.Cleanup(ts.Close)
	srv, client := ts.URL, ts.Client()
	tests := []struct {
		host, path  string
		status      int
		contentType string
		cookies     []string
		body        string
	}{
		{"www.googletagmanager.com", "/gtag/js?id=G-DEMO123", 200, "text/javascript; charset=utf-8", nil, "_ga"},
		{"www.googletagmanager.com", "/gtm.js?id=GTM-DEMO", 200, "text/javascript; charset=utf-8", nil, "_gcl_au"},
		{"www.googletagmanager.com", "/ns.html?id=GTM-DEMO", 200, "text/html; charset=utf-8", nil, "Tag Manager"},
		{"connect.facebook.net", "/en_US/fbevents.js", 200, "text/javascript; charset=utf-8", nil, "_fbp"},
		{"www.facebook.com", "/tr?id=1234&ev=PageView&noscript=1", 200, "image/gif", []string{"fr"}, "GIF89a"},
		{"px.ads.linkedin.com", "/collect/?pid=5678&fmt=gif", 200, "image/gif", []string{"lidc"}, "GIF89a"},
		{"www.google-analytics.com", "/g/collect?v=2", 204, "", nil, ""},
		{"www.youtube.com", "/embed/crumbDemo01", 200, "text/html; charset=utf-8", []string{"YSC", "VISITOR_INFO1_LIVE"}, "crumbDemo01"},
		{"www.youtube-nocookie.com", "/embed/crumbDemo01", 200, "text/html; charset=utf-8", nil, "crumbDemo01"},
		{"www.facebook.com", "/other", 404, "text/plain; charset=utf-8", nil, "404"},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(http.MethodGet, srv+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = tt.host
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var names []string
		for _, c := range resp.Cookies() {
			names = append(names, c.Name)
			if !c.Secure || c.SameSite != http.SameSiteNoneMode {
				t.Errorf("%s%s: cookie %s is not a third-party one (Secure, SameSite=None)", tt.host, tt.path, c.Name)
			}
		}
		got := struct {
			Status      int
			ContentType string
			Cookies     []string
		}{resp.StatusCode, resp.Header.Get("Content-Type"), names}
		want := struct {
			Status      int
			ContentType string
			Cookies     []string
		}{tt.status, tt.contentType, tt.cookies}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s%s (-want +got):\n%s", tt.host, tt.path, diff)
		}
		if !strings.Contains(string(body), tt.body) {
			t.Errorf("%s%s: body lacks %q", tt.host, tt.path, tt.body)
		}
	}

	resp, err := client.Get(srv + "/")
	if err != nil {
		t.Fatal(err)
	}
	index, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(index), strconv.Itoa(len(tests))+" hits so far") {
		t.Errorf("index does not count %d hits:\n%s", len(tests), index)
	}
	for _, want := range []string{"www.facebook.com/tr?id=1234&amp;ev=PageView", "px.ads.linkedin.com/collect/"} {
		if !strings.Contains(string(index), want) {
			t.Errorf("index lacks %q", want)
		}
	}
}

// The certificate names every stand-in host, so a browser told to ignore
// only the unknown issuer still sees the right names.
func TestSelfSignedCertNamesHosts(t *testing.T) {
	cert, err := selfSignedCert(append([]string{"127.0.0.1"}, standInHosts...))
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range append([]string{"127.0.0.1"}, standInHosts...) {
		if err := leaf.VerifyHostname(h); err != nil {
			t.Errorf("certificate does not cover %s: %v", h, err)
		}
	}
	if err := leaf.VerifyHostname("example.com"); err == nil {
		t.Error("certificate covers example.com")
	}
}

func TestChromiumCommandMapsEveryHost(t *testing.T) {
	cmd := chromiumCommand("localhost:8080", "localhost:8443")
	for _, h := range standInHosts {
		if !strings.Contains(cmd, "MAP "+h+" 127.0.0.1:8443") {
			t.Errorf("command does not map %s:\n%s", h, cmd)
		}
	}
	for _, want := range []string{"--ignore-certificate-errors", "--user-data-dir=", " http://localhost:8080/"} {
		if !strings.Contains(cmd, want) {
			t.Errorf("command lacks %q:\n%s", want, cmd)
		}
	}
}
