package consent

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"hash"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/securecookie"
)

// maxCookieValue bounds the consent cookie value we try to decode. A valid
// one is under 200 bytes; anything far larger is junk or an attack.
const maxCookieValue = 512

// clockSkew is how far in the future an issued-at may lie before the cookie
// counts as invalid: servers behind one load balancer disagree a little.
const clockSkew = 5 * time.Minute

// newCodecs builds one securecookie codec per key, newest first, with the
// compact serializer. securecookie's own timestamp check is set a day past
// the decision lifetime, as a backstop to the issued-at check in the
// payload, which follows the injectable clock.
func newCodecs(keys []Key, lifetime time.Duration) ([]*securecookie.SecureCookie, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("consent: Config.Keys is empty: at least one signing key is required")
	}
	out := make([]*securecookie.SecureCookie, len(keys))
	for i, k := range keys {
		if len(k.Hash) < 32 {
			return nil, fmt.Errorf("consent: key %d: hash key has %d bytes, at least 32 are required", i, len(k.Hash))
		}
		if k.Block != nil {
			if _, err := aes.NewCipher(k.Block); err != nil {
				return nil, fmt.Errorf("consent: key %d: block key must have 16, 24 or 32 bytes, has %d", i, len(k.Block))
			}
		}
		sc := securecookie.New(k.Hash, k.Block)
		sc.SetSerializer(serializer{})
		sc.MaxAge(int((lifetime + 24*time.Hour) / time.Second))
		sc.MaxLength(maxCookieValue)
		out[i] = sc
	}
	return out, nil
}

// InvalidReason says why a consent cookie did not count.
type InvalidReason uint8

// The reasons. Each one leaves the visitor undecided.
const (
	ReasonMissing   InvalidReason = iota // no consent cookie (only reported to a Hooks.InvalidConsent set by the application)
	ReasonDuplicate                      // more than one consent cookie
	ReasonOversized                      // value too long to be ours
	ReasonTampered                       // bad signature, wrong key, bad encoding or bad payload
	ReasonExpired                        // the decision is older than Config.Lifetime
	ReasonFuture                         // issued in the future
	ReasonRevision                       // made under an older policy revision
	ReasonPolicy                         // made under another regime policy (the visitor moved, or the policy changed)
)

func (r InvalidReason) String() string {
	switch r {
	case ReasonMissing:
		return "missing"
	case ReasonDuplicate:
		return "duplicate"
	case ReasonOversized:
		return "oversized"
	case ReasonTampered:
		return "tampered"
	case ReasonExpired:
		return "expired"
	case ReasonFuture:
		return "future"
	case ReasonRevision:
		return "revision"
	case ReasonPolicy:
		return "policy"
	}
	return "unknown"
}

// findCookie scans the request's Cookie header lines for name without
// allocating. It returns the value and how many times the name occurred.
func findCookie(lines []string, name string) (value string, count int) {
	for _, line := range lines {
		for line != "" {
			var part string
			part, line, _ = strings.Cut(line, ";")
			part = strings.TrimSpace(part)
			k, v, ok := strings.Cut(part, "=")
			if !ok || k != name {
				continue
			}
			count++
			value = v
		}
	}
	if len(value) > 1 && value[0] == '"' && value[len(value)-1] == '"' {
		value = value[1 : len(value)-1]
	}
	return value, count
}

// canonicalBase64 reports whether v is padded URL-safe base64 whose last
// character has no stray low bits, the only spelling securecookie writes.
func canonicalBase64(v string) bool {
	if len(v) == 0 || len(v)%4 != 0 {
		return false
	}
	pad := 0
	for pad < 2 && v[len(v)-1-pad] == '=' {
		pad++
	}
	if pad == 0 {
		return true
	}
	c := v[len(v)-1-pad]
	var x byte
	switch {
	case c >= 'A' && c <= 'Z':
		x = c - 'A'
	case c >= 'a' && c <= 'z':
		x = c - 'a' + 26
	case c >= '0' && c <= '9':
		x = c - '0' + 52
	case c == '-':
		x = 62
	case c == '_':
		x = 63
	default:
		return false
	}
	if pad == 1 {
		return x&3 == 0
	}
	return x&15 == 0
}

