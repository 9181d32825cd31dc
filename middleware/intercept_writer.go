package middleware

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
)

// sniffLen is how many bytes net/http looks at to detect a Content-Type.
const sniffLen = 512

// interceptor is the per-request state behind the ResponseWriter handed to
// the handler (a pointer-shaped variant, writer.go). It lives in an
// Interceptor that serves one request and is never reused, so a writer
// kept past the end of its request fails with ErrWriterClosed instead of
// reaching another request's state. The buffers and the transformation
// state are pooled: only the interceptor can reach them.
//
// The handler never holds the inner writer's header map: it gets hdr, a map
// of its own, which the commit copies (filtered) into the inner map. An
// outer layer that sends the inner map late (a compressor that waits for
// enough bytes, a buffering recoverer) therefore sends exactly what was
// committed, as net/http does, whatever the handler changes afterwards;
// only trailers are copied again, filtered, when the handler returns.
//
// mu serialises every method the handler can call with the end of the
// request, so that a goroutine still writing when the handler returns
// gets ErrWriterClosed instead of racing with the release of the pools.
type interceptor struct {
	mu    sync.Mutex
	inner http.ResponseWriter // nil once the request has been served
	req   *http.Request
	hooks Hooks
	hdr   http.Header // the handler's header map

	status int // final status once known (0 before)

	commitKeys    int32 // header keys at commit, trailers of either kind aside
	commitCookies int32 // Set-Cookie lines at commit
	sniffN        int32 // bytes held in sniff

	used           bool // start ran: the Interceptor is spent
	committed      bool // headers handed to inner
	sniffing       bool // commit waits for bytes to sniff the Content-Type
	transforming   bool // body goes through tw
	discarding     bool // body is dropped (HEAD of a transformed resource)
	hijacked       bool
	trailerCookies bool  // a Set-Cookie trailer key existed at commit
	typed          bool  // Content-Type present at the last needSniff
	browserSniffs  bool  // the handler's Content-Type is nil or names no valid type: the browser sniffs
	shownType      bool  // a sniffed type is added for Hooks.Commit to see
	givenTypes     uint8 // how many Content-Type values the handler gave, restored after Commit
	knownKeys      uint8 // the only keys at commit, if filterCookies knew them all

	entryEncoding string // Content-Encoding set by outer layers before we ran

	sniff *[]byte          // pooled; the first sniffLen bytes hold unsent output
	tw    *transformWriter // pooled; set while transforming

	// The Set-Cookie and Content-Type values committed, as copied into
	// the inner map, to tell later changes of hdr from the commit.
	sent, sentType []string
	vals           [4]string // the inner map's values, when that is enough
}

// start readies ic for one request and returns the writer for the handler.
func (ic *interceptor) start(w http.ResponseWriter, r *http.Request, h Hooks) http.ResponseWriter {
	ic.used = true
	ic.inner, ic.req, ic.hooks = w, r, h
	if h := w.Header(); len(h) > 0 { // net/http starts with an empty map
		if ce := h["Content-Encoding"]; len(ce) == 1 {
			ic.entryEncoding = ce[0]
		}
		// What outer layers set before us stays visible to the handler.
		ic.hdr = h.Clone()
	} else {
		ic.hdr = make(http.Header)
	}
	return handle(ic, w)
}

func (ic *interceptor) event(e Event) { ic.hooks.Event(ic.req, e) }

func (ic *interceptor) writeHeader(code int) {
	if ic.hijacked {
		return
	}
	if code < 100 || code > 999 {
		// The same contract as net/http, raised here so the panic points
		// at the handler rather than at a deferred commit.
		panic("invalid WriteHeader code " + strconv.Itoa(code))
	}
	if ic.status != 0 {
		ic.event(Event{Kind: EventSuperfluousWriteHeader, Status: code})
		return
	}
	if code < 200 && code != http.StatusSwitchingProtocols {
		ic.informational(code)
		return
	}
	ic.status = code
	if ic.sniffing = ic.needSniff(); !ic.sniffing {
		ic.commit(true)
	}
}

// informational forwards a 1xx without committing. net/http writes the
// inner header map into it, so the handler's map is copied there without
// any Set-Cookie field; the fields stay in the handler's map for the final
// response.
func (ic *interceptor) informational(code int) {
	lines := publish(ic.inner.Header(), ic.hdr, true, nil)
	ic.inner.WriteHeader(code)
	if lines > 0 {
		ic.event(Event{Kind: EventInformationalCookie, Status: code, Count: lines})
	}
}

