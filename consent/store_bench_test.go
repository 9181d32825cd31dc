package consent

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

// nullStore takes every batch at once, so that the writer keeps up and
// the queue stays short, as it does in service.
type nullStore struct{ Store }

func (nullStore) Append(context.Context, []Record) error { return nil }

// BenchmarkKeepRecord is what a Store adds to a decision on the request's
// goroutine: making the Record and queueing it. It fails if records pile
// up, which would measure appending to a backlog instead.
func BenchmarkKeepRecord(b *testing.B) {
	m, err := New(Config{Keys: []Key{{Hash: make([]byte, 32)}}, Store: nullStore{},
		StoreOptions: StoreOptions{Buffer: 1 << 22}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close(context.Background())
	rec := Receipt{ID: "0123456789abcdef0123456789abcdef", Time: time.Unix(codecEpoch, 0), Method: MethodBanner,
		Language: "en", Page: "/shop", BannerHash: m.BannerHash("en"),
		Choices: []CategoryChoice{{"necessary", Granted}, {"analytics", Granted}, {"marketing", Refused}}}
	digest := m.TextDigest("en")
	ctx := context.Background()
	b.ReportAllocs()
	q := m.records.q
	for i := 0; b.Loop(); i++ {
		m.keepRecord(ctx, &rec, digest)
		if i%1024 == 1023 {
			// Decisions come far slower than this loop makes them: let
			// the writer drain, outside the timing, so that Add meets a
			// short queue as it does in service.
			b.StopTimer()
			for q.Stats().Pending > 0 {
				time.Sleep(100 * time.Microsecond)
			}
			b.StartTimer()
		}
	}
	b.StopTimer()
	if st := q.Stats(); st.Dropped > 0 || st.Pending > 1024 {
		b.Fatalf("the queue fell behind: %+v", st)
	}
}
