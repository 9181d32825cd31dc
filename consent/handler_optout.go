package consent

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/crumbhq/crumb/consent/internal/banner"
)

// The US opt-out pack. With an opt-out policy configured, Handler serves
// below its prefix
//
//	GET  do-not-sell   the "Do Not Sell or Share My Personal Information"
//	                   page: what opting out does, whether the visitor has
//	                   (or their GPC signal has), and a form that works
//	                   without JavaScript
//
// and its form posts action=optout to the decision endpoint, which records
// an opt-out request: the policy's sale-or-share categories refused, the
// other stored choices kept, a Receipt with Method MethodOptOut
// ("opt-out") for Hooks.Decision. The opt-out banner posts the same
// action. The link to the page is on the opt-out banner and, for visitors
// under an opt-out policy, on the preferences page; OptOutLink renders it
// for the application's footer, where the CCPA wants it.

// optOutURL is the opt-out page's URL when a policy is opt-out, else "".
func optOutURL(cfg *Config, prefix string) string {
	for _, p := range cfg.Policies {
		if p.Regime == RegimeOptOut {
			return prefix + pathOptOut
		}
	}
	return ""
}

// regimeView fills in what a page or banner shows of the visitor's policy.
func (u *ui) regimeView(v *banner.View, st State) {
	v.Variant = bannerVariant(st)
	v.GPC = st.GPCHonored()
	v.OptedOut = st.OptedOut()
	v.OptOutLink = u.s.opts.OptOutURL != "" && st.m != nil && st.policy().Regime == RegimeOptOut
}

// bannerVariant is the banner of st's policy.
func bannerVariant(st State) banner.Variant {
	if st.m == nil {
		return banner.VariantConsent
	}
	switch st.policy().banner {
	case BannerOptOut:
		return banner.VariantOptOut
	case BannerNotice:
		return banner.VariantNotice
	}
	return banner.VariantConsent
}

// OptOutLink returns the "Do Not Sell or Share My Personal Information"
// link for the application's footer, in the visitor's language, for
// visitors under an opt-out policy, and "" for the others and without an
// opt-out policy.
func (m *Manager) OptOutLink(r *http.Request) template.HTML {
	u, err := m.userInterface()
	if err != nil || u.s.opts.OptOutURL == "" {
		return ""
	}
	st := m.stateOf(r)
	if st.policy().Regime != RegimeOptOut {
		return ""
	}
	var b bytes.Buffer
	u.r.OptOutLink(&b, banner.View{Lang: u.language(r, st, ""), ReturnTo: returnOf(r.URL)})
	return template.HTML(b.String())
}
