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
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"
)

// keysEnv names the environment variable that holds the signing keys.
const keysEnv = "CRUMB_KEYS"

func main() {
	addr := flag.String("addr", "localhost:8080", "address the shop listens on")
	trackers := flag.Bool("trackers", false, "also serve local stand-ins for the tracker hosts on -trackers-addr")
	trackersAddr := flag.String("trackers-addr", "localhost:8443", "address of the tracker stand-ins (HTTPS, self-signed)")
	flag.Parse()
	if err := run(*addr, *trackers, *trackersAddr, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(addr string, withTrackers bool, trackersAddr string, out io.Writer) error {
	keys, err := parseKeys(os.Getenv(keysEnv))
	if err != nil {
		return fmt.Errorf("%s: %w", keysEnv, err)
	}
	if keys == nil {
		keys = [][]byte{randomKey()}
		fmt.Fprintf(out, "warning: %s is not set, so the demo signs consent cookies with a key made just now.\n"+
			"         A restart invalidates every earlier consent. To keep them, set for example\n"+
			"         %s=%s\n\n", keysEnv, keysEnv, base64.StdEncoding.EncodeToString(randomKey()))
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	h, err := newDemo(demoConfig{Keys: keys, Logger: logger})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	errc := make(chan error, 2)
	servers := []*http.Server{{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	if withTrackers {
		ts, err := newTrackerServer(trackersAddr, logger)
		if err != nil {
			return err
		}
		servers = append(servers, ts)
		go func() { errc <- ts.ListenAndServeTLS("", "") }()
	}
	go func() { errc <- servers[0].ListenAndServe() }()
	printWelcome(out, addr, withTrackers, trackersAddr)

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

func printWelcome(out io.Writer, addr string, withTrackers bool, trackersAddr string) {
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
    or: curl -H 'Sec-GPC: 1' ...) and marketing stays off whatever was accepted.
`)
	if withTrackers {
		fmt.Fprintf(out, "\nTracker stand-ins answer on https://%s/ (self-signed); see what they logged there.\n", trackersAddr)
		fmt.Fprintf(out, "Start a throw-away Chromium that sends the tracker hosts to them:\n\n  %s\n", chromiumCommand(addr, trackersAddr))
	}
}

// parseKeys reads a comma-separated list of keys, each in base64 (standard or
// URL alphabet, padded or not) or hex, and each at least 32 bytes long. An
// empty string gives no keys and no error.
func parseKeys(s string) ([][]byte, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var keys [][]byte
	for i, field := range strings.Split(s, ",") {
		field = strings.TrimSpace(field)
		k, err := decodeKey(field)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func decodeKey(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("empty")
	}
	var k []byte
	if b, err := hex.DecodeString(s); err == nil {
		k = b
	} else {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(s); err == nil {
				k = b
				break
			}
		}
	}
	if k == nil {
		return nil, errors.New("neither hex nor base64")
	}
	if len(k) < 32 {
		return nil, fmt.Errorf("%d bytes, want at least 32", len(k))
	}
	return k, nil
}

func randomKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // crypto/rand.Read never fails since Go 1.24
	return k
}
