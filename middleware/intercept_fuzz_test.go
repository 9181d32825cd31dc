package middleware

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/transform"
)

// icptFuzzHooks refuses every line containing "track" and counts commits per
// request (the counter travels in the request context).
type icptFuzzHooks struct {
	twice atomic.Int64 // requests whose hook ran more than once
}

type icptCountKey struct{}

func (h *icptFuzzHooks) KeepCookie(_ *http.Request, line string) bool {
	return !strings.Contains(line, "track")
}

func (h *icptFuzzHooks) Commit(r *http.Request, _ int, hdr http.Header) Body {
	if r.Context().Value(icptCountKey{}).(*atomic.Int32).Add(1) > 1 {
		h.twice.Add(1)
	}
	hdr.Add("Set-Cookie", "hook=added")
	if strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		return Body{Transformer: &icptReplace{old: []byte("world"), repl: []byte("everyone!")}, Variant: "f"}
	}
	return Body{}
}

func (h *icptFuzzHooks) Event(*http.Request, Event) {}

var icptFuzzCodes = [...]int{100, 103, 200, 201, 204, 206, 304, 404, 500, 199, 299, 999}

var icptFuzzKeys = [...]string{
	"Set-Cookie", "set-cookie", "SET-COOKIE", "sEt-CoOkIe",
	http.TrailerPrefix + "Set-Cookie", http.TrailerPrefix + "set-cookie",
}

// icptFuzzRun interprets prog as a sequence of ResponseWriter calls. Op 13
// writes through the header map the handler took before its first call, as
// code that keeps h := w.Header() does.
func icptFuzzRun(w http.ResponseWriter, prog []byte) {
	const chunk = "<p>hello world</p>"
	n := 0
	early := w.Header()
	for i := 0; i+1 < len(prog); i += 2 {
		op, arg := prog[i]%14, int(prog[i+1])
		h := w.Header()
		if op == 13 {
			h, op = early, 5+byte(arg%3) // a cookie (5, 6) or a type (7)
		}
		switch op {
		case 0:
			w.WriteHeader(icptFuzzCodes[arg%len(icptFuzzCodes)])
		case 1:
			w.Write([]byte(strings.Repeat(chunk, arg%8)[:arg%(8*len(chunk)-1)]))
		case 2:
			w.Write(nil)
		case 3:
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
		case 4:
			w.(io.ReaderFrom).ReadFrom(strings.NewReader(strings.Repeat("world ", arg)))
		case 5, 6:
			n++
			line := "c" + strconv.Itoa(n) + "=ok"
			if arg&1 == 0 {
				line = "c" + strconv.Itoa(n) + "=track; Path=/"
			}
			key := icptFuzzKeys[(arg>>1)%len(icptFuzzKeys)]
			h[key] = append(h[key], line)
		case 7:
			switch arg % 4 {
			case 0:
				h.Set("Content-Type", "text/html")
			case 1:
				h.Set("Content-Type", "text/plain")
			case 2:
				h["Content-Type"] = nil
			default:
				h.Del("Content-Type")
			}
		case 8:
			if arg%2 == 0 {
				h.Set("Content-Encoding", "gzip")
			} else {
				h.Del("Content-Encoding")
			}
		case 9:
			h.Set("Trailer", []string{"Set-Cookie", "X-T, set-cookie", "X-T"}[arg%3])
		case 10:
			io.WriteString(w, chunk[:arg%len(chunk)])
		case 11:
			http.NewResponseController(w).Flush()
		case 12:
			if arg%3 == 0 {
				h.Set("Content-Length", strconv.Itoa(arg))
			} else {
				h.Set("ETag", `"e`+strconv.Itoa(arg)+`"`)
			}
		}
	}
}

