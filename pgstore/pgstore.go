// Package pgstore keeps crumb's consent records in PostgreSQL, for
// deployments where many replicas decide and one database proves: set a
// *Store as consent.Config.Store in every replica. Each replica's Queue
// writes its own hash chain; Verify checks them all together.
//
//	s, err := pgstore.Open(ctx, os.Getenv("DATABASE_URL"))
//	...
//	m, err := consent.New(consent.Config{Keys: keys, Store: s})
//	...
//	defer s.Close()
//	defer m.Close(shutdownCtx) // first: it flushes into s
//
// Open creates or migrates the schema (see Migrate). Inserts are
// idempotent (ON CONFLICT DO NOTHING on the record ID), so a batch the
// Queue retries after a lost answer is stored once.
package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/crumbhq/crumb/consent"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is a consent.Store in PostgreSQL. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
	own  bool
}

var _ consent.Store = (*Store)(nil)

// Open connects to the database at connString (a URL or key=value
// string, as pgxpool.ParseConfig reads it), migrates the schema and
// returns the Store, which owns the pool: Close closes it.
func Open(ctx context.Context, connString string) (*Store, error) {
	pool, err := pgxpool.New(ctx, connString)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	s, err := New(ctx, pool)
	if err != nil {
		pool.Close()
		return nil, err
	}
	s.own = true
	return s, nil
}

// New returns a Store on an existing pool, after migrating the schema.
// Close then leaves the pool open.
func New(ctx context.Context, pool *pgxpool.Pool) (*Store, error) {
	if err := Migrate(ctx, pool); err != nil {
		return nil, fmt.Errorf("pgstore: migrating: %w", err)
	}
	return &Store{pool: pool}, nil
}

// Close closes the pool when Open made it.
func (s *Store) Close() {
	if s.own {
		s.pool.Close()
	}
}

const insert = `INSERT INTO crumb_consent_records (id, consent_id, kind, time, revision, text_digest, banner_hash,
	choices, method, gpc, dnt, language, page, chain, seq, prev, digest)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
	ON CONFLICT (id) DO NOTHING`

// Append inserts records in one transaction; a record stored already is
// skipped.
func (s *Store) Append(ctx context.Context, records []consent.Record) error {
	for i := range records {
		if err := consent.CheckRecord(&records[i]); err != nil {
			return fmt.Errorf("record %d: %w", i, err)
		}
	}
	if len(records) == 0 {
		return nil
	}
	var b pgx.Batch
	for i := range records {
		r := &records[i]
		choices, err := json.Marshal(choicesOf(r))
		if err != nil {
			return err
		}
		b.Queue(insert, r.ID, r.ConsentID, string(r.Kind), r.Time.UTC(), int64(r.Revision), r.TextDigest,
			r.BannerHash, choices, r.Method, r.GPC, r.DNT, r.Language, r.Page, r.Chain, int64(r.Seq), r.Prev, r.Digest)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return tx.SendBatch(ctx, &b).Close()
	})
}

func choicesOf(r *consent.Record) []consent.RecordChoice {
	if r.Choices == nil {
		return []consent.RecordChoice{}
	}
	return r.Choices
}

const columns = `id, consent_id, kind, time, revision, text_digest, banner_hash, choices, method, gpc, dnt,
	language, page, chain, seq, prev, digest`

// Lookup returns one consent ID's records in the order they were stored.
func (s *Store) Lookup(ctx context.Context, consentID string) ([]consent.Record, error) {
	if err := consent.CheckConsentID(consentID); err != nil {
		return nil, err
	}
	var out []consent.Record
	err := s.query(ctx, func(r consent.Record) error { out = append(out, r); return nil },
		`SELECT `+columns+` FROM crumb_consent_records WHERE consent_id = $1 ORDER BY n`, consentID)
	return out, err
}

// Purge deletes the records older than before.
func (s *Store) Purge(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM crumb_consent_records WHERE time < $1`, before.UTC())
	if err != nil {
		return 0, fmt.Errorf("pgstore: %w", err)
	}
	return tag.RowsAffected(), nil
}

// Export streams every record in the order they were stored.
func (s *Store) Export(ctx context.Context, fn func(consent.Record) error) error {
	return s.query(ctx, fn, `SELECT `+columns+` FROM crumb_consent_records ORDER BY n`)
}

func (s *Store) query(ctx context.Context, fn func(consent.Record) error, sql string, args ...any) error {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("pgstore: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r consent.Record
		var kind string
		var rev, seq int64
		var choices []byte
		if err := rows.Scan(&r.ID, &r.ConsentID, &kind, &r.Time, &rev, &r.TextDigest, &r.BannerHash, &choices,
			&r.Method, &r.GPC, &r.DNT, &r.Language, &r.Page, &r.Chain, &seq, &r.Prev, &r.Digest); err != nil {
			return fmt.Errorf("pgstore: %w", err)
		}
		r.Kind, r.Revision, r.Seq, r.Time = consent.EventKind(kind), uint32(rev), uint64(seq), r.Time.UTC()
		if err := json.Unmarshal(choices, &r.Choices); err != nil {
			return fmt.Errorf("pgstore: record %s: choices: %w", r.ID, err)
		}
		if len(r.Choices) == 0 {
			r.Choices = nil
		}
		if err := fn(r); err != nil {
			rows.Close()
			return err
		}
	}
	if err := rows.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("pgstore: %w", err)
	} else if err != nil {
		return err
	}
	return nil
}
