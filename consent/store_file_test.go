package consent_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/crumbhq/crumb/consent"
	"github.com/crumbhq/crumb/consent/storetest"
)

func openFileStore(t *testing.T, dir string) *consent.FileStore {
	t.Helper()
	s, err := consent.OpenFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestFileStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) consent.Store { return openFileStore(t, t.TempDir()) })
}

// A reopened store has the records, and a line cut short by a crash is
// removed rather than refusing to open.
func TestFileStoreReopenAndTornLine(t *testing.T) {
	dir := t.TempDir()
	s := openFileStore(t, dir)
	id := storetest.NewID()
	rs := storetest.Records(3, id)
	if err := s.Append(context.Background(), rs); err != nil {
		t.Fatal(err)
	}
	s.Close()
	f, err := os.OpenFile(filepath.Join(dir, consent.FileName), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"id":"0123456789abcdef0123456789abcdef","consentId":"01`)
	f.Close()
	s2 := openFileStore(t, dir)
	got, err := s2.Lookup(context.Background(), id)
	if err != nil || len(got) != 3 || s2.Len() != 3 {
		t.Fatalf("after reopening: %d records, Len %d, %v; want 3", len(got), s2.Len(), err)
	}
	// The retried append after a crash is not duplicated either.
	if err := s2.Append(context.Background(), rs); err != nil || s2.Len() != 3 {
		t.Fatalf("re-append after reopen: Len %d, %v", s2.Len(), err)
	}
	if err := s2.Append(context.Background(), storetest.Records(1, id)); err != nil || s2.Len() != 4 {
		t.Fatalf("append after repair: Len %d, %v", s2.Len(), err)
	}
	info, _ := os.Stat(filepath.Join(dir, consent.FileName))
	if info.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", info.Mode().Perm())
	}
}

// A damaged line in the middle is an error, never records silently lost.
func TestFileStoreCorruptLine(t *testing.T) {
	dir := t.TempDir()
	s := openFileStore(t, dir)
	if err := s.Append(context.Background(), storetest.Records(2, storetest.NewID())); err != nil {
		t.Fatal(err)
	}
	s.Close()
	path := filepath.Join(dir, consent.FileName)
	b, _ := os.ReadFile(path)
	b[10] = '#'
	os.WriteFile(path, b, 0o600)
	if _, err := consent.OpenFileStore(dir); err == nil {
		t.Fatal("OpenFileStore accepted a damaged line")
	}
}
