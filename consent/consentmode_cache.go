package consent

import (
	"sync/atomic"

	"github.com/crumbhq/crumb/consent/internal/banner"
)

// consentModeCache holds the Consent Mode default scripts without a nonce,
// one per combination of the seven consent types (bit i for
// consentModeTypes[i], see State.modeBits), each rendered on first use:
// the middleware's script depends on nothing else. It belongs to one ui,
// hence one Manager: no state is shared between Managers.
type consentModeCache struct {
	scripts [1 << 7]atomic.Pointer[[]byte]
}

// get returns the script for the types bits grants, which must not be
// modified.
func (c *consentModeCache) get(bits uint8) []byte {
	slot := &c.scripts[bits&(1<<7-1)]
	if p := slot.Load(); p != nil {
		return *p
	}
	b := banner.ConsentModeDefault(modeOfBits(bits), "")
	slot.Store(&b)
	return b
}

// modeOfBits is the renderer's Consent Mode for bits.
func modeOfBits(bits uint8) banner.ConsentMode {
	var cm banner.ConsentMode
	for i := range consentModeTypes {
		cm.Set(i, bits&(1<<i) != 0)
	}
	return cm
}

// modeBitsOf is the bit set of the consent types named in types.
func modeBitsOf(types []string) uint8 {
	var b uint8
	for i, t := range consentModeTypes {
		for _, u := range types {
			if u == t {
				b |= 1 << i
			}
		}
	}
	return b
}
