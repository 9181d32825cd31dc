package middleware

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/text/transform"
)

// Pitfalls 1, 2, 7, 17: every path that can send headers reaches the one
// commit point, runs the hook once, and lets only kept cookies out, byte for
// byte. A Set-Cookie added after the commit never reaches the client.
func TestInterceptCommitPaths(t *testing.T) {
	payload := strings.Repeat("x", 700)
	tests := []struct {
		name   string
		act    func(w http.ResponseWriter)
		status int
		body   string
	}{
		{"Write", func(w http.ResponseWriter) { w.Write([]byte("hi")) }, 200, "hi"},
		{"empty Write", func(w http.ResponseWriter) { w.Write(nil) }, 200, ""},
		{"WriteString", func(w http.ResponseWriter) { io.WriteString(w, "hi") }, 200, "hi"},
		{"io.Copy", func(w http.ResponseWriter) { io.Copy(w, strings.NewReader(payload)) }, 200, payload},
		{"ReadFrom", func(w http.ResponseWriter) { w.(io.ReaderFrom).ReadFrom(strings.NewReader("hi")) }, 200, "hi"},
		{"WriteHeader", func(w http.ResponseWriter) { w.WriteHeader(http.StatusAccepted) }, 202, ""},
		{"Flush first", func(w http.ResponseWriter) { w.(http.Flusher).Flush(); w.Write([]byte("hi")) }, 200, "hi"},
		{"ResponseController.Flush", func(w http.ResponseWriter) {
			if err := http.NewResponseController(w).Flush(); err != nil {
				panic(err)
			}
		}, 200, ""},
		{"FlushError", func(w http.ResponseWriter) {
			w.(interface{ FlushError() error }).FlushError()
		}, 200, ""},
		{"Unwrap().WriteHeader", func(w http.ResponseWriter) {
			w.(interface{ Unwrap() http.ResponseWriter }).Unwrap().WriteHeader(http.StatusCreated)
		}, 201, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hooks := &icptHooks{}
			srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				icptSetCookies(w)
				tt.act(w)
				w.Header().Add("Set-Cookie", "late=1") // after the commit: must not be sent
			})
			got := icptDo(t, "GET", srv.URL, nil)
			if got.Err != nil {
				t.Fatal(got.Err)
			}
			if got.Status != tt.status || got.Body != tt.body {
				t.Errorf("status %d body %q, want %d %q", got.Status, got.Body, tt.status, tt.body)
			}
			if diff := cmp.Diff(icptKept, got.Header["Set-Cookie"]); diff != "" {
				t.Errorf("Set-Cookie (-want +got):\n%s", diff)
			}
			commits, _ := hooks.snapshot()
			if diff := cmp.Diff([]icptCommit{{Status: tt.status, ContentType: "text/plain", HasCT: true}}, commits); diff != "" {
				t.Errorf("commits (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]EventKind{EventHeaderAfterCommit}, hooks.kinds()); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// Pitfall 17: a handler that writes nothing still gets a filtered, committed
// response, and an outer middleware can no longer send the unfiltered map.
func TestInterceptNothingWritten(t *testing.T) {
	hooks := &icptHooks{}
	var outerErr error
	inner := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		icptSetCookies(w)
	}), hooks)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner.ServeHTTP(w, r)
		w.Header().Add("Set-Cookie", "outer=track")
		_, outerErr = w.Write([]byte("outer"))
	}))
	defer srv.Close()
	got := icptDo(t, "GET", srv.URL, nil)
	if got.Err != nil || got.Status != 200 || got.Body != "outer" || outerErr != nil {
		t.Fatalf("got %d %q %v %v", got.Status, got.Body, got.Err, outerErr)
	}
	if diff := cmp.Diff(icptKept, got.Header["Set-Cookie"]); diff != "" {
		t.Errorf("Set-Cookie (-want +got):\n%s", diff)
	}
	commits, events := hooks.snapshot()
	if diff := cmp.Diff([]icptCommit{{Status: 200}}, commits); diff != "" {
		t.Errorf("commits (-want +got):\n%s", diff)
	}
	if len(events) != 0 {
		t.Errorf("events = %+v", events)
	}
}

