package middleware

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// icptLateSender is an outer layer that sends the header map late, the way
// a compressor such as gzhttp does: WriteHeader only records the status,
// and the map goes out, as it is by then, at the first Write that brings
// the buffered body to icptLateSize bytes, at a Flush, or when the handler
// returns.
func icptLateSender(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lw := &icptLateWriter{w: w}
		next.ServeHTTP(lw, r)
		lw.send()
	})
}

const icptLateSize = 1024

type icptLateWriter struct {
	w    http.ResponseWriter
	code int
	buf  bytes.Buffer
	sent bool
}

func (l *icptLateWriter) Header() http.Header { return l.w.Header() }

func (l *icptLateWriter) WriteHeader(code int) {
	if l.code == 0 && code >= 200 {
		l.code = code
	}
}

func (l *icptLateWriter) Write(p []byte) (int, error) {
	l.WriteHeader(http.StatusOK)
	if l.sent {
		return l.w.Write(p)
	}
	l.buf.Write(p)
	if l.buf.Len() >= icptLateSize {
		l.send()
	}
	return len(p), nil
}

func (l *icptLateWriter) Flush() {
	l.send()
	if f, ok := l.w.(http.Flusher); ok {
		f.Flush()
	}
}

// send hands the header map over as it is now.
func (l *icptLateWriter) send() {
	if l.sent {
		return
	}
	l.sent = true
	if l.code == 0 {
		l.code = http.StatusOK
	}
	l.w.WriteHeader(l.code)
	l.w.Write(l.buf.Bytes())
}

// Pitfall 21: no change made after the commit reaches the client, even
// through an outer layer that sends the header map at a later Write or at a
// Flush: not a refused cookie (added, put in place of a committed line,
// written into the committed slice, under an odd-case key, through a
// reference to the map taken before the commit), and not a Content-Type
// changed to HTML, whose body was judged, and passed, as plain text.
func TestInterceptNoLateLeak(t *testing.T) {
	small := strings.Repeat("world ", 10)           // stays in the late sender's buffer
	large := strings.Repeat("world ", icptLateSize) // makes it send
	type handoff struct {
		name string
		send func(w http.ResponseWriter)
	}
	handoffs := []handoff{
		{"Write", func(w http.ResponseWriter) { io.WriteString(w, large) }},
		{"Flush", func(w http.ResponseWriter) { w.(http.Flusher).Flush() }},
		{"ReadFrom", func(w http.ResponseWriter) { w.(io.ReaderFrom).ReadFrom(strings.NewReader(large)) }},
		{"handler returns", func(http.ResponseWriter) {}},
	}
	changes := []struct {
		name   string
		change func(w http.ResponseWriter, early http.Header)
	}{
		{"Add", func(w http.ResponseWriter, _ http.Header) { w.Header().Add("Set-Cookie", "_ga=track") }},
		{"Set", func(w http.ResponseWriter, _ http.Header) { w.Header().Set("Set-Cookie", "_ga=track") }},
		{"slice element", func(w http.ResponseWriter, _ http.Header) { w.Header()["Set-Cookie"][0] = "_ga=track" }},
		{"odd-case key", func(w http.ResponseWriter, _ http.Header) { w.Header()["set-cookie"] = []string{"_ga=track"} }},
		{"map taken before the commit", func(_ http.ResponseWriter, early http.Header) {
			early.Add("Set-Cookie", "_ga=track")
			early["sEt-cookie"] = []string{"_fbp=track"}
		}},
		{"Content-Type to HTML", func(w http.ResponseWriter, _ http.Header) { w.Header().Set("Content-Type", "text/html") }},
		{"Content-Type to HTML in the slice", func(_ http.ResponseWriter, early http.Header) {
			early["Content-Type"][0] = "text/html"
		}},
	}
	for _, ho := range handoffs {
		for _, ch := range changes {
			t.Run(ho.name+"/"+ch.name, func(t *testing.T) {
				hooks := &icptHooks{body: icptHTML(icptReplacer("world", "everyone!"), "v")}
				srv := httptest.NewServer(icptLateSender(Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					early := w.Header()
					early.Set("Content-Type", "text/plain")
					early.Set("Set-Cookie", "session=ok")
					io.WriteString(w, small) // the commit; the late sender holds it
					ch.change(w, early)
					ho.send(w)
				}), hooks)))
				defer srv.Close()
				res := icptDo(t, "GET", srv.URL, nil)
				if res.Err != nil {
					t.Fatal(res.Err)
				}
				got := struct {
					Cookies []string
					Type    string
				}{res.Header["Set-Cookie"], res.Header.Get("Content-Type")}
				want := got
				want.Cookies, want.Type = []string{"session=ok"}, "text/plain"
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("sent (-want +got):\n%s", diff)
				}
				if kinds := hooks.kinds(); len(kinds) != 1 || kinds[0] != EventHeaderAfterCommit {
					t.Errorf("events = %v, want one %v", kinds, EventHeaderAfterCommit)
				}
			})
		}
	}
}

