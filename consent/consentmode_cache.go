package consent

import (
	"sync/atomic"

	"github.com/crumbhq/crumb/consent/internal/banner"
)

// consentModeCache holds the Consent Mode default scripts without a nonce,
// one per headKey, each rendered on first use. The script depends on
// nothing but the seven consent types (the middleware never sets
// WaitForUpdate), so the 128 entries bound it. It belongs to one ui, hence
// one Manager: no state is shared between Managers.
type consentModeCache struct {
	scripts [headKeys]atomic.Pointer[[]byte]
}

// headKey is what a cached Consent Mode default depends on. Anything else
// the script comes to depend on (a regime's defaults, say) is a field
// here, and index must keep every combination apart.
type headKey struct {
	mode uint8 // the seven consent types, one bit each
}

// headKeys is the number of distinct headKey indexes.
const headKeys = 1 << 7

func headKeyOf(cm banner.ConsentMode) headKey {
	return headKey{mode: b2u8(cm.AdStorage) | b2u8(cm.AdUserData)<<1 | b2u8(cm.AdPersonalization)<<2 |
		b2u8(cm.AnalyticsStorage)<<3 | b2u8(cm.FunctionalityStorage)<<4 |
		b2u8(cm.PersonalizationStorage)<<5 | b2u8(cm.SecurityStorage)<<6}
}

func (k headKey) index() int { return int(k.mode) }

// get returns the script for cm, which must not be modified.
func (c *consentModeCache) get(cm banner.ConsentMode) []byte {
	if cm.WaitForUpdate != 0 {
		return banner.ConsentModeDefault(cm, "")
	}
	slot := &c.scripts[headKeyOf(cm).index()]
	if p := slot.Load(); p != nil {
		return *p
	}
	b := banner.ConsentModeDefault(cm, "")
	slot.Store(&b)
	return b
}
