package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestVariantsServeWhatTheyClaim drives each variant briefly in-process
// and checks that the figures come from the pages they name: bare serves
// the trackers live, the undecided visitor gets the banner and inert
// trackers, the accepted visitor gets them live again, and the counters
// agree with what the clients saw.
func TestVariantsServeWhatTheyClaim(t *testing.T) {
	page := Page(30_000)
	if len(page) < 29_000 || len(page) > 31_000 {
		t.Fatalf("Page(30000) is %d bytes", len(page))
	}
	s, err := newServers(page, bytes.Repeat([]byte("k"), 32))
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Second}
	cfg := config{Clients: 2, Phase: 100 * time.Millisecond, Rounds: 1,
		Bare: s.bare.Addr().String(), Crumb: s.crumb.Addr().String(), Stats: s.stats.Addr().String()}
	accepted, err := acceptAll(client, cfg.Crumb)
	if err != nil {
		t.Fatal(err)
	}

	const liveTag = `<script async src="https://www.googletagmanager.com/gtag/js`
	for _, tt := range []struct {
		v          variant
		live, bann bool
	}{
		{variant{Name: "bare", Addr: cfg.Bare}, true, false},
		{variant{Name: "undecided", Addr: cfg.Crumb}, false, true},
		{variant{Name: "accepted", Addr: cfg.Crumb, Cookie: accepted}, true, false},
	} {
		req, _ := http.NewRequest("GET", "http://"+tt.v.Addr+"/", nil)
		req.Header.Set("Sec-Fetch-Dest", "document")
		if tt.v.Cookie != "" {
			req.Header.Set("Cookie", tt.v.Cookie)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if got := strings.Contains(string(body), liveTag); got != tt.live {
			t.Errorf("%s: tag live = %v, want %v", tt.v.Name, got, tt.live)
		}
		if got := strings.Contains(string(body), `crumb-banner`); got != tt.bann {
			t.Errorf("%s: banner present = %v, want %v", tt.v.Name, got, tt.bann)
		}
	}

	res, err := measure(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range res.Variants {
		p := res.Phases[i][0]
		if p.Requests == 0 || p.Errors != 0 {
			t.Errorf("%s: %d requests, %d errors", v.Name, p.Requests, p.Errors)
		}
		// The stats are read after the clients stopped, so the server
		// counted exactly what they received.
		if p.Served != int64(p.Requests) {
			t.Errorf("%s: the server counted %d responses, the clients %d", v.Name, p.Served, p.Requests)
		}
		if p.Writes < p.Served {
			t.Errorf("%s: %d writes for %d responses", v.Name, p.Writes, p.Served)
		}
	}
	var out strings.Builder
	report(&out, res)
	table, budget, _ := strings.Cut(out.String(), "\n\n")
	if n := strings.Count(table, "\n"); n != 3 {
		t.Errorf("report's table has %d lines, want a header and 3 variants:\n%s", n+1, out.String())
	}
	for _, want := range []string{"for 0.8x bare, crumb may add", "for 0.9x bare", "crumb, undecided (banner) adds", "crumb, accepted all adds"} {
		if !strings.Contains(budget, want) {
			t.Errorf("report's budget lacks %q:\n%s", want, out.String())
		}
	}
}
