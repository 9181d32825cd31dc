package consent

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// FileStore is the embedded Store: an append-only JSON Lines file,
// records.jsonl, in a data directory, one Record a line, fsynced once per
// Append (so once per Queue batch, not once per record).
//
// Why a JSON Lines file rather than SQLite: it needs nothing outside the
// standard library, so it lives in crumb's core and works wherever the
// application builds, cgo or not, with no driver module to track. A
// consent log is written in order and read rarely, which an append-only
// file does best: one sequential write and one fsync per batch, no
// write-ahead log or page cache of its own, and a torn last line after a
// crash is the only damage a crash can do (Open cuts it off). The file is
// its own export, readable with grep, jq and tail -f, and the hash chain
// needs no schema. What SQLite would add, ad-hoc queries and indexes on
// disk, is what the PostgreSQL store is for once one process is not
// enough. The costs: the index of consent IDs lives in memory (about 100
// bytes a record, so a few million records before pgstore is the better
// choice), and Purge rewrites the file.
//
// One process may use a data directory at a time.
type FileStore struct {
	path string

	mu    sync.Mutex
	f     *os.File
	size  int64
	index map[[16]byte][]fileEntry // consent ID -> its lines, oldest first
	count int
}

type fileEntry struct {
	off int64
	n   int32
	id  [16]byte // the record ID, for idempotent appends
}

// FileName is the name of FileStore's file in its data directory.
const FileName = "records.jsonl"

// maxLine bounds one line of the file: a record within CheckRecord's
// limits is under 4 KiB.
const maxLine = 64 << 10

// OpenFileStore opens or creates the store in dir, creating dir (mode
// 0700) as needed, and reads the file's index. A last line cut short by
// a crash is removed; any other unreadable line is an error.
func OpenFileStore(dir string) (*FileStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("consent: FileStore: %w", err)
	}
	s := &FileStore{path: filepath.Join(dir, FileName)}
	_, statErr := os.Stat(s.path)
	f, err := os.OpenFile(s.path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("consent: FileStore: %w", err)
	}
	if errors.Is(statErr, os.ErrNotExist) {
		syncDir(dir)
	}
	s.f = f
	if err := s.load(); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

// load rebuilds the index from the file, cutting off a torn last line.
func (s *FileStore) load() error {
	s.index = map[[16]byte][]fileEntry{}
	s.count = 0
	var off int64
	err := scanLines(io.NewSectionReader(s.f, 0, 1<<62), func(line []byte, complete bool) error {
		if !complete {
			return errTorn
		}
		var head struct{ ID, ConsentID string }
		if err := json.Unmarshal(line, &head); err != nil {
			return fmt.Errorf("consent: FileStore %s: line at byte %d: %w", s.path, off, err)
		}
		id, ok1 := parseHexID(head.ID)
		cid, ok2 := parseHexID(head.ConsentID)
		if !ok1 || !ok2 {
			return fmt.Errorf("consent: FileStore %s: line at byte %d: %w", s.path, off, ErrBadRecord)
		}
		s.index[cid] = append(s.index[cid], fileEntry{off: off, n: int32(len(line)), id: id})
		s.count++
		off += int64(len(line)) + 1
		return nil
	})
	if errors.Is(err, errTorn) {
		if err := s.f.Truncate(off); err != nil {
			return fmt.Errorf("consent: FileStore: cutting a torn last line: %w", err)
		}
		err = s.f.Sync()
	}
	s.size = off
	return err
}

var errTorn = errors.New("torn line")

// scanLines calls fn with each line of r, without its newline; complete is
// false for a last line without one.
func scanLines(r io.Reader, fn func(line []byte, complete bool) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadSlice('\n')
		for errors.Is(err, bufio.ErrBufferFull) {
			if len(line) > maxLine {
				return fmt.Errorf("consent: FileStore: line longer than %d bytes", maxLine)
			}
			var more []byte
			more, err = br.ReadSlice('\n')
			line = append(append([]byte(nil), line...), more...)
		}
		if err == io.EOF {
			if len(line) > 0 {
				return fn(line, false)
			}
			return nil
		}
		if err != nil {
			return err
		}
		if ferr := fn(line[:len(line)-1], true); ferr != nil {
			return ferr
		}
	}
}

func parseHexID(s string) ([16]byte, bool) {
	var id [16]byte
	if !isHexID(s, 32) {
		return id, false
	}
	hex.Decode(id[:], []byte(s))
	return id, true
}

