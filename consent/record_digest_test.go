package consent

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRecordDigestFraming pins RecordDigest to its framing, written here
// the plain way (each field's length as a uvarint, then the field, into a
// SHA-256), so that stored digests keep verifying whatever the code that
// computes them becomes.
func TestRecordDigestFraming(t *testing.T) {
	plain := func(r *Record) string {
		h := sha256.New()
		h.Write([]byte("crumb-record-v1\x00"))
		frame := func(s string) {
			h.Write(binary.AppendUvarint(nil, uint64(len(s))))
			h.Write([]byte(s))
		}
		for _, s := range []string{r.ID, r.ConsentID, string(r.Kind),
			strconv.FormatInt(r.Time.Unix(), 10), strconv.FormatUint(uint64(r.Revision), 10),
			r.TextDigest, r.BannerHash, r.Method, strconv.FormatBool(r.GPC), strconv.FormatBool(r.DNT),
			r.Language, r.Page, r.Chain, strconv.FormatUint(r.Seq, 10), r.Prev} {
			frame(s)
		}
		frame(strconv.Itoa(len(r.Choices)))
		for _, c := range r.Choices {
			frame(c.Category)
			frame(c.Choice)
		}
		return hex.EncodeToString(h.Sum(nil))
	}
	full := Record{ID: "0123456789abcdef0123456789abcdef", ConsentID: "fedcba9876543210fedcba9876543210",
		Kind: KindBanner, Time: time.Unix(1764000000, 0), Revision: 3, TextDigest: strings.Repeat("a", 64),
		BannerHash: "6271a242830cd18b", Method: "banner", GPC: true, Language: "de", Page: "/shop?x=ü",
		Chain: "c0ffee", Seq: 1 << 40, Prev: strings.Repeat("b", 64),
		Choices: []RecordChoice{{"necessary", "granted"}, {"analytics", "refused"}}}
	long := full
	long.Page = "/" + strings.Repeat("p", maxRecordPage-1) // past the stack buffer
	for _, r := range []*Record{&full, {}, &long} {
		if got, want := RecordDigest(r), plain(r); got != want {
			t.Errorf("RecordDigest(%+v) = %s, framing says %s", r, got, want)
		}
	}
}
