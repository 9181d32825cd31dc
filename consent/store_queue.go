package consent

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// StoreOptions tune the Queue between decisions and a Store, and the
// retention job. The zero value is sensible.
type StoreOptions struct {
	// Buffer bounds the records held in memory, waiting or being
	// written, while the store is slow or down. Past it each new record
	// is dropped and reported to Hooks.RecordDropped. It is also what a
	// crash can lose at most (see Queue). Default: 10000.
	Buffer int
	// Batch is the most records one Store.Append gets. Default: 256.
	Batch int
	// Linger is how long the writer waits for more records before it
	// writes a batch that is not full: the time a record spends in
	// memory when all is well. Default: 20ms.
	Linger time.Duration
	// WriteTimeout bounds one Store.Append. Default: 10s.
	WriteTimeout time.Duration
	// RetryMin and RetryMax bound the pause, doubled after each failure
	// and jittered, before a failed batch is written again. Default:
	// 50ms and 5s.
	RetryMin, RetryMax time.Duration
	// Retention is how long records are kept: a job purges older ones
	// every PurgeInterval, starting when the Manager is made. Default: 0,
	// records are kept until the application purges them.
	Retention time.Duration
	// PurgeInterval is how often the retention job runs. Default: 1h.
	PurgeInterval time.Duration
}

// Defaults of StoreOptions.
const (
	DefaultStoreBuffer   = 10000
	DefaultStoreBatch    = 256
	DefaultStoreLinger   = 20 * time.Millisecond
	DefaultWriteTimeout  = 10 * time.Second
	DefaultRetryMin      = 50 * time.Millisecond
	DefaultRetryMax      = 5 * time.Second
	DefaultPurgeInterval = time.Hour
)

func (o StoreOptions) withDefaults() StoreOptions {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.Buffer <= 0 {
		o.Buffer = DefaultStoreBuffer
	}
	if o.Batch <= 0 {
		o.Batch = DefaultStoreBatch
	}
	o.Batch = min(o.Batch, o.Buffer)
	def(&o.Linger, DefaultStoreLinger)
	def(&o.WriteTimeout, DefaultWriteTimeout)
	def(&o.RetryMin, DefaultRetryMin)
	def(&o.RetryMax, DefaultRetryMax)
	def(&o.PurgeInterval, DefaultPurgeInterval)
	o.RetryMax = max(o.RetryMax, o.RetryMin)
	return o
}

// DroppedRecord describes a Record the Store will never hold.
type DroppedRecord struct {
	Record Record
	Reason DropReason
	Err    error // the store's last error, if any
}

// DropReason says why a record was dropped.
type DropReason uint8

// The reasons.
const (
	DropFull     DropReason = iota + 1 // StoreOptions.Buffer records were waiting already
	DropClosed                         // the decision came after Close
	DropShutdown                       // Close's context ended before the record was written
	DropInvalid                        // the record failed CheckRecord
)

func (r DropReason) String() string {
	switch r {
	case DropFull:
		return "buffer full"
	case DropClosed:
		return "queue closed"
	case DropShutdown:
		return "shutdown deadline"
	case DropInvalid:
		return "invalid record"
	}
	return "unknown"
}

func logDropped(log *slog.Logger) func(context.Context, DroppedRecord) {
	return func(ctx context.Context, d DroppedRecord) {
		attrs := []slog.Attr{slog.String("reason", d.Reason.String()), slog.String("record", d.Record.ID),
			slog.String("consent_id", d.Record.ConsentID), slog.Time("time", d.Record.Time),
			slog.String("kind", string(d.Record.Kind))}
		if d.Err != nil {
			attrs = append(attrs, slog.String("error", d.Err.Error()))
		}
		log.LogAttrs(ctx, slog.LevelError, "crumb: consent record dropped", attrs...)
	}
}