// Append writes records as lines and fsyncs them. On a write or sync error
// the file is cut back to where it was, so that the retry does not
// duplicate.
func (s *FileStore) Append(ctx context.Context, records []Record) error {
	if err := checkRecords(records); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return errStoreClosed
	}
	var buf bytes.Buffer
	type added struct {
		cid [16]byte
		e   fileEntry
	}
	var news []added
	seen := map[[16]byte]bool{}
	for i := range records {
		r := &records[i]
		id, _ := parseHexID(r.ID)
		cid, _ := parseHexID(r.ConsentID)
		if seen[id] || s.has(cid, id) {
			continue
		}
		seen[id] = true
		r2 := *r
		r2.Time = r2.Time.UTC()
		b, err := json.Marshal(&r2)
		if err != nil {
			return err
		}
		news = append(news, added{cid, fileEntry{off: s.size + int64(buf.Len()), n: int32(len(b)), id: id}})
		buf.Write(b)
		buf.WriteByte('\n')
	}
	if buf.Len() == 0 {
		return nil
	}
	if _, err := s.f.Write(buf.Bytes()); err != nil {
		s.f.Truncate(s.size)
		return fmt.Errorf("consent: FileStore: %w", err)
	}
	if err := s.f.Sync(); err != nil {
		s.f.Truncate(s.size)
		return fmt.Errorf("consent: FileStore: %w", err)
	}
	s.size += int64(buf.Len())
	for _, a := range news {
		s.index[a.cid] = append(s.index[a.cid], a.e)
	}
	s.count += len(news)
	return nil
}

func (s *FileStore) has(cid, id [16]byte) bool {
	for _, e := range s.index[cid] {
		if e.id == id {
			return true
		}
	}
	return false
}

var errStoreClosed = errors.New("consent: FileStore is closed")

// Lookup returns the records of one consent ID, oldest first.
func (s *FileStore) Lookup(ctx context.Context, consentID string) ([]Record, error) {
	cid, ok := parseHexID(consentID)
	if !ok {
		return nil, ErrConsentID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil, errStoreClosed
	}
	entries := s.index[cid]
	out := make([]Record, 0, len(entries))
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b := make([]byte, e.n)
		if _, err := s.f.ReadAt(b, e.off); err != nil {
			return nil, fmt.Errorf("consent: FileStore: %w", err)
		}
		var r Record
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("consent: FileStore: line at byte %d: %w", e.off, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// Export reads the file from its start up to its end when Export was
// called; records appended meanwhile are not included.
func (s *FileStore) Export(ctx context.Context, fn func(Record) error) error {
	s.mu.Lock()
	if s.f == nil {
		s.mu.Unlock()
		return errStoreClosed
	}
	// A handle of its own reads on even if Purge replaces the file.
	f, err := os.Open(s.path)
	size := s.size
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("consent: FileStore: %w", err)
	}
	defer f.Close()
	return scanLines(io.NewSectionReader(f, 0, size), func(line []byte, _ bool) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			return fmt.Errorf("consent: FileStore: %w", err)
		}
		return fn(r)
	})
}

// Purge rewrites the file without the records older than before: into a
// temporary file in the same directory, fsynced, then renamed over the old
// one. Appends wait meanwhile.
func (s *FileStore) Purge(ctx context.Context, before time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return 0, errStoreClosed
	}
	dir := filepath.Dir(s.path)
	tmp, err := os.CreateTemp(dir, FileName+".purge-*")
	if err != nil {
		return 0, fmt.Errorf("consent: FileStore: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	w := bufio.NewWriterSize(tmp, 64<<10)
	var removed int64
	err = scanLines(io.NewSectionReader(s.f, 0, s.size), func(line []byte, _ bool) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		var t struct{ Time time.Time }
		if err := json.Unmarshal(line, &t); err != nil {
			return fmt.Errorf("consent: FileStore: %w", err)
		}
		if t.Time.Before(before) {
			removed++
			return nil
		}
		w.Write(line)
		return w.WriteByte('\n')
	})
	if err == nil {
		err = w.Flush()
	}
	if err == nil && removed > 0 {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil || removed == 0 {
		return 0, err
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return 0, fmt.Errorf("consent: FileStore: %w", err)
	}
	syncDir(dir)
	f, err := os.OpenFile(s.path, os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		s.f.Close()
		s.f = nil
		return removed, fmt.Errorf("consent: FileStore: reopening after purge: %w", err)
	}
	s.f.Close()
	s.f = f
	return removed, s.load()
}

// Len returns how many records the file holds.
func (s *FileStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// Path returns the file's path.
func (s *FileStore) Path() string { return s.path }

// Close closes the file. Close the Manager (which flushes its Queue)
// first.
func (s *FileStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}

// syncDir makes a created or renamed file's directory entry durable. It is
// best effort: some systems cannot fsync a directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
