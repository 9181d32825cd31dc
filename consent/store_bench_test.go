package consent

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

// nullStore takes every batch after a pause, like a remote database.
type nullStore struct{ Store }

func (nullStore) Append(context.Context, []Record) error { time.Sleep(time.Millisecond); return nil }

// BenchmarkKeepRecord is what a Store adds to a decision on the request's
// goroutine: making the Record and queueing it.
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
	for b.Loop() {
		m.keepRecord(ctx, &rec, digest)
	}
}
