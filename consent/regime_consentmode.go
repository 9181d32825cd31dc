package consent

import (
	"html/template"

	"github.com/crumbhq/crumb/consent/internal/banner"
)

// ConsentModeRegions returns an inline script setting Google Consent Mode
// defaults per region from the configured policies, with Consent Mode's own
// region parameter: for each policy with Regions, the state of a visitor who
// has not decided under it (opt-in: all denied but security_storage;
// opt-out, notice, none: its default-on categories granted), and one
// region-less default from the default policy, or the strictest when there
// is none, for every region no policy names. nonce is the page's
// Content-Security-Policy nonce, or "".
//
// It is for pages that one cache serves to every region, where the
// middleware cannot pick the visitor's policy. Pages crumb serves get, once
// Handler is mounted, the default of the visitor's own state instead
// (Config.NoConsentMode): it knows the visitor's decision, GPC signal and
// region, and must not be overridden by a region default. These defaults
// know no GPC signal; crumb's script sends the update once the visitor
// decides, and the middleware still blocks what is not granted.
func (m *Manager) ConsentModeRegions(nonce string) template.HTML {
	// The defaults depend on the configuration alone: built on first use,
	// then only the start tag and its nonce are written per page.
	m.regionScriptOnce.Do(func() { m.regionScript = banner.NewRegionScript(m.regionDefaults()) })
	return template.HTML(m.regionScript.Append(make([]byte, 0, 128+len(m.regionScript)), nonce))
}

// regionDefaults lists the region-less default first, then one default per
// policy with regions, in configuration order.
func (m *Manager) regionDefaults() []banner.RegionDefault {
	fallback := m.defaultPolicy
	if fallback < 0 {
		fallback = m.strictest
	}
	undecided := func(i int) banner.ConsentMode {
		return consentModeOf(State{m: m, pol: uint8(i)})
	}
	out := []banner.RegionDefault{{Mode: undecided(fallback)}}
	for i := range m.policies {
		if len(m.policies[i].Regions) > 0 {
			out = append(out, banner.RegionDefault{Mode: undecided(i), Regions: m.policies[i].Regions})
		}
	}
	return out
}
