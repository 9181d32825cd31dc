package rewrite

import (
	"bytes"

	"github.com/crumbhq/crumb/classify"
)

// hostMemo remembers the rewriter's recent catalog lookups. Pages name the
// same few hosts over and over (their CDN, the tag manager, the pixel in
// <noscript> that repeats the script's host), and comparing a host with the
// one remembered is cheaper than hashing each of its parent domains. The
// catalog is immutable, so an answer stays right until the catalog changes.
type hostMemo struct {
	slots [memoSlots]hostMemoSlot
}

// memoBits sizes the memo: 64 slots, about 6 KiB, keep the hosts of a
// busy page apart.
const (
	memoBits  = 6
	memoSlots = 1 << memoBits
)

// maxMemoHost bounds the hosts remembered; longer ones are rare.
const maxMemoHost = 48

type hostMemoSlot struct {
	n    uint8 // length of host; 0 is an empty slot
	ok   bool
	host [maxMemoHost]byte
	t    classify.Tracker
}

// memoSlot mixes the length and a few bytes of host, enough to tell apart
// the hosts of one page.
func memoSlot(host []byte) int {
	n := len(host)
	k := uint32(n) | uint32(host[0])<<8 | uint32(host[n/2])<<16 | uint32(host[n-1])<<24
	k ^= uint32(host[n/4]) | uint32(host[3*n/4])<<8 | uint32(host[max(n-5, 0)])<<16
	return int((k * 0x9e3779b1) >> (32 - memoBits))
}

// lookup finds host in cat, by way of the memo; host is not empty.
func (m *hostMemo) lookup(cat *classify.Catalog, host []byte) (classify.Tracker, bool) {
	if len(host) > maxMemoHost {
		return cat.LookupHost(bstr(host))
	}
	s := &m.slots[memoSlot(host)]
	if int(s.n) == len(host) && bytes.Equal(s.host[:s.n], host) {
		return s.t, s.ok
	}
	t, ok := cat.LookupHost(bstr(host))
	s.n = uint8(copy(s.host[:], host))
	s.t, s.ok = t, ok
	return t, ok
}

// reset forgets everything, for a new catalog.
func (m *hostMemo) reset() {
	for i := range m.slots {
		m.slots[i].n = 0
		m.slots[i].t = classify.Tracker{}
	}
}
