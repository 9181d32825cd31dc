package consent

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// cachedIn reports whether kr's cache holds value as the cookie name.
func cachedIn(kr *keyring, name, value string) bool {
	p := kr.cache.slots.Load()
	if p == nil {
		return false
	}
	for i := range *p {
		s := &(*p)[i]
		s.mu.Lock()
		hit := s.key >= 0 && s.name == name && string(s.val[:s.size]) == value
		s.mu.Unlock()
		if hit {
			return true
		}
	}
	return false
}

// tamperSameLength changes one character in the middle of a canonical
// base64 value to another, keeping it canonical and as long.
func tamperSameLength(v string) string {
	b := []byte(v)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// TestCookieCacheStillRejects caches a genuine value, then shows that
// each check the cache must not skip still turns a cookie down: every
// reason readCookie gives without a cache, it gives with the genuine value
// cached.
func TestCookieCacheStillRejects(t *testing.T) {
	tests := []struct {
		name string
		// read runs after the genuine value was read once (and cached) by
		// m; it reads a cookie and returns the verdict.
		read func(t *testing.T, m *Manager, clk *testClock, genuine string) verdict
		want verdict
	}{
		{"genuine again (a hit)", func(t *testing.T, m *Manager, _ *testClock, v string) verdict {
			return readVerdict(m, v, 0)
		}, verdict{OK: true}},
		{"tampered, same length", func(t *testing.T, m *Manager, _ *testClock, v string) verdict {
			tv := tamperSameLength(v)
			if len(tv) != len(v) || tv == v || !canonicalBase64(tv) {
				t.Fatalf("tampered value %q is not a same-length canonical change of %q", tv, v)
			}
			return readVerdict(m, tv, 0)
		}, verdict{Reason: ReasonTampered}},
		{"decision expired on the Manager's clock", func(t *testing.T, m *Manager, clk *testClock, v string) verdict {
			clk.Add(m.lifetime)
			return readVerdict(m, v, 0)
		}, verdict{Reason: ReasonExpired}},
		{"issued in the future", func(t *testing.T, m *Manager, clk *testClock, v string) verdict {
			clk.Add(-time.Hour)
			return readVerdict(m, v, 0)
		}, verdict{Reason: ReasonFuture}},
		{"securecookie's date too old on the real clock", func(t *testing.T, m *Manager, _ *testClock, v string) verdict {
			m.keys.clock = func() time.Time { return time.Now().Add(m.lifetime + 25*time.Hour) }
			return readVerdict(m, v, 0)
		}, verdict{Reason: ReasonTampered}},
		{"key removed (rotated Manager)", func(t *testing.T, m *Manager, clk *testClock, v string) verdict {
			cfg := testConfig(t, clk, nil)
			cfg.Keys = []Key{{Hash: hashKey2}}
			return readVerdict(mustNew(t, cfg), v, 0)
		}, verdict{Reason: ReasonTampered}},
		{"key retired, still accepted (rotated Manager)", func(t *testing.T, m *Manager, clk *testClock, v string) verdict {
			cfg := testConfig(t, clk, nil)
			cfg.Keys = []Key{{Hash: hashKey2}, {Hash: hashKey1}}
			m2 := mustNew(t, cfg)
			if r := readVerdict(m2, v, 0); !r.OK || !r.OldKey {
				t.Fatalf("first read by the rotated Manager: %+v", r)
			}
			return readVerdict(m2, v, 0) // a hit in m2's own cache
		}, verdict{OK: true, OldKey: true}},
		{"revision raised", func(t *testing.T, m *Manager, clk *testClock, v string) verdict {
			cfg := testConfig(t, clk, nil)
			cfg.Revision = m.revision + 1
			return readVerdict(mustNew(t, cfg), v, 0)
		}, verdict{Reason: ReasonRevision}},
		{"other cookie name", func(t *testing.T, m *Manager, _ *testClock, v string) verdict {
			d := decodeTarget{intern: m.lang}
			if k := m.keys.decode("other", v, &d); k >= 0 {
				return verdict{OK: true}
			}
			return verdict{Reason: ReasonTampered}
		}, verdict{Reason: ReasonTampered}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			m := mustNew(t, testConfig(t, clk, nil))
			v := consentCookie(t, m, []string{"analytics"}, nil)
			if r := readVerdict(m, v, 0); !r.OK {
				t.Fatalf("genuine value does not read: %+v", r)
			}
			if !cachedIn(m.keys, m.cookieName, v) {
				t.Fatal("genuine value was not cached")
			}
			if diff := cmp.Diff(tt.want, tt.read(t, m, clk, v)); diff != "" {
				t.Errorf("verdict (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCookieCacheRegimePolicy: a decision made under one policy does not
// count under another, even when it was cached reading it under the first.
func TestCookieCacheRegimePolicy(t *testing.T) {
	clk := newClock()
	m := mustNew(t, regimeConfig(t, clk, nil))
	v := storedAs(t, m, "DE", false, modeGrant, []string{"analytics"})
	eu := m.policyOf(&http.Request{Header: regionHeader("DE", false)})
	us := m.policyOf(&http.Request{Header: regionHeader("US-CA", false)})
	if eu == us {
		t.Fatal("DE and US-CA resolve to one policy")
	}
	if r := readVerdict(m, v, eu); !r.OK {
		t.Fatalf("under its own policy: %+v", r)
	}
	if r := readVerdict(m, v, us); r.OK || r.Reason != ReasonPolicy {
		t.Errorf("under another policy: %+v, want reason policy", r)
	}
}

// verdict is what readCookie says of a value.
type verdict struct {
	Reason InvalidReason
	OK     bool
	OldKey bool
}

// readVerdict reads value as the request's consent cookie under policy pol.
func readVerdict(m *Manager, value string, pol int) verdict {
	_, reason, ok, old := m.readCookie(requestWith(value)["Cookie"], Signals{}, pol, m.now())
	return verdict{reason, ok, old}
}

// TestCookieCacheConcurrent reads many values from many goroutines through
// a cache of two slots, so that values keep overwriting each other: every
// read must give the record of the value read, and a tampered value none.
func TestCookieCacheConcurrent(t *testing.T) {
	f := newKeyringFixture(t)
	f.kr.cache = newCookieCache(2)
	type sample struct {
		value string
		key   int
		rec   wireRecord
	}
	var samples []sample
	for i := 0; i < 12; i++ {
		rec := wireRecord{record: record{id: [16]byte{byte(i)}, first: codecEpoch, last: codecEpoch + int64(i), issued: codecEpoch + int64(i),
			revision: uint32(i), method: MethodBanner, lang: fmt.Sprint("l", i)}, n: 1, cats: [maxCategories]uint32{nameTag("analytics")<<2 | 1}}
		k := i % len(f.codecs)
		v, err := f.codecs[k].Encode(DefaultCookieName, &rec)
		if err != nil {
			t.Fatal(err)
		}
		samples = append(samples, sample{v, k, rec}, sample{tamperSameLength(v), -1, wireRecord{}})
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 300; n++ {
				s := samples[(n*7+g*5)%len(samples)]
				d := decodeTarget{}
				k := f.kr.decode(DefaultCookieName, s.value, &d)
				if k != s.key || k >= 0 && !cmp.Equal(d.rec, s.rec, cmp.AllowUnexported(wireRecord{}, record{})) {
					select {
					case errs <- fmt.Sprintf("value %q: key %d record %+v, want key %d record %+v", s.value, k, d.rec, s.key, s.rec):
					default:
					}
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestCookieCacheBounds: a value longer than a slot is verified every time
// and never stored; the slots are allocated only on the first fill.
func TestCookieCacheBounds(t *testing.T) {
	f := newKeyringFixture(t)
	if f.kr.cache.slots.Load() != nil {
		t.Fatal("slots allocated before any value was verified")
	}
	rec := wireRecord{record: record{first: codecEpoch, last: codecEpoch, issued: codecEpoch, method: MethodBanner, lang: strings.Repeat("x", maxLang)}, n: maxCategories}
	for i := range rec.cats {
		rec.cats[i] = uint32(i+1)<<2 | 2
	}
	long, err := f.codecs[0].Encode(DefaultCookieName, &rec)
	if err != nil {
		t.Fatal(err)
	}
	if len(long) <= cacheValueMax {
		t.Fatalf("value of %d bytes is not longer than a slot (%d)", len(long), cacheValueMax)
	}
	for range 2 {
		if got := f.check(t, DefaultCookieName, long); got != 0 {
			t.Fatalf("long value: key %d, want 0", got)
		}
	}
	if f.kr.cache.slots.Load() != nil && cachedIn(f.kr, DefaultCookieName, long) {
		t.Error("a value longer than a slot was cached")
	}
}

func TestEqualConstantTime(t *testing.T) {
	base := strings.Repeat("abcdefgh", cacheValueMax/8)
	for _, tt := range []struct {
		stored, s string
		want      bool
	}{
		{"", "", true},
		{"a", "a", true},
		{"a", "b", false},
		{"a", "a\x00", false}, // the zero padding does not count as bytes of s
		{"abc", "ab", false},
		{base, base, true},
		{base, base[:len(base)-1] + "x", false},
		{base[:200], base[:199] + "x", false},
		{"x" + base[1:], base, false},
	} {
		var b [cacheValueMax]byte
		n := copy(b[:], tt.stored)
		if got := equalConstantTime(&b, n, tt.s); got != tt.want {
			t.Errorf("equalConstantTime(%q, %q) = %v, want %v", tt.stored, tt.s, got, tt.want)
		}
	}
	var b [cacheValueMax]byte
	if equalConstantTime(&b, 0, base+"x") {
		t.Error("a value longer than a slot matched")
	}
}
