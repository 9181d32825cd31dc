package middleware

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// icptCountingListener counts the Write calls on the connections it
// accepts: each is one write system call on a TCP connection.
type icptCountingListener struct {
	net.Listener
	writes atomic.Int64
}

func (l *icptCountingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &icptCountingConn{Conn: c, writes: &l.writes}, nil
}

type icptCountingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c *icptCountingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// icptBenchServe serves the 64 KiB page over a real loopback server and
// reports the write calls per response next to the usual figures: the
// transformed page should take as few as the bare one.
func icptBenchServe(b *testing.B, h http.Handler, size int) {
	srv := httptest.NewUnstartedServer(h)
	cl := &icptCountingListener{Listener: srv.Listener}
	srv.Listener = cl
	srv.Start()
	defer srv.Close()
	client := srv.Client()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		res, err := client.Get(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	b.ReportMetric(float64(cl.writes.Load())/float64(b.N), "writes/op")
}

// icptWholePageHandler writes the page in one call, as a handler that
// renders a template into a buffer first does.
var icptWholePageHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header()["Content-Type"] = icptHTMLType
	w.Write(icptPage)
})

func BenchmarkServeBarePage(b *testing.B) { icptBenchServe(b, icptWholePageHandler, len(icptPage)) }

func BenchmarkServePageReplace(b *testing.B) {
	t := &icptReplace{old: []byte("world"), repl: []byte("everyone")}
	icptBenchServe(b, Wrap(icptWholePageHandler, &icptBenchPolicy{t: t}), len(icptPage))
}

// A 30 KB page, the size of a typical HTML document.
var icptPage30K = icptPage[:30<<10]

var icptPage30KHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header()["Content-Type"] = icptHTMLType
	w.Write(icptPage30K)
})

func BenchmarkServeBarePage30K(b *testing.B) { icptBenchServe(b, icptPage30KHandler, len(icptPage30K)) }

func BenchmarkServePageReplace30K(b *testing.B) {
	t := &icptReplace{old: []byte("world"), repl: []byte("everyone")}
	icptBenchServe(b, Wrap(icptPage30KHandler, &icptBenchPolicy{t: t}), len(icptPage30K))
}

func BenchmarkServeBarePageChunked(b *testing.B) { icptBenchServe(b, icptPageHandler, len(icptPage)) }

func BenchmarkServePageReplaceChunked(b *testing.B) {
	t := &icptReplace{old: []byte("world"), repl: []byte("everyone")}
	icptBenchServe(b, Wrap(icptPageHandler, &icptBenchPolicy{t: t}), len(icptPage))
}
