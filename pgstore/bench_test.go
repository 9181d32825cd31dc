package pgstore_test

import (
	"context"
	"testing"

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
	storetest.BenchQueue(b, s)
}
