package middleware

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// icptLateWrites is how many requests TestInterceptLateWriter serves, four
// at a time, over loopback.
const icptLateWrites = 200

// Pitfall 22: a goroutine still writing when the handler returns (net/http
// forbids it, some code does it anyway) never races with the release of
// the pooled transformer and buffers, never panics, and from the end of
// the request on gets ErrWriterClosed from every method; what it wrote
// before went through the transformer like the rest. Run under -race it
// finds data races; without, under load, it finds the nil dereference of a
// released transformer.
func TestInterceptLateWriter(t *testing.T) {
	hooks := &icptHooks{body: icptHTML(icptReplacer("world", "everyone!"), "v")}
	outcomes := make(chan error, icptLateWrites)
	srv := httptest.NewServer(Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<p>hello world</p>")
		started := make(chan struct{})
		go func() {
			outcomes <- icptWriteUntilClosed(w, started)
		}()
		<-started
		io.WriteString(w, "<p>last world</p>")
	}), hooks))
	defer srv.Close()

	var wg sync.WaitGroup
	errs := make(chan error, icptLateWrites)
	jobs := make(chan int)
	for range 4 {
		wg.Go(func() {
			for range jobs {
				res := icptDo(t, "GET", srv.URL, nil)
				switch {
				case res.Err != nil:
					errs <- res.Err
				case res.Status != 200 || !strings.HasPrefix(res.Body, "<p>hello everyone!</p>"):
					errs <- fmt.Errorf("got %d %.60q", res.Status, res.Body)
				case strings.Contains(res.Body, "world"):
					errs <- fmt.Errorf("a late write bypassed the transformer: %.200q", res.Body)
				}
			}
		})
	}
	for i := range icptLateWrites {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for range icptLateWrites {
		if err := <-outcomes; err != nil {
			t.Error(err)
		}
	}
}

// icptWriteUntilClosed calls every writer method in turn until the writer
// is closed. It returns nil when every call either succeeded or failed with
// ErrWriterClosed and the last ones did, and an error otherwise.
func icptWriteUntilClosed(w http.ResponseWriter, started chan<- struct{}) error {
	close(started)
	rc := http.NewResponseController(w)
	for i := 0; ; i++ {
		var err error
		switch i % 5 {
		case 0:
			_, err = w.Write([]byte("<b>world</b>"))
		case 1:
			_, err = io.WriteString(w, " world ")
		case 2:
			_, err = w.(io.ReaderFrom).ReadFrom(strings.NewReader("<i>world</i>"))
		case 3:
			err = rc.Flush()
		case 4:
			_ = w.Header()
			w.WriteHeader(http.StatusTeapot) // superfluous, or after the end
			continue
		}
		if errors.Is(err, ErrWriterClosed) {
			// Closed for good: every method says so from now on.
			if _, err := w.Write([]byte("x")); !errors.Is(err, ErrWriterClosed) {
				return fmt.Errorf("Write after close: %v", err)
			}
			if err := rc.Flush(); !errors.Is(err, ErrWriterClosed) {
				return fmt.Errorf("Flush after close: %v", err)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("call %d: %v", i, err)
		}
	}
}
