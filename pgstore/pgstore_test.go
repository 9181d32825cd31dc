package pgstore_test

import (
	"context"
	"testing"

	"github.com/crumbhq/crumb/consent"
	"github.com/crumbhq/crumb/consent/storetest"
	"github.com/crumbhq/crumb/pgstore"
	"github.com/jackc/pgx/v5/pgxpool"
)

func open(t *testing.T, dsn string) *pgstore.Store {
	t.Helper()
	s, err := pgstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// The suite the file store passes, against a real PostgreSQL.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) consent.Store { return open(t, database(t)) })
}

// Migrating twice, as every replica does when it starts, changes nothing
// and keeps the records.
func TestMigrateIdempotent(t *testing.T) {
	dsn := database(t)
	s := open(t, dsn)
	id := storetest.NewID()
	if err := s.Append(context.Background(), storetest.Records(3, id)); err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	for range 2 {
		if err := pgstore.Migrate(context.Background(), pool); err != nil {
			t.Fatal(err)
		}
	}
	var v int
	if err := pool.QueryRow(context.Background(), "SELECT version FROM crumb_schema").Scan(&v); err != nil || v != pgstore.SchemaVersion {
		t.Fatalf("schema version %d, %v", v, err)
	}
	var idx int
	pool.QueryRow(context.Background(),
		"SELECT count(*) FROM pg_indexes WHERE tablename = 'crumb_consent_records' AND indexdef LIKE '%(consent_id%'").Scan(&idx)
	if idx != 1 {
		t.Errorf("%d indexes on consent_id, want 1", idx)
	}
	if rs, err := s.Lookup(context.Background(), id); err != nil || len(rs) != 3 {
		t.Errorf("after migrating again: %d records, %v", len(rs), err)
	}
}