// FuzzIntercept drives random sequences of writer calls through a real
// server and checks that nothing panics, the hook runs at most once per
// response, and no refused Set-Cookie line reaches the client: not in 1xx
// responses, not in the final header, not in trailers. A program of odd
// length runs behind icptLateSender, which sends the header map at a later
// Write or Flush: there, too, nothing changed after the commit may leak,
// and a response that reaches the client as identity-encoded HTML must
// have been rewritten (no "world" left), whatever the handler did to its
// Content-Type after the commit.
func FuzzIntercept(f *testing.F) {
	f.Add([]byte{5, 0, 6, 3, 1, 20})
	f.Add([]byte{5, 2, 0, 1, 1, 30, 0, 3})
	f.Add([]byte{7, 0, 5, 8, 5, 10, 9, 0, 1, 200, 3, 0, 5, 9, 6, 0})
	f.Add([]byte{5, 6, 0, 0, 3, 0, 0, 5})
	f.Add([]byte{8, 0, 7, 0, 5, 0, 1, 50, 4, 100})
	f.Add([]byte{12, 3, 1, 200, 5, 0})
	f.Add([]byte{2, 0, 5, 4, 11, 0, 5, 8})
	// Behind the late sender: a write, then a late cookie, a late HTML
	// type, a late cookie through the early map, and the sending write.
	f.Add([]byte{7, 1, 1, 20, 5, 0, 7, 0, 13, 0, 4, 255, 0})
	f.Add([]byte{1, 30, 13, 2, 13, 0, 3, 0, 1})

	hooks := &icptFuzzHooks{}
	wrapped := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		prog, _ := io.ReadAll(r.Body)
		icptFuzzRun(w, prog)
	}), hooks)
	late := icptLateSender(wrapped)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var count atomic.Int32
		r = r.WithContext(context.WithValue(r.Context(), icptCountKey{}, &count))
		if r.ContentLength%2 == 1 {
			late.ServeHTTP(w, r)
		} else {
			wrapped.ServeHTTP(w, r)
		}
	}))
	srv.Config.ErrorLog = icptQuietLog()
	srv.Start()
	f.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 5 * time.Second}

	f.Fuzz(func(t *testing.T, prog []byte) {
		if len(prog) > 256 {
			prog = prog[:256]
		}
		var mu sync.Mutex
		var leaks []string
		check := func(where string, h http.Header) {
			for k, v := range h {
				if strings.Contains(strings.ToLower(k), "cookie") || strings.Contains(k, ":") {
					for _, line := range v {
						if strings.Contains(line, "track") {
							mu.Lock()
							leaks = append(leaks, where+" "+k+": "+line)
							mu.Unlock()
						}
					}
				}
			}
		}
		trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
			check("1xx", http.Header(h))
			return nil
		}}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "POST", srv.URL, bytes.NewReader(prog))
		before := hooks.twice.Load()
		resp, err := client.Do(req)
		var body []byte
		if err == nil {
			check("header", resp.Header)
			body, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			check("trailer", resp.Trailer)
		}
		if err == nil && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") &&
			resp.Header.Get("Content-Encoding") == "" && resp.StatusCode != http.StatusPartialContent &&
			bytes.Contains(body, []byte("world")) {
			t.Fatalf("HTML reached the client unrewritten: %q", body)
		}
		if err, ok := err.(interface{ Timeout() bool }); ok && err.Timeout() {
			t.Fatalf("response hung: %v", err)
		}
		if len(leaks) > 0 {
			t.Fatalf("refused cookies reached the client: %q", leaks)
		}
		if hooks.twice.Load() != before {
			t.Fatal("the commit hook ran twice for one response")
		}
	})
}

// FuzzInterceptTransformSplit checks the streaming writer against
// transform.String for arbitrary input split at arbitrary points.
func FuzzInterceptTransformSplit(f *testing.F) {
	f.Add("hello world, wor", uint16(3), uint16(9))
	f.Add("wwworldworlwo", uint16(1), uint16(2))
	f.Fuzz(func(t *testing.T, in string, a, b uint16) {
		i, j := int(a)%(len(in)+1), int(b)%(len(in)+1)
		if i > j {
			i, j = j, i
		}
		mk := icptReplacer("world", "everyone!")
		want, _, err := transform.String(mk(), in)
		if err != nil {
			t.Skip()
		}
		var out bytes.Buffer
		var tw transformWriter
		tw.init(&out, mk(), 0)
		for _, part := range []string{in[:i], in[i:j], in[j:]} {
			if _, err := tw.Write([]byte(part)); err != nil {
				t.Fatal(err)
			}
		}
		if err := tw.close(); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Fatalf("split %d,%d: got %q, want %q", i, j, out.String(), want)
		}
	})
}
