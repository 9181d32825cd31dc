package consent

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ChainProblem is one finding of Verify.
type ChainProblem struct {
	Chain    string
	Seq      uint64 // the record found wrong, or the first one missing
	RecordID string // "" for a missing record
	Problem  ProblemKind
}

func (p ChainProblem) String() string {
	if p.Problem == ProblemMissing {
		return fmt.Sprintf("chain %s: record %d missing", p.Chain, p.Seq)
	}
	return fmt.Sprintf("chain %s: record %d (%s) %s", p.Chain, p.Seq, p.RecordID, p.Problem)
}

// ProblemKind is what Verify found wrong.
type ProblemKind uint8

// The problems.
const (
	// ProblemEdited: the record's fields no longer hash to its Digest.
	ProblemEdited ProblemKind = iota + 1
	// ProblemMissing: records between two kept ones are gone (Seq skips,
	// or Prev names a digest no kept record has).
	ProblemMissing
	// ProblemDuplicate: two records claim one place in a chain.
	ProblemDuplicate
	// ProblemUnlinked: the record's Prev is not the Digest of the record
	// numbered before it: that one was replaced or re-hashed, or records
	// were deleted and the rest renumbered.
	ProblemUnlinked
)

func (k ProblemKind) String() string {
	switch k {
	case ProblemEdited:
		return "edited"
	case ProblemMissing:
		return "missing"
	case ProblemDuplicate:
		return "duplicate"
	case ProblemUnlinked:
		return "not linked to the record before"
	}
	return "unknown"
}

// VerifyError lists what Verify found.
type VerifyError struct{ Problems []ChainProblem }

func (e *VerifyError) Error() string {
	parts := make([]string, 0, min(len(e.Problems), 5))
	for i, p := range e.Problems {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(e.Problems)-5))
			break
		}
		parts = append(parts, p.String())
	}
	return "consent: hash chain broken: " + strings.Join(parts, "; ")
}

// Verify checks the hash chains of records, such as a Store's Export: each
// record must hash to its Digest, and within a chain each must follow the
// one before (Seq one higher, Prev its Digest). It returns a *VerifyError
// listing every edited, missing, duplicated or unlinked record, or nil.
//
// The earliest record kept of each chain is taken as its start, since
// retention (Store.Purge) removes a chain's oldest records; and a chain's
// newest records can be removed without trace unless its last Digest is
// known from elsewhere (Queue.Close logs it). Records of a look-up by
// consent ID are a few of a chain's links: check each with RecordDigest.
func Verify(records []Record) error {
	byChain := map[string][]*Record{}
	for i := range records {
		r := &records[i]
		byChain[r.Chain] = append(byChain[r.Chain], r)
	}
	var probs []ChainProblem
	for _, id := range slices.Sorted(maps.Keys(byChain)) {
		rs := byChain[id]
		slices.SortStableFunc(rs, func(a, b *Record) int { return cmp.Compare(a.Seq, b.Seq) })
		for i, r := range rs {
			if RecordDigest(r) != r.Digest {
				probs = append(probs, ChainProblem{id, r.Seq, r.ID, ProblemEdited})
			}
			if i == 0 {
				continue
			}
			p := rs[i-1]
			switch {
			case r.Seq == p.Seq:
				probs = append(probs, ChainProblem{id, r.Seq, r.ID, ProblemDuplicate})
			case r.Seq != p.Seq+1:
				probs = append(probs, ChainProblem{id, p.Seq + 1, "", ProblemMissing})
			case r.Prev != p.Digest:
				probs = append(probs, ChainProblem{id, r.Seq, r.ID, ProblemUnlinked})
			}
		}
	}
	if len(probs) == 0 {
		return nil
	}
	return &VerifyError{probs}
}