// needSniff mirrors net/http: the type is sniffed when the handler set no
// Content-Type key at all. An explicit nil value means "do not sniff" to
// net/http, which then sends no Content-Type, and a value that names no
// valid type ("", "*/*", "garbage") or an unknown one ("unknown/unknown")
// is sent as it is: in both cases the
// browser sniffs instead, so the interceptor sniffs those bytes too, for
// the body decision only (see commit). Content-Type fields stored under another spelling are
// folded into the canonical key first, since net/http would send them and
// the browser read them. needSniff leaves what it found in ic.typed, which
// a commit that follows before the handler runs again can use instead of
// looking again.
func (ic *interceptor) needSniff() bool {
	h := ic.hdr
	v, typed := h["Content-Type"]
	if !typed && len(h) > 0 && foldKeys(h, "Content-Type") {
		v, typed = h["Content-Type"]
	}
	ic.typed = typed
	ic.browserSniffs = typed && browserSniffs(v)
	return (!typed || ic.browserSniffs) && bodyAllowedForStatus(ic.status) && h["Transfer-Encoding"] == nil
}

// begin moves a response with no final status yet to an implicit 200. It
// reports whether it did, in which case ic.typed is current.
func (ic *interceptor) begin() bool {
	if ic.status != 0 {
		return false
	}
	ic.status = http.StatusOK
	ic.sniffing = ic.needSniff()
	return true
}

// commitNow commits with whatever has been buffered (plus more, which is
// about to be written) and sends the buffered bytes. fresh says that the
// caller's begin has just looked the Content-Type up.
func (ic *interceptor) commitNow(more []byte, fresh bool) error {
	fresh = ic.begin() || fresh
	if ic.sniffing && ic.setSniffedType(more) {
		ic.typed = true
	}
	ic.commit(fresh)
	return ic.drainSniff()
}

// setSniffedType sets the detected Content-Type, reporting whether there
// were bytes to detect it from.
func (ic *interceptor) setSniffedType(more []byte) bool {
	data := more
	if ic.sniffN > 0 {
		// Bytes copied past sniffN are scratch: more is still written in full.
		k := copy(ic.sniffBuf()[ic.sniffN:], more)
		data = ic.sniffBuf()[:int(ic.sniffN)+k]
	}
	if len(data) == 0 {
		return false
	}
	h := ic.hdr
	detected := http.DetectContentType(data)
	if !ic.browserSniffs {
		h["Content-Type"] = []string{detected}
		return true
	}
	// The handler's values stay (in a new array) and are put back after
	// Commit; the detected type goes last, where ContentType reads it.
	given := h["Content-Type"]
	if len(given) < 255 {
		h["Content-Type"] = append(given[:len(given):len(given)], detected)
		ic.givenTypes, ic.shownType = uint8(len(given)), true
	}
	return true
}

func (ic *interceptor) drainSniff() error {
	if ic.sniffN == 0 {
		return nil
	}
	n := ic.sniffN
	ic.sniffN = 0
	_, err := ic.body(ic.sniffBuf()[:n])
	return err
}

// sniffBuf returns the sniff buffer, taking it from the pool on first use.
func (ic *interceptor) sniffBuf() []byte {
	if ic.sniff == nil {
		ic.sniff = getBuf()
	}
	return (*ic.sniff)[:sniffLen]
}

func (ic *interceptor) write(p []byte) (int, error) {
	if ic.hijacked {
		return 0, http.ErrHijacked
	}
	if !ic.committed {
		fresh := ic.begin()
		if ic.sniffing && int(ic.sniffN)+len(p) < sniffLen {
			ic.sniffN += int32(copy(ic.sniffBuf()[ic.sniffN:], p))
			return len(p), nil
		}
		if err := ic.commitNow(p, fresh); err != nil {
			return 0, err
		}
	}
	return ic.body(p)
}

func (ic *interceptor) writeString(s string) (int, error) {
	if ic.committed && !ic.transforming && !ic.discarding && !ic.hijacked {
		if sw, ok := ic.inner.(io.StringWriter); ok {
			return sw.WriteString(s)
		}
	}
	return ic.write([]byte(s))
}

// body sends committed body bytes.
func (ic *interceptor) body(p []byte) (int, error) {
	if ic.discarding {
		return len(p), nil
	}
	if !ic.transforming {
		return ic.inner.Write(p)
	}
	if ic.tw.err != nil {
		return 0, ic.tw.err
	}
	n, err := ic.tw.Write(p)
	if err != nil {
		ic.event(Event{Kind: EventTransformError, Status: ic.status, Detail: err.Error()})
	}
	return n, err
}

