package consent

import (
	"crypto/aes"
	"fmt"
	"net/http"
	"strings"
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
	}
	return "unknown"
}

// findCookie scans the request's Cookie headers for name without
// allocating. It returns the value and how many times the name occurred.
func findCookie(h http.Header, name string) (value string, count int) {
	for _, line := range h["Cookie"] {
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
	st = State{m: m, signals: sig}
	value, n := findCookie(h, m.cookieName)
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
	key := -1
	for i, c := range m.codecs {
		if c.Decode(m.cookieName, value, &d) == nil {
			key = i
			break
		}
	}
	if key < 0 {
		return st, ReasonTampered, false, false
	}
	st.rec = d.rec
	st.fill()
	secs := now.Unix()
	switch {
	case d.rec.issued > secs+int64(clockSkew/time.Second):
		return st, ReasonFuture, false, false
	case secs-d.rec.last >= int64(m.lifetime/time.Second):
		return st, ReasonExpired, false, false
	case d.rec.revision != m.revision:
		return st, ReasonRevision, false, false
	}
	st.valid = true
	return st, 0, true, key > 0
}

// fill resolves the record's category tags to the configured categories;
// a category the record does not name stays Undecided.
func (s *State) fill() {
	for i := 1; i < len(s.m.cats); i++ {
		tag := s.m.cats[i].tag
		for _, c := range s.rec.cats[:s.rec.n] {
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
	st.rec.n = 0
	for i := 1; i < len(m.cats); i++ {
		if st.choices[i] == Undecided {
			continue
		}
		st.rec.cats[st.rec.n] = m.cats[i].tag<<2 | uint32(st.choices[i])
		st.rec.n++
	}
	st.rec.issued = now.Unix()
	v, err := m.codecs[0].Encode(m.cookieName, &st.rec)
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
