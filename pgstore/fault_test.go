package pgstore_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/crumbhq/crumb/consent"
	"github.com/crumbhq/crumb/consent/storetest"
)

// TestFault stops the database in the middle of a run and starts it
// again. With a buffer large enough for the outage every record arrives;
// with a small one, each record that does not is reported, and every
// record added after the restart arrives.
func TestFault(t *testing.T) {
	if os.Getenv("CRUMB_PG") != "" {
		t.Skip("CRUMB_PG names a server this test cannot stop")
	}
	for _, tc := range []struct {
		name   string
		buffer int
	}{{"buffered", 5000}, {"overflowing", 100}} {
		t.Run(tc.name, func(t *testing.T) { fault(t, tc.buffer) })
	}
}

func fault(t *testing.T, buffer int) {
	dsn := database(t)
	c := server(t)
	s := open(t, dsn)
	var mu sync.Mutex
	dropped := map[string]consent.DropReason{}
	q, err := consent.NewQueue(s, consent.StoreOptions{Buffer: buffer, Batch: 50, RetryMin: 10 * time.Millisecond,
		RetryMax: 200 * time.Millisecond, WriteTimeout: 2 * time.Second}, func(d consent.DroppedRecord) {
		mu.Lock()
		defer mu.Unlock()
		if _, twice := dropped[d.Record.ID]; twice {
			t.Errorf("record %s reported twice", d.Record.ID)
		}
		dropped[d.Record.ID] = d.Reason
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	visitor := storetest.NewID()
	add := func(n int) []string {
		var ids []string
		for _, r := range storetest.Records(n, visitor) {
			r.Chain, r.Seq, r.Prev, r.Digest = "", 0, "", ""
			q.Add(r)
			ids = append(ids, r.ID)
			time.Sleep(200 * time.Microsecond)
		}
		return ids
	}
	before := add(500)
	if err := c.stop(); err != nil {
		t.Fatal(err)
	}
	during := add(500)
	time.Sleep(300 * time.Millisecond) // retries against a dead server
	if err := c.start(); err != nil {
		t.Fatal(err)
	}
	// The queue finds the server back at its next retry (RetryMax at the
	// latest) and writes what it buffered; from then on nothing drops.
	deadline := time.Now().Add(30 * time.Second)
	for q.Stats().Pending > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the queue did not recover after the restart: %+v", q.Stats())
		}
		time.Sleep(5 * time.Millisecond)
	}
	after := add(500)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := q.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}

	stored := map[string]int{}
	var all []consent.Record
	if err := s.Export(ctx, func(r consent.Record) error {
		stored[r.ID]++
		all = append(all, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	lost := 0
	for _, id := range append(append(before, during...), after...) {
		_, isDropped := dropped[id]
		switch n := stored[id]; {
		case n > 1:
			t.Errorf("record %s stored %d times", id, n)
		case n == 1 && isDropped:
			t.Errorf("record %s stored and reported dropped", id)
		case n == 0 && !isDropped:
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d records neither stored nor reported", lost)
	}
	for _, id := range after {
		if stored[id] != 1 {
			t.Errorf("record %s, added after the restart, not stored (%v)", id, dropped[id])
		}
	}
	st := q.Stats()
	if int(st.Dropped) != len(dropped) || int(st.Written) != len(all) || st.Added != 1500 {
		t.Errorf("stats %+v; %d reported, %d stored", st, len(dropped), len(all))
	}
	if buffer >= 1500 && len(dropped) != 0 {
		t.Errorf("%d dropped with room for every record", len(dropped))
	}
	if buffer < 500 && len(dropped) == 0 {
		t.Errorf("nothing dropped: the outage did not fill the %d-record buffer", buffer)
	}
	if err := consent.Verify(all); err != nil {
		t.Error(err)
	}
	t.Logf("buffer %d: %d stored, %d dropped (reported), %d failed writes retried", buffer, len(all), len(dropped), st.Retries)
}
