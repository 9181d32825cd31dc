package consent

import (
	"testing"

	"github.com/crumbhq/crumb/consent/internal/banner"
	"github.com/google/go-cmp/cmp"
)

// Every cached Consent Mode default is the one rendered afresh, and the
// seven types map to seven distinct bits of the key.
func TestConsentModeCache(t *testing.T) {
	var c consentModeCache
	seen := map[int]bool{}
	for k := range 1 << 7 {
		cm := banner.ConsentMode{
			AdStorage: k&1 != 0, AdUserData: k&2 != 0, AdPersonalization: k&4 != 0,
			AnalyticsStorage: k&8 != 0, FunctionalityStorage: k&16 != 0,
			PersonalizationStorage: k&32 != 0, SecurityStorage: k&64 != 0,
		}
		if i := headKeyOf(cm).index(); i != k || seen[i] || i >= headKeys {
			t.Fatalf("index of %+v is %d", cm, i)
		}
		seen[k] = true
		for range 2 { // rendered, then cached
			if diff := cmp.Diff(string(banner.ConsentModeDefault(cm, "")), string(c.get(cm))); diff != "" {
				t.Fatalf("%+v (-fresh +cached):\n%s", cm, diff)
			}
		}
	}
}