// Pitfall 2: FlushError on a writer that cannot flush commits, then reports
// http.ErrNotSupported instead of pretending.
func TestInterceptFlushUnsupported(t *testing.T) {
	hooks := &icptHooks{}
	inner := &icptFakeWriter{h: http.Header{}}
	var flushErr error
	var isFlusher bool
	Serve(inner, icptRequest("GET", "/"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		icptSetCookies(w)
		_, isFlusher = w.(http.Flusher)
		flushErr = http.NewResponseController(w).Flush()
	}), hooks)
	if isFlusher {
		t.Error("writer claims http.Flusher over a writer that cannot flush")
	}
	if !errors.Is(flushErr, http.ErrNotSupported) {
		t.Errorf("Flush error = %v, want ErrNotSupported", flushErr)
	}
	if diff := cmp.Diff(icptKept, inner.sent["Set-Cookie"]); diff != "" {
		t.Errorf("committed Set-Cookie (-want +got):\n%s", diff)
	}
}

// Pitfall 3: the first final status wins; the hook never runs twice.
func TestInterceptSuperfluousWriteHeader(t *testing.T) {
	hooks := &icptHooks{}
	srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) {
		icptSetCookies(w)
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusCreated)
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte("made"))
		w.WriteHeader(http.StatusTeapot)
	})
	got := icptDo(t, "GET", srv.URL, nil)
	if got.Status != http.StatusCreated || got.Body != "made" {
		t.Errorf("got %d %q", got.Status, got.Body)
	}
	commits, events := hooks.snapshot()
	if len(commits) != 1 {
		t.Errorf("hook ran %d times", len(commits))
	}
	want := []Event{{Kind: EventSuperfluousWriteHeader, Status: 500}, {Kind: EventSuperfluousWriteHeader, Status: 418}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// Pitfall 4: 103 Early Hints go out without any Set-Cookie field and without
// committing; the final response still carries the kept cookies.
func TestInterceptInformational(t *testing.T) {
	hooks := &icptHooks{}
	srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) {
		icptSetCookies(w)
		w.Header()["set-cookie"] = []string{"odd=1"}
		w.Header()[http.TrailerPrefix+"Set-Cookie"] = []string{"t=1"}
		w.Header().Set("Link", "</app.css>; rel=preload; as=style")
		w.WriteHeader(http.StatusEarlyHints)
		w.WriteHeader(http.StatusEarlyHints)
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("done"))
	})
	got := icptDo(t, "GET", srv.URL, nil)
	if got.Err != nil {
		t.Fatal(got.Err)
	}
	if len(got.Info) != 2 {
		t.Fatalf("saw %d 1xx responses, want 2", len(got.Info))
	}
	for _, info := range got.Info {
		if info.Code != 103 || info.Header.Get("Link") == "" {
			t.Errorf("1xx = %d %v", info.Code, info.Header)
		}
		for k := range info.Header {
			if isCookieKey(k) || strings.Contains(strings.ToLower(k), "cookie") {
				t.Errorf("1xx carried %s: %q", k, info.Header[k])
			}
		}
	}
	if diff := cmp.Diff(append(icptKept[:2:2], "odd=1"), got.Header["Set-Cookie"]); diff != "" {
		t.Errorf("final Set-Cookie (-want +got):\n%s", diff)
	}
	commits, events := hooks.snapshot()
	if len(commits) != 1 || commits[0].Status != 200 {
		t.Errorf("commits = %+v", commits)
	}
	want := []Event{{Kind: EventInformationalCookie, Status: 103, Count: 6}, {Kind: EventInformationalCookie, Status: 103, Count: 6}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// Pitfall 4 and 5: 101 is a final status: the hook runs on it and the
// switching response carries only kept cookies.
func TestInterceptSwitchingProtocols(t *testing.T) {
	hooks := &icptHooks{}
	srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) {
		icptSetCookies(w)
		w.Header().Set("Connection", "Upgrade")
		w.Header().Set("Upgrade", "icpt")
		w.WriteHeader(http.StatusSwitchingProtocols)
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		brw.WriteString("raw bytes")
		brw.Flush()
	})
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "icpt")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 101 || string(raw) != "raw bytes" {
		t.Errorf("got %d %q", resp.StatusCode, raw)
	}
	if diff := cmp.Diff(icptKept, resp.Header["Set-Cookie"]); diff != "" {
		t.Errorf("Set-Cookie (-want +got):\n%s", diff)
	}
	commits, _ := hooks.snapshot()
	if diff := cmp.Diff([]icptCommit{{Status: 101}}, commits); diff != "" {
		t.Errorf("commits (-want +got):\n%s", diff)
	}
}

