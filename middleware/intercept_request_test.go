package middleware

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestStripETagVariant(t *testing.T) {
	tests := []struct {
		name    string
		in      http.Header
		variant string
		want    http.Header // nil: unchanged
	}{
		{"strong tag", http.Header{"If-None-Match": {`"abc-v1"`}}, "v1", http.Header{"If-None-Match": {`"abc"`}}},
		{"weak tag", http.Header{"If-None-Match": {`W/"abc-v1"`}}, "v1", http.Header{"If-None-Match": {`W/"abc"`}}},
		{"list, only ours stripped", http.Header{"If-None-Match": {`"a-v1", W/"b-v2" ,"c-v1"`}}, "v1",
			http.Header{"If-None-Match": {`"a", W/"b-v2" ,"c"`}}},
		{"comma inside a tag", http.Header{"If-None-Match": {`"x,y-v1", "z"`}}, "v1",
			http.Header{"If-None-Match": {`"x,y", "z"`}}},
		{"If-Match too, several lines", http.Header{"If-Match": {`"a"`, `"b-v1"`}, "If-None-Match": {`*`}}, "v1",
			http.Header{"If-Match": {`"a"`, `"b"`}, "If-None-Match": {`*`}}},
		{"another variant is kept", http.Header{"If-None-Match": {`"abc-v2"`}}, "v1", nil},
		{"suffix must follow a dash", http.Header{"If-None-Match": {`"abcv1"`}}, "v1", nil},
		{"tag equal to the variant", http.Header{"If-None-Match": {`"v1"`}}, "v1", nil},
		{"unquoted is malformed", http.Header{"If-None-Match": {`abc-v1`}}, "v1", nil},
		{"unterminated quote", http.Header{"If-None-Match": {`"abc-v1`}}, "v1", nil},
		{"junk after a tag", http.Header{"If-None-Match": {`"abc-v1"x`}}, "v1", nil},
		{"one bad line keeps the field", http.Header{"If-None-Match": {`"a-v1"`, `bad`}}, "v1", nil},
		{"invalid variant", http.Header{"If-None-Match": {`"abc-v 1"`}}, "v 1", nil},
		{"no validators", http.Header{"Accept": {"*/*"}}, "v1", nil},
		{"empty", nil, "v1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := maps.Clone(tt.in)
			got, changed := StripETagVariant(tt.in, tt.variant)
			if diff := cmp.Diff(orig, tt.in); diff != "" {
				t.Errorf("input modified (-before +after):\n%s", diff)
			}
			want := tt.want
			if want == nil {
				want = tt.in
			}
			if changed != (tt.want != nil) {
				t.Errorf("changed = %v", changed)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIsDocumentRequest(t *testing.T) {
	tests := []struct {
		h    http.Header
		want bool
	}{
		{http.Header{"Sec-Fetch-Dest": {"document"}}, true},
		{http.Header{"Sec-Fetch-Dest": {"iframe"}}, true},
		{http.Header{"Sec-Fetch-Dest": {"image"}, "Accept": {"image/avif,image/webp,*/*"}}, false},
		{http.Header{"Accept": {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}}, true},
		{http.Header{"Accept": {"application/json", "Text/HTML ; level=1"}}, true},
		{http.Header{"Accept": {"application/xhtml+xml"}}, true},
		{http.Header{"Accept": {"text/html;q=0, */*"}}, false},
		{http.Header{"Accept": {"text/html; q=0.000"}}, false},
		{http.Header{"Accept": {"text/html;q=0.1"}}, true},
		{http.Header{"Accept": {"*/*"}}, false},
		{http.Header{"Accept": {"text/htmlx"}}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := IsDocumentRequest(tt.h); got != tt.want {
			t.Errorf("IsDocumentRequest(%v) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

func TestStripDocumentEncoding(t *testing.T) {
	nav := func(extra http.Header) http.Header {
		h := http.Header{"Sec-Fetch-Dest": {"document"}, "Accept": {"text/html"}}
		maps.Copy(h, extra)
		return h
	}
	tests := []struct {
		name string
		in   http.Header
		want http.Header // nil: unchanged
	}{
		{"navigation", nav(http.Header{"Accept-Encoding": {"gzip, br"}, "Range": {"bytes=0-9"}, "If-Range": {`"a"`}}), nav(nil)},
		{"navigation without them", nav(nil), nil},
		{"image", http.Header{"Sec-Fetch-Dest": {"image"}, "Accept-Encoding": {"gzip"}, "Range": {"bytes=0-9"}}, nil},
		{"API call", http.Header{"Accept": {"application/json"}, "Accept-Encoding": {"gzip"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := maps.Clone(tt.in)
			got, changed := StripDocumentEncoding(tt.in)
			if diff := cmp.Diff(orig, tt.in); diff != "" {
				t.Errorf("input modified (-before +after):\n%s", diff)
			}
			want := tt.want
			if want == nil {
				want = tt.in
			}
			if changed != (tt.want != nil) {
				t.Errorf("changed = %v", changed)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
		})
	}
}

// A conditional GET for a transformed page gets its 304 when the request's
// validators are stripped of the variant, and the 304 keeps the variant
// ETag; a tag of another variant gets the full, transformed page. The
// handler is http.ServeContent, whose ETag logic we do not control.
func TestInterceptConditionalVariant(t *testing.T) {
	const variant = "c1"
	modtime := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	page := "<p>hello world</p>"
	hooks := &icptHooks{body: func(status int, h http.Header) Body {
		if status == http.StatusNotModified {
			return Body{Variant: variant}
		}
		return icptHTML(icptReplacer("world", "everyone"), variant)(status, h)
	}}
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"p7"`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		http.ServeContent(w, r, "page.html", modtime, strings.NewReader(page))
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := StripETagVariant(r.Header, variant); ok {
			r = r.Clone(r.Context())
			r.Header = h
		}
		Wrap(inner, hooks).ServeHTTP(w, r)
	}))
	defer srv.Close()

	type got struct {
		Status int
		ETag   string
		Body   string
	}
	tests := []struct {
		name string
		inm  string
		want got
	}{
		{"unconditional", "", got{200, `"p7-c1"`, "<p>hello everyone</p>"}},
		{"our variant", `"p7-c1"`, got{304, `"p7-c1"`, ""}},
		{"our variant in a list", `"zz", W/"p7-c1"`, got{304, `"p7-c1"`, ""}},
		{"another variant", `"p7-c0"`, got{200, `"p7-c1"`, "<p>hello everyone</p>"}},
		{"the untransformed tag", `"p7"`, got{304, `"p7-c1"`, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hdr http.Header
			if tt.inm != "" {
				hdr = http.Header{"If-None-Match": {tt.inm}}
			}
			res := icptDo(t, "GET", srv.URL, hdr)
			if diff := cmp.Diff(tt.want, got{res.Status, res.Header.Get("Etag"), res.Body}); diff != "" {
				t.Errorf("response (-want +got):\n%s", diff)
			}
		})
	}
}

// Body.Variant on a 304 without a Transformer: applied when valid, the
// ETag dropped when not, nothing done on other statuses.
func TestInterceptVariantOn304(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		variant string
		want    []string
	}{
		{"304 with variant", 304, "v9", []string{`W/"e-v9"`}},
		{"304 with invalid variant", 304, "/", nil},
		{"304 without variant", 304, "", []string{`W/"e"`}},
		{"200 without transformer", 200, "v9", []string{`W/"e"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hooks := &icptHooks{body: func(int, http.Header) Body { return Body{Variant: tt.variant} }}
			srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("ETag", `W/"e"`)
				w.WriteHeader(tt.status)
			})
			res := icptDo(t, "GET", srv.URL, nil)
			if diff := cmp.Diff(tt.want, res.Header["Etag"]); diff != "" {
				t.Errorf("ETag (-want +got):\n%s", diff)
			}
		})
	}
}

// An Interceptor serves one request: reuse would let a writer kept from
// the first request reach the second.
func TestInterceptorServesOnce(t *testing.T) {
	var x Interceptor
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("x")) })
	x.Serve(httptest.NewRecorder(), icptRequest("GET", "/"), h, &icptHooks{})
	defer func() {
		if recover() == nil {
			t.Error("second Serve did not panic")
		}
	}()
	x.Serve(httptest.NewRecorder(), icptRequest("GET", "/"), h, &icptHooks{})
}

// FuzzStripETagVariant: any field value is either kept or has exactly the
// variant suffixes cut out of it, and the result parses.
func FuzzStripETagVariant(f *testing.F) {
	for _, s := range []string{`"a-v1"`, `W/"a-v1", "b"`, `*`, `"x,y-v1" , W/"-v1"`, `"a-v1"junk`, `"`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		in := http.Header{"If-None-Match": {line}}
		out, changed := StripETagVariant(in, "v1")
		if !changed {
			if out["If-None-Match"][0] != line {
				t.Fatalf("unchanged result differs: %q", out["If-None-Match"][0])
			}
			return
		}
		got := out["If-None-Match"][0]
		cut := len(line) - len(got)
		if cut <= 0 || cut%len("-v1") != 0 || strings.ReplaceAll(line, `-v1"`, `"`) != got && !strings.Contains(line, `-v1-v1"`) {
			t.Fatalf("%q became %q", line, got)
		}
		if _, _, ok := stripLine(got, "v1"); !ok {
			t.Fatalf("result %q does not parse", got)
		}
		if in["If-None-Match"][0] != line {
			t.Fatal("input modified")
		}
	})
}

// icptBuffering is an outer layer that holds the status and body until the
// handler returns, as a compressor waiting for enough bytes does, and then
// sends the header map as it is by then.
func icptBuffering(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bw := &icptBufWriter{ResponseWriter: w}
		next.ServeHTTP(bw, r)
		if bw.code == 0 {
			bw.code = http.StatusOK
		}
		w.WriteHeader(bw.code)
		w.Write(bw.body)
	})
}

