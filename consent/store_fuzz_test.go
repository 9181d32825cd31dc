package consent_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/crumbhq/crumb/consent"
	"github.com/crumbhq/crumb/consent/storetest"
	"github.com/google/go-cmp/cmp"
)

// FuzzRecordJSON feeds arbitrary JSON to CheckRecord and the FileStore: a
// record CheckRecord accepts is stored and read back unchanged, with the
// digest it had; one it refuses is refused by Append with the same kind of
// error, and nothing is stored. Nothing panics.
func FuzzRecordJSON(f *testing.F) {
	for _, r := range storetest.Records(2, storetest.NewID()) {
		b, _ := json.Marshal(r)
		f.Add(b)
	}
	f.Add([]byte(`{"id":"0123456789abcdef0123456789abcdef","consentId":"0123456789abcdef0123456789abcdef","time":"2026-01-01T00:00:00Z","page":"/\u0000"}`))
	f.Add([]byte(`{"id":"0123456789abcdef0123456789abcdef","consentId":"0123456789abcdef0123456789abcdef","time":"2026-01-01T00:00:00+02:00","choices":[{"category":"a","choice":"granted"}]}`))
	dir := f.TempDir()
	s, err := consent.OpenFileStore(dir)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var r consent.Record
		if json.Unmarshal(b, &r) != nil {
			return
		}
		checkErr := consent.CheckRecord(&r)
		before := s.Len()
		appendErr := s.Append(context.Background(), []consent.Record{r})
		if checkErr != nil {
			for _, kind := range []error{consent.ErrConsentID, consent.ErrFieldTooLong, consent.ErrBadRecord} {
				if errors.Is(checkErr, kind) != errors.Is(appendErr, kind) {
					t.Fatalf("CheckRecord: %v; Append: %v", checkErr, appendErr)
				}
			}
			if s.Len() != before {
				t.Fatal("Append stored a record CheckRecord refused")
			}
			return
		}
		if appendErr != nil {
			t.Fatalf("Append of a valid record: %v", appendErr)
		}
		got, err := s.Lookup(context.Background(), r.ConsentID)
		if err != nil {
			t.Fatal(err)
		}
		var back *consent.Record
		for i := range got {
			if got[i].ID == r.ID {
				back = &got[i]
			}
		}
		if back == nil {
			t.Fatal("a stored record is not found")
		}
		if before == s.Len() {
			return // an earlier input's ID: the store kept that one
		}
		r.Time = r.Time.UTC()
		if len(r.Choices) == 0 {
			r.Choices, back.Choices = nil, nil
		}
		if diff := cmp.Diff(r, *back); diff != "" {
			t.Errorf("read back (-stored +read):\n%s", diff)
		}
	})
}

// BenchmarkQueueFileStore measures what the Queue and a FileStore write
// together: records a second with fsync per batch, on this machine's disk.
func BenchmarkQueueFileStore(b *testing.B) {
	s, err := consent.OpenFileStore(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchQueue(b, s)
}
