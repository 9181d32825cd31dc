package consent

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A Record is the durable proof of one decision, as Config.Store keeps it:
// who (a random consent ID, never an IP address or a user agent), when,
// under which policy revision and text, what was chosen, and how. Records
// of one writer form a hash chain (Chain, Seq, Prev, Digest), so that an
// edited or a deleted record shows in Verify.
//
// A Record holds no IP address: the consent ID in the signed cookie is
// what links a visitor to their records, and Art. 7(1) GDPR asks for
// proof of the consent, not of the person. An application that must keep
// more can do so from Hooks.Decision in its own store.
type Record struct {
	ID        string    `json:"id"`        // this record, 32 hex digits
	ConsentID string    `json:"consentId"` // the consent cookie's ID, 32 hex digits
	Kind      EventKind `json:"kind"`
	Time      time.Time `json:"time"` // UTC, second precision
	Revision  uint32    `json:"revision"`
	// TextDigest is the hex SHA-256 of the banner and preferences text
	// shown in Language (Manager.TextDigest); BannerHash that of the
	// banner alone (Manager.BannerHash). Both are empty when the
	// application decided without crumb's interface.
	TextDigest string         `json:"textDigest,omitempty"`
	BannerHash string         `json:"bannerHash,omitempty"`
	Choices    []RecordChoice `json:"choices"` // every category, "necessary" first
	Method     string         `json:"method"`  // Method.String()
	GPC        bool           `json:"gpc"`
	DNT        bool           `json:"dnt"`
	Language   string         `json:"language"`
	Page       string         `json:"page"` // the path decided on, without query

	// The hash chain. Chain names the writer (one per Queue), Seq counts
	// its records from 1, Prev is the Digest of the record before in the
	// chain ("" for Seq 1), and Digest is the hex SHA-256 of every field
	// above and of Chain, Seq and Prev (see RecordDigest).
	Chain  string `json:"chain"`
	Seq    uint64 `json:"seq"`
	Prev   string `json:"prev"`
	Digest string `json:"digest"`
}

// RecordChoice is one category's choice in a Record.
type RecordChoice struct {
	Category string `json:"category"`
	Choice   string `json:"choice"` // granted, refused or undecided
}

// EventKind says what a Record records.
type EventKind string

// The kinds of decision a Record records. A Method crumb does not know is
// recorded as KindOther, with the Method's name in Record.Method.
const (
	KindBanner     EventKind = "banner"      // a choice in the banner or the preferences page
	KindAPI        EventKind = "api"         // the application called Decide
	KindGPC        EventKind = "gpc-applied" // recorded because of Sec-GPC, or the signal refused what the decision left on (Receipt.GPCApplied)
	KindOptOut     EventKind = "opt-out"     // an opt-out request (MethodOptOut): the regime policy's sale-or-share categories refused
	KindWithdrawal EventKind = "withdrawal"  // a category granted before is refused now
	KindRenewal    EventKind = "renewal"     // asked again after expiry or a new Revision
	KindOther      EventKind = "other"
)

// maxRecordPage bounds Record.Page: a longer path is cut at a character
// boundary when the record is made.
const maxRecordPage = 1024

// newRecord turns a receipt into an unchained Record.
func newRecord(r *Receipt, textDigest string) (Record, error) {
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return Record{}, err
	}
	rec := Record{
		ID:         hex.EncodeToString(id[:]),
		ConsentID:  r.ID,
		Kind:       kindOf(r),
		Time:       r.Time.UTC().Truncate(time.Second),
		Revision:   r.Revision,
		TextDigest: textDigest,
		BannerHash: r.BannerHash,
		Method:     r.Method.String(),
		GPC:        r.GPC,
		DNT:        r.DNT,
		Language:   r.Language,
		Page:       cleanPage(r.Page),
	}
	rec.Choices = make([]RecordChoice, len(r.Choices))
	for i, c := range r.Choices {
		rec.Choices[i] = RecordChoice{c.Category, c.Choice.String()}
	}
	return rec, nil
}

// kindOf classifies a receipt: GPC first (the signal decided), then an
// opt-out request, then a withdrawal of anything granted before, then a
// renewal, then the method.
func kindOf(r *Receipt) EventKind {
	if r.Method == MethodGPC || len(r.GPCApplied) > 0 {
		return KindGPC
	}
	if r.Method == MethodOptOut {
		return KindOptOut
	}
	for _, p := range r.Previous {
		if p.Choice != Granted {
			continue
		}
		for _, c := range r.Choices {
			if c.Category == p.Category && c.Choice != Granted {
				return KindWithdrawal
			}
		}
	}
	if r.Renewal {
		return KindRenewal
	}
	switch r.Method {
	case MethodBanner:
		return KindBanner
	case MethodAPI:
		return KindAPI
	}
	return KindOther
}

// cleanPage makes a request path fit a record: valid UTF-8 without control
// characters, at most maxRecordPage bytes.
func cleanPage(p string) string {
	p = strings.ToValidUTF8(p, "\uFFFD")
	if strings.IndexFunc(p, isControl) >= 0 {
		p = strings.Map(func(r rune) rune {
			if isControl(r) {
				return '\uFFFD'
			}
			return r
		}, p)
	}
	if len(p) > maxRecordPage {
		n := maxRecordPage
		for n > 0 && !utf8.RuneStart(p[n]) {
			n--
		}
		p = p[:n]
	}
	return p
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// RecordDigest computes r's Digest: the hex SHA-256 of a length-framed
// encoding of every field but Digest itself, so that no change to a field,
// and no move of bytes between two fields, keeps it.
func RecordDigest(r *Record) string {
	// Framed into one buffer and hashed at once: writing each field to a
	// hash.Hash copied it to the heap, and Verify and every write link
	// every record.
	var buf [1024]byte
	var num [24]byte
	b := append(buf[:0], "crumb-record-v1\x00"...)
	b = appendFrame(b, r.ID)
	b = appendFrame(b, r.ConsentID)
	b = appendFrame(b, string(r.Kind))
	b = appendFrame(b, strconv.AppendInt(num[:0], r.Time.Unix(), 10))
	b = appendFrame(b, strconv.AppendUint(num[:0], uint64(r.Revision), 10))
	b = appendFrame(b, r.TextDigest)
	b = appendFrame(b, r.BannerHash)
	b = appendFrame(b, r.Method)
	b = appendFrame(b, strconv.AppendBool(num[:0], r.GPC))
	b = appendFrame(b, strconv.AppendBool(num[:0], r.DNT))
	b = appendFrame(b, r.Language)
	b = appendFrame(b, r.Page)
	b = appendFrame(b, r.Chain)
	b = appendFrame(b, strconv.AppendUint(num[:0], r.Seq, 10))
	b = appendFrame(b, r.Prev)
	b = appendFrame(b, strconv.AppendInt(num[:0], int64(len(r.Choices)), 10))
	for _, c := range r.Choices {
		b = appendFrame(b, c.Category)
		b = appendFrame(b, c.Choice)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// appendFrame appends s to b after its length, as a uvarint.
func appendFrame[S ~string | ~[]byte](b []byte, s S) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// chain links records in the order a writer appends them.
type chain struct {
	id   string
	seq  uint64
	prev string
}

func newChain() (*chain, error) {
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, err
	}
	return &chain{id: hex.EncodeToString(id[:])}, nil
}

// link makes r the next record of the chain.
func (c *chain) link(r *Record) {
	c.seq++
	r.Chain, r.Seq, r.Prev = c.id, c.seq, c.prev
	r.Digest = RecordDigest(r)
	c.prev = r.Digest
}