// Pitfall 5: a handler that hijacks before writing and prints the header map
// itself (as httputil.ReverseProxy does for upgrades) prints a filtered map.
func TestInterceptHijack(t *testing.T) {
	hooks := &icptHooks{}
	srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) {
		icptSetCookies(w)
		w.Header()["set-cookie"] = []string{"_gid=track"}
		conn, brw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		if _, err := w.Write([]byte("x")); err != http.ErrHijacked {
			panic("Write after Hijack: " + icptErrString(err))
		}
		brw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n")
		w.Header().Write(brw)
		brw.WriteString("\r\nok")
		brw.Flush()
	})
	got := icptDo(t, "GET", srv.URL, nil)
	if got.Err != nil || got.Body != "ok" {
		t.Fatalf("got %q, %v", got.Body, got.Err)
	}
	if diff := cmp.Diff(icptKept, got.Header["Set-Cookie"]); diff != "" {
		t.Errorf("Set-Cookie (-want +got):\n%s", diff)
	}
	commits, events := hooks.snapshot()
	if len(commits) != 0 {
		t.Errorf("hook ran for a hijacked connection: %+v", commits)
	}
	if diff := cmp.Diff([]Event{{Kind: EventHijacked, Count: 3}}, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// Pitfalls 5 and 7: optional interfaces are truthful for HTTP/1.1, HTTP/2
// and a bare writer, and ResponseController reaches deadlines and full
// duplex through Unwrap.
func TestInterceptInterfaces(t *testing.T) {
	type caps struct {
		Flusher, Hijacker, ReaderFrom, StringWriter bool
		DeadlineErr, DuplexErr, HijackErr           bool
	}
	probe := func(w http.ResponseWriter) caps {
		var c caps
		_, c.Flusher = w.(http.Flusher)
		_, c.Hijacker = w.(http.Hijacker)
		_, c.ReaderFrom = w.(io.ReaderFrom)
		_, c.StringWriter = w.(io.StringWriter)
		rc := http.NewResponseController(w)
		c.DeadlineErr = rc.SetWriteDeadline(time.Now().Add(time.Minute)) != nil
		c.DuplexErr = rc.EnableFullDuplex() != nil
		return c
	}
	h1 := caps{Flusher: true, Hijacker: true, ReaderFrom: true, StringWriter: true}
	h2 := caps{Flusher: true, ReaderFrom: true, StringWriter: true, HijackErr: true}
	bare := caps{ReaderFrom: true, StringWriter: true, DeadlineErr: true, DuplexErr: true, HijackErr: true}

	for _, tt := range []struct {
		name  string
		http2 bool
		want  caps
	}{{"HTTP/1.1", false, h1}, {"HTTP/2", true, h2}} {
		t.Run(tt.name, func(t *testing.T) {
			var got caps
			srv := icptNewServer(tt.http2, Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = probe(w)
				if !got.Hijacker {
					_, _, err := http.NewResponseController(w).Hijack()
					got.HijackErr = errors.Is(err, http.ErrNotSupported)
				}
			}), &icptHooks{}))
			defer srv.Close()
			resp, err := srv.Client().Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("capabilities (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("bare writer", func(t *testing.T) {
		var got caps
		Serve(&icptFakeWriter{h: http.Header{}}, icptRequest("GET", "/"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got = probe(w)
			_, _, err := http.NewResponseController(w).Hijack()
			got.HijackErr = errors.Is(err, http.ErrNotSupported)
		}), &icptHooks{})
		if diff := cmp.Diff(bare, got); diff != "" {
			t.Errorf("capabilities (-want +got):\n%s", diff)
		}
	})
}