func (ic *interceptor) readFrom(src io.Reader) (n int64, err error) {
	if ic.hijacked {
		return 0, http.ErrHijacked
	}
	if !ic.committed {
		ic.begin()
		if ic.sniffing {
			// Like net/http, read enough to sniff before committing.
			for ic.sniffN < sniffLen {
				m, rerr := src.Read(ic.sniffBuf()[ic.sniffN:])
				ic.sniffN += int32(m)
				n += int64(m)
				if rerr == io.EOF {
					return n, nil
				}
				if rerr != nil {
					return n, rerr
				}
			}
		}
		if err := ic.commitNow(nil, false); err != nil {
			return n, err
		}
	}
	if !ic.transforming && !ic.discarding {
		if rf, ok := ic.inner.(io.ReaderFrom); ok {
			// Untouched body: keep net/http's sendfile/splice path.
			m, err := rf.ReadFrom(src)
			return n + m, err
		}
	}
	buf := getBuf()
	defer putBuf(buf)
	for {
		m, rerr := src.Read(*buf)
		if m > 0 {
			w, werr := ic.body((*buf)[:m])
			n += int64(w)
			if werr != nil {
				return n, werr
			}
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

func (ic *interceptor) flushError() error {
	if ic.hijacked {
		return http.ErrHijacked
	}
	if !ic.committed {
		if err := ic.commitNow(nil, false); err != nil {
			return err
		}
	}
	if ic.transforming {
		// The output collected so far goes first; input the
		// Transformer holds back (an unfinished tag) stays.
		if err := ic.tw.flush(); err != nil {
			return err
		}
	}
	switch f := ic.inner.(type) {
	case interface{ FlushError() error }:
		return f.FlushError()
	case http.Flusher:
		f.Flush()
		return nil
	}
	return http.NewResponseController(ic.inner).Flush()
}

func (ic *interceptor) hijack() (net.Conn, *bufio.ReadWriter, error) {
	if ic.hijacked {
		return nil, nil, http.ErrHijacked
	}
	h := ic.hdr
	if ic.status != 0 && !ic.committed {
		// net/http flushes a written header before handing over the
		// connection; commit so it goes out filtered.
		if err := ic.commitNow(nil, false); err != nil {
			return nil, nil, err
		}
	}
	if ic.transforming {
		ic.closeBody()
	}
	removed := 0
	if !ic.committed {
		// Code that hijacks may still print this map on the connection
		// (httputil.ReverseProxy does for upgrades).
		removed = ic.filterAllCookies(h)
	} else {
		// Lines set since the commit are judged for the same reason.
		_, removed = ic.filterChanged(h)
		removed += ic.filterTrailerCookies(h)
	}
	var conn net.Conn
	var brw *bufio.ReadWriter
	var err error
	if hj, ok := ic.inner.(http.Hijacker); ok {
		conn, brw, err = hj.Hijack()
	} else {
		conn, brw, err = http.NewResponseController(ic.inner).Hijack()
	}
	if err != nil {
		return nil, nil, err
	}
	ic.hijacked = true
	ic.event(Event{Kind: EventHijacked, Status: ic.status, Count: removed})
	return conn, brw, nil
}

// closeBody ends the transformation, sending its last output.
func (ic *interceptor) closeBody() {
	ic.transforming = false
	reported := ic.tw.err != nil
	err := ic.tw.close()
	ic.releaseBody()
	if err != nil && !reported {
		ic.event(Event{Kind: EventTransformError, Status: ic.status, Detail: err.Error()})
	}
}

// finish ends a handler that returned normally.
func (ic *interceptor) finish() {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	if !ic.hijacked {
		if !ic.committed {
			if err := ic.commitNow(nil, false); err != nil {
				ic.event(Event{Kind: EventTransformError, Status: ic.status, Detail: err.Error()})
			}
		}
		if ic.transforming {
			ic.closeBody()
		}
		ic.afterCommit()
	}
	ic.release()
}

// abort runs while the handler panics. Nothing buffered is sent, the
// transformation is not finished (no injected tail), and the header map is
// filtered so that an outer recoverer's error response carries no refused
// cookie.
func (ic *interceptor) abort() {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	removed := 0
	if !ic.hijacked && !ic.committed {
		// An outer recoverer sees the handler's headers, filtered. After
		// the commit the inner map holds what was committed, and what the
		// handler changed since stays in its own map.
		removed = ic.filterAllCookies(ic.hdr)
		publish(ic.inner.Header(), ic.hdr, false, ic.vals[:])
	}
	ic.sniffN = 0
	ic.transforming = false
	ic.releaseBody()
	ic.event(Event{Kind: EventPanic, Status: ic.status, Count: removed})
	ic.release()
}

// release returns the buffers and closes the writer for good.
func (ic *interceptor) release() {
	ic.releaseBody()
	putBuf(ic.sniff)
	ic.sniff, ic.sniffN = nil, 0
	ic.inner, ic.req, ic.hooks, ic.hdr = nil, nil, nil, nil
}

// releaseBody ends a transformation without finishing it.
func (ic *interceptor) releaseBody() {
	if ic.tw != nil {
		ic.tw.release()
		twPool.Put(ic.tw)
		ic.tw = nil
	}
}

func bodyAllowedForStatus(status int) bool {
	switch {
	case status >= 100 && status <= 199:
		return false
	case status == http.StatusNoContent, status == http.StatusNotModified:
		return false
	}
	return true
}
