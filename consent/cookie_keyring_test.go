package consent

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/securecookie"
)

// keyringFixture is a keyring and the securecookie codecs of the same keys:
// a key that only signs, one that also encrypts, and one that shares the
// first key's Hash with another Block (the MAC verifies, decryption must
// then fail and the next key be tried).
type keyringFixture struct {
	kr     *keyring
	codecs []*securecookie.SecureCookie
	values []string // valid values, one per key
}

func newKeyringFixture(t testing.TB) keyringFixture {
	t.Helper()
	keys := []Key{{Hash: hashKey1, Block: blockKey1}, {Hash: hashKey2}, {Hash: hashKey1, Block: hashKey2[:16]}}
	kr, err := newKeyring(keys, DefaultLifetime)
	if err != nil {
		t.Fatal(err)
	}
	codecs, err := newCodecs(keys, DefaultLifetime)
	if err != nil {
		t.Fatal(err)
	}
	f := keyringFixture{kr: kr, codecs: codecs}
	rec := wireRecord{record: record{id: [16]byte{7}, first: codecEpoch + 10, last: codecEpoch + 20, issued: codecEpoch + 30,
		revision: 3, method: MethodBanner, lang: "de"}, n: 1, cats: [maxCategories]uint32{nameTag("analytics")<<2 | 1}}
	for _, c := range codecs {
		v, err := c.Encode(DefaultCookieName, &rec)
		if err != nil {
			t.Fatal(err)
		}
		f.values = append(f.values, v)
	}
	return f
}

// viaSecurecookie is the reference: securecookie's Decode, key by key.
func (f keyringFixture) viaSecurecookie(name, value string) (int, wireRecord) {
	for i, c := range f.codecs {
		d := decodeTarget{intern: "de"}
		if c.Decode(name, value, &d) == nil {
			return i, d.rec
		}
	}
	return -1, wireRecord{}
}

func (f keyringFixture) viaKeyring(name, value string) (int, wireRecord) {
	d := decodeTarget{intern: "de"}
	k := f.kr.decode(name, value, &d)
	if k < 0 {
		return -1, wireRecord{}
	}
	return k, d.rec
}

func (f keyringFixture) check(t testing.TB, name, value string) int {
	t.Helper()
	wantKey, wantRec := f.viaSecurecookie(name, value)
	var gotKey int
	for _, pass := range []string{"first read", "second read (cached if valid)"} {
		var gotRec wireRecord
		gotKey, gotRec = f.viaKeyring(name, value)
		if wantKey != gotKey {
			t.Fatalf("value %q, %s: keyring key %d, securecookie key %d", value, pass, gotKey, wantKey)
		}
		if diff := cmp.Diff(wantRec, gotRec, cmp.AllowUnexported(wireRecord{}, record{})); diff != "" {
			t.Fatalf("value %q, %s: record (-securecookie +keyring):\n%s", value, pass, diff)
		}
	}
	return gotKey
}

// resign builds a value from parts with a correct MAC under hash key h, so
// that the checks after the MAC are reached.
func resign(name, date, payload string, h []byte) string {
	mac := hmacSHA256(h, name+"|"+date+"|"+payload)
	return base64.URLEncoding.EncodeToString([]byte(date + "|" + payload + "|" + string(mac)))
}

func TestKeyringMatchesSecurecookie(t *testing.T) {
	f := newKeyringFixture(t)
	now := strconv.FormatInt(time.Now().Unix(), 10)
	okPayload := func() string {
		b, _ := appendRecord(nil, &wireRecord{record: record{first: codecEpoch, last: codecEpoch, issued: codecEpoch, method: MethodAPI}})
		return base64.URLEncoding.EncodeToString(b)
	}()
	tests := []struct {
		name, cookie, value string
		wantKey             int
	}{
		{"newest key, encrypted", DefaultCookieName, f.values[0], 0},
		{"older key, signed only", DefaultCookieName, f.values[1], 1},
		{"same Hash, other Block", DefaultCookieName, f.values[2], 2},
		{"other cookie name", "other", f.values[1], -1},
		{"truncated", DefaultCookieName, f.values[1][:len(f.values[1])-4], -1},
		{"not base64", DefaultCookieName, "!!!!", -1},
		{"empty", DefaultCookieName, "", -1},
		{"one bar", DefaultCookieName, base64.URLEncoding.EncodeToString([]byte("1|x")), -1},
		{"signed, plain record", DefaultCookieName, resign(DefaultCookieName, now, okPayload, hashKey2), 1},
		{"signed, sign in date", DefaultCookieName, resign(DefaultCookieName, "+"+now, okPayload, hashKey2), 1},
		{"signed, expired date", DefaultCookieName, resign(DefaultCookieName, "1000", okPayload, hashKey2), -1},
		{"signed, negative date", DefaultCookieName, resign(DefaultCookieName, "-5", okPayload, hashKey2), -1},
		{"signed, date overflow", DefaultCookieName, resign(DefaultCookieName, "99999999999999999999", okPayload, hashKey2), -1},
		{"signed, date junk", DefaultCookieName, resign(DefaultCookieName, "12a", okPayload, hashKey2), -1},
		{"signed, empty date", DefaultCookieName, resign(DefaultCookieName, "", okPayload, hashKey2), -1},
		{"signed, bad payload base64", DefaultCookieName, resign(DefaultCookieName, now, "***", hashKey2), -1},
		{"signed, bad record", DefaultCookieName, resign(DefaultCookieName, now, "AAAA", hashKey2), -1},
		{"signed, bar in MAC position", DefaultCookieName, resign(DefaultCookieName, now, okPayload+"|x", hashKey2), -1},
		{"key 0 MAC, payload too short to decrypt", DefaultCookieName, resign(DefaultCookieName, now, "AAAA", hashKey1), -1},
		{"long cookie name", strings.Repeat("n", 200), resign(strings.Repeat("n", 200), now, okPayload, hashKey2), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.check(t, tt.cookie, tt.value); got != tt.wantKey {
				t.Errorf("key = %d, want %d", got, tt.wantKey)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	for _, s := range []string{"0", "17", "+17", "-17", "007", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "", "+", "-", "1_000", " 1", "1 ", "0x10", "18446744073709551616"} {
		want, err := strconv.ParseInt(s, 10, 64)
		got, ok := parseDate([]byte(s))
		if ok != (err == nil) || (ok && got != want) {
			t.Errorf("parseDate(%q) = %d, %v; ParseInt: %d, %v", s, got, ok, want, err)
		}
	}
}

// FuzzKeyring holds the keyring to securecookie's verdict on any value.
func FuzzKeyring(f *testing.F) {
	fx := newKeyringFixture(f)
	for _, v := range fx.values {
		f.Add(v)
		f.Add(v[:len(v)/2])
	}
	f.Add("")
	f.Add(fmt.Sprintf("%d|x|y", 1))
	f.Fuzz(func(t *testing.T, v string) {
		fx.check(t, DefaultCookieName, v)
	})
}

func hmacSHA256(key []byte, s string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(s))
	return h.Sum(nil)
}
