package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations are the schema's versions, applied in order, each once. A
// released one is never edited: a change is a new entry.
var migrations = []string{
	// 1: the records, one row each. id is the primary key, so that a
	// retried insert is a no-op (ON CONFLICT DO NOTHING); n orders rows
	// as they were appended; look-ups go by consent ID, purges by time.
	`CREATE TABLE crumb_consent_records (
		id          text PRIMARY KEY,
		n           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
		consent_id  text NOT NULL,
		kind        text NOT NULL,
		time        timestamptz NOT NULL,
		revision    bigint NOT NULL,
		text_digest text NOT NULL,
		banner_hash text NOT NULL,
		choices     jsonb NOT NULL,
		method      text NOT NULL,
		gpc         boolean NOT NULL,
		dnt         boolean NOT NULL,
		language    text NOT NULL,
		page        text NOT NULL,
		chain       text NOT NULL,
		seq         bigint NOT NULL,
		prev        text NOT NULL,
		digest      text NOT NULL
	);
	CREATE INDEX crumb_consent_records_consent_id ON crumb_consent_records (consent_id, n);
	CREATE INDEX crumb_consent_records_time ON crumb_consent_records (time);`,
}

// migrationLock is the advisory lock key that serialises migrations of
// replicas starting at once ("crumb" in ASCII).
const migrationLock = 0x6372756d62

// SchemaVersion is the schema version this package writes.
const SchemaVersion = 1

// Migrate brings the schema up to SchemaVersion: it creates the version
// table and applies each missing migration in one transaction, under an
// advisory lock so that replicas starting together do not race. It is
// idempotent, and fails on a database whose schema is newer than this
// package.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS crumb_schema (version integer NOT NULL)`); err != nil {
			return err
		}
		var v int
		err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM crumb_schema`).Scan(&v)
		if err != nil {
			return err
		}
		if v > len(migrations) {
			return fmt.Errorf("pgstore: database schema version %d is newer than this package's %d", v, len(migrations))
		}
		for i := v; i < len(migrations); i++ {
			if _, err := tx.Exec(ctx, migrations[i]); err != nil {
				return fmt.Errorf("pgstore: migration %d: %w", i+1, err)
			}
		}
		if v < len(migrations) {
			if _, err := tx.Exec(ctx, `DELETE FROM crumb_schema`); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO crumb_schema (version) VALUES ($1)`, len(migrations)); err != nil {
				return err
			}
		}
		return nil
	})
}
