package consent

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRecordRoundTrip(t *testing.T) {
	tests := []wireRecord{
		{record: record{first: codecEpoch, last: codecEpoch, issued: codecEpoch, method: MethodAPI}},
		{record: record{id: [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
			first: codecEpoch + 1000, last: codecEpoch + 90000000, issued: codecEpoch + 90000100,
			revision: 4_000_000_000, method: MethodGPC, gpc: true, lang: "pt-BR"},
			n: 3, cats: [maxCategories]uint32{nameTag("analytics")<<2 | 1, nameTag("marketing")<<2 | 2, nameTag("x")<<2 | 1}},
	}
	for _, want := range tests {
		b, err := appendRecord(nil, &want)
		if err != nil {
			t.Fatal(err)
		}
		var got wireRecord
		if err := decodeRecord(b, &got, ""); err != nil {
			t.Fatalf("decode %x: %v", b, err)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(wireRecord{}, record{})); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
		// Every strict prefix and any trailing byte must be refused.
		for i := 0; i < len(b); i++ {
			if decodeRecord(b[:i], &got, "") == nil {
				t.Errorf("truncated to %d bytes: accepted", i)
			}
		}
		if decodeRecord(append(bytes.Clone(b), 0), &got, "") == nil {
			t.Error("trailing byte accepted")
		}
	}
}

func TestRecordRejects(t *testing.T) {
	good := wireRecord{record: record{first: codecEpoch, last: codecEpoch, issued: codecEpoch, method: MethodBanner, lang: "en"},
		n: 1, cats: [maxCategories]uint32{nameTag("analytics")<<2 | 1}}
	b, _ := appendRecord(nil, &good)
	mut := func(f func(b []byte)) []byte { c := bytes.Clone(b); f(c); return c }
	langAt := 1 + 16 + 4 + 1 // version, id, four one-byte uvarints, flags
	tests := map[string][]byte{
		"empty":            nil,
		"version 2":        mut(func(b []byte) { b[0] = 2 }),
		"method none":      mut(func(b []byte) { b[langAt-1] = 0 }),
		"method 7":         mut(func(b []byte) { b[langAt-1] = 7 }),
		"unknown flag":     mut(func(b []byte) { b[langAt-1] |= 0x40 }),
		"lang byte":        mut(func(b []byte) { b[langAt+1] = '<' }),
		"lang too long":    mut(func(b []byte) { b[langAt] = 200 }),
		"choice undecided": mut(func(b []byte) { b[len(b)-1] &^= 3 }),
		"choice 3":         mut(func(b []byte) { b[len(b)-1] |= 3 }),
		"17 categories":    mut(func(b []byte) { b[len(b)-4] = 17 }),
	}
	for name, in := range tests {
		var r wireRecord
		if err := decodeRecord(in, &r, ""); err == nil {
			t.Errorf("%s: %x accepted", name, in)
		}
	}
	var r wireRecord
	if err := decodeRecord(b, &r, ""); err != nil {
		t.Fatalf("the unmutated record fails: %v", err)
	}
}

// TestCookieSize checks the bound: at most 200 bytes for six
// categories, signed, and also when encrypted.
func TestCookieSize(t *testing.T) {
	cats := append(DefaultCategories(), Category{Name: "video"}, Category{Name: "personalization"})
	for _, key := range []Key{{Hash: hashKey1}, {Hash: hashKey1, Block: blockKey1}} {
		clk := newClock()
		cfg := testConfig(t, clk, nil)
		cfg.Categories = cats
		cfg.Keys = []Key{key}
		m := mustNew(t, cfg)
		if got := len(m.cats) - 1; got != 6 {
			t.Fatalf("%d optional categories, want 6", got)
		}
		v := consentCookie(t, m, []string{"analytics", "video"}, http.Header{})
		t.Logf("encrypted=%v: %d bytes", key.Block != nil, len(v))
		if len(v) > 200 {
			t.Errorf("encrypted=%v: cookie value %d bytes, want <= 200", key.Block != nil, len(v))
		}
	}
}

// TestTamper flips every byte of a real, valid cookie value (and every
// bit of its decoded form) and expects each result to be refused.
func TestTamper(t *testing.T) {
	for _, key := range []Key{{Hash: hashKey1}, {Hash: hashKey1, Block: blockKey1}} {
		clk := newClock()
		rec := &recorder{}
		cfg := testConfig(t, clk, rec)
		cfg.Keys = []Key{key}
		m := mustNew(t, cfg)
		v := consentCookie(t, m, []string{"analytics", "marketing"}, nil)
		if st, _, ok, _ := m.readState(requestWith(v), Signals{}, clk.Now()); !ok || !st.Granted("analytics") {
			t.Fatal("the untampered cookie does not read back")
		}
		for i := 0; i < len(v); i++ {
			for _, c := range []byte{'A', 'b', '-', '_', '0'} {
				if v[i] == c {
					continue
				}
				bad := v[:i] + string(c) + v[i+1:]
				if st, _, ok, _ := m.readState(requestWith(bad), Signals{}, clk.Now()); ok || st.Decided() || st.Granted("analytics") {
					t.Fatalf("byte %d set to %q: accepted", i, c)
				}
			}
		}
		// Flip bits of the raw bytes, re-encode, so the base64 layer is
		// valid and the MAC (or decryption) must catch it.
		raw, err := base64.URLEncoding.DecodeString(v)
		if err != nil {
			t.Fatal(err)
		}
		for i := range raw {
			for bit := 0; bit < 8; bit++ {
				b := bytes.Clone(raw)
				b[i] ^= 1 << bit
				bad := base64.URLEncoding.EncodeToString(b)
				if _, _, ok, _ := m.readState(requestWith(bad), Signals{}, clk.Now()); ok {
					t.Fatalf("bit %d of byte %d flipped: accepted", bit, i)
				}
			}
		}
	}
}

func TestReadStateReasons(t *testing.T) {
	clk := newClock()
	m := mustNew(t, testConfig(t, clk, nil))
	valid := consentCookie(t, m, []string{"analytics"}, nil)

	other := testConfig(t, clk, nil)
	other.Keys = []Key{{Hash: hashKey2}}
	foreign := consentCookie(t, mustNew(t, other), []string{"analytics"}, nil)

	bumped := testConfig(t, clk, nil)
	bumped.Revision = 1
	mBumped := mustNew(t, bumped)

	tests := []struct {
		name   string
		m      *Manager
		h      http.Header
		later  time.Duration
		reason InvalidReason
		ok     bool
	}{
		{"valid", m, requestWith(valid), 0, 0, true},
		{"valid among others", m, http.Header{"Cookie": {"a=1; " + DefaultCookieName + "=" + valid + "; b=2"}}, 0, 0, true},
		{"quoted", m, requestWith(`"` + valid + `"`), 0, 0, true},
		{"missing", m, http.Header{"Cookie": {"a=1"}}, 0, ReasonMissing, false},
		{"no header", m, http.Header{}, 0, ReasonMissing, false},
		{"truncated", m, requestWith(valid[:len(valid)-5]), 0, ReasonTampered, false},
		{"empty", m, requestWith(""), 0, ReasonTampered, false},
		{"junk", m, requestWith("not a cookie at all"), 0, ReasonTampered, false},
		{"wrong key", m, requestWith(foreign), 0, ReasonTampered, false},
		{"oversized", m, requestWith(valid + string(bytes.Repeat([]byte("A"), 600))), 0, ReasonOversized, false},
		{"duplicated", m, http.Header{"Cookie": {DefaultCookieName + "=" + valid, DefaultCookieName + "=" + valid}}, 0, ReasonDuplicate, false},
		{"duplicated in one line", m, http.Header{"Cookie": {DefaultCookieName + "=" + valid + "; " + DefaultCookieName + "=x"}}, 0, ReasonDuplicate, false},
		{"day 181", m, requestWith(valid), 181 * 24 * time.Hour, 0, true},
		{"expired at 182 days", m, requestWith(valid), DefaultLifetime, ReasonExpired, false},
		{"revision bump", mBumped, requestWith(valid), 0, ReasonRevision, false},
		{"issued in the future", m, requestWith(valid), -time.Hour, ReasonFuture, false},
		{"clock a little behind", m, requestWith(valid), -time.Minute, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, reason, ok, _ := tt.m.readState(tt.h, Signals{}, clk.Now().Add(tt.later))
			if ok != tt.ok || reason != tt.reason {
				t.Errorf("got ok=%v reason=%v, want ok=%v reason=%v", ok, reason, tt.ok, tt.reason)
			}
			if st.Decided() != tt.ok || st.Granted("analytics") != tt.ok {
				t.Errorf("Decided=%v Granted(analytics)=%v, want both %v", st.Decided(), st.Granted("analytics"), tt.ok)
			}
			if !st.Granted(NecessaryName) {
				t.Error("necessary not granted")
			}
		})
	}
}

