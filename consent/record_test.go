package consent_test

import (
	"errors"
	"testing"

	"github.com/crumbhq/crumb/consent"
	"github.com/crumbhq/crumb/consent/storetest"
	"github.com/google/go-cmp/cmp"
)

func problems(err error) []consent.ChainProblem {
	var ve *consent.VerifyError
	if errors.As(err, &ve) {
		return ve.Problems
	}
	return nil
}

func TestVerify(t *testing.T) {
	fresh := func() []consent.Record { return storetest.Records(6, storetest.NewID(), storetest.NewID()) }
	for _, tc := range []struct {
		name string
		edit func([]consent.Record) []consent.Record
		want func([]consent.Record) []consent.ChainProblem
	}{
		{"intact", func(rs []consent.Record) []consent.Record { return rs }, nil},
		{"shuffled", func(rs []consent.Record) []consent.Record {
			rs[0], rs[5] = rs[5], rs[0]
			return rs
		}, nil},
		{"purged start", func(rs []consent.Record) []consent.Record { return rs[2:] }, nil},
		{"edited choice", func(rs []consent.Record) []consent.Record {
			rs[2].Choices[1].Choice = "granted"
			rs[2].Choices[2].Choice = "granted"
			return rs
		}, func(rs []consent.Record) []consent.ChainProblem {
			return []consent.ChainProblem{{Chain: rs[2].Chain, Seq: 3, RecordID: rs[2].ID, Problem: consent.ProblemEdited}}
		}},
		{"edited time", func(rs []consent.Record) []consent.Record {
			rs[4].Time = rs[4].Time.Add(-24 * 3600e9)
			return rs
		}, func(rs []consent.Record) []consent.ChainProblem {
			return []consent.ChainProblem{{Chain: rs[4].Chain, Seq: 5, RecordID: rs[4].ID, Problem: consent.ProblemEdited}}
		}},
		{"edited and re-hashed", func(rs []consent.Record) []consent.Record {
			// Whoever edits a record and recomputes its digest breaks the
			// link from the next one.
			rs[1].Page = "/elsewhere"
			rs[1].Digest = consent.RecordDigest(&rs[1])
			return rs
		}, func(rs []consent.Record) []consent.ChainProblem {
			return []consent.ChainProblem{{Chain: rs[1].Chain, Seq: 3, RecordID: rs[2].ID, Problem: consent.ProblemUnlinked}}
		}},
		{"deleted", func(rs []consent.Record) []consent.Record {
			return append(rs[:3:3], rs[4:]...)
		}, func(rs []consent.Record) []consent.ChainProblem {
			return []consent.ChainProblem{{Chain: rs[0].Chain, Seq: 4, Problem: consent.ProblemMissing}}
		}},
		{"deleted and renumbered", func(rs []consent.Record) []consent.Record {
			out := append(rs[:3:3], rs[4:]...)
			for i := 3; i < len(out); i++ {
				out[i].Seq--
				out[i].Digest = consent.RecordDigest(&out[i])
			}
			return out
		}, func(rs []consent.Record) []consent.ChainProblem {
			// Record 4 (once 5) points at the deleted record's digest, and
			// record 5 at the digest record 4 had before it was re-hashed.
			return []consent.ChainProblem{{Chain: rs[0].Chain, Seq: 4, RecordID: rs[4].ID, Problem: consent.ProblemUnlinked},
				{Chain: rs[0].Chain, Seq: 5, RecordID: rs[5].ID, Problem: consent.ProblemUnlinked}}
		}},
		{"duplicated", func(rs []consent.Record) []consent.Record {
			return append(rs, rs[3])
		}, func(rs []consent.Record) []consent.ChainProblem {
			return []consent.ChainProblem{{Chain: rs[3].Chain, Seq: 4, RecordID: rs[3].ID, Problem: consent.ProblemDuplicate}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orig := fresh()
			rs := tc.edit(append([]consent.Record(nil), orig...))
			var want []consent.ChainProblem
			if tc.want != nil {
				want = tc.want(orig)
			}
			if diff := cmp.Diff(want, problems(consent.Verify(rs))); diff != "" {
				t.Errorf("Verify problems (-want +got):\n%s", diff)
			}
		})
	}
}
