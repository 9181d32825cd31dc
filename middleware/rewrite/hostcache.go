package rewrite

import (
	"bytes"
	"encoding/binary"
	"math/bits"

	"github.com/crumbhq/crumb/classify"
)

// hostMemo remembers the rewriter's recent catalog lookups. Pages name the
// same few hosts over and over (their CDN, the tag manager, the pixel in
// <noscript> that repeats the script's host), and comparing a host with the
// one remembered is cheaper than hashing each of its parent domains. The
// catalog is immutable, so an answer stays right until the catalog changes.
type hostMemo struct {
	sets [memoSets]hostMemoSet
}

// memoBits and memoWays size the memo: 64 sets of two slots, about
// 12 KiB. A page names a few dozen hosts; with one slot per set, hosts that
// share one evict each other on every tag (one lookup in nine on the
// tracker fixtures), so each set keeps two, replaced in turn.
const (
	memoBits = 6
	memoSets = 1 << memoBits
	memoWays = 2
)

// maxMemoHost bounds the hosts remembered; longer ones are rare.
const maxMemoHost = 48

type hostMemoSet struct {
	slots [memoWays]hostMemoSlot
	next  uint8 // the slot to replace next
}

type hostMemoSlot struct {
	n    uint8 // length of host; 0 is an empty slot
	ok   bool
	host [maxMemoHost]byte
	t    classify.Tracker
}

// memoSlot hashes host's length and its first and last eight bytes (which
// overlap for a short host): the labels that tell a page's hosts apart, a
// subdomain at the front and the registrable domain at the end. Every
// input bit reaches the top bits, which pick the set; sampling a few bytes
// put three of the tracker fixtures' hosts in one slot.
func memoSlot(host []byte) int {
	n := len(host)
	var a, b uint64
	if n >= 8 {
		a = binary.LittleEndian.Uint64(host)
		b = binary.LittleEndian.Uint64(host[n-8:])
	} else {
		for i, c := range host {
			a |= uint64(c) << (8 * i)
		}
	}
	h := a*0x9e3779b97f4a7c15 ^ bits.RotateLeft64(b*0xbf58476d1ce4e5b9, 31) ^ uint64(n)
	h ^= h >> 29
	h *= 0x94d049bb133111eb
	h ^= h >> 32
	return int(h >> (64 - memoBits))
}

func (s *hostMemoSlot) holds(host []byte) bool {
	return int(s.n) == len(host) && bytes.Equal(s.host[:s.n], host)
}

// lookup finds host in cat, by way of the memo; host is not empty.
func (m *hostMemo) lookup(cat *classify.Catalog, host []byte) (classify.Tracker, bool) {
	if len(host) > maxMemoHost {
		return cat.LookupHost(bstr(host))
	}
	set := &m.sets[memoSlot(host)]
	for i := range set.slots {
		if s := &set.slots[i]; s.holds(host) {
			return s.t, s.ok
		}
	}
	t, ok := cat.LookupHost(bstr(host))
	s := &set.slots[set.next]
	set.next = (set.next + 1) % memoWays
	s.n = uint8(copy(s.host[:], host))
	s.t, s.ok = t, ok
	return t, ok
}

// reset forgets everything, for a new catalog.
func (m *hostMemo) reset() {
	for i := range m.sets {
		m.sets[i] = hostMemoSet{}
	}
}
