package middleware

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/transform"
)

// icptRecoverer is an outer recoverer in the style of chi's: it re-panics
// http.ErrAbortHandler and otherwise answers 500.
func icptRecoverer(next http.Handler, seen *any, mu *sync.Mutex) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			mu.Lock()
			*seen = v
			mu.Unlock()
			if v == http.ErrAbortHandler {
				panic(v)
			}
			http.Error(w, "recovered", http.StatusInternalServerError)
		}()
		next.ServeHTTP(w, r)
	})
}

// Pitfalls 14 and 15: a panic discards buffered output, never finishes the
// transformation, leaves a filtered header map behind for the outer
// recoverer's 500, and travels on unchanged (ErrAbortHandler included).
func TestInterceptPanic(t *testing.T) {
	tests := []struct {
		name       string
		value      any
		handler    func(w http.ResponseWriter)
		wantStatus int // 0: the connection is cut
		wantBody   string
	}{
		{"before any write", "boom", func(w http.ResponseWriter) {
			icptSetCookies(w)
			w.Header()["set-cookie"] = []string{"_gid=track"}
		}, 500, "recovered\n"},
		{"after a buffered write", "boom", func(w http.ResponseWriter) {
			icptSetCookies(w)
			w.Write([]byte("<html><body>partial world")) // waiting to be sniffed
		}, 500, "recovered\n"},
		{"WriteHeader awaiting sniff", "boom", func(w http.ResponseWriter) {
			icptSetCookies(w)
			w.WriteHeader(http.StatusOK)
			w.Write([]byte("<p>partial"))
		}, 500, "recovered\n"},
		{"ErrAbortHandler", http.ErrAbortHandler, func(w http.ResponseWriter) {
			icptSetCookies(w)
			w.Write([]byte("<p>x"))
		}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen any
			var mu sync.Mutex
			hooks := &icptHooks{body: icptHTML(icptReplacer("world", "everyone!"), "v")}
			h := icptRecoverer(Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tt.handler(w)
				panic(tt.value)
			}), hooks), &seen, &mu)
			srv := httptest.NewUnstartedServer(h)
			srv.Config.ErrorLog = icptQuietLog()
			srv.Start()
			defer srv.Close()
			res := icptDo(t, "GET", srv.URL, nil)
			if tt.wantStatus == 0 {
				if res.Err == nil {
					t.Errorf("request succeeded (%d %q); want the connection cut", res.Status, res.Body)
				}
			} else {
				if res.Status != tt.wantStatus || res.Body != tt.wantBody {
					t.Errorf("got %d %q, want %d %q", res.Status, res.Body, tt.wantStatus, tt.wantBody)
				}
				if diff := cmp.Diff(icptKept, res.Header["Set-Cookie"]); diff != "" {
					t.Errorf("Set-Cookie on the recoverer's response (-want +got):\n%s", diff)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if seen != tt.value {
				t.Errorf("outer recoverer saw %v, want %v", seen, tt.value)
			}
			commits, events := hooks.snapshot()
			if len(commits) != 0 {
				t.Errorf("hook ran during a panic: %+v", commits)
			}
			if len(events) != 1 || events[0].Kind != EventPanic {
				t.Errorf("events = %+v, want one panic event", events)
			}
		})
	}
}

