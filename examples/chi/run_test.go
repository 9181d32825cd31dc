package main

import (
	"net"
	"strings"
	"testing"
)

func env(keys string) func(string) string {
	return func(k string) string {
		if k == "CRUMB_KEYS" {
			return keys
		}
		return ""
	}
}

// chi reads CRUMB_KEYS as the demo does: a passphrase is refused with what
// the variable must hold, no keys give the demo's warning, and a taken port
// is an error naming -addr before anything says the app is listening.
func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run("127.0.0.1:0", env("letmein please"), &out); err == nil || !strings.Contains(err.Error(), "CRUMB_KEYS: key 1") ||
		!strings.Contains(err.Error(), "passphrase") {
		t.Errorf("run with a passphrase: %v", err)
	}

	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	out.Reset()
	err = run(taken.Addr().String(), env(""), &out)
	if err == nil || !strings.Contains(err.Error(), "-addr") {
		t.Errorf("run on a taken port: %v", err)
	}
	if !strings.HasPrefix(out.String(), "warning: CRUMB_KEYS is not set, so consent cookies are signed with a key made just now.") {
		t.Errorf("no-keys warning differs from the demo's:\n%s", out.String())
	}
	if strings.Contains(out.String(), "listening on") {
		t.Errorf("said it was listening before failing:\n%s", out.String())
	}
}
