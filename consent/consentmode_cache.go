package consent

import (
	"sync/atomic"

	"github.com/crumbhq/crumb/consent/internal/banner"
)

// consentModeCache holds the Consent Mode default scripts without a nonce,
// one per combination of the seven consent types: they depend on nothing
// else (the middleware never sets WaitForUpdate), so the 128 entries bound
// it, each rendered on first use. It belongs to one ui, hence one Manager.
type consentModeCache struct {
	scripts [1 << 7]atomic.Pointer[[]byte]
}

// get returns the script for cm, which must not be modified.
func (c *consentModeCache) get(cm banner.ConsentMode) []byte {
	if cm.WaitForUpdate != 0 {
		return banner.ConsentModeDefault(cm, "")
	}
	k := consentModeKey(cm)
	if p := c.scripts[k].Load(); p != nil {
		return *p
	}
	b := banner.ConsentModeDefault(cm, "")
	c.scripts[k].Store(&b)
	return b
}

func consentModeKey(cm banner.ConsentMode) uint8 {
	return b2u8(cm.AdStorage) | b2u8(cm.AdUserData)<<1 | b2u8(cm.AdPersonalization)<<2 |
		b2u8(cm.AnalyticsStorage)<<3 | b2u8(cm.FunctionalityStorage)<<4 |
		b2u8(cm.PersonalizationStorage)<<5 | b2u8(cm.SecurityStorage)<<6
}