type icptBufWriter struct {
	http.ResponseWriter
	code int
	body []byte
}

func (b *icptBufWriter) WriteHeader(code int) {
	if b.code == 0 {
		b.code = code
	}
}

func (b *icptBufWriter) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	b.body = append(b.body, p...)
	return len(p), nil
}

// Set-Cookie lines added after the commit do not reach the client even when
// an outer layer buffers and sends the header map late: the handler's map is
// its own after the commit, as with net/http. They are reported.
func TestInterceptLateCookiesBehindBuffering(t *testing.T) {
	hooks := &icptHooks{}
	srv := httptest.NewServer(icptBuffering(Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-Cookie", "early=ok")
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("body")) // the commit
		w.Header().Add("Set-Cookie", "_ga=track")
		w.Header().Add("Set-Cookie", "late=ok")
		w.Header()["set-cookie"] = []string{"_fbp=track", "odd=ok"}
	}), hooks)))
	defer srv.Close()
	res := icptDo(t, "GET", srv.URL, nil)
	if diff := cmp.Diff([]string{"early=ok"}, res.Header["Set-Cookie"]); diff != "" {
		t.Errorf("Set-Cookie (-want +got):\n%s", diff)
	}
	_, events := hooks.snapshot()
	if diff := cmp.Diff([]Event{{Kind: EventHeaderAfterCommit, Status: 200, Count: 4}}, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
