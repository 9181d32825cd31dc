// Package listen opens the example programs' listening sockets, so that a
// port already in use is reported before anything says the server is up,
// with the flag that picks another address.
package listen

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// Listen listens on the TCP address addr, which the flag named flag set.
// When the port is taken, the error says so and suggests the flag.
func Listen(addr, flag string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("%s is already in use (is another copy still running?): stop it, or pick a free address with -%s, for example -%s %s",
			addr, flag, flag, suggest(addr))
	}
	return nil, fmt.Errorf("listening on %s (set with -%s): %w", addr, flag, err)
}

// suggest returns addr with the next port, or a free-port example.
func suggest(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "localhost:8081"
	}
	var n int
	if _, err := fmt.Sscan(port, &n); err != nil || n <= 0 || n >= 65535 {
		return net.JoinHostPort(host, "8081")
	}
	return net.JoinHostPort(host, fmt.Sprint(n+1))
}