// A Queue carries Records to a Store without making anyone wait: Add only
// appends to a bounded buffer, and one writer goroutine takes batches of
// up to StoreOptions.Batch records, links them into the queue's hash chain
// and appends them, retrying with backoff while the store fails. Past
// StoreOptions.Buffer records waiting, each new one is dropped and
// reported, never lost in silence. Close writes what is left.
//
// What a crash (a kill, a power cut) can lose: the records in memory, at
// most StoreOptions.Buffer, and while the store keeps up only those of the
// last Linger plus one write (at 1,000 decisions a second and the
// defaults, a few dozen). A record Append returned for is as durable as
// the Store makes it (FileStore: fsynced).
//
// Manager makes one for Config.Store; a Queue can also be used alone.
type Queue struct {
	store   Store
	opts    StoreOptions
	dropped func(DroppedRecord)
	log     *slog.Logger
	chain   *chain

	mu       sync.Mutex
	pending  []Record // waiting, not linked yet
	inflight int      // records of the batch being written
	closed   bool
	lastErr  error

	wake    chan struct{} // a record arrived (capacity 1)
	closing chan struct{} // Close was called
	abort   context.CancelFunc
	ctx     context.Context // cancelled when Close gives up
	done    chan struct{}   // the writer has returned

	hmu  sync.Mutex
	head struct {
		Seq    uint64
		Digest string
	} // the last record written

	added, written, droppedN, retries atomic.Int64
}

// QueueStats counts what a Queue did.
type QueueStats struct {
	Added   int64 // records given to Add
	Written int64 // records the store accepted
	Dropped int64 // records reported to the dropped hook
	Retries int64 // failed Append calls
	Pending int   // records in memory now
	// Chain, Seq and Digest are the queue's chain and its last written
	// record: keep them elsewhere to detect a deletion at the chain's end.
	Chain  string
	Seq    uint64
	Digest string
}

// NewQueue starts a queue writing to s. dropped receives each record that
// s will never hold; nil logs it to log at Error level (log nil:
// slog.Default()).
func NewQueue(s Store, opts StoreOptions, dropped func(DroppedRecord), log *slog.Logger) (*Queue, error) {
	if s == nil {
		return nil, errors.New("consent: NewQueue needs a Store")
	}
	if log == nil {
		log = slog.Default()
	}
	if dropped == nil {
		l := logDropped(log)
		dropped = func(d DroppedRecord) { l(context.Background(), d) }
	}
	c, err := newChain()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	q := &Queue{store: s, opts: opts.withDefaults(), dropped: dropped, log: log, chain: c,
		wake: make(chan struct{}, 1), closing: make(chan struct{}), abort: cancel, ctx: ctx,
		done: make(chan struct{})}
	go q.run()
	return q, nil
}

// Add queues r for the store. It never blocks on the store: a record that
// does not fit is reported to the dropped hook before Add returns.
func (q *Queue) Add(r Record) {
	q.added.Add(1)
	if err := CheckRecord(&r); err != nil {
		q.drop([]Record{r}, DropInvalid, err)
		return
	}
	q.mu.Lock()
	switch {
	case q.closed:
		q.mu.Unlock()
		q.drop([]Record{r}, DropClosed, nil)
		return
	case len(q.pending)+q.inflight >= q.opts.Buffer:
		err := q.lastErr
		q.mu.Unlock()
		q.drop([]Record{r}, DropFull, err)
		return
	}
	q.pending = append(q.pending, r)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *Queue) drop(rs []Record, why DropReason, err error) {
	for _, r := range rs {
		q.droppedN.Add(1)
		q.dropped(DroppedRecord{Record: r, Reason: why, Err: err})
	}
}

// Stats returns the queue's counters.
func (q *Queue) Stats() QueueStats {
	q.mu.Lock()
	p := len(q.pending) + q.inflight
	q.mu.Unlock()
	s := QueueStats{Added: q.added.Load(), Written: q.written.Load(), Dropped: q.droppedN.Load(),
		Retries: q.retries.Load(), Pending: p}
	q.hmu.Lock()
	s.Chain, s.Seq, s.Digest = q.chain.id, q.head.Seq, q.head.Digest
	q.hmu.Unlock()
	return s
}

