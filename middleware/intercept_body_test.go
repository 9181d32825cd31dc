package middleware

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Pitfalls 9, 11, 12: the body decision is made at commit from the real
// status and headers; a transformed representation loses its stale
// Content-Length and Accept-Ranges and gets a variant ETag, also on HEAD and
// 304; ranges and no-body statuses are never rewritten.
func TestInterceptBodyDecision(t *testing.T) {
	const page = "<p>hello world</p>"
	type want struct {
		Status  int
		Body    string
		Header  http.Header // only the keys listed are compared
		Kinds   []EventKind
		Commits int
	}
	tests := []struct {
		name    string
		method  string
		variant string
		handler func(w http.ResponseWriter)
		want    want
	}{
		{"rewritten, stale length", "GET", "v1", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Length", strconv.Itoa(len(page)))
			w.Header().Set("Accept-Ranges", "bytes")
			w.Header().Set("ETag", `"abc"`)
			w.Write([]byte(page))
		}, want{200, "<p>hello everyone!</p>", http.Header{
			"Content-Length": {"22"}, "Accept-Ranges": nil, "Etag": {`"abc-v1"`},
		}, nil, 1}},
		{"rewritten, streamed, weak ETag", "GET", "v1", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.Header()["ETag"] = []string{`W/"abc"`}
			w.Write([]byte("<p>hello wor"))
			w.(http.Flusher).Flush()
			w.Write([]byte("ld</p>"))
		}, want{200, "<p>hello everyone!</p>", http.Header{
			"Content-Length": nil, "Etag": {`W/"abc-v1"`},
		}, nil, 1}},
		{"no variant drops the ETag", "GET", "", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("ETag", `"abc"`)
			w.Write([]byte(page))
		}, want{200, "<p>hello everyone!</p>", http.Header{"Etag": nil}, nil, 1}},
		{"invalid variant drops the ETag", "GET", `v"1`, func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("ETag", `"abc"`)
			w.Write([]byte(page))
		}, want{200, "<p>hello everyone!</p>", http.Header{"Etag": nil}, nil, 1}},
		{"HEAD describes the rewritten GET", "HEAD", "v1", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("ETag", `"abc"`)
			w.Header().Set("Accept-Ranges", "bytes")
			w.Write([]byte(page)) // net/http would count these bytes
		}, want{200, "", http.Header{"Content-Length": nil, "Accept-Ranges": nil, "Etag": {`"abc-v1"`}}, nil, 1}},
		{"304 keeps variants apart", "GET", "v1", func(w http.ResponseWriter) {
			icptSetCookies(w)
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("ETag", `"abc"`)
			w.WriteHeader(http.StatusNotModified)
		}, want{304, "", http.Header{"Etag": {`"abc-v1"`}, "Set-Cookie": icptKept}, nil, 1}},
		{"204 filters cookies", "GET", "v1", func(w http.ResponseWriter) {
			icptSetCookies(w)
			w.WriteHeader(http.StatusNoContent)
		}, want{204, "", http.Header{"Set-Cookie": icptKept}, nil, 1}},
		{"206 is never rewritten", "GET", "v1", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Range", "bytes 0-4/18")
			w.Header().Set("ETag", `"abc"`)
			w.WriteHeader(http.StatusPartialContent)
			w.Write([]byte("<p>he"))
		}, want{206, "<p>he", http.Header{"Etag": {`"abc"`}}, []EventKind{EventNotEnforced}, 1}},
		{"non-HTML passes through", "GET", "v1", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("ETag", `"abc"`)
			w.Header().Set("Content-Length", strconv.Itoa(len(page)))
			w.Write([]byte(page))
		}, want{200, page, http.Header{"Etag": {`"abc"`}, "Content-Length": {"18"}}, nil, 1}},
		{"identity encoding is rewritten", "GET", "v1", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "identity")
			w.Write([]byte(page))
		}, want{200, "<p>hello everyone!</p>", nil, nil, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hooks := &icptHooks{body: icptHTML(icptReplacer("world", "everyone!"), tt.variant)}
			srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) { tt.handler(w) })
			res := icptDo(t, tt.method, srv.URL, nil)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			got := want{Status: res.Status, Body: res.Body, Kinds: hooks.kinds()}
			commits, _ := hooks.snapshot()
			got.Commits = len(commits)
			if tt.want.Header != nil {
				got.Header = http.Header{}
				for k := range tt.want.Header {
					got.Header[k] = res.Header[k]
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Pitfall 13: with no Content-Type the commit waits for enough bytes to sniff
// it, so the hook decides on the real type. An explicit nil Content-Type is
// respected (no header is sent), but then the browser sniffs: the hook sees
// the type sniffed from the same bytes, so an HTML body is still rewritten.
func TestInterceptSniffing(t *testing.T) {
	long := "<html><body>" + strings.Repeat("world ", 200) + "</body></html>"
	tests := []struct {
		name      string
		handler   func(w http.ResponseWriter)
		want      icptCommit
		wantCT    []string
		wantWorld bool // "world" left unrewritten
	}{
		{"small writes", func(w http.ResponseWriter) {
			w.Write([]byte("<html><bo"))
			w.Write([]byte("dy>hello world"))
			w.Write([]byte("</body></html>"))
		}, icptCommit{200, "text/html; charset=utf-8", true}, []string{"text/html; charset=utf-8"}, false},
		{"one large write", func(w http.ResponseWriter) {
			w.Write([]byte(long))
		}, icptCommit{200, "text/html; charset=utf-8", true}, []string{"text/html; charset=utf-8"}, false},
		{"sniffed after WriteHeader", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, "<!DOCTYPE html><p>no world")
		}, icptCommit{404, "text/html; charset=utf-8", true}, []string{"text/html; charset=utf-8"}, false},
		{"explicit nil", func(w http.ResponseWriter) {
			w.Header()["Content-Type"] = nil
			w.Write([]byte("<html><body>hello world</body></html>"))
		}, icptCommit{200, "text/html; charset=utf-8", true}, nil, false},
		{"explicit nil, plain text", func(w http.ResponseWriter) {
			w.Header()["Content-Type"] = nil
			w.Write([]byte("hello world"))
		}, icptCommit{200, "text/plain; charset=utf-8", true}, nil, true},
		{"no valid type, browser sniffs", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "garbage")
			w.Write([]byte("<html><body>hello world</body></html>"))
		}, icptCommit{200, "garbage", true}, []string{"garbage"}, false},
		{"unknown type, browser sniffs", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "unknown/unknown")
			w.Write([]byte("<html><body>hello world</body></html>"))
		}, icptCommit{200, "unknown/unknown", true}, []string{"unknown/unknown"}, false},
		{"odd-case key", func(w http.ResponseWriter) {
			w.Header()["content-type"] = []string{"text/html"}
			w.Write([]byte("hello world"))
		}, icptCommit{200, "text/html", true}, []string{"text/html"}, false},
		{"plain text", func(w http.ResponseWriter) {
			w.Write([]byte("hello world"))
		}, icptCommit{200, "text/plain; charset=utf-8", true}, []string{"text/plain; charset=utf-8"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hooks := &icptHooks{body: icptHTML(icptReplacer("world", "everyone!"), "v")}
			srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) { tt.handler(w) })
			res := icptDo(t, "GET", srv.URL, nil)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			commits, _ := hooks.snapshot()
			if diff := cmp.Diff([]icptCommit{tt.want}, commits); diff != "" {
				t.Errorf("commits (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantCT, res.Header["Content-Type"]); diff != "" {
				t.Errorf("Content-Type (-want +got):\n%s", diff)
			}
			if strings.Contains(res.Body, "world") != tt.wantWorld {
				t.Errorf("body %.80q: rewritten=%v, want %v", res.Body, !tt.wantWorld, !tt.wantWorld)
			}
		})
	}
}

