package banner

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"

	"golang.org/x/text/language"
)

// textDigest hashes what a visitor reads before deciding in one language:
// the banner and the preferences page, as rendered for that language,
// without their per-request parts (return path, nonce, checked switches).
// Each page is framed by its name and length, so that no text can move
// from one page to the other and keep the digest.
func textDigest(l *localized) string {
	h := sha256.New()
	h.Write([]byte("crumb-text-v1\x00"))
	for _, p := range []struct {
		name string
		pg   page
	}{{"banner", l.banner}, {"preferences", l.prefs}} {
		writeFramed(h, p.name)
		n := 0
		for _, seg := range p.pg {
			n += len(seg.static)
		}
		var b [binary.MaxVarintLen64]byte
		h.Write(b[:binary.PutUvarint(b[:], uint64(n))])
		for _, seg := range p.pg {
			h.Write([]byte(seg.static))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeFramed(h hash.Hash, s string) {
	var b [binary.MaxVarintLen64]byte
	h.Write(b[:binary.PutUvarint(b[:], uint64(len(s)))])
	h.Write([]byte(s))
}

// TextDigest identifies the banner and preferences text shown in a
// language (matched to the closest served one): the hex SHA-256 of both
// pages' static markup, computed once per language when the Renderer is
// built. Consent records carry it as proof of what was on screen.
func (r *Renderer) TextDigest(lang language.Tag) string {
	return r.lookup(lang).textDigest
}