// readState decodes the consent cookie of h. It never fails: whatever is
// wrong leaves the State undecided, and the reason is returned with ok
// false. oldKey reports a valid cookie signed with a retired key.
func (m *Manager) readState(h http.Header, sig Signals, now time.Time) (st State, reason InvalidReason, ok, oldKey bool) {
	pol := 0
	if len(m.policies) > 1 {
		pol = m.policyOf(&http.Request{Header: h})
	}
	return m.readCookie(h["Cookie"], sig, pol, now)
}

// readCookie is readState given the Cookie header lines and the index of
// the request's policy.
func (m *Manager) readCookie(lines []string, sig Signals, pol int, now time.Time) (st State, reason InvalidReason, ok, oldKey bool) {
	st = State{m: m, signals: sig, pol: uint8(pol)}
	value, n := findCookie(lines, m.cookieName)
	switch {
	case n == 0:
		return st, ReasonMissing, false, false
	case n > 1:
		return st, ReasonDuplicate, false, false
	case len(value) > maxCookieValue:
		return st, ReasonOversized, false, false
	}
	if !canonicalBase64(value) {
		// securecookie's decoder ignores the unused low bits of the last
		// character, so two spellings would carry one signature.
		return st, ReasonTampered, false, false
	}
	d := decodeTarget{intern: m.lang}
	key := m.keys.decode(m.cookieName, value, &d)
	if key < 0 {
		return st, ReasonTampered, false, false
	}
	st.rec = d.rec.record
	st.fill(&d.rec)
	secs := now.Unix()
	switch {
	case d.rec.issued > secs+int64(clockSkew/time.Second):
		return st, ReasonFuture, false, false
	case secs-d.rec.last >= int64(m.lifetime/time.Second):
		return st, ReasonExpired, false, false
	case d.rec.revision != m.revision:
		return st, ReasonRevision, false, false
	case d.rec.policy != m.policies[pol].fingerprint:
		return st, ReasonPolicy, false, false
	}
	st.valid = true
	return st, 0, true, key > 0
}

// fill resolves the cookie's category tags to the configured categories;
// a category the cookie does not name stays Undecided.
func (s *State) fill(w *wireRecord) {
	for i := 1; i < len(s.m.cats); i++ {
		tag := s.m.cats[i].tag
		for _, c := range w.cats[:w.n] {
			if c>>2 == tag {
				s.choices[i] = Choice(c & 3)
				break
			}
		}
	}
}

// encodeState returns the consent cookie for st, valid for the rest of the
// decision's lifetime.
func (m *Manager) encodeState(st *State, now time.Time) (*http.Cookie, error) {
	st.rec.issued = now.Unix()
	w := &wireRecord{record: st.rec}
	for i := 1; i < len(m.cats); i++ {
		if st.choices[i] == Undecided {
			continue
		}
		w.cats[w.n] = m.cats[i].tag<<2 | uint32(st.choices[i])
		w.n++
	}
	v, err := m.codecs[0].Encode(m.cookieName, w)
	if err != nil {
		return nil, fmt.Errorf("consent: encoding the consent cookie: %w", err)
	}
	left := m.lifetime - now.Sub(time.Unix(st.rec.last, 0))
	if left < time.Second {
		left = time.Second
	}
	return &http.Cookie{
		Name:     m.cookieName,
		Value:    v,
		Path:     "/",
		MaxAge:   int(left / time.Second),
		Secure:   !m.insecure,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}, nil
}

// keyring reads consent cookies in the format securecookie writes, without
// securecookie's dozen allocations per Decode: securecookie still encodes
// every cookie, and decodes where no keyring is wired in. The format:
//
//	value   = base64url(date "|" payload "|" mac)
//	payload = base64url([IV] record), the record AES-CTR encrypted under
//	          a 16-byte IV when the key has a Block
//	mac     = HMAC-SHA256(Hash, name "|" date "|" payload)
//
// where date is securecookie's Unix time in decimal. A keyring accepts
// exactly what securecookie's Decode accepts, key by key, newest first;
// the tests hold it to that.
type keyring struct {
	keys   []ringKey
	maxAge int64            // seconds, as given to securecookie's MaxAge
	clock  func() time.Time // securecookie's date check follows the real clock, not Config.Now
	cache  *cookieCache     // values verified before (cookie_cache.go)
}

type ringKey struct {
	block cipher.Block // nil when the cookie is only signed
	macs  sync.Pool    // *macState with the key's HMAC
}

