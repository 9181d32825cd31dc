package consent

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/text/language"
)

// recordKeeper turns a Manager's decisions into Records for Config.Store.
type recordKeeper struct {
	store Store
	q     *Queue
	log   *slog.Logger

	stopPurge chan struct{}
	purged    chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// initRecords starts the queue and the retention job when cfg has a Store.
// It runs last in New, so that a failing New leaves no goroutine behind.
func (m *Manager) initRecords(cfg *Config) error {
	if cfg.Store == nil {
		if cfg.StoreOptions.Retention != 0 {
			return errors.New("consent: StoreOptions.Retention is set but Config.Store is nil")
		}
		return nil
	}
	opts := cfg.StoreOptions.withDefaults()
	if opts.Retention < 0 {
		return errors.New("consent: StoreOptions.Retention is negative")
	}
	dropped := m.hooks.RecordDropped
	q, err := NewQueue(cfg.Store, opts, func(d DroppedRecord) { dropped(context.Background(), d) }, cfg.Logger)
	if err != nil {
		return err
	}
	rc := &recordKeeper{store: cfg.Store, q: q, log: cfg.Logger}
	if opts.Retention > 0 {
		rc.stopPurge, rc.purged = make(chan struct{}), make(chan struct{})
		go rc.purgeLoop(opts, m.now)
	}
	m.records = rc
	return nil
}

// keepRecord queues the Record of a decision: a few hundred nanoseconds on
// the request's goroutine, the store's latency on the queue's.
func (m *Manager) keepRecord(ctx context.Context, r *Receipt, textDigest string) {
	rc := m.records
	if rc == nil {
		return
	}
	rec, err := newRecord(r, textDigest)
	if err != nil {
		rc.log.LogAttrs(ctx, slog.LevelError, "crumb: consent record not made", slog.String("error", err.Error()))
		m.hooks.RecordDropped(ctx, DroppedRecord{Record: rec, Reason: DropInvalid, Err: err})
		return
	}
	rc.q.Add(rec)
}

// purgeLoop removes records older than the retention age, now and every
// PurgeInterval.
func (rc *recordKeeper) purgeLoop(opts StoreOptions, now func() time.Time) {
	defer close(rc.purged)
	t := time.NewTicker(opts.PurgeInterval)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), opts.PurgeInterval)
		before := now().Add(-opts.Retention)
		n, err := rc.store.Purge(ctx, before)
		cancel()
		if err != nil {
			rc.log.LogAttrs(context.Background(), slog.LevelWarn, "crumb: consent record purge failed",
				slog.String("error", err.Error()))
		} else if n > 0 {
			rc.log.LogAttrs(context.Background(), slog.LevelInfo, "crumb: consent records purged",
				slog.Int64("count", n), slog.Time("before", before))
		}
		select {
		case <-t.C:
		case <-rc.stopPurge:
			return
		}
	}
}

// Close stops the Manager's background work: it writes the consent
// records still queued for Config.Store, retrying until ctx ends (those
// left then are reported to Hooks.RecordDropped and ctx's error is
// returned), and stops the retention job. Call it on graceful shutdown,
// after http.Server.Shutdown; decisions after Close are reported as
// dropped. It does not close the Store. Without a Store it does nothing.
func (m *Manager) Close(ctx context.Context) error {
	rc := m.records
	if rc == nil {
		return nil
	}
	rc.closeOnce.Do(func() {
		if rc.stopPurge != nil {
			close(rc.stopPurge)
			<-rc.purged
		}
		rc.closeErr = rc.q.Close(ctx)
	})
	return rc.closeErr
}

// RecordStats returns the counters of the queue to Config.Store, and false
// without a Store.
func (m *Manager) RecordStats() (QueueStats, bool) {
	if m.records == nil {
		return QueueStats{}, false
	}
	return m.records.q.Stats(), true
}

// TextDigest identifies the banner and preferences text shown in a
// language (a BCP 47 tag, matched to the closest served language), as
// records of the handler's decisions carry it; "" when the interface
// cannot be built. Publish or escrow the digests per release with the
// text, so that a record's digest shows what the visitor read.
func (m *Manager) TextDigest(lang string) string {
	u, err := m.userInterface()
	if err != nil {
		return ""
	}
	tag, _ := language.Parse(lang)
	return u.r.TextDigest(u.r.Negotiate("", tag.String()))
}
