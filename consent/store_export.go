package consent

import (
	"strconv"
	"time"
)

// VisitorExport is one visitor's records shaped after the consent record
// of ISO/IEC TS 27560 (as the W3C DPV community's JSON profile names its
// fields): the PII principal (the visitor, known only by the consent
// ID), the notices they were shown, the purposes (categories) with their
// latest status, and every consent event with its proof. It answers an
// access request (Art. 15 GDPR) and is what an auditor asks for under
// Art. 7(1).
type VisitorExport struct {
	SchemaVersion  string          `json:"schema_version"`
	GeneratedAt    time.Time       `json:"generated_at"`
	PIIPrincipalID string          `json:"pii_principal_id"` // the consent ID
	PIIController  string          `json:"pii_controller,omitempty"`
	ConsentStatus  string          `json:"consent_status"` // of the latest event: given, refused, withdrawn, none
	Notices        []ExportNotice  `json:"notices"`
	Purposes       []ExportPurpose `json:"purposes"`
	Events         []ExportEvent   `json:"events"`
}

// ExportNotice is a text the visitor was shown: a policy revision and the
// digest of the banner and preferences text in one language.
type ExportNotice struct {
	NoticeID   string `json:"notice_id"` // "rev<revision>/<language>/<digest prefix>"
	Revision   uint32 `json:"revision"`
	Language   string `json:"notice_language"`
	TextDigest string `json:"notice_text_sha256,omitempty"`
	BannerHash string `json:"banner_sha256,omitempty"`
}

// ExportPurpose is one category and its status after the latest event.
type ExportPurpose struct {
	Purpose string `json:"purpose"`
	Status  string `json:"consent_status"` // granted, refused, undecided
}

// ExportEvent is one Record.
type ExportEvent struct {
	RecordID    string          `json:"record_id"`
	Type        EventKind       `json:"event_type"`
	Time        time.Time       `json:"event_timestamp"`
	Method      string          `json:"consent_method"`
	NoticeID    string          `json:"notice_id"`
	Purposes    []ExportPurpose `json:"purposes"`
	GPC         bool            `json:"signal_gpc"`
	DNT         bool            `json:"signal_dnt"`
	Page        string          `json:"collection_page"`
	Chain       string          `json:"chain"`
	Seq         uint64          `json:"chain_seq"`
	Prev        string          `json:"chain_prev"`
	Digest      string          `json:"record_sha256"`
	DigestValid bool            `json:"record_sha256_valid"`
}

// ExportSchemaVersion names the shape of VisitorExport.
const ExportSchemaVersion = "crumb-27560/1"

// ExportVisitor builds the export of one visitor's records (a Store's
// Lookup), checking each record's digest. controller names the site's
// operator and may be "".
func ExportVisitor(consentID, controller string, records []Record, now time.Time) VisitorExport {
	e := VisitorExport{SchemaVersion: ExportSchemaVersion, GeneratedAt: now.UTC().Truncate(time.Second),
		PIIPrincipalID: consentID, PIIController: controller, ConsentStatus: "none",
		Notices: []ExportNotice{}, Purposes: []ExportPurpose{}, Events: []ExportEvent{}}
	seen := map[string]bool{}
	for i := range records {
		r := &records[i]
		n := noticeOf(r)
		if !seen[n.NoticeID] {
			seen[n.NoticeID] = true
			e.Notices = append(e.Notices, n)
		}
		ev := ExportEvent{RecordID: r.ID, Type: r.Kind, Time: r.Time.UTC(), Method: r.Method, NoticeID: n.NoticeID,
			GPC: r.GPC, DNT: r.DNT, Page: r.Page, Chain: r.Chain, Seq: r.Seq, Prev: r.Prev, Digest: r.Digest,
			DigestValid: RecordDigest(r) == r.Digest, Purposes: purposesOf(r)}
		e.Events = append(e.Events, ev)
	}
	if len(records) > 0 {
		last := &records[len(records)-1]
		e.Purposes = purposesOf(last)
		e.ConsentStatus = statusOf(last)
	}
	return e
}

func noticeOf(r *Record) ExportNotice {
	d := r.TextDigest
	if d == "" {
		d = "none"
	} else if len(d) > 16 {
		d = d[:16]
	}
	lang := r.Language
	return ExportNotice{NoticeID: "rev" + strconv.FormatUint(uint64(r.Revision), 10) + "/" + lang + "/" + d, Revision: r.Revision,
		Language: lang, TextDigest: r.TextDigest, BannerHash: r.BannerHash}
}

func purposesOf(r *Record) []ExportPurpose {
	out := make([]ExportPurpose, len(r.Choices))
	for i, c := range r.Choices {
		out[i] = ExportPurpose{c.Category, c.Choice}
	}
	return out
}

// statusOf sums a record up: withdrawn after a withdrawal, given when any
// optional category is granted, refused otherwise.
func statusOf(r *Record) string {
	if r.Kind == KindWithdrawal {
		return "withdrawn"
	}
	for _, c := range r.Choices {
		if c.Category != NecessaryName && c.Choice == "granted" {
			return "given"
		}
	}
	return "refused"
}
