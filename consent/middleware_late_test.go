package consent

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/crumbhq/crumb/middleware"
)

// A goroutine still writing a rewritten page when the handler returns gets
// middleware.ErrWriterClosed and never reaches the pooled rewriter, which
// the middleware puts back once the request is served: under -race any
// access after that is a race, and without -race a reused rewriter would
// mix two pages. 200 requests over loopback, four at a time.
func TestLateWriterAndRewriterPool(t *testing.T) {
	const requests = 200
	cfg := testConfig(t, newClock(), nil)
	cfg.Insecure = true
	m := mustNew(t, cfg)
	outcomes := make(chan error, requests)
	srv := httptest.NewServer(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><body><p>"+r.URL.Path+"</p>")
		started := make(chan struct{})
		go func() {
			close(started)
			for {
				_, err := io.WriteString(w, `<script src="https://www.google-analytics.com/a.js"></script>`)
				if errors.Is(err, middleware.ErrWriterClosed) {
					outcomes <- nil
					return
				}
				if err != nil {
					outcomes <- err
					return
				}
				runtime.Gosched() // let the handler return in between
			}
		}()
		<-started
		io.WriteString(w, "</body>")
	})))
	defer srv.Close()
	jobs := make(chan int)
	errs := make(chan error, requests)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i := range jobs {
				path := fmt.Sprintf("/page%d", i)
				res, body := getBody(t, srv.URL+path, nil)
				if res.StatusCode != 200 || !strings.HasPrefix(body, "<!doctype html><body><p>"+path+"</p>") ||
					strings.Contains(body, `<script src="https://www.google-analytics.com`) || strings.Count(body, "<p>/page") != 1 {
					errs <- fmt.Errorf("%s: %d %.200q", path, res.StatusCode, body)
				}
			}
		})
	}
	for i := range requests {
		jobs <- i
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
