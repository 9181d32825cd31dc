package consent

import (
	"testing"

	"github.com/crumbhq/crumb/consent/internal/banner"
	"github.com/google/go-cmp/cmp"
)

// Every cached Consent Mode default is the one rendered afresh, and bit i
// of the key is consentModeTypes[i].
func TestConsentModeCache(t *testing.T) {
	var c consentModeCache
	for k := range 1 << 7 {
		cm := banner.ConsentMode{
			AdStorage: k&1 != 0, AdUserData: k&2 != 0, AdPersonalization: k&4 != 0,
			AnalyticsStorage: k&8 != 0, FunctionalityStorage: k&16 != 0,
			PersonalizationStorage: k&32 != 0, SecurityStorage: k&64 != 0,
		}
		var named []string
		for i, typ := range consentModeTypes {
			if k&(1<<i) != 0 {
				named = append(named, typ)
			}
		}
		if got := modeOfBits(modeBitsOf(named)); got != cm {
			t.Fatalf("types %v give %+v, want %+v", named, got, cm)
		}
		for range 2 { // rendered, then cached
			if diff := cmp.Diff(string(banner.ConsentModeDefault(cm, "")), string(c.get(uint8(k)))); diff != "" {
				t.Fatalf("%+v (-fresh +cached):\n%s", cm, diff)
			}
		}
	}
}
