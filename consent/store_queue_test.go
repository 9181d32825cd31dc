package consent_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/crumbhq/crumb/consent"
	"github.com/crumbhq/crumb/consent/storetest"
)

// flaky wraps a store: while down, Append fails, after storing the batch
// when lostAck is set (the write landed, its answer did not).
type flaky struct {
	consent.Store
	mu      sync.Mutex
	down    bool
	lostAck bool
	calls   int
}

func (f *flaky) Append(ctx context.Context, rs []consent.Record) error {
	f.mu.Lock()
	down, lost := f.down, f.lostAck
	f.calls++
	f.mu.Unlock()
	if !down {
		return f.Store.Append(ctx, rs)
	}
	if lost {
		f.Store.Append(ctx, rs)
	}
	return errors.New("store down")
}

func (f *flaky) set(down bool) { f.mu.Lock(); f.down = down; f.mu.Unlock() }

// drops collects the dropped hook's reports.
type drops struct {
	mu sync.Mutex
	by map[string]consent.DropReason
}

func (d *drops) hook(r consent.DroppedRecord) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.by == nil {
		d.by = map[string]consent.DropReason{}
	}
	if _, twice := d.by[r.Record.ID]; twice {
		panic("record " + r.Record.ID + " reported twice")
	}
	d.by[r.Record.ID] = r.Reason
}

func (d *drops) count(why consent.DropReason) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, r := range d.by {
		if r == why {
			n++
		}
	}
	return n
}

func unchained(n int) []consent.Record {
	rs := storetest.Records(n, storetest.NewID(), storetest.NewID())
	for i := range rs {
		rs[i].Chain, rs[i].Seq, rs[i].Prev, rs[i].Digest = "", 0, "", ""
	}
	return rs
}

func exportAll(t *testing.T, s consent.Store) []consent.Record {
	t.Helper()
	var out []consent.Record
	if err := s.Export(context.Background(), func(r consent.Record) error { out = append(out, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestQueueWritesInBatchesAndChains(t *testing.T) {
	fs := openFileStore(t, t.TempDir())
	f := &flaky{Store: fs}
	var d drops
	q, err := consent.NewQueue(f, consent.StoreOptions{Batch: 64}, d.hook, quiet)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range unchained(1000) {
		q.Add(r)
	}
	if err := q.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := exportAll(t, fs)
	st := q.Stats()
	if len(got) != 1000 || st.Written != 1000 || st.Dropped != 0 || st.Pending != 0 {
		t.Fatalf("stored %d, stats %+v; want 1000 written, none dropped", len(got), st)
	}
	if f.calls > 1000/2 {
		t.Errorf("%d Append calls for 1000 records: not batched", f.calls)
	}
	if err := consent.Verify(got); err != nil {
		t.Error(err)
	}
	if last := got[len(got)-1]; last.Seq != st.Seq || last.Digest != st.Digest || last.Chain != st.Chain {
		t.Errorf("Stats head %s/%d, last record %s/%d", st.Chain, st.Seq, last.Chain, last.Seq)
	}
}

// Records that trickle in, one every few milliseconds, are written once the
// first has waited Linger, not only when a batch fills or Close flushes.
func TestQueueLingerWhileRecordsTrickle(t *testing.T) {
	fs := openFileStore(t, t.TempDir())
	f := &flaky{Store: fs}
	q, err := consent.NewQueue(f, consent.StoreOptions{Linger: 20 * time.Millisecond}, nil, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close(context.Background())
	start := time.Now()
	for _, r := range unchained(200) {
		q.Add(r)
		if q.Stats().Written > 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("nothing written %v after the first record, Linger 20ms: %+v", time.Since(start).Round(time.Millisecond), q.Stats())
}

// While the store is down records wait and are retried; a write that
// landed but failed to answer is not duplicated.
func TestQueueRetriesWithoutDuplicates(t *testing.T) {
	fs := openFileStore(t, t.TempDir())
	f := &flaky{Store: fs, down: true, lostAck: true}
	var d drops
	q, _ := consent.NewQueue(f, consent.StoreOptions{RetryMin: time.Millisecond, RetryMax: 5 * time.Millisecond}, d.hook, quiet)
	for _, r := range unchained(300) {
		q.Add(r)
	}
	for q.Stats().Retries < 3 {
		time.Sleep(time.Millisecond)
	}
	f.set(false)
	if err := q.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := exportAll(t, fs)
	if len(got) != 300 || len(d.by) != 0 {
		t.Fatalf("stored %d, dropped %d; want 300 and none", len(got), len(d.by))
	}
	if err := consent.Verify(got); err != nil {
		t.Error(err)
	}
}

// Past the buffer each record is reported, and so is each one Close could
// not write in time: none disappears unreported.
func TestQueueDropsAreReported(t *testing.T) {
	fs := openFileStore(t, t.TempDir())
	f := &flaky{Store: fs, down: true}
	var d drops
	q, _ := consent.NewQueue(f, consent.StoreOptions{Buffer: 10, RetryMin: time.Millisecond}, d.hook, quiet)
	rs := unchained(25)
	done := make(chan struct{})
	go func() {
		for _, r := range rs {
			q.Add(r) // must not wait for the dead store
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Add blocked on a store that is down")
	}
	if n := d.count(consent.DropFull); n != 15 {
		t.Errorf("%d dropped as buffer full, want 15", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := q.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Close = %v, want the deadline", err)
	}
	if n := d.count(consent.DropShutdown); n != 10 {
		t.Errorf("%d dropped at shutdown, want 10", n)
	}
	q.Add(unchained(1)[0])
	if n := d.count(consent.DropClosed); n != 1 {
		t.Errorf("%d dropped after Close, want 1", n)
	}
	bad := unchained(1)[0]
	bad.Page = "/\x00"
	q.Add(bad)
	if n := d.count(consent.DropInvalid); n != 1 {
		t.Errorf("%d dropped as invalid, want 1", n)
	}
	if st := q.Stats(); st.Added != 27 || st.Dropped != 27 || st.Written != 0 {
		t.Errorf("stats %+v; want 27 added and dropped", st)
	}
	if n := fs.Len(); n != 0 {
		t.Errorf("store holds %d records", n)
	}
}
