package consent_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crumbhq/crumb/consent"
)

// TestStoreLoad sends 1,000 decisions a second through the middleware and
// the handler on loopback into a FileStore, and checks that none is lost:
// every consent ID answered has its record, no record was dropped, the
// chain verifies. It logs the records written a second and the p99
// latency of the decision response against a twin server without a
// store, which gets another 1,000 a second interleaved with the first, so
// that both see the same machine at the same moments. 3 seconds by
// default; 30 with CRUMB_LONG=1.
func TestStoreLoad(t *testing.T) {
	d := 3 * time.Second
	if os.Getenv("CRUMB_LONG") != "" {
		d = 30 * time.Second
	}
	const rate = 1000
	var dropped atomic.Int64
	fs := openFileStore(t, t.TempDir())
	res := loadRun(t, rate, d, nil, func(c *consent.Config) {
		c.Store = fs
		c.Hooks.RecordDropped = func(context.Context, consent.DroppedRecord) { dropped.Add(1) }
	})
	bare, withStore := res[0], res[1]

	all := exportAll(t, fs)
	seen := make(map[string]int, len(all))
	for _, r := range all {
		seen[r.ConsentID]++
	}
	lost := 0
	for _, id := range withStore.ids {
		if seen[id] != 1 {
			lost++
		}
	}
	if lost > 0 || dropped.Load() > 0 || len(all) != len(withStore.ids) {
		t.Errorf("%d decisions answered, %d records stored, %d without exactly one record, %d dropped",
			len(withStore.ids), len(all), lost, dropped.Load())
	}
	if err := consent.Verify(all); err != nil {
		t.Error(err)
	}
	t.Logf("%d decisions in %v: %.0f records/s written; decision response p50 %v p99 %v, without a store p50 %v p99 %v: p99 added %v",
		len(withStore.ids), withStore.elapsed.Round(time.Millisecond), float64(len(all))/withStore.elapsed.Seconds(),
		withStore.p50, withStore.p99, bare.p50, bare.p99, withStore.p99-bare.p99)
}

type loadResult struct {
	elapsed  time.Duration
	p50, p99 time.Duration
	ids      []string // the consent IDs answered
}

// loadRun starts one site per config edit and paces rate decisions a
// second for d at each, interleaved. Each Manager is closed (its queue
// flushed) before it returns.
func loadRun(t *testing.T, rate int, d time.Duration, edits ...func(*consent.Config)) []loadResult {
	t.Helper()
	urls := make([]string, len(edits))
	ms := make([]*consent.Manager, len(edits))
	for i, edit := range edits {
		cfg := consent.Config{Keys: []consent.Key{{Hash: demoKey}}, Insecure: true, Logger: quiet}
		if edit != nil {
			edit(&cfg)
		}
		m, err := consent.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		mux.Handle("/consent/", m.Handler())
		srv := httptest.NewServer(m.Middleware(mux))
		defer srv.Close()
		urls[i], ms[i] = srv.URL, m
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()

	n := int(d.Seconds() * float64(rate))
	jobs := make(chan int, n*len(urls))
	var (
		mu   sync.Mutex
		lats = make([][]time.Duration, len(urls))
		out  = make([]loadResult, len(urls))
		errs atomic.Int64
	)
	var wg sync.WaitGroup
	for range 64 * len(urls) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				start := time.Now()
				id, err := postDecision(client, urls[i])
				lat := time.Since(start)
				if err != nil {
					errs.Add(1)
					continue
				}
				mu.Lock()
				lats[i], out[i].ids = append(lats[i], lat), append(out[i].ids, id)
				mu.Unlock()
			}
		}()
	}
	start := time.Now()
	total := n * len(urls)
	for k := range total {
		if wait := time.Until(start.Add(time.Duration(k) * d / time.Duration(total))); wait > 0 {
			time.Sleep(wait)
		}
		jobs <- k % len(urls)
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	for _, m := range ms {
		if err := m.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if e := errs.Load(); e > 0 {
		t.Errorf("%d of %d decisions failed", e, total)
	}
	for i := range out {
		l := lats[i]
		slices.Sort(l)
		if len(l) == 0 {
			t.Fatal("no decision answered")
		}
		q := func(p float64) time.Duration { return l[min(len(l)-1, int(p*float64(len(l))))] }
		out[i].elapsed, out[i].p50, out[i].p99 = elapsed, q(0.50), q(0.99)
	}
	return out
}

func postDecision(c *http.Client, base string) (string, error) {
	req, _ := http.NewRequest("POST", base+"/consent/decide", strings.NewReader("action=save&c=analytics&return=/shop"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", &httpError{resp.StatusCode, string(b)}
	}
	var a struct{ ID string }
	if err := json.Unmarshal(b, &a); err != nil || a.ID == "" {
		return "", &httpError{resp.StatusCode, string(b)}
	}
	return a.ID, nil
}

type httpError struct {
	code int
	body string
}

func (e *httpError) Error() string { return http.StatusText(e.code) + ": " + e.body }
