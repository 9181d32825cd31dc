package middleware

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/transform"
)

// Test helpers for the interceptor. Names start with icpt so they never
// collide with the HTML rewriter's tests in the same package.

// icptHooks refuses every Set-Cookie line whose text contains "track" and
// records what it was asked, so tests can assert on it after the response.
type icptHooks struct {
	mu      sync.Mutex
	commits []icptCommit
	events  []Event
	asked   []string // KeepCookie calls

	// body, when set, is the decision for every commit.
	body func(status int, h http.Header) Body
	// onCommit, when set, may edit the header map as a policy would.
	onCommit func(h http.Header)
}

type icptCommit struct {
	Status      int
	ContentType string
	HasCT       bool
}

func (h *icptHooks) KeepCookie(_ *http.Request, line string) bool {
	h.mu.Lock()
	h.asked = append(h.asked, line)
	h.mu.Unlock()
	return !strings.Contains(line, "track")
}

func (h *icptHooks) Commit(_ *http.Request, status int, hdr http.Header) Body {
	ct, has := hdr["Content-Type"]
	c := icptCommit{Status: status, HasCT: has}
	if len(ct) > 0 {
		c.ContentType = ct[0]
	}
	h.mu.Lock()
	h.commits = append(h.commits, c)
	h.mu.Unlock()
	if h.onCommit != nil {
		h.onCommit(hdr)
	}
	if h.body != nil {
		return h.body(status, hdr)
	}
	return Body{}
}

func (h *icptHooks) Event(_ *http.Request, e Event) {
	h.mu.Lock()
	h.events = append(h.events, e)
	h.mu.Unlock()
}

func (h *icptHooks) snapshot() ([]icptCommit, []Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]icptCommit(nil), h.commits...), append([]Event(nil), h.events...)
}

func (h *icptHooks) kinds() []EventKind {
	_, evs := h.snapshot()
	var ks []EventKind
	for _, e := range evs {
		ks = append(ks, e.Kind)
	}
	return ks
}

// icptHTML transforms every HTML response with transformer t.
func icptHTML(t func() transform.Transformer, variant string) func(int, http.Header) Body {
	return func(_ int, h http.Header) Body {
		if ContentType(h) != "text/html" {
			return Body{}
		}
		return Body{Transformer: t(), Variant: variant}
	}
}

// icptServer serves handler wrapped with hooks on a real HTTP/1.1 server.
func icptServer(t testing.TB, hooks Hooks, handler http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(Wrap(handler, hooks))
	t.Cleanup(srv.Close)
	return srv
}

type icptResult struct {
	Status  int
	Header  http.Header
	Trailer http.Header
	Body    string
	Err     error           // from reading the body
	Info    []icptInfoReply // 1xx responses seen on the wire
}

type icptInfoReply struct {
	Code   int
	Header http.Header
}

// icptDo sends a request and reads the whole response, recording 1xx
// responses with httptrace. The transport never decompresses.
func icptDo(t testing.TB, method, url string, hdr http.Header) icptResult {
	t.Helper()
	var res icptResult
	var mu sync.Mutex
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
		mu.Lock()
		res.Info = append(res.Info, icptInfoReply{code, http.Header(h).Clone()})
		mu.Unlock()
		return nil
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		res.Err = err
		return res
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	res.Status, res.Header, res.Trailer, res.Body, res.Err = resp.StatusCode, resp.Header, resp.Trailer, string(b), err
	return res
}

// icptCookies are the Set-Cookie lines the test handlers write: raw,
// including odd spacing and attributes a re-serialiser would change.
var icptCookies = []string{
	"session=abc;  Path=/; HttpOnly; SameSite=Lax",
	"_ga=GA1.1.track; Max-Age=63072000; Domain=example.com",
	`prefs="a b"; Path=/; Priority=High`,
	"_fbp=fb.1.track; Path=/",
}

// icptKept are the lines of icptCookies the hooks keep, byte for byte.
var icptKept = []string{icptCookies[0], icptCookies[2]}

func icptSetCookies(w http.ResponseWriter) {
	for _, c := range icptCookies {
		w.Header().Add("Set-Cookie", c)
	}
}

// icptUpper upper-cases ASCII letters.
type icptUpper struct{ transform.NopResetter }

func (icptUpper) Transform(dst, src []byte, _ bool) (nDst, nSrc int, err error) {
	n := min(len(dst), len(src))
	for i := range n {
		c := src[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		dst[i] = c
	}
	if n < len(src) {
		err = transform.ErrShortDst
	}
	return n, n, err
}

// icptReplace replaces every occurrence of old with repl. It holds back a
// tail that could be the start of old, so it exercises pending input.
type icptReplace struct {
	transform.NopResetter
	old, repl []byte
}

func (r *icptReplace) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		rest := src[nSrc:]
		if bytes.HasPrefix(rest, r.old) {
			if len(dst)-nDst < len(r.repl) {
				return nDst, nSrc, transform.ErrShortDst
			}
			nDst += copy(dst[nDst:], r.repl)
			nSrc += len(r.old)
			continue
		}
		if !atEOF && len(rest) < len(r.old) && bytes.HasPrefix(r.old, rest) {
			return nDst, nSrc, transform.ErrShortSrc
		}
		// Copy up to the next possible start of old.
		run := 1 + max(0, bytes.IndexByte(rest[1:], r.old[0]))
		if bytes.IndexByte(rest[1:], r.old[0]) < 0 {
			run = len(rest)
		}
		if len(dst) == nDst {
			return nDst, nSrc, transform.ErrShortDst
		}
		n := copy(dst[nDst:], rest[:run])
		nDst += n
		nSrc += n
	}
	return nDst, nSrc, nil
}

func icptReplacer(old, repl string) func() transform.Transformer {
	return func() transform.Transformer { return &icptReplace{old: []byte(old), repl: []byte(repl)} }
}

func icptRequest(method, target string) *http.Request {
	return httptest.NewRequest(method, target, nil)
}

func icptErrString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// icptNewServer starts a real server, over HTTP/2 with TLS when asked.
func icptNewServer(http2 bool, h http.Handler) *httptest.Server {
	if !http2 {
		return httptest.NewServer(h)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	return srv
}

// icptPassHooks keeps every cookie and passes every body through.
type icptPassHooks struct{}

func (icptPassHooks) KeepCookie(*http.Request, string) bool       { return true }
func (icptPassHooks) Commit(*http.Request, int, http.Header) Body { return Body{} }
func (icptPassHooks) Event(*http.Request, Event)                  {}

// icptFakeWriter is a minimal ResponseWriter that can neither flush nor
// hijack. It snapshots the header map at the final WriteHeader, as net/http
// does.
type icptFakeWriter struct {
	h    http.Header
	sent http.Header
	code int
	body bytes.Buffer
}

func (w *icptFakeWriter) Header() http.Header { return w.h }

func (w *icptFakeWriter) WriteHeader(code int) {
	if w.code == 0 && (code >= 200 || code == 101) {
		w.code = code
		w.sent = w.h.Clone()
	}
}

func (w *icptFakeWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(p)
}

// icptReaderFromSpy sits between the server and the interceptor and counts
// calls to the server writer's ReadFrom.
type icptReaderFromSpy struct {
	http.ResponseWriter
	calls int
}

func (s *icptReaderFromSpy) ReadFrom(r io.Reader) (int64, error) {
	s.calls++
	return s.ResponseWriter.(io.ReaderFrom).ReadFrom(r)
}

// icptQuietLog silences the server's panic and superfluous-WriteHeader logs
// in tests that provoke them.
func icptQuietLog() *log.Logger { return log.New(io.Discard, "", 0) }