// A Content-Type changed to HTML after the commit is reported with the new
// type, so that an operator sees which handler would have sent trackers
// live.
func TestInterceptLateContentTypeReported(t *testing.T) {
	hooks := &icptHooks{}
	srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("<script src=https://tracker.example/t.js></script>"))
		w.Header().Set("Content-Type", "text/html")
	})
	if res := icptDo(t, "GET", srv.URL, nil); res.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("Content-Type %q", res.Header.Get("Content-Type"))
	}
	_, events := hooks.snapshot()
	want := []Event{{Kind: EventHeaderAfterCommit, Status: 200, Detail: "Content-Type changed to text/html"}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// Behind a late sender, what the commit hook adds and outer layers set at
// the inner WriteHeader still go out, and trailers set after the commit are
// still sent (filtered).
func TestInterceptLateSenderKeepsCommit(t *testing.T) {
	hooks := &icptHooks{onCommit: func(h http.Header) { h.Set("Vary", "Cookie") }}
	srv := httptest.NewServer(icptLateSender(Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Trailer", "X-Sum")
		io.WriteString(w, "body")
		w.Header().Set("X-Sum", "42")
		w.Header()[http.TrailerPrefix+"Set-Cookie"] = []string{"t=ok", "_t=track"}
	}), hooks)))
	defer srv.Close()
	res := icptDo(t, "GET", srv.URL, nil)
	if res.Header.Get("Vary") != "Cookie" || res.Body != "body" {
		t.Errorf("got %v %q", res.Header, res.Body)
	}
	want := http.Header{"X-Sum": {"42"}, "Set-Cookie": {"t=ok"}}
	if diff := cmp.Diff(want, res.Trailer); diff != "" {
		t.Errorf("trailers (-want +got):\n%s", diff)
	}
}

// Code that hijacks after the commit may print the header map itself on the
// connection: the lines added since the commit are judged first.
func TestInterceptHijackAfterCommitFiltersLateLines(t *testing.T) {
	hooks := &icptHooks{}
	seen := make(chan []string, 1)
	srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Set-Cookie", "session=ok")
		w.WriteHeader(http.StatusOK) // the commit
		w.Header().Add("Set-Cookie", "_ga=track")
		w.Header().Add("Set-Cookie", "late=ok")
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			seen <- []string{err.Error()}
			return
		}
		conn.Close()
		seen <- w.Header()["Set-Cookie"]
	})
	icptDo(t, "GET", srv.URL, nil)
	if diff := cmp.Diff([]string{"session=ok", "late=ok"}, <-seen); diff != "" {
		t.Errorf("map after Hijack (-want +got):\n%s", diff)
	}
}

// Regression: afterCommit filtered Set-Cookie lines
// changed after the commit only when the canonical key held MORE lines
// than at the commit, and then only the lines past the committed count. A handler that
// replaces a committed line (Header().Set("Set-Cookie", ...), or writes
// into the slice) keeps the count, so the replacement is never judged.
// The package's stated reason for filtering late lines at all is an outer
// layer that buffers the header map and sends it when it finally writes
// (a compressor waiting for enough bytes, such as gzhttp, which the docs
// put outermost): that layer would send the refused cookie.
//
// The fake inner writer plays that outer layer: what is left in its map
// when Serve returns is what it would send.
func TestReplacedCookieAfterCommit(t *testing.T) {
	tests := []struct {
		name    string
		replace func(h http.Header)
	}{
		{"Header().Set", func(h http.Header) { h.Set("Set-Cookie", "ad=track") }},
		{"slice element", func(h http.Header) { h["Set-Cookie"][0] = "ad=track" }},
		{"new slice, same count plus one", func(h http.Header) {
			h["Set-Cookie"] = []string{"ad=track", "session=ok"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hooks := &icptHooks{}
			inner := &icptFakeWriter{h: http.Header{}}
			Serve(inner, icptRequest("GET", "/"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.Header().Add("Set-Cookie", "session=ok")
				w.Write([]byte("body"))
				tt.replace(w.Header())
			}), hooks)
			for _, l := range inner.h.Values("Set-Cookie") {
				if l == "ad=track" {
					t.Errorf("a refused line set after the commit is left in the map an outer buffering layer sends: %q",
						inner.h.Values("Set-Cookie"))
				}
			}
			if diff := cmp.Diff([]string{"session=ok"}, inner.sent.Values("Set-Cookie")); diff != "" {
				t.Errorf("committed Set-Cookie (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCommitHookReplacesHeader checks that a Commit hook's edits all reach
// the response when it removes one field the interceptor knows by name
// and adds another, which leaves the number of fields as it was.
func TestCommitHookReplacesHeader(t *testing.T) {
	hooks := &icptHooks{onCommit: func(h http.Header) {
		delete(h, "Content-Type")
		h.Set("Content-Security-Policy", "default-src 'self'")
	}}
	h := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Add("Set-Cookie", "session=ok")
		io.WriteString(w, "body")
	}), hooks)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	want := http.Header{"Content-Security-Policy": {"default-src 'self'"}, "Set-Cookie": {"session=ok"}}
	if diff := cmp.Diff(want, rec.Header()); diff != "" {
		t.Errorf("sent header (-want +got):\n%s", diff)
	}
}
