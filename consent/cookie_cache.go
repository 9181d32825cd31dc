package consent

import (
	"encoding/binary"
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// A browser sends the same consent cookie with every request of a visit,
// and verifying it (base64, HMAC-SHA256, AES-CTR when encrypted, record
// decoding) is most of what an accepted visitor costs beyond an undecided
// one. A keyring therefore remembers, for values it verified in full,
// which key verified them, securecookie's date and the decoded record.
//
// What the cache may and may not skip: the MAC, the decryption and the
// record's parsing depend only on the value's bytes and the keyring's keys,
// which never change in a keyring's life, so a value equal byte for byte to
// one verified before verifies again, with the same key and record. Every
// check that depends on time or on the Manager's configuration is made on
// each request, hit or miss: securecookie's date against the clock here,
// and the record's issued-at, age, revision and policy fingerprint in
// readCookie. A tampered value differs in some byte and misses; a Manager
// built with other keys has another keyring, hence another cache.
//
// Memory is bounded: a fixed number of slots, lazily allocated on the
// first fill, each holding at most one value of at most cacheValueMax
// bytes; a value is placed by a keyed hash (an attacker cannot aim at a
// slot) and overwrites whatever was there. A hit compares the whole value
// in constant time, so timing does not tell how much of a guess matches a
// cached visitor's cookie.
const (
	cookieCacheSlots = 512 // about 230 KB once filled
	cacheValueMax    = 256 // longer values (many categories, encrypted) are verified every time
)

// cookieCache is a keyring's cache of verified values. Its zero value is
// disabled; newCookieCache makes a working one.
type cookieCache struct {
	seed  maphash.Seed
	n     int                         // number of slots, a power of two
	slots atomic.Pointer[[]cacheSlot] // nil until the first fill
}

// cacheSlot is one verified value. The mutex makes each read and write of
// the slot whole; requests of different visitors meet on one slot only by
// collision.
type cacheSlot struct {
	mu   sync.Mutex
	hash uint64
	key  int // index of the key that verified it; -1 for an empty slot
	date int64
	name string // the cookie name it was verified under
	size int    // bytes of val in use
	val  [cacheValueMax]byte
	rec  wireRecord
}

// newCookieCache makes a cache of n slots, rounded up to a power of two.
func newCookieCache(n int) *cookieCache {
	size := 1
	for size < n {
		size <<= 1
	}
	return &cookieCache{seed: maphash.MakeSeed(), n: size}
}

// decode is verify, through the cache: a value verified before is not
// verified again, but its securecookie date is checked against the clock
// as verify would.
func (kr *keyring) decode(name, value string, d *decodeTarget) int {
	c := kr.cache
	if c == nil || c.n == 0 || len(value) > cacheValueMax {
		return kr.verify(name, value, d)
	}
	h := maphash.String(c.seed, value)
	var s *cacheSlot
	if slots := c.slots.Load(); slots != nil {
		s = &(*slots)[h&uint64(c.n-1)]
		s.mu.Lock()
		if s.key >= 0 && s.hash == h && s.name == name && equalConstantTime(&s.val, s.size, value) {
			key, date := s.key, s.date
			d.rec = s.rec
			s.mu.Unlock()
			if !kr.fresh(date) {
				return -1
			}
			return key
		}
		s.mu.Unlock()
	}
	key, date := kr.verifyDated(name, value, d)
	if key < 0 {
		return -1
	}
	if s == nil {
		s = &(*c.alloc())[h&uint64(c.n-1)]
	}
	s.mu.Lock()
	s.hash, s.key, s.date, s.name = h, key, date, name
	s.val = [cacheValueMax]byte{}
	s.size = copy(s.val[:], value)
	s.rec = d.rec
	s.mu.Unlock()
	return key
}

// alloc makes the slots, all empty, unless another request did first.
func (c *cookieCache) alloc() *[]cacheSlot {
	if p := c.slots.Load(); p != nil {
		return p
	}
	slots := make([]cacheSlot, c.n)
	for i := range slots {
		slots[i].key = -1
	}
	c.slots.CompareAndSwap(nil, &slots)
	return c.slots.Load()
}

// fresh reports whether securecookie would still accept a value dated
// date (Unix seconds), against the keyring's clock.
func (kr *keyring) fresh(date int64) bool {
	return date >= kr.clock().Unix()-kr.maxAge
}

// equalConstantTime reports whether the first n bytes of b, the rest of
// which are zero, hold s, in time that depends on nothing but n and len(s).
func equalConstantTime(b *[cacheValueMax]byte, n int, s string) bool {
	if n != len(s) || n > cacheValueMax {
		return false
	}
	var t [cacheValueMax]byte
	copy(t[:], s)
	var x uint64
	for i := 0; i < cacheValueMax; i += 8 {
		x |= binary.LittleEndian.Uint64(b[i:]) ^ binary.LittleEndian.Uint64(t[i:])
	}
	return x == 0
}
