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
// the handler on loopback, into a FileStore, and checks that none is
// lost: every consent ID answered has its record, no record was dropped,
// the chain verifies. It logs the records written a second and the p99
// latency of the decision response, against the same server without a
// store. 3 seconds by default; 30 with CRUMB_LONG=1.
func TestStoreLoad(t *testing.T) {
	d, base := 3*time.Second, time.Second
	if os.Getenv("CRUMB_LONG") != "" {
		d, base = 30*time.Second, 30*time.Second
	}
	const rate = 1000
	baseline, _ := loadRun(t, nil, rate, base)
	var dropped atomic.Int64
	dir := t.TempDir()
	fs := openFileStore(t, dir)
	withStore, ids := loadRun(t, func(c *consent.Config) {
		c.Store = fs
		c.Hooks.RecordDropped = func(context.Context, consent.DroppedRecord) { dropped.Add(1) }
	}, rate, d)

	all := exportAll(t, fs)
	seen := make(map[string]int, len(all))
	for _, r := range all {
		seen[r.ConsentID]++
	}
	lost := 0
	for _, id := range ids {
		if seen[id] != 1 {
			lost++
		}
	}
	if lost > 0 || dropped.Load() > 0 || len(all) != len(ids) {
		t.Errorf("%d decisions answered, %d records stored, %d without exactly one record, %d dropped",
			len(ids), len(all), lost, dropped.Load())
	}
	if err := consent.Verify(all); err != nil {
		t.Error(err)
	}
	t.Logf("%d decisions in %v: %.0f records/s written; decision response p50 %v p99 %v, without a store p50 %v p99 %v: p99 added %v",
		len(ids), withStore.elapsed.Round(time.Millisecond), float64(len(all))/withStore.elapsed.Seconds(),
		withStore.p50, withStore.p99, baseline.p50, baseline.p99, withStore.p99-baseline.p99)
}

type loadResult struct {
	elapsed  time.Duration
	p50, p99 time.Duration
}

// loadRun paces rate decisions a second for d against a new site and
// returns the latencies and the consent IDs answered. The Manager is
// closed (its queue flushed) before it returns.
func loadRun(t *testing.T, edit func(*consent.Config), rate int, d time.Duration) (loadResult, []string) {
	t.Helper()
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
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()

	n := int(d.Seconds() * float64(rate))
	jobs := make(chan struct{}, n)
	var (
		mu   sync.Mutex
		lats []time.Duration
		ids  []string
		errs atomic.Int64
	)
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				start := time.Now()
				id, err := postDecision(client, srv.URL)
				lat := time.Since(start)
				if err != nil {
					errs.Add(1)
					continue
				}
				mu.Lock()
				lats, ids = append(lats, lat), append(ids, id)
				mu.Unlock()
			}
		}()
	}
	start := time.Now()
	for i := range n {
		if wait := time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate))); wait > 0 {
			time.Sleep(wait)
		}
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	if err := m.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if e := errs.Load(); e > 0 {
		t.Errorf("%d of %d decisions failed", e, n)
	}
	slices.Sort(lats)
	if len(lats) == 0 {
		t.Fatal("no decision answered")
	}
	q := func(p float64) time.Duration { return lats[min(len(lats)-1, int(p*float64(len(lats))))] }
	return loadResult{elapsed: elapsed, p50: q(0.50), p99: q(0.99)}, ids
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