// macState is the scratch space of one verification, pooled per key. A
// plaintext handed to a cipher.Block escapes, so it lives here too.
type macState struct {
	h     hash.Hash
	sum   [sha256.Size]byte
	in    [maxCookieValue + 64]byte // name "|" date "|" payload
	plain [ringScratch]byte
}

// ringScratch is the most a valid value decodes to.
const ringScratch = maxCookieValue / 4 * 3

func newKeyring(keys []Key, lifetime time.Duration) (*keyring, error) {
	kr := &keyring{keys: make([]ringKey, len(keys)), maxAge: int64((lifetime + 24*time.Hour) / time.Second),
		clock: time.Now, cache: newCookieCache(cookieCacheSlots)}
	for i, k := range keys {
		if len(k.Hash) < 32 {
			return nil, fmt.Errorf("consent: key %d: hash key has %d bytes, at least 32 are required", i, len(k.Hash))
		}
		if k.Block != nil {
			b, err := aes.NewCipher(k.Block)
			if err != nil {
				return nil, fmt.Errorf("consent: key %d: block key must have 16, 24 or 32 bytes, has %d", i, len(k.Block))
			}
			kr.keys[i].block = b
		}
		hashKey := bytes.Clone(k.Hash)
		kr.keys[i].macs.New = func() any { return &macState{h: hmac.New(sha256.New, hashKey)} }
	}
	return kr, nil
}

// verify verifies value as the cookie called name and decodes its record
// into d. It returns the index of the key that verified it, or -1.
func (kr *keyring) verify(name, value string, d *decodeTarget) int {
	k, _ := kr.verifyDated(name, value, d)
	return k
}

// verifyDated is verify, also returning securecookie's date of the value.
func (kr *keyring) verifyDated(name, value string, d *decodeTarget) (key int, date int64) {
	if len(value) > maxCookieValue {
		return -1, 0
	}
	var src [maxCookieValue]byte
	var raw [ringScratch]byte
	n, err := base64.URLEncoding.Decode(raw[:], src[:copy(src[:], value)])
	if err != nil {
		return -1, 0
	}
	b := raw[:n]
	i := bytes.IndexByte(b, '|')
	if i < 0 {
		return -1, 0
	}
	j := bytes.IndexByte(b[i+1:], '|')
	if j < 0 {
		return -1, 0
	}
	j += i + 1
	// securecookie checks the date after the MAC, key by key; the verdict
	// is the same when it is read once, first, as it names no key.
	t, ok := parseDate(b[:i])
	if !ok || !kr.fresh(t) {
		return -1, 0
	}
	for k := range kr.keys {
		if kr.try(k, name, b[:j], b[i+1:j], b[j+1:], d) {
			return k, t
		}
	}
	return -1, 0
}

// try checks the value's parts with key k as securecookie's Decode does
// after the date: the MAC over name "|" signed, then decryption and
// decoding of the payload.
func (kr *keyring) try(k int, name string, signed, payload, mac []byte, d *decodeTarget) bool {
	if len(mac) != sha256.Size {
		return false
	}
	rk := &kr.keys[k]
	ms := rk.macs.Get().(*macState)
	defer rk.macs.Put(ms)
	// A very long cookie name spills to the heap; ours fit.
	in := append(append(append(ms.in[:0], name...), '|'), signed...)
	ms.h.Reset()
	ms.h.Write(in)
	if subtle.ConstantTimeCompare(ms.h.Sum(ms.sum[:0]), mac) != 1 {
		return false
	}
	n, err := base64.URLEncoding.Decode(ms.plain[:], payload)
	if err != nil {
		return false
	}
	p := ms.plain[:n]
	if rk.block != nil {
		size := rk.block.BlockSize()
		if len(p) <= size {
			return false
		}
		cipher.NewCTR(rk.block, p[:size]).XORKeyStream(p[size:], p[size:])
		p = p[size:]
	}
	return decodeRecord(p, &d.rec, d.intern) == nil
}

// parseDate reads a decimal int64 as strconv.ParseInt(s, 10, 64) does,
// sign included, without converting to a string.
func parseDate(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	var u uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		if u > (1<<63)/10 {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
		if u > 1<<63 {
			return 0, false
		}
	}
	if !neg && u > 1<<63-1 {
		return 0, false
	}
	if neg {
		return -int64(u), true // -1<<63 wraps to itself, as intended
	}
	return int64(u), true
}