// Close stops taking records and writes those in memory, retrying until
// ctx ends; then it reports the ones left to the dropped hook and returns
// ctx's error. It logs the chain's last record, which Verify needs to
// detect a deletion at the chain's end. Close does not close the Store.
func (q *Queue) Close(ctx context.Context) error {
	q.mu.Lock()
	already := q.closed
	q.closed = true
	q.mu.Unlock()
	if !already {
		close(q.closing)
	}
	var err error
	select {
	case <-q.done:
	case <-ctx.Done():
		err = ctx.Err()
		q.abort()
		<-q.done
	}
	if !already {
		st := q.Stats()
		q.log.LogAttrs(context.Background(), slog.LevelInfo, "crumb: consent record chain closed",
			slog.String("chain", st.Chain), slog.Uint64("seq", st.Seq), slog.String("digest", st.Digest),
			slog.Int64("written", st.Written), slog.Int64("dropped", st.Dropped))
	}
	return err
}

// run is the writer.
func (q *Queue) run() {
	defer close(q.done)
	defer q.abort()
	for {
		b, ok := q.next()
		if !ok {
			return
		}
		for i := range b {
			q.chain.link(&b[i]) // only this goroutine links
		}
		if !q.write(b) {
			q.mu.Lock()
			rest := q.pending
			q.pending, q.inflight = nil, 0
			err := q.lastErr
			q.mu.Unlock()
			q.drop(b, DropShutdown, err)
			q.drop(rest, DropShutdown, err)
			return
		}
		q.mu.Lock()
		q.inflight = 0
		q.mu.Unlock()
	}
}

// next waits for a batch: full, or the first record Linger old, or
// whatever is left once Close was called. It returns false when the queue
// is closed and empty, or Close gave up.
func (q *Queue) next() ([]Record, bool) {
	lingered := false
	// One timer from the moment records are seen waiting, kept across
	// wake-ups: restarted by every Add, it would never fire while records
	// trickle in faster than Linger.
	var linger *time.Timer
	defer func() {
		if linger != nil {
			linger.Stop()
		}
	}()
	for {
		q.mu.Lock()
		n := len(q.pending)
		closed := q.closed
		if n >= q.opts.Batch || (n > 0 && (closed || lingered)) {
			n = min(n, q.opts.Batch)
			b := make([]Record, n)
			copy(b, q.pending)
			clear(q.pending[:n])
			q.pending = q.pending[n:]
			if len(q.pending) == 0 {
				q.pending = nil // let the backing array go
			}
			q.inflight = n
			q.mu.Unlock()
			return b, true
		}
		q.mu.Unlock()
		if closed && n == 0 {
			return nil, false
		}
		var timer <-chan time.Time
		if n > 0 {
			if linger == nil {
				linger = time.NewTimer(q.opts.Linger)
			}
			timer = linger.C
		}
		select {
		case <-q.wake:
		case <-timer:
			lingered = true
		case <-q.closing:
		case <-q.ctx.Done():
			return nil, false
		}
		if q.ctx.Err() != nil {
			return nil, false
		}
	}
}

func (q *Queue) setWritten(r *Record) {
	q.hmu.Lock()
	q.head.Seq, q.head.Digest = r.Seq, r.Digest
	q.hmu.Unlock()
}

// write appends b until the store takes it, and returns false when Close
// gave up first.
func (q *Queue) write(b []Record) bool {
	pause := q.opts.RetryMin
	failing := false
	for {
		ctx, cancel := context.WithTimeout(q.ctx, q.opts.WriteTimeout)
		err := q.store.Append(ctx, b)
		cancel()
		if err == nil {
			q.written.Add(int64(len(b)))
			q.setWritten(&b[len(b)-1])
			if failing {
				q.log.LogAttrs(context.Background(), slog.LevelInfo, "crumb: consent store writable again")
				q.mu.Lock()
				q.lastErr = nil
				q.mu.Unlock()
			}
			return true
		}
		if q.ctx.Err() != nil {
			return false
		}
		q.retries.Add(1)
		q.mu.Lock()
		q.lastErr = err
		waiting := len(q.pending) + q.inflight
		q.mu.Unlock()
		if !failing {
			failing = true
			q.log.LogAttrs(context.Background(), slog.LevelWarn, "crumb: consent store write failed; retrying",
				slog.String("error", err.Error()), slog.Int("buffered", waiting), slog.Int("buffer", q.opts.Buffer))
		}
		// Full jitter around the doubling pause, so that replicas do not
		// retry in step.
		d := pause/2 + rand.N(pause/2+1)
		select {
		case <-time.After(d):
		case <-q.ctx.Done():
			return false
		}
		pause = min(2*pause, q.opts.RetryMax)
	}
}
