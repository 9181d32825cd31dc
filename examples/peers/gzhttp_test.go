package peers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/crumbhq/crumb/consent"
	"github.com/crumbhq/crumb/middleware"
	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/gzhttp"
)

// tracker is a script crumb must make inert while analytics is refused.
const tracker = `<script src="https://www.google-analytics.com/analytics.js"></script>`

// small stays in gzhttp's buffer (under its 1 KB minimum); large makes it
// decide, and send the header map as it is by then.
var (
	small = "<p>hello</p>"
	large = strings.Repeat("<p>filler to compress</p>\n", 200)
)

// newManager builds the README's setup for a plain-HTTP test server.
func newManager(t *testing.T) *consent.Manager {
	t.Helper()
	m, err := consent.New(consent.Config{
		Keys:     []consent.Key{{Hash: bytes.Repeat([]byte("k"), 32)}},
		Insecure: true,
		Categories: append([]consent.Category{
			{Name: consent.NecessaryName, Cookies: []consent.Cookie{{Name: "session"}}},
		}, consent.DefaultCategories()...),
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// serve starts a real server with gzhttp outermost and, when m is not nil,
// crumb inside it, as the README asks.
func serve(t *testing.T, m *consent.Manager, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	var next http.Handler = h
	if m != nil {
		next = m.Middleware(next)
	}
	srv := httptest.NewServer(gzhttp.GzipHandler(next))
	t.Cleanup(srv.Close)
	return srv
}

type response struct {
	status     int
	header     http.Header
	body       string
	compressed bool
}

// get sends a navigation; the transport asks for gzip and decompresses,
// which res.Uncompressed records.
func get(t testing.TB, url string) (response, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Sec-Fetch-Dest", "document")
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	res, err := tr.RoundTrip(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, string(b), res.Uncompressed}, err
}

// gzhttp really sends the header map late: without crumb, a header and a
// cookie set after WriteHeader, while the body is still under its minimum
// size, reach the client. This is the leak crumb must close.
func TestGzhttpSendsHeadersLate(t *testing.T) {
	srv := serve(t, nil, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, small)
		w.Header().Add("Set-Cookie", "_ga=GA1.1.1")
		io.WriteString(w, large)
	})
	res, err := get(t, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if !res.compressed || res.header.Get("Set-Cookie") != "_ga=GA1.1.1" {
		t.Fatalf("gzhttp no longer sends headers late (compressed %v, Set-Cookie %q): the tests below prove nothing",
			res.compressed, res.header.Values("Set-Cookie"))
	}
}

// Behind gzhttp, nothing the handler changes after crumb's commit reaches
// the client, whichever call makes gzhttp send the header map: a refused
// cookie added or put in place of the session cookie, through w.Header()
// or a map kept from before, or a Content-Type changed to HTML whose
// body, judged as plain text, was not rewritten.
func TestNoLateLeakBehindGzhttp(t *testing.T) {
	handoffs := map[string]func(w http.ResponseWriter){
		"Write":           func(w http.ResponseWriter) { io.WriteString(w, large) },
		"Flush":           func(w http.ResponseWriter) { w.(http.Flusher).Flush() },
		"ReadFrom":        func(w http.ResponseWriter) { io.Copy(w, strings.NewReader(large)) },
		"handler returns": func(http.ResponseWriter) {},
	}
	changes := map[string]func(w http.ResponseWriter, early http.Header){
		"Add":                 func(w http.ResponseWriter, _ http.Header) { w.Header().Add("Set-Cookie", "_ga=GA1.1.1") },
		"Set":                 func(w http.ResponseWriter, _ http.Header) { w.Header().Set("Set-Cookie", "_fbp=fb.1.2") },
		"kept map":            func(_ http.ResponseWriter, early http.Header) { early.Add("Set-Cookie", "_ga=GA1.1.1") },
		"odd-case key":        func(w http.ResponseWriter, _ http.Header) { w.Header()["set-cookie"] = []string{"_ga=GA1.1.1"} },
		"Content-Type → HTML": func(w http.ResponseWriter, _ http.Header) { w.Header().Set("Content-Type", "text/html") },
	}
	m := newManager(t)
	for hname, handoff := range handoffs {
		for cname, change := range changes {
			t.Run(hname+"/"+cname, func(t *testing.T) {
				srv := serve(t, m, func(w http.ResponseWriter, r *http.Request) {
					early := w.Header()
					early.Set("Content-Type", "text/plain")
					early.Add("Set-Cookie", "session=s1; Path=/; HttpOnly")
					io.WriteString(w, tracker) // crumb commits here; gzhttp holds it
					change(w, early)
					handoff(w)
				})
				res, err := get(t, srv.URL)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, c := range (&http.Response{Header: res.header}).Cookies() {
					names = append(names, c.Name)
				}
				got := struct {
					Cookies []string
					Type    string
				}{names, res.header.Get("Content-Type")}
				want := got
				want.Cookies, want.Type = []string{"session"}, "text/plain"
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("sent (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// HTML passes through crumb's rewriter and then gzhttp: it arrives
// compressed, with the tracker inert, and the refused cookie set before the
// commit is gone too.
func TestRewrittenBehindGzhttp(t *testing.T) {
	srv := serve(t, newManager(t), func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Add("Set-Cookie", "_ga=GA1.1.1")
		io.WriteString(w, "<!doctype html><html><head>"+tracker+"</head><body>"+large+"</body></html>")
	})
	res, err := get(t, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if !res.compressed {
		t.Error("not compressed: gzhttp did not run outside crumb")
	}
	if strings.Contains(res.body, tracker) || !strings.Contains(res.body, "www.google-analytics.com") {
		t.Errorf("tracker not made inert: %.300q", res.body)
	}
	if v := res.header.Values("Set-Cookie"); len(v) != 0 {
		t.Errorf("refused cookie sent: %q", v)
	}
}

// A goroutine still writing when the handler returns, behind gzhttp and
// through crumb's rewriter: it gets middleware.ErrWriterClosed, never
// panics, and (under -race, as CI runs it) never races with crumb's pools
// or with gzhttp closing its compressor. 200 requests, four at a time.
func TestLateWriterBehindGzhttp(t *testing.T) {
	const requests = 200
	outcomes := make(chan error, requests)
	srv := serve(t, newManager(t), func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><body>"+tracker)
		started := make(chan struct{})
		go func() { outcomes <- writeUntilClosed(w, started) }()
		<-started
		io.WriteString(w, large)
	})
	jobs := make(chan struct{})
	errs := make(chan error, requests)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range jobs {
				res, err := get(t, srv.URL)
				switch {
				case err != nil:
					errs <- err
				case res.status != 200 || strings.Contains(res.body, tracker):
					errs <- fmt.Errorf("status %d, body %.200q", res.status, res.body)
				}
			}
		})
	}
	for range requests {
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for range requests {
		if err := <-outcomes; err != nil {
			t.Error(err)
		}
	}
}

// writeUntilClosed writes, copies and flushes until the writer is closed;
// any error but middleware.ErrWriterClosed is returned.
func writeUntilClosed(w http.ResponseWriter, started chan<- struct{}) error {
	close(started)
	rc := http.NewResponseController(w)
	for i := 0; ; i++ {
		var err error
		switch i % 3 {
		case 0:
			_, err = io.WriteString(w, tracker)
		case 1:
			_, err = io.Copy(w, strings.NewReader("<p>late</p>"))
		case 2:
			err = rc.Flush()
		}
		runtime.Gosched() // let the handler return in between
		if errors.Is(err, middleware.ErrWriterClosed) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("call %d: %v", i, err)
		}
	}
}
