package storetest

import (
	"context"
	"log/slog"
	"testing"

	"github.com/crumbhq/crumb/consent"
)

// BenchQueue measures what a consent.Queue and s write together: b.N
// records added as fast as Add takes them, then Close, reported as
// records/s. Every record must be written.
func BenchQueue(b *testing.B, s consent.Store) {
	q, err := consent.NewQueue(s, consent.StoreOptions{Buffer: 1 << 22}, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	rs := Records(1024, NewID(), NewID())
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		r := rs[i%len(rs)]
		r.ID, r.Chain, r.Seq, r.Prev, r.Digest = NewID(), "", 0, "", ""
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
