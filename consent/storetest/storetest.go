// Package storetest checks that a consent.Store keeps the contract crumb
// relies on: look-up by consent ID in order, idempotent appends, a clear
// error for forged IDs and oversized fields with nothing stored, purging
// by time, and an export in append order whose hash chains verify.
//
// An implementation's test calls Run with a function that opens an empty
// store:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) consent.Store { return openEmpty(t) })
//	}
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crumbhq/crumb/consent"
	"github.com/google/go-cmp/cmp"
)

// Run runs the conformance tests, each against a new empty store from
// open. open registers the store's clean-up with t.Cleanup.
func Run(t *testing.T, open func(t *testing.T) consent.Store) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, consent.Store)
	}{
		{"AppendLookup", testAppendLookup},
		{"LookupUnknown", testLookupUnknown},
		{"LookupForged", testLookupForged},
		{"Idempotent", testIdempotent},
		{"BadFields", testBadFields},
		{"Purge", testPurge},
		{"ExportOrderAndChain", testExport},
		{"ExportStops", testExportStops},
		{"Concurrent", testConcurrent},
		{"Text", testText},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

// Base is the time of the first record Records makes.
var Base = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Records makes n linked records of one chain, one a minute from Base,
// alternating between visitors consent IDs (at least one).
func Records(n int, visitors ...string) []consent.Record {
	chain := NewID()
	out := make([]consent.Record, n)
	prev := ""
	for i := range out {
		r := consent.Record{
			ID: NewID(), ConsentID: visitors[i%len(visitors)], Kind: consent.KindBanner,
			Time: Base.Add(time.Duration(i) * time.Minute), Revision: 3,
			TextDigest: strings.Repeat("ab", 32), BannerHash: strings.Repeat("cd", 32),
			Choices: []consent.RecordChoice{{Category: "necessary", Choice: "granted"},
				{Category: "analytics", Choice: []string{"granted", "refused"}[i%2]},
				{Category: "marketing", Choice: "refused"}},
			Method: "banner", GPC: i%3 == 0, DNT: i%5 == 0, Language: "de", Page: fmt.Sprintf("/shop/item/%d", i),
			Chain: chain, Seq: uint64(i + 1), Prev: prev,
		}
		r.Digest = consent.RecordDigest(&r)
		prev = r.Digest
		out[i] = r
	}
	return out
}

// NewID returns a random ID in crumb's form.
func NewID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func export(t *testing.T, s consent.Store) []consent.Record {
	t.Helper()
	var out []consent.Record
	if err := s.Export(ctx(t), func(r consent.Record) error { out = append(out, r); return nil }); err != nil {
		t.Fatalf("Export: %v", err)
	}
	return out
}

func mustAppend(t *testing.T, s consent.Store, rs []consent.Record) {
	t.Helper()
	if err := s.Append(ctx(t), rs); err != nil {
		t.Fatalf("Append: %v", err)
	}
}

func lookup(t *testing.T, s consent.Store, id string) []consent.Record {
	t.Helper()
	rs, err := s.Lookup(ctx(t), id)
	if err != nil {
		t.Fatalf("Lookup(%s): %v", id, err)
	}
	return rs
}

// same compares records as stored: times in UTC.
var same = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) && b.Location() == time.UTC })

func testAppendLookup(t *testing.T, s consent.Store) {
	a, b := NewID(), NewID()
	rs := Records(5, a, b)
	mustAppend(t, s, rs[:2])
	mustAppend(t, s, rs[2:])
	for _, tc := range []struct {
		id   string
		want []consent.Record
	}{{a, []consent.Record{rs[0], rs[2], rs[4]}}, {b, []consent.Record{rs[1], rs[3]}}} {
		if diff := cmp.Diff(tc.want, lookup(t, s, tc.id), same); diff != "" {
			t.Errorf("Lookup(%s) (-want +got):\n%s", tc.id, diff)
		}
	}
}

func testLookupUnknown(t *testing.T, s consent.Store) {
	mustAppend(t, s, Records(2, NewID()))
	if rs := lookup(t, s, NewID()); len(rs) != 0 {
		t.Errorf("Lookup of an unknown ID = %d records, want none", len(rs))
	}
}

func testLookupForged(t *testing.T, s consent.Store) {
	id := NewID()
	mustAppend(t, s, Records(1, id))
	for _, forged := range []string{"", "abc", strings.ToUpper(id), id[:31], id + "0", id[:30] + "zz",
		"' OR '1'='1' --                 ", "../../../../etc/passwd0000000000", id[:31] + "\x00",
		strings.Repeat("a", 10000)} {
		rs, err := s.Lookup(ctx(t), forged)
		if !errors.Is(err, consent.ErrConsentID) || len(rs) != 0 {
			t.Errorf("Lookup(%.40q) = %d records, %v; want ErrConsentID", forged, len(rs), err)
		}
	}
}

func testIdempotent(t *testing.T, s consent.Store) {
	id := NewID()
	rs := Records(4, id)
	mustAppend(t, s, rs[:3])
	mustAppend(t, s, rs[:3]) // a retried batch
	mustAppend(t, s, []consent.Record{rs[3], rs[3], rs[1]})
	if diff := cmp.Diff(rs, export(t, s), same); diff != "" {
		t.Errorf("Export after repeated appends (-want +got):\n%s", diff)
	}
	if n := len(lookup(t, s, id)); n != 4 {
		t.Errorf("Lookup = %d records, want 4", n)
	}
}

