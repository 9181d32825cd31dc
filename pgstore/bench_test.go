package pgstore_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/crumbhq/crumb/consent"
	"github.com/crumbhq/crumb/consent/storetest"
	"github.com/crumbhq/crumb/pgstore"
)

// BenchmarkQueuePostgres measures what the Queue and the PostgreSQL store
// write together over a Unix socket: records a second, batches of 256 in
// one transaction each.
func BenchmarkQueuePostgres(b *testing.B) {
	dsn := database(b)
	s, err := pgstore.Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	q, err := consent.NewQueue(s, consent.StoreOptions{Buffer: 1 << 22}, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	rs := storetest.Records(1024, storetest.NewID(), storetest.NewID())
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		r := rs[i%len(rs)]
		r.ID, r.Chain, r.Seq, r.Prev, r.Digest = storetest.NewID(), "", 0, "", ""
		q.Add(r)
	}
	if err := q.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	if st := q.Stats(); st.Written != int64(b.N) {
		b.Fatalf("%d of %d written", st.Written, b.N)
	}
}
