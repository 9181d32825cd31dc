// Command demo runs Crumb & Co., a small shop that carries what real sites
// carry (a login session, a language preference, Google Analytics 4 and Tag
// Manager, the Meta Pixel, a YouTube player, a LinkedIn pixel, and cookies
// set straight from the server), wrapped by crumb so that the visitor's
// consent decides which of them reach the browser.
//
//	go run ./examples/demo                # http://localhost:8080/
//	go run ./examples/demo -trackers      # plus local stand-ins for the tracker hosts
//
// The consent cookie is signed with keys from CRUMB_KEYS (comma-separated,
// base64 or hex, at least 32 bytes each, newest first). Without it the demo
// makes a key at start, so a restart forgets every earlier choice.
//
// Every decision is recorded in a FileStore under -data (default: crumb-demo
// in the user's cache directory); the operator's look-up of the records is
// at /admin/records, signed in as admin with the token printed at start.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/crumbhq/crumb/consent"
	"github.com/crumbhq/crumb/examples/internal/keys"
	"github.com/crumbhq/crumb/examples/internal/listen"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "address the shop listens on")
	trackers := flag.Bool("trackers", false, "also serve local stand-ins for the tracker hosts on -trackers-addr")
	trackersAddr := flag.String("trackers-addr", "localhost:8443", "address of the tracker stand-ins (HTTPS, self-signed)")
	data := flag.String("data", defaultDataDir(), "data directory of the consent record store")
	cloudflare := flag.Bool("cloudflare-regions", false, "trust Cloudflare's CF-IPCountry and CF-Region-Code headers to pick the regime (opt-in for the EU, UK and Switzerland, opt-out for the US states with privacy laws, a notice elsewhere); only behind Cloudflare, or for testing with headers you set")
	flag.Parse()
	if err := run(*addr, *trackers, *trackersAddr, *data, *cloudflare, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(addr string, withTrackers bool, trackersAddr, dataDir string, cloudflare bool, out io.Writer) error {
	signing, err := keys.FromEnv(os.Getenv, out)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	store, err := consent.OpenFileStore(dataDir)
	if err != nil {
		return fmt.Errorf("%w (choose another directory with -data)", err)
	}
	defer store.Close()
	token := newAdminToken()
	h, err := newDemo(demoConfig{Keys: signing, Logger: logger, Store: store, AdminToken: token, CloudflareRegions: cloudflare})
	if err != nil {
		return err
	}
	// After the servers have stopped: write the records still queued.
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := h.consent.Close(ctx); err != nil {
			logger.Error("demo: consent records not all written", "error", err)
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// Listen first: a taken port is reported, with the flag to change,
	// before anything says the shop is open.
	ln, err := listen.Listen(addr, "addr")
	if err != nil {
		return err
	}
	errc := make(chan error, 2)
	servers := []*http.Server{{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	if withTrackers {
		ts, err := newTrackerServer(trackersAddr, logger)
		if err == nil {
			var tln net.Listener
			if tln, err = listen.Listen(trackersAddr, "trackers-addr"); err == nil {
				servers = append(servers, ts)
				go func() { errc <- ts.ServeTLS(tln, "", "") }()
			}
		}
		if err != nil {
			ln.Close()
			return err
		}
	}
	go func() { errc <- servers[0].Serve(ln) }()
	printWelcome(out, addr, withTrackers, trackersAddr, cloudflare)
	fmt.Fprintf(out, "\nConsent records: %s (%d so far). Operator look-up: http://%s%s, user admin, password %s\n",
		store.Path(), store.Len(), addr, adminPath, token)

	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range servers {
		_ = s.Shutdown(shutdownCtx)
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

func printWelcome(out io.Writer, addr string, withTrackers bool, trackersAddr string, cloudflare bool) {
	fmt.Fprintf(out, "Crumb & Co. is open on http://%s/\n\n", addr)
	fmt.Fprint(out, `Things to try:
  - Open the shop in a private window and look at its cookies (devtools,
    Application tab): only the necessary ones are there, and the page source
    shows the Google, Meta and LinkedIn tags neutralised.
  - Sign in and switch the language: the session cookie is necessary and is
    always set; the language cookie waits for "preferences".
  - Accept all in the banner: _ga, _fbp and the tags come to life. Open
    "Cookie settings" in the footer and reject: crumb deletes them again.
  - Send Sec-GPC: 1 (Firefox's "Tell websites not to sell or share my data",
    or: curl -H 'Sec-GPC: 1' ...): marketing stays off, and was withdrawn if
    it had been accepted without the signal, and the banner and "Cookie
    settings" say "Opt-out preference signal honored". Accepting marketing
    while the signal is on is an explicit choice that overrides it: crumb
    keeps it, and its receipt lists the category under GPCOverride.
`)
	if cloudflare {
		fmt.Fprint(out, `  - Regions from Cloudflare's headers (-cloudflare-regions): send
    CF-IPCountry: DE for the EU's opt-in banner, CF-IPCountry: US with
    CF-Region-Code: CA for California's opt-out banner and the "Do Not Sell
    or Share My Personal Information" page, CF-IPCountry: BR for a notice;
    no header gets the strictest policy.
`)
	}
	if withTrackers {
		fmt.Fprintf(out, "\nTracker stand-ins answer on https://%s/ (self-signed); see what they logged there.\n", trackersAddr)
		fmt.Fprintf(out, "Start a throw-away Chromium that sends the tracker hosts to them:\n\n  %s\n", chromiumCommand(addr, trackersAddr))
	}
}