// Pitfall 14: a panic after the commit of a transformed body does not append
// the transformer's held-back tail.
func TestInterceptPanicAfterCommit(t *testing.T) {
	var seen any
	var mu sync.Mutex
	hooks := &icptHooks{body: icptHTML(icptReplacer("world", "everyone!"), "v")}
	h := icptRecoverer(Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<p>hello wor")) // "wor" is held back
		w.(http.Flusher).Flush()
		w.Header()[http.TrailerPrefix+"Set-Cookie"] = []string{"t=track"}
		panic("boom")
	}), hooks), &seen, &mu)
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = icptQuietLog()
	srv.Start()
	defer srv.Close()
	res := icptDo(t, "GET", srv.URL, nil)
	// The recoverer's text lands after the flushed prefix; the held-back
	// "wor" never does.
	if res.Status != 200 || res.Body != "<p>hello recovered\n" {
		t.Errorf("got %d %q", res.Status, res.Body)
	}
	if len(res.Trailer["Set-Cookie"]) != 0 {
		t.Errorf("trailer cookie leaked: %q", res.Trailer["Set-Cookie"])
	}
	// The trailer was set in the handler's own map after the commit and
	// never reached the inner one: there is nothing to filter.
	want := []EventKind{EventPanic}
	if diff := cmp.Diff(want, hooks.kinds()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// Pitfall 16: header changes after the commit cannot be sent; they are
// reported.
func TestInterceptHeaderAfterCommit(t *testing.T) {
	hooks := &icptHooks{}
	srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("body"))
		w.Header().Add("Set-Cookie", "consent=changed")
		w.Header()["set-cookie"] = []string{"odd=late"}
		w.Header().Set("X-Late", "1")
	})
	res := icptDo(t, "GET", srv.URL, nil)
	if len(res.Header["Set-Cookie"]) != 0 || res.Header.Get("X-Late") != "" {
		t.Errorf("late headers reached the client: %v", res.Header)
	}
	_, events := hooks.snapshot()
	want := []Event{{Kind: EventHeaderAfterCommit, Status: 200, Count: 2}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// Pitfall 18: the writer a handler kept after its request was served is
// dead; it cannot reach the pooled state of the next request.
func TestInterceptWriterAfterServe(t *testing.T) {
	kept := make(chan http.ResponseWriter, 1)
	hooks := &icptHooks{}
	srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/keep" {
			kept <- w
		}
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, r.URL.Path)
	})
	if res := icptDo(t, "GET", srv.URL+"/keep", nil); res.Body != "/keep" {
		t.Fatalf("got %q", res.Body)
	}
	stale := <-kept
	if _, err := stale.Write([]byte("late")); !errors.Is(err, ErrWriterClosed) {
		t.Errorf("Write after serve: %v", err)
	}
	if _, err := io.WriteString(stale, "late"); !errors.Is(err, ErrWriterClosed) {
		t.Errorf("WriteString after serve: %v", err)
	}
	if _, err := stale.(io.ReaderFrom).ReadFrom(strings.NewReader("late")); !errors.Is(err, ErrWriterClosed) {
		t.Errorf("ReadFrom after serve: %v", err)
	}
	if err := http.NewResponseController(stale).Flush(); !errors.Is(err, ErrWriterClosed) {
		t.Errorf("Flush after serve: %v", err)
	}
	if _, _, err := stale.(http.Hijacker).Hijack(); !errors.Is(err, ErrWriterClosed) {
		t.Errorf("Hijack after serve: %v", err)
	}
	stale.Header().Set("Set-Cookie", "stale=track") // a detached map
	stale.WriteHeader(http.StatusTeapot)
	if res := icptDo(t, "GET", srv.URL+"/next", nil); res.Status != 200 || res.Body != "/next" || len(res.Header["Set-Cookie"]) != 0 {
		t.Errorf("next request disturbed: %d %q %v", res.Status, res.Body, res.Header)
	}
}

// A transformer that fails cuts the response and reports the error.
func TestInterceptTransformError(t *testing.T) {
	hooks := &icptHooks{body: icptHTML(func() transform.Transformer { return icptFailing{} }, "v")}
	var writeErr error
	srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, writeErr = w.Write([]byte("<p>x</p>"))
	})
	icptDo(t, "GET", srv.URL, nil)
	if !errors.Is(writeErr, errIcptFailing) {
		t.Errorf("Write error = %v", writeErr)
	}
	if diff := cmp.Diff([]EventKind{EventTransformError}, hooks.kinds()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

var errIcptFailing = errors.New("icpt: failing transformer")

type icptFailing struct{ transform.NopResetter }

func (icptFailing) Transform(dst, src []byte, atEOF bool) (int, int, error) {
	return 0, 0, errIcptFailing
}
