package e2e

import (
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTrackers checks the fake tracker server over HTTPS without a browser:
// what each host answers, which cookies it sets, and that it records every
// request, known or not.
func TestTrackers(t *testing.T) {
	tr := NewTrackers()
	defer tr.Close()
	client := tr.Client()

	tests := []struct {
		url         string
		cookie      string // request cookie sent along, "" for none
		status      int
		contentType string
		setCookies  []string // name@domain, sorted
		bodyHas     string
	}{
		{url: "https://www.googletagmanager.com/gtag/js?id=G-X", status: 200, contentType: "text/javascript",
			bodyHas: "setCookie('_ga'"},
		{url: "https://www.googletagmanager.com/gtm.js?id=GTM-X", status: 200, contentType: "text/javascript",
			bodyHas: "setCookie('_gcl_au'"},
		{url: "https://connect.facebook.net/en_US/fbevents.js", status: 200, contentType: "text/javascript",
			bodyHas: "setCookie('_fbp'"},
		{url: "https://www.facebook.com/tr?id=1&ev=PageView", cookie: "fr=old", status: 200, contentType: "image/gif",
			setCookies: []string{"fr@facebook.com"}, bodyHas: "GIF89a"},
		{url: "https://stats.g.doubleclick.net/g/collect?v=2", status: 200, contentType: "image/gif",
			setCookies: []string{"IDE@doubleclick.net"}},
		{url: "https://www.google-analytics.com/g/collect?v=2", status: 204},
		{url: "https://px.ads.linkedin.com/collect/?pid=1", status: 200, contentType: "image/gif",
			setCookies: []string{"lidc@linkedin.com"}},
		{url: "https://www.youtube.com/embed/abc", status: 200, contentType: "text/html",
			setCookies: []string{"VISITOR_INFO1_LIVE@youtube.com", "YSC@youtube.com"}},
		{url: "https://www.youtube-nocookie.com/embed/abc", status: 200, contentType: "text/html"},
		{url: "https://www.googletagmanager.com/unknown", status: 404, contentType: "text/plain"},
		{url: "https://unlisted.example/", status: 404, contentType: "text/plain"},
	}
	var want []Hit
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, tt.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.cookie != "" {
				req.Header.Set("Cookie", tt.cookie)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type %q, want %q", ct, tt.contentType)
			}
			var set []string
			for _, c := range resp.Cookies() {
				set = append(set, c.Name+"@"+c.Domain)
				if c.SameSite != http.SameSiteNoneMode || !c.Secure {
					t.Errorf("cookie %s is not SameSite=None; Secure, so a browser would not keep it cross-site", c.Name)
				}
			}
			sort.Strings(set)
			if diff := cmp.Diff(tt.setCookies, set); diff != "" {
				t.Errorf("Set-Cookie (-want +got):\n%s", diff)
			}
			if !strings.Contains(string(body), tt.bodyHas) {
				t.Errorf("body does not contain %q:\n%.200s", tt.bodyHas, body)
			}
		})
		u := strings.TrimPrefix(tt.url, "https://")
		host, rest, _ := strings.Cut(u, "/")
		path, query, _ := strings.Cut("/"+rest, "?")
		h := Hit{Host: host, Path: path, Query: query}
		if tt.cookie != "" {
			h.Cookies = []string{strings.Split(tt.cookie, "=")[0]}
		}
		want = append(want, h)
	}
	if diff := cmp.Diff(want, tr.Hits()); diff != "" {
		t.Errorf("recorded hits (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[len(want)-2:], tr.HitsSince(len(want)-2)); diff != "" {
		t.Errorf("HitsSince (-want +got):\n%s", diff)
	}
	if got := tr.HitsSince(len(want) + 5); len(got) != 0 {
		t.Errorf("HitsSince past the end = %v, want none", got)
	}
}