// Pitfall 6: io.Copy from a file keeps the inner writer's ReadFrom (and so
// sendfile) when the body passes through, and goes through the Transformer
// when it does not.
func TestInterceptReadFrom(t *testing.T) {
	content := bytes.Repeat([]byte("abcdefgh"), 64<<10/8)
	path := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name          string
		contentType   string
		wantInnerCall bool
		want          []byte
	}{
		{"pass-through", "application/octet-stream", true, content},
		{"transformed", "text/html", false, bytes.ToUpper(content)},
		{"sniffed pass-through", "", true, content},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hooks := &icptHooks{body: icptHTML(func() transform.Transformer { return icptUpper{} }, "up")}
			var spy icptReaderFromSpy
			inner := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				f, err := os.Open(path)
				if err != nil {
					panic(err)
				}
				defer f.Close()
				io.Copy(w, f)
			}), hooks)
			srv := icptServer(t, &icptPassHooks{}, func(w http.ResponseWriter, r *http.Request) {
				spy.ResponseWriter = w
				inner.ServeHTTP(&spy, r)
			})
			got := icptDo(t, "GET", srv.URL, nil)
			if got.Err != nil {
				t.Fatal(got.Err)
			}
			if !bytes.Equal([]byte(got.Body), tt.want) {
				t.Errorf("body differs: got %d bytes, want %d", len(got.Body), len(tt.want))
			}
			if spy.calls > 0 != tt.wantInnerCall {
				t.Errorf("inner ReadFrom calls = %d, want called=%v", spy.calls, tt.wantInnerCall)
			}
		})
	}
}

// Pitfall 8: Set-Cookie under an odd-case key, as a http.TrailerPrefix
// trailer (set before and after the commit) and as a declared trailer are
// all caught.
func TestInterceptOddKeysAndTrailers(t *testing.T) {
	hooks := &icptHooks{}
	srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["set-cookie"] = []string{icptCookies[0], icptCookies[1]}
		h["SET-COOKIE"] = []string{icptCookies[2], icptCookies[3]}
		h.Set("Trailer", "X-Check, Set-Cookie")
		h[http.TrailerPrefix+"set-cookie"] = []string{"early=track", "early=ok"}
		h.Set("Content-Type", "text/plain")
		w.Write(bytes.Repeat([]byte("z"), 8<<10)) // large enough to be chunked
		w.(http.Flusher).Flush()
		h.Set("X-Check", "yes")
		h.Add("Set-Cookie", "declared=late")
		h[http.TrailerPrefix+"Set-Cookie"] = []string{"late=ok", "late=track"}
	})
	got := icptDo(t, "GET", srv.URL, nil)
	if got.Err != nil {
		t.Fatal(got.Err)
	}
	want := http.Header{
		"Set-Cookie": {icptCookies[2], icptCookies[0]}, // sorted by original key
	}
	if diff := cmp.Diff(want["Set-Cookie"], got.Header["Set-Cookie"], cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("Set-Cookie (-want +got):\n%s", diff)
	}
	for k, v := range got.Header {
		if strings.EqualFold(k, "Set-Cookie") && k != "Set-Cookie" {
			t.Errorf("odd key %q sent: %q", k, v)
		}
	}
	wantTrailer := http.Header{"X-Check": {"yes"}, "Set-Cookie": {"early=ok", "late=ok"}}
	if diff := cmp.Diff(wantTrailer, got.Trailer, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("trailers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]EventKind{EventTrailerCookie, EventTrailerCookie, EventTrailerCookie, EventHeaderAfterCommit}, hooks.kinds()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
