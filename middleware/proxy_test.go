package middleware

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// icptProxy starts backend and a ReverseProxy in front of it using
// ModifyResponse(hooks); with wrap the proxy handler is also wrapped.
func icptProxy(t *testing.T, hooks Hooks, wrap bool, backend http.HandlerFunc) *httptest.Server {
	t.Helper()
	be := httptest.NewServer(backend)
	t.Cleanup(be.Close)
	u, _ := url.Parse(be.URL)
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ModifyResponse = ModifyResponse(hooks)
	rp.ErrorLog = icptQuietLog()
	var h http.Handler = rp
	if wrap {
		h = Wrap(rp, hooks)
	}
	front := httptest.NewServer(h)
	t.Cleanup(front.Close)
	return front
}

func TestInterceptProxyBody(t *testing.T) {
	page := "<html><body>" + strings.Repeat("hello world ", 1000) + "</body></html>"
	want := strings.ReplaceAll(page, "world", "everyone!")
	tests := []struct {
		name       string
		wrap       bool
		backend    http.HandlerFunc
		reqHeader  http.Header
		wantBody   string
		wantHeader http.Header
		wantKinds  []EventKind
	}{
		{"rewritten with stale length", false, func(w http.ResponseWriter, r *http.Request) {
			icptSetCookies(w)
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("ETag", `"p1"`)
			w.Header().Set("Accept-Ranges", "bytes")
			io.WriteString(w, page) // net/http sets Content-Length
		}, nil, want, http.Header{"Set-Cookie": icptKept, "Etag": {`"p1-v"`}, "Accept-Ranges": nil}, nil},
		{"sniffed upstream type", false, func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = nil
			io.WriteString(w, page)
		}, nil, want, http.Header{"Content-Type": {"text/html; charset=utf-8"}}, nil},
		{"upstream type no browser trusts", false, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "unknown/unknown")
			io.WriteString(w, page)
		}, nil, want, http.Header{"Content-Type": {"unknown/unknown"}}, nil},
		{"encoded upstream passes through", false, func(w http.ResponseWriter, r *http.Request) {
			icptSetCookies(w)
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			io.WriteString(zw, page)
			zw.Close()
		}, http.Header{"Accept-Encoding": {"gzip"}}, "gzip:" + page, http.Header{"Set-Cookie": icptKept}, []EventKind{EventNotEnforced}},
		{"wrapped proxy, plain text", true, func(w http.ResponseWriter, r *http.Request) {
			icptSetCookies(w)
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, page)
		}, nil, page, http.Header{"Set-Cookie": icptKept, "Content-Type": {"text/plain"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hooks := &icptHooks{body: icptHTML(icptReplacer("world", "everyone!"), "v")}
			front := icptProxy(t, hooks, tt.wrap, tt.backend)
			res := icptDo(t, "GET", front.URL, tt.reqHeader)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			body := res.Body
			if res.Header.Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(zr)
				body = "gzip:" + string(b)
			}
			if body != tt.wantBody {
				t.Errorf("body differs: got %d bytes %.60q", len(body), body)
			}
			got := http.Header{}
			for k := range tt.wantHeader {
				got[k] = res.Header[k]
			}
			if diff := cmp.Diff(tt.wantHeader, got); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
			if cl := res.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(res.Body)) {
				t.Errorf("Content-Length %s for %d bytes", cl, len(res.Body))
			}
			if diff := cmp.Diff(tt.wantKinds, hooks.kinds()); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// Proxied WebSocket-style upgrades bypass every ResponseWriter:
// ReverseProxy hijacks and prints the upstream 101 itself. ModifyResponse
// filters the 101's cookies and never touches the upgraded stream.
func TestInterceptProxyUpgrade(t *testing.T) {
	for _, wrap := range []bool{false, true} {
		t.Run(map[bool]string{false: "ModifyResponse only", true: "wrapped too"}[wrap], func(t *testing.T) {
			hooks := &icptHooks{body: func(int, http.Header) Body {
				return Body{Transformer: icptUpper{}, Variant: "v"}
			}}
			front := icptProxy(t, hooks, wrap, func(w http.ResponseWriter, r *http.Request) {
				icptSetCookies(w)
				w.Header().Set("Connection", "Upgrade")
				w.Header().Set("Upgrade", "icpt")
				w.WriteHeader(http.StatusSwitchingProtocols)
				conn, brw, err := http.NewResponseController(w).Hijack()
				if err != nil {
					panic(err)
				}
				defer conn.Close()
				line, _ := brw.ReadString('\n')
				brw.WriteString("echo: " + line)
				brw.Flush()
			})
			req, _ := http.NewRequest("GET", front.URL, nil)
			req.Header.Set("Connection", "Upgrade")
			req.Header.Set("Upgrade", "icpt")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != 101 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if diff := cmp.Diff(icptKept, resp.Header["Set-Cookie"]); diff != "" {
				t.Errorf("101 Set-Cookie (-want +got):\n%s", diff)
			}
			rw := resp.Body.(io.ReadWriter)
			io.WriteString(rw, "ping\n")
			got, _ := bufio.NewReader(rw).ReadString('\n')
			if got != "echo: ping\n" {
				t.Errorf("upgraded stream = %q (it must not be transformed)", got)
			}
		})
	}
}

// Set-Cookie trailers from upstream are filtered when the body ends.
func TestInterceptProxyTrailers(t *testing.T) {
	hooks := &icptHooks{}
	front := icptProxy(t, hooks, false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "Set-Cookie, X-Sum")
		w.Header().Set("Content-Type", "text/plain")
		w.Write(bytes.Repeat([]byte("a"), 5000))
		w.(http.Flusher).Flush()
		w.Header().Add("Set-Cookie", "t1=ok")
		w.Header().Add("Set-Cookie", "t2=track")
		w.Header().Set("X-Sum", "42")
		w.Header()[http.TrailerPrefix+"Set-Cookie"] = []string{"t3=track"}
	})
	res := icptDo(t, "GET", front.URL, nil)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	want := http.Header{"Set-Cookie": {"t1=ok"}, "X-Sum": {"42"}}
	if diff := cmp.Diff(want, res.Trailer); diff != "" {
		t.Errorf("trailers (-want +got):\n%s", diff)
	}
}

// InterceptResponse on a hand-made response: HEAD and 304 get the headers
// of the transformed GET, the body of a HEAD is left alone.
func TestInterceptResponseDirect(t *testing.T) {
	hooks := &icptHooks{body: icptHTML(icptReplacer("a", "b"), "v")}
	for _, tt := range []struct {
		method string
		status int
		want   http.Header
	}{
		{"HEAD", 200, http.Header{"Content-Type": {"text/html"}, "Etag": {`"e-v"`}}},
		{"GET", 304, http.Header{"Content-Type": {"text/html"}, "Etag": {`"e-v"`}, "Content-Length": {"3"}}},
	} {
		res := &http.Response{
			StatusCode: tt.status,
			Header: http.Header{"Content-Type": {"text/html"}, "Etag": {`"e"`}, "Content-Length": {"3"},
				"Accept-Ranges": {"bytes"}, "Set-Cookie": {"x=track"}},
			Body:    http.NoBody,
			Request: httptest.NewRequest(tt.method, "/", nil),
		}
		if err := InterceptResponse(res, hooks); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, res.Header); diff != "" {
			t.Errorf("%s %d headers (-want +got):\n%s", tt.method, tt.status, diff)
		}
		if res.Body != http.NoBody {
			t.Errorf("%s %d: body replaced", tt.method, tt.status)
		}
	}
}
