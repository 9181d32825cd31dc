package listen

import (
	"net"
	"strings"
	"testing"
)

func TestListenTakenPort(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	addr := taken.Addr().String()
	ln, err := Listen(addr, "addr")
	if err == nil {
		ln.Close()
		t.Fatalf("Listen(%s) on a taken port succeeded", addr)
	}
	_, port, _ := net.SplitHostPort(addr)
	for _, want := range []string{addr + " is already in use", "-addr 127.0.0.1:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "-addr "+addr) {
		t.Errorf("error %q suggests the taken port %s", err, port)
	}
}

func TestListenFree(t *testing.T) {
	ln, err := Listen("127.0.0.1:0", "addr")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	if _, err := Listen("256.0.0.1:80", "trackers-addr"); err == nil || !strings.Contains(err.Error(), "-trackers-addr") {
		t.Errorf("bad address: error %v, want one naming -trackers-addr", err)
	}
}

func TestSuggest(t *testing.T) {
	for in, want := range map[string]string{"localhost:8080": "localhost:8081", ":443": ":444", "nonsense": "localhost:8081", "h:65535": "h:8081"} {
		if got := suggest(in); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}
