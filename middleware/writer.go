package middleware

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"time"
)

// The writer a handler receives is one of four types holding a pointer to
// the interceptor; being pointer-shaped, they fit in the ResponseWriter
// interface value without an allocation of their own. Its type tells the
// truth about the inner writer: http.Flusher
// and http.Hijacker are present only when the inner writer (or a writer it
// unwraps to) can flush or hijack, because legacy code decides by type
// assertion. Every variant implements FlushError, so http.ResponseController
// never has to unwrap past us to flush; Unwrap returns a view that serves
// only deadlines and full duplex, so no method that would commit headers can
// bypass the filter.
type (
	plainWriter       struct{ *interceptor }
	flushWriter       struct{ *interceptor }
	hijackWriter      struct{ *interceptor }
	flushHijackWriter struct{ *interceptor }
)

// handle returns the writer variant of ic that fits inner.
func handle(ic *interceptor, inner http.ResponseWriter) http.ResponseWriter {
	canFlush, canHijack := capabilities(inner)
	switch {
	case canFlush && canHijack:
		return flushHijackWriter{ic}
	case canFlush:
		return flushWriter{ic}
	case canHijack:
		return hijackWriter{ic}
	}
	return plainWriter{ic}
}

type (
	flushHijacker interface {
		http.Flusher
		http.Hijacker
	}
	flushErrorHijacker interface {
		flushErrorer
		http.Hijacker
	}
	flushErrorer interface{ FlushError() error }
	unwrapper    interface{ Unwrap() http.ResponseWriter }
)

// capabilities walks the Unwrap chain the way http.ResponseController does.
// The first look is one type switch, whose result Go caches per dynamic
// type, so the common writers (net/http's HTTP/1 and HTTP/2 ones, which do
// not unwrap) cost a single lookup.
func capabilities(w http.ResponseWriter) (canFlush, canHijack bool) {
	switch w.(type) {
	case flushHijacker, flushErrorHijacker:
		return true, true
	case unwrapper:
		// What w lacks may lie further down.
	case http.Flusher, flushErrorer:
		return true, false
	case http.Hijacker:
		return false, true
	default:
		return false, false
	}
	for range 32 { // a bound, in case of an Unwrap cycle
		switch w.(type) {
		case http.Flusher, flushErrorer:
			canFlush = true
		}
		if _, ok := w.(http.Hijacker); ok {
			canHijack = true
		}
		u, ok := w.(unwrapper)
		if !ok || (canFlush && canHijack) {
			return canFlush, canHijack
		}
		w = u.Unwrap()
	}
	return canFlush, canHijack
}

// Every method below takes ic.mu, which finish and abort hold while they
// end the request, and checks ic.inner under it: a goroutine that writes
// while the handler returns either completes its call first or gets
// ErrWriterClosed, and never reaches the pooled buffers being released.
// The unlock is deferred so that a panic in a hook or in the inner writer
// leaves the mutex free for abort.

// Header returns the handler's header map, which stays its own: the commit
// copies it into the inner writer's map, and what changes afterwards is
// never sent (trailers aside). After the request has been served it
// returns a fresh, detached map.
func (ic *interceptor) Header() http.Header {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	if ic.inner == nil {
		return http.Header{}
	}
	return ic.hdr
}

// WriteHeader records the status; 1xx responses other than 101 are
// forwarded without their Set-Cookie fields.
func (ic *interceptor) WriteHeader(code int) {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	if ic.inner != nil {
		ic.writeHeader(code)
	}
}

// Write commits the response if needed and writes p to the body.
func (ic *interceptor) Write(p []byte) (int, error) {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	if ic.inner == nil {
		return 0, ErrWriterClosed
	}
	return ic.write(p)
}

// WriteString is Write for a string.
func (ic *interceptor) WriteString(s string) (int, error) {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	if ic.inner == nil {
		return 0, ErrWriterClosed
	}
	return ic.writeString(s)
}

// ReadFrom commits the response if needed and copies src to the body; a
// body passed through untouched keeps the inner writer's ReadFrom. The
// request cannot end while the copy runs: a late ReadFrom holds up the
// handler's return until src is drained.
func (ic *interceptor) ReadFrom(src io.Reader) (int64, error) {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	if ic.inner == nil {
		return 0, ErrWriterClosed
	}
	return ic.readFrom(src)
}

// FlushError commits the response if needed and flushes it. If the inner
// writer cannot flush, the error wraps http.ErrNotSupported.
func (ic *interceptor) FlushError() error {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	if ic.inner == nil {
		return ErrWriterClosed
	}
	return ic.flushError()
}

// Unwrap returns a view of the inner writer for http.ResponseController's
// deadline and full-duplex methods; its Header, Write and WriteHeader still
// go through the interceptor.
func (ic *interceptor) Unwrap() http.ResponseWriter { return controls{ic} }

// Flush is FlushError without the error, for http.Flusher.
func (w flushWriter) Flush() { _ = w.FlushError() }

// Flush is FlushError without the error, for http.Flusher.
func (w flushHijackWriter) Flush() { _ = w.FlushError() }

// Hijack filters the header map with KeepCookie and hands over the
// connection. What is written to it afterwards is not intercepted.
func (w hijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijackChecked() }

// Hijack filters the header map with KeepCookie and hands over the
// connection. What is written to it afterwards is not intercepted.
func (w flushHijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.hijackChecked()
}

func (ic *interceptor) hijackChecked() (net.Conn, *bufio.ReadWriter, error) {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	if ic.inner == nil {
		return nil, nil, ErrWriterClosed
	}
	return ic.hijack()
}

// controls is what Unwrap exposes.
type controls struct{ ic *interceptor }

func (c controls) Header() http.Header         { return c.ic.Header() }
func (c controls) Write(p []byte) (int, error) { return c.ic.Write(p) }
func (c controls) WriteHeader(code int)        { c.ic.WriteHeader(code) }

// control runs f on a controller of the inner writer, under the lock.
func (c controls) control(f func(*http.ResponseController) error) error {
	c.ic.mu.Lock()
	defer c.ic.mu.Unlock()
	if c.ic.inner == nil {
		return ErrWriterClosed
	}
	return f(http.NewResponseController(c.ic.inner))
}

func (c controls) SetReadDeadline(t time.Time) error {
	return c.control(func(rc *http.ResponseController) error { return rc.SetReadDeadline(t) })
}

func (c controls) SetWriteDeadline(t time.Time) error {
	return c.control(func(rc *http.ResponseController) error { return rc.SetWriteDeadline(t) })
}

func (c controls) EnableFullDuplex() error {
	return c.control(func(rc *http.ResponseController) error { return rc.EnableFullDuplex() })
}
