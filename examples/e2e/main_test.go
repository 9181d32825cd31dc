package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The tests need a Chromium and, for the accessibility checks, axe-core
// (both installed by .ci-setup). Without them they skip, except under CI,
// where a skipped browser suite would be a silent pass.

// axePath is where .ci-setup installs axe-core.
var axePath = filepath.Join(".axe", "node_modules", "axe-core", "axe.min.js")

// artifactDir receives the screenshots; it is git-ignored.
const artifactDir = "artifacts"

// demoKey signs the demo's consent cookies, so that the tests can read them
// back with a consent.Manager of their own (see consentState).
var demoKey = bytes.Repeat([]byte{0x5a}, 32)

// chromiumPath finds the browser once.
var chromiumPath = sync.OnceValue(func() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
})

// tmpRoot holds what TestMain builds; it is removed when the tests end.
var tmpRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "crumb-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	tmpRoot = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// missing skips the test, or fails it under CI, with why it cannot run.
func missing(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (CI is set, so this fails instead of skipping)", msg)
	}
	t.Skip(msg)
}

// requireChromium returns the browser's path or skips the test.
func requireChromium(t *testing.T) string {
	t.Helper()
	p := chromiumPath()
	if p == "" {
		missing(t, "no chromium on PATH: run ./.ci-setup (or apt-get install chromium)")
	}
	return p
}

// requireAxe returns axe-core's source or skips the test.
func requireAxe(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(axePath)
	if err != nil {
		missing(t, "axe-core is not installed at %s: run ./.ci-setup", axePath)
	}
	return string(b)
}

// demoEnv names a prebuilt demo binary to test instead of building
// examples/demo, for example a variant under development.
const demoEnv = "CRUMB_E2E_DEMO"

// demoBinary builds examples/demo once per run. A build failure fails the
// tests that need it: the demo is ours, so it must build.
var demoBinary = sync.OnceValues(func() (string, error) {
	if p := os.Getenv(demoEnv); p != "" {
		return filepath.Abs(p)
	}
	return buildExample("demo")
})

// buildExample builds ./examples/<name> of the repository into tmpRoot.
func buildExample(name string) (string, error) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return "", err
	}
	out := filepath.Join(tmpRoot, name)
	cmd := exec.Command("go", "build", "-o", out, "./examples/"+name)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./examples/%s: %v\n%s", name, err, b)
	}
	return out, nil
}

// site is one running demo process.
type site struct {
	URL string // http://localhost:port, no trailing slash
}

// startDemo runs the demo binary on a free port, with the extra flags args,
// and waits until it answers.
// The process is stopped when the test ends; its output is logged when the
// test fails.
func startDemo(t *testing.T, args ...string) *site {
	t.Helper()
	bin, err := demoBinary()
	if err != nil {
		t.Fatal(err)
	}
	// Its consent records go to a directory of the test's, not the user's cache.
	return startExample(t, "demo", bin, append([]string{"-data", t.TempDir()}, args...)...)
}

// startExample runs one of the examples' binaries with -addr on a free
// port, the tests' signing key and args, and waits until its / answers
// 200. The process is interrupted when the test ends; its output is logged
// when the test fails.
func startExample(t *testing.T, name, bin string, args ...string) *site {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	cmd := exec.Command(bin, append([]string{"-addr", net.JoinHostPort("127.0.0.1", port)}, args...)...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("CRUMB_KEYS=%x", demoKey))
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", name, out.String())
		}
	})

	s := &site{URL: "http://localhost:" + port}
	probe := "http://" + net.JoinHostPort("127.0.0.1", port) + "/"
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-done:
			t.Fatalf("%s exited before answering: %v\n%s", name, err, out.String())
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, probe, nil)
		resp, err := http.DefaultClient.Do(req)
		cancel()
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
			err = errors.New(resp.Status)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer on %s within 30s: %v\n%s", name, probe, err, out.String())
		}
		time.Sleep(50 * time.Millisecond) // polling interval, not synchronisation
	}
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}

// syncBuffer collects a child process's output from two pipes at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