func testBadFields(t *testing.T, s consent.Store) {
	for _, tc := range []struct {
		name string
		edit func(*consent.Record)
		want error
	}{
		{"page", func(r *consent.Record) { r.Page = "/" + strings.Repeat("p", consent.MaxRecordPage) }, consent.ErrFieldTooLong},
		{"language", func(r *consent.Record) { r.Language = strings.Repeat("x", consent.MaxRecordLanguage+1) }, consent.ErrFieldTooLong},
		{"method", func(r *consent.Record) { r.Method = strings.Repeat("m", consent.MaxRecordName+1) }, consent.ErrFieldTooLong},
		{"category", func(r *consent.Record) { r.Choices[1].Category = strings.Repeat("c", consent.MaxRecordName+1) }, consent.ErrFieldTooLong},
		{"choices", func(r *consent.Record) {
			for i := range consent.MaxRecordChoices {
				r.Choices = append(r.Choices, consent.RecordChoice{Category: fmt.Sprint("c", i), Choice: "refused"})
			}
		}, consent.ErrFieldTooLong},
		{"consent ID", func(r *consent.Record) { r.ConsentID = "not-hex" }, consent.ErrConsentID},
		{"record ID", func(r *consent.Record) { r.ID = strings.ToUpper(r.ID) }, consent.ErrConsentID},
		{"NUL in page", func(r *consent.Record) { r.Page = "/a\x00b" }, consent.ErrBadRecord},
		{"invalid UTF-8", func(r *consent.Record) { r.Language = "de\xff" }, consent.ErrBadRecord},
		{"choice", func(r *consent.Record) { r.Choices[1].Choice = "maybe" }, consent.ErrBadRecord},
		{"digest", func(r *consent.Record) { r.Digest = "xyz" }, consent.ErrBadRecord},
		{"time", func(r *consent.Record) { r.Time = time.Time{} }, consent.ErrBadRecord},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := Records(3, NewID())
			tc.edit(&rs[1])
			err := s.Append(ctx(t), rs)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Append = %v, want %v", err, tc.want)
			}
			for _, r := range export(t, s) {
				if r.ConsentID == rs[0].ConsentID {
					t.Fatalf("a batch with a bad record stored record %s", r.ID)
				}
			}
		})
	}
}

func testPurge(t *testing.T, s consent.Store) {
	a, b := NewID(), NewID()
	rs := Records(6, a, b) // Base, +1m … +5m
	mustAppend(t, s, rs)
	n, err := s.Purge(ctx(t), Base.Add(2*time.Minute))
	if err != nil || n != 2 {
		t.Fatalf("Purge = %d, %v; want 2 removed", n, err)
	}
	if diff := cmp.Diff(rs[2:], export(t, s), same); diff != "" {
		t.Errorf("Export after Purge (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]consent.Record{rs[2], rs[4]}, lookup(t, s, a), same); diff != "" {
		t.Errorf("Lookup after Purge (-want +got):\n%s", diff)
	}
	if n, err := s.Purge(ctx(t), Base.Add(2*time.Minute)); err != nil || n != 0 {
		t.Errorf("second Purge = %d, %v; want 0", n, err)
	}
	// Appending goes on after a purge.
	more := Records(1, a)
	mustAppend(t, s, more)
	if got := len(lookup(t, s, a)); got != 3 {
		t.Errorf("Lookup after Purge and Append = %d records, want 3", got)
	}
}

func testExport(t *testing.T, s consent.Store) {
	rs := Records(50, NewID(), NewID(), NewID())
	for i := 0; i < len(rs); i += 7 {
		mustAppend(t, s, rs[i:min(i+7, len(rs))])
	}
	got := export(t, s)
	if diff := cmp.Diff(rs, got, same); diff != "" {
		t.Fatalf("Export (-want +got):\n%s", diff)
	}
	if err := consent.Verify(got); err != nil {
		t.Errorf("Verify of the export: %v", err)
	}
}

func testExportStops(t *testing.T, s consent.Store) {
	mustAppend(t, s, Records(10, NewID()))
	stop := errors.New("stop")
	n := 0
	err := s.Export(ctx(t), func(consent.Record) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("Export = %v after %d records, want the callback's error after 3", err, n)
	}
}

func testConcurrent(t *testing.T, s consent.Store) {
	const writers, each = 8, 40
	ids := make([]string, writers)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		ids[w] = NewID()
		wg.Add(1)
		go func() {
			defer wg.Done()
			rs := Records(each, ids[w])
			for i := 0; i < each; i += 5 {
				if err := s.Append(context.Background(), rs[i:i+5]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent Append: %v", err)
	}
	for _, id := range ids {
		if n := len(lookup(t, s, id)); n != each {
			t.Errorf("Lookup(%s) = %d records, want %d", id, n, each)
		}
	}
	if n := len(export(t, s)); n != writers*each {
		t.Errorf("Export = %d records, want %d", n, writers*each)
	}
}

func testText(t *testing.T, s consent.Store) {
	rs := Records(2, NewID())
	rs[0].Page = "/boutique/café/日本語/'\"<>&%"
	rs[0].Language = "zh-Hant-TW"
	rs[1].Choices = nil
	for i := range rs {
		rs[i].Digest = consent.RecordDigest(&rs[i])
	}
	mustAppend(t, s, rs)
	got := lookup(t, s, rs[0].ConsentID)
	// nil and empty choices are one thing to a store.
	if len(got) == 2 && len(got[1].Choices) == 0 {
		got[1].Choices = nil
	}
	if diff := cmp.Diff(rs, got, same); diff != "" {
		t.Errorf("Lookup (-want +got):\n%s", diff)
	}
}
