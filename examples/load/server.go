package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/crumbhq/crumb/consent"
)

// counter counts what one listener's connections write, and the responses
// its handler serves, so that writes per response come from the server's
// own side of the socket.
type counter struct {
	writes    atomic.Int64
	bytes     atomic.Int64
	responses atomic.Int64
}

type countingListener struct {
	net.Listener
	c *counter
}

func (l countingListener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{conn, l.c}, nil
}

// countingConn counts Write calls: for a TCP socket each is one write
// syscall (Go retries a short write inside the call, which loopback
// never needs at these sizes).
type countingConn struct {
	net.Conn
	c *counter
}

func (c countingConn) Write(p []byte) (int, error) {
	c.c.writes.Add(1)
	c.c.bytes.Add(int64(len(p)))
	return c.Conn.Write(p)
}

// stats is what the server reports between phases.
type stats struct {
	CPU   time.Duration       // user+system time of the server process
	Count map[string]snapshot // per listener
}

type snapshot struct {
	Writes, Bytes, Responses int64
}

func (c *counter) snapshot() snapshot {
	return snapshot{c.writes.Load(), c.bytes.Load(), c.responses.Load()}
}

// servers are the two apps under test: the page bare, and the same page
// behind crumb with its handler mounted, as the README sets it up.
type servers struct {
	bare, crumb, stats net.Listener
	counts             map[string]*counter
}

func newServers(page []byte, key []byte) (*servers, error) {
	shop := func(c *counter) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c.responses.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		})
	}
	m, err := consent.New(consent.Config{
		Keys:     []consent.Key{{Hash: key}},
		Insecure: true, // plain HTTP on loopback
		Logger:   slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return nil, err
	}
	s := &servers{counts: map[string]*counter{"bare": {}, "crumb": {}}}
	listen := func() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }
	if s.bare, err = listen(); err != nil {
		return nil, err
	}
	if s.crumb, err = listen(); err != nil {
		return nil, err
	}
	if s.stats, err = listen(); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/consent/", m.Handler())
	mux.Handle("/", shop(s.counts["crumb"]))
	serve := func(l net.Listener, c *counter, h http.Handler) {
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(countingListener{l, c})
	}
	serve(s.bare, s.counts["bare"], shop(s.counts["bare"]))
	serve(s.crumb, s.counts["crumb"], m.Middleware(mux))
	go http.Serve(s.stats, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := stats{CPU: processCPU(), Count: map[string]snapshot{}}
		for name, c := range s.counts {
			st.Count[name] = c.snapshot()
		}
		json.NewEncoder(w).Encode(st)
	}))
	return s, nil
}

// addrs is the line the serving process prints for its parent.
func (s *servers) addrs() string {
	return fmt.Sprintf("%s %s %s", s.bare.Addr(), s.crumb.Addr(), s.stats.Addr())
}

// processCPU is the user and system time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// fetchStats asks the serving process for its counters.
func fetchStats(c *http.Client, addr string) (stats, error) {
	var st stats
	res, err := c.Get("http://" + addr + "/")
	if err != nil {
		return st, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal(body, &st)
}