func TestKeyRotation(t *testing.T) {
	clk := newClock()
	old := testConfig(t, clk, nil)
	mOld := mustNew(t, old)
	v := consentCookie(t, mOld, []string{"marketing"}, nil)

	rotated := testConfig(t, clk, nil)
	rotated.Keys = []Key{{Hash: hashKey2, Block: blockKey1}, {Hash: hashKey1}}
	mNew := mustNew(t, rotated)
	st, _, ok, oldKey := mNew.readState(requestWith(v), Signals{}, clk.Now())
	if !ok || !oldKey || !st.Granted("marketing") {
		t.Fatalf("old-key cookie after rotation: ok=%v oldKey=%v marketing=%v", ok, oldKey, st.Granted("marketing"))
	}
	v2 := consentCookie(t, mNew, []string{"marketing"}, nil)
	if _, _, ok, oldKey := mNew.readState(requestWith(v2), Signals{}, clk.Now()); !ok || oldKey {
		t.Errorf("new cookie: ok=%v oldKey=%v, want true false", ok, oldKey)
	}
	if _, _, ok, _ := mOld.readState(requestWith(v2), Signals{}, clk.Now()); ok {
		t.Error("a cookie of the new key reads under the old key alone")
	}
	retired := testConfig(t, clk, nil)
	retired.Keys = []Key{{Hash: hashKey2, Block: blockKey1}}
	if _, reason, ok, _ := mustNew(t, retired).readState(requestWith(v), Signals{}, clk.Now()); ok || reason != ReasonTampered {
		t.Errorf("retired key still reads: ok=%v reason=%v", ok, reason)
	}
}

func TestCategoryAddedSinceDecision(t *testing.T) {
	clk := newClock()
	cfg := testConfig(t, clk, nil)
	v := consentCookie(t, mustNew(t, cfg), []string{"analytics"}, nil)

	cfg.Categories = append(cfg.Categories, Category{Name: "video"})
	m := mustNew(t, cfg)
	st, _, ok, _ := m.readState(requestWith(v), Signals{}, clk.Now())
	if !ok {
		t.Fatal("cookie refused after adding a category")
	}
	got := map[string]Choice{}
	for _, c := range st.Choices() {
		got[c.Category] = c.Choice
	}
	want := map[string]Choice{NecessaryName: Granted, "preferences": Refused, "analytics": Granted,
		"marketing": Refused, "social": Refused, "video": Undecided}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("choices (-want +got):\n%s", diff)
	}
	if st.Decided() {
		t.Error("Decided() with a new, undecided category: want false so the banner asks again")
	}
}