// icptGzip is a tiny compression middleware for composition tests. With
// upFront it sets Content-Encoding before calling next (as many do, see
// go.dev/issue/66343); otherwise when the response is committed.
func icptGzip(next http.Handler, upFront bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			next.ServeHTTP(w, r)
			return
		}
		if upFront {
			w.Header().Set("Content-Encoding", "gzip")
		}
		gz := gzip.NewWriter(w)
		defer gz.Close()
		next.ServeHTTP(&icptGzipWriter{ResponseWriter: w, gz: gz}, r)
	})
}

type icptGzipWriter struct {
	http.ResponseWriter
	gz          *gzip.Writer
	wroteHeader bool
}

func (g *icptGzipWriter) WriteHeader(code int) {
	if g.wroteHeader {
		return
	}
	g.wroteHeader = true
	g.Header().Del("Content-Length")
	g.Header().Set("Content-Encoding", "gzip")
	g.ResponseWriter.WriteHeader(code)
}

func (g *icptGzipWriter) Write(p []byte) (int, error) {
	g.WriteHeader(http.StatusOK)
	return g.gz.Write(p)
}

func (g *icptGzipWriter) Flush() {
	g.gz.Flush()
	if f, ok := g.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Pitfall 10: compression placed outside the interceptor composes (the
// interceptor sees identity bytes and rewrites them); an inner handler that
// compresses gets its body passed through untouched and reported as not
// enforced, while cookies are still filtered.
func TestInterceptGzipComposition(t *testing.T) {
	page := "<html><body>" + strings.Repeat("hello world ", 100) + "</body></html>"
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		icptSetCookies(w)
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
		io.WriteString(w, page[:100])
		w.(http.Flusher).Flush()
		io.WriteString(w, page[100:])
	})
	tests := []struct {
		name      string
		build     func(h Hooks) http.Handler
		wantWorld bool
		wantKinds []EventKind
	}{
		{"gzip outside, encoding set up front", func(h Hooks) http.Handler { return icptGzip(Wrap(app, h), true) }, false, nil},
		{"gzip outside, encoding set at commit", func(h Hooks) http.Handler { return icptGzip(Wrap(app, h), false) }, false, nil},
		{"gzip inside", func(h Hooks) http.Handler { return Wrap(icptGzip(app, false), h) }, true, []EventKind{EventNotEnforced}},
		{"gzip inside, encoding set up front", func(h Hooks) http.Handler { return Wrap(icptGzip(app, true), h) }, true, []EventKind{EventNotEnforced}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hooks := &icptHooks{body: icptHTML(icptReplacer("world", "everyone!"), "v")}
			srv := icptNewServer(false, tt.build(hooks))
			defer srv.Close()
			res := icptDo(t, "GET", srv.URL, http.Header{"Accept-Encoding": {"gzip"}})
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if res.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Content-Encoding = %q", res.Header.Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(strings.NewReader(res.Body))
			if err != nil {
				t.Fatal(err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if got := bytes.Contains(plain, []byte("world")); got != tt.wantWorld {
				t.Errorf("body still has \"world\" = %v, want %v", got, tt.wantWorld)
			}
			if !tt.wantWorld && !bytes.Equal(plain, []byte(strings.ReplaceAll(page, "world", "everyone!"))) {
				t.Errorf("rewritten body differs")
			}
			if diff := cmp.Diff(icptKept, res.Header["Set-Cookie"]); diff != "" {
				t.Errorf("Set-Cookie (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantKinds, hooks.kinds()); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// A transformed response, and a 304 confirming a variant, go out without
// Last-Modified: If-Modified-Since would confirm a copy of any variant. An
// untouched response keeps it.
func TestInterceptLastModified(t *testing.T) {
	const lm = "Fri, 02 Jan 2026 03:04:05 GMT"
	tests := []struct {
		name     string
		status   int
		ct       string
		body     func(int, http.Header) Body
		wantLM   []string
		wantETag []string
	}{
		{"transformed", 200, "text/html", icptHTML(icptReplacer("a", "b"), "v1"), nil, []string{`"x-v1"`}},
		{"not modified, variant", 304, "", func(int, http.Header) Body { return Body{Variant: "v1"} }, nil, []string{`"x-v1"`}},
		{"passed through", 200, "application/json", icptHTML(icptReplacer("a", "b"), "v1"), []string{lm}, []string{`"x"`}},
		{"not modified, no variant", 304, "", func(int, http.Header) Body { return Body{} }, []string{lm}, []string{`"x"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inner := &icptFakeWriter{h: http.Header{}}
			Serve(inner, icptRequest("GET", "/"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.ct != "" {
					w.Header().Set("Content-Type", tt.ct)
				}
				w.Header().Set("Last-Modified", lm)
				w.Header().Set("ETag", `"x"`)
				w.WriteHeader(tt.status)
				if tt.status == 200 {
					io.WriteString(w, "a page")
				}
			}), &icptHooks{body: tt.body})
			got := []any{inner.sent["Last-Modified"], inner.sent["Etag"]}
			if diff := cmp.Diff([]any{tt.wantLM, tt.wantETag}, got); diff != "" {
				t.Errorf("Last-Modified, ETag (-want +got):\n%s", diff)
			}
		})
	}
}
