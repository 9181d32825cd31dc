package consent

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// A Store keeps consent Records durably. Set one as Config.Store and every
// decision becomes a Record, written through a Queue so that a slow or
// failing store never delays a visitor's response. FileStore is the
// embedded default; github.com/crumbhq/crumb/pgstore keeps them in
// PostgreSQL for deployments with many replicas. The package
// github.com/crumbhq/crumb/consent/storetest checks an implementation.
//
// Implementations are safe for concurrent use.
type Store interface {
	// Append stores records, in order. It is idempotent: a record whose
	// ID is stored already is skipped, so that a retried write never
	// duplicates. It fails, storing none of them, when a record does not
	// pass CheckRecord.
	Append(ctx context.Context, records []Record) error
	// Lookup returns the records of one consent ID, oldest first, and
	// ErrConsentID for an ID that is not 32 lower-case hex digits.
	Lookup(ctx context.Context, consentID string) ([]Record, error)
	// Purge removes the records whose Time is before t and returns how
	// many it removed.
	Purge(ctx context.Context, before time.Time) (int64, error)
	// Export calls fn with every record, in the order they were
	// appended, and stops at fn's first error, which it returns.
	Export(ctx context.Context, fn func(Record) error) error
}

// The errors of CheckRecord and Store.Lookup.
var (
	// ErrConsentID: a consent or record ID that crumb cannot have made
	// (not 32 lower-case hex digits), such as a forged one.
	ErrConsentID = errors.New("consent: not a consent ID (32 lower-case hex digits)")
	// ErrFieldTooLong: a record field longer than its limit.
	ErrFieldTooLong = errors.New("consent: record field too long")
	// ErrBadRecord: a record field that is malformed.
	ErrBadRecord = errors.New("consent: malformed record")
)

// Limits of a Record's fields, which CheckRecord enforces.
const (
	MaxRecordPage     = maxRecordPage // bytes of Record.Page
	MaxRecordLanguage = maxLang       // bytes of Record.Language
	MaxRecordName     = 64            // bytes of Record.Kind, Record.Method and a category name
	MaxRecordChoices  = maxCategories // entries of Record.Choices
)

// CheckConsentID reports ErrConsentID unless id is 32 lower-case hex
// digits, the form of every consent ID crumb makes.
func CheckConsentID(id string) error {
	if !isHexID(id, 32) {
		return ErrConsentID
	}
	return nil
}

func isHexID(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// CheckRecord reports whether r can be stored: IDs in crumb's form, fields
// within their limits, text valid UTF-8 without control characters. The
// error wraps ErrConsentID, ErrFieldTooLong or ErrBadRecord and names the
// field.
func CheckRecord(r *Record) error {
	bad := func(field string, err error) error { return fmt.Errorf("%w: %s", err, field) }
	if !isHexID(r.ID, 32) {
		return bad("id", ErrConsentID)
	}
	if !isHexID(r.ConsentID, 32) {
		return bad("consentId", ErrConsentID)
	}
	if r.Time.IsZero() {
		return bad("time", ErrBadRecord)
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"kind", string(r.Kind), MaxRecordName}, {"method", r.Method, MaxRecordName},
		{"language", r.Language, MaxRecordLanguage}, {"page", r.Page, MaxRecordPage}} {
		if len(f.v) > f.max {
			return bad(f.name, ErrFieldTooLong)
		}
		if !cleanText(f.v) {
			return bad(f.name, ErrBadRecord)
		}
	}
	for _, d := range []struct{ name, v string }{{"textDigest", r.TextDigest}, {"bannerHash", r.BannerHash},
		{"prev", r.Prev}, {"digest", r.Digest}} {
		if d.v != "" && !isHexID(d.v, 64) {
			return bad(d.name, ErrBadRecord)
		}
	}
	if r.Chain != "" && !isHexID(r.Chain, 32) {
		return bad("chain", ErrBadRecord)
	}
	if len(r.Choices) > MaxRecordChoices {
		return bad("choices", ErrFieldTooLong)
	}
	for _, c := range r.Choices {
		if len(c.Category) > MaxRecordName {
			return bad("choices", ErrFieldTooLong)
		}
		if c.Category == "" || !cleanText(c.Category) {
			return bad("choices", ErrBadRecord)
		}
		switch c.Choice {
		case "granted", "refused", "undecided":
		default:
			return bad("choices", ErrBadRecord)
		}
	}
	return nil
}

func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if isControl(r) {
			return false
		}
	}
	return true
}

// checkRecords is CheckRecord for a batch, naming the failing record.
func checkRecords(rs []Record) error {
	for i := range rs {
		if err := CheckRecord(&rs[i]); err != nil {
			return fmt.Errorf("record %d: %w", i, err)
		}
	}
	return nil
}
