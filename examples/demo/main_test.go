package main

import (
	"net"
	"strings"
	"testing"
)

// A taken port is an error naming -addr, and nothing claims the shop is
// open before it listens.
func TestRunTakenPort(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	t.Setenv("CRUMB_KEYS", strings.Repeat("ab", 32))
	var out strings.Builder
	err = run(taken.Addr().String(), false, "", t.TempDir(), false, &out)
	if err == nil || !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), "-addr") {
		t.Errorf("run on a taken port: %v, want an error that points at -addr", err)
	}
	if strings.Contains(out.String(), "open on") {
		t.Errorf("the demo said it was open before failing:\n%s", out.String())
	}

	// The same for the tracker stand-ins' port.
	out.Reset()
	err = run("127.0.0.1:0", true, taken.Addr().String(), t.TempDir(), false, &out)
	if err == nil || !strings.Contains(err.Error(), "-trackers-addr") {
		t.Errorf("run with a taken -trackers-addr: %v", err)
	}
	if strings.Contains(out.String(), "open on") {
		t.Errorf("the demo said it was open before failing:\n%s", out.String())
	}
}

// A passphrase in CRUMB_KEYS stops the demo with what the variable must
// hold.
func TestRunPassphrase(t *testing.T) {
	t.Setenv("CRUMB_KEYS", "open sesame")
	err := run("127.0.0.1:0", false, "", t.TempDir(), false, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "passphrase") || !strings.Contains(err.Error(), "openssl rand -base64 32") {
		t.Errorf("run with a passphrase: %v", err)
	}
}
