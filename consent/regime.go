package consent

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
)

// Regime is the rule a Policy applies to the optional categories.
type Regime uint8

// The regimes, strictest first. The zero value, RegimeOptIn, is the strict
// one.
const (
	// RegimeOptIn: nothing optional until the visitor grants it (the
	// ePrivacy Directive's art. 5(3), GDPR consent).
	RegimeOptIn Regime = iota
	// RegimeOptOut: a policy's default-on categories are on until the
	// visitor refuses them; its sale-or-share categories are off under
	// GPC or after an opt-out request (the US state privacy laws).
	RegimeOptOut
	// RegimeNotice: an informational banner, nothing blocked (but a
	// GPC signal or a stored refusal still counts).
	RegimeNotice
	// RegimeNone: no banner, nothing blocked (but a GPC signal or a
	// stored refusal still counts).
	RegimeNone
)

func (g Regime) String() string {
	switch g {
	case RegimeOptIn:
		return "opt-in"
	case RegimeOptOut:
		return "opt-out"
	case RegimeNotice:
		return "notice"
	case RegimeNone:
		return "none"
	}
	return fmt.Sprintf("Regime(%d)", uint8(g))
}

// BannerVariant is the banner a Policy shows to a visitor who has not
// decided.
type BannerVariant uint8

// The banner variants. The zero value picks the variant of the regime.
const (
	BannerAuto    BannerVariant = iota // the regime's: consent, opt-out, notice or none
	BannerConsent                      // Accept all, Reject all, Customise
	BannerOptOut                       // OK, Do not sell or share, Customise
	BannerNotice                       // informational, with OK
	BannerNone                         // no banner
)

// Policy is one set of rules, chosen per request by the visitor's region
// (see Config.Policies and Config.RegionResolvers).
type Policy struct {
	// Name identifies the policy in receipts and in the consent cookie's
	// policy fingerprint: 1 to 32 bytes of a-z, 0-9, '-' and '_'.
	// Required, unique.
	Name string

	// Regime is the rule applied. Default: RegimeOptIn.
	Regime Regime

	// Banner is the banner shown while the visitor has not decided.
	// Default: the regime's. An opt-in policy always shows the consent
	// banner: a notice or no banner would leave the visitor no way to
	// consent.
	Banner BannerVariant

	// Regions are the ISO 3166-1 alpha-2 country codes ("DE") and ISO
	// 3166-2 subdivision codes ("US-CA") the policy applies to; a
	// subdivision beats its country. A policy without regions is the
	// default, for visitors whose region is known but named by no policy;
	// at most one policy may be the default. Visitors whose region is
	// unknown get the strictest configured policy, whatever the default.
	Regions []string

	// Categories are the optional categories the policy governs, by name.
	// A category the policy does not list is refused under it, whatever
	// was stored. Default (nil): every configured category.
	Categories []string

	// DefaultOn lists the categories that are on before the visitor
	// decides; only an opt-out policy may have any. Default (nil): for an
	// opt-out policy, all its categories; otherwise none. An empty
	// non-nil slice means none.
	DefaultOn []string

	// SaleOrShare lists the categories whose use counts as sale or
	// sharing of personal data, or targeted advertising, under this
	// policy: a GPC signal or an opt-out request refuses them. Default
	// (nil): the categories marked Category.SaleOrShare (marketing
	// always).
	SaleOrShare []string
}

// maxPolicies bounds Config.Policies; a State keeps its policy's index in
// a byte.
const maxPolicies = 64

// policy is a validated Policy resolved against the categories.
type policy struct {
	Policy
	banner      BannerVariant // resolved, never BannerAuto
	covers      [maxCategories]bool
	defaultOn   [maxCategories]bool
	saleOrShare [maxCategories]bool
	fingerprint uint32 // 0 only for the implicit policy of a Config without Policies
}

// strictPolicy is the policy of a Config without Policies: opt-in for every
// category, as crumb always was. Its fingerprint is 0, which is what a
// version 1 cookie carries, so that cookies written before policies existed
// keep counting.
func strictPolicy(cats []category) policy {
	p := policy{Policy: Policy{Name: "strict"}, banner: BannerConsent}
	for i := 1; i < len(cats); i++ {
		p.covers[i] = true
		p.saleOrShare[i] = cats[i].saleOrShare
	}
	return p
}

// resolvePolicies validates ps against the categories. It returns the
// implicit strict policy when ps is empty.
func resolvePolicies(ps []Policy, cats []category) ([]policy, error) {
	if len(ps) == 0 {
		return []policy{strictPolicy(cats)}, nil
	}
	if len(ps) > maxPolicies {
		return nil, fmt.Errorf("consent: %d policies, at most %d are supported", len(ps), maxPolicies)
	}
	byName := map[string]int{}
	for i, c := range cats {
		byName[c.Name] = i
	}
	out := make([]policy, 0, len(ps))
	names := map[string]bool{}
	regions := map[string]string{}
	defaults := 0
	for _, p := range ps {
		if !validName(p.Name) {
			return nil, fmt.Errorf("consent: policy name %q must be 1-32 bytes of a-z, 0-9, '-' or '_'", p.Name)
		}
		if names[p.Name] {
			return nil, fmt.Errorf("consent: duplicate policy %q", p.Name)
		}
		names[p.Name] = true
		if p.Regime > RegimeNone {
			return nil, fmt.Errorf("consent: policy %q: unknown regime %d", p.Name, p.Regime)
		}
		if p.Banner > BannerNone {
			return nil, fmt.Errorf("consent: policy %q: unknown banner variant %d", p.Name, p.Banner)
		}
		rp := policy{Policy: p}
		rp.Regions = slices.Clone(p.Regions)
		rp.Categories = slices.Clone(p.Categories)
		rp.DefaultOn = slices.Clone(p.DefaultOn)
		rp.SaleOrShare = slices.Clone(p.SaleOrShare)
		if len(p.Regions) == 0 {
			defaults++
			if defaults > 1 {
				return nil, fmt.Errorf("consent: policy %q: only one policy may have no Regions (the default)", p.Name)
			}
		}
		for j, r := range p.Regions {
			code, ok := normalRegion(r)
			if !ok {
				return nil, fmt.Errorf("consent: policy %q: region %q is not an ISO 3166-1 alpha-2 or 3166-2 code", p.Name, r)
			}
			if prev, dup := regions[code]; dup {
				return nil, fmt.Errorf("consent: region %s is in policies %q and %q", code, prev, p.Name)
			}
			regions[code] = p.Name
			rp.Regions[j] = code
		}
		lookup := func(field, name string) (int, error) {
			i, ok := byName[name]
			if !ok || i == 0 {
				return 0, fmt.Errorf("consent: policy %q: %s names %q, which is no optional category", p.Name, field, name)
			}
			return i, nil
		}
		if p.Categories == nil {
			for i := 1; i < len(cats); i++ {
				rp.covers[i] = true
			}
		}
		for _, n := range p.Categories {
			i, err := lookup("Categories", n)
			if err != nil {
				return nil, err
			}
			rp.covers[i] = true
		}
		if len(p.DefaultOn) > 0 && p.Regime != RegimeOptOut {
			return nil, fmt.Errorf("consent: policy %q: only an opt-out policy may have DefaultOn categories", p.Name)
		}
		if p.DefaultOn == nil && p.Regime != RegimeOptIn {
			// Opt-out: on until refused. Notice and none: nothing blocked.
			rp.defaultOn = rp.covers
		}
		for _, n := range p.DefaultOn {
			i, err := lookup("DefaultOn", n)
			if err != nil {
				return nil, err
			}
			if !rp.covers[i] {
				return nil, fmt.Errorf("consent: policy %q: DefaultOn names %q, which its Categories do not", p.Name, n)
			}
			rp.defaultOn[i] = true
		}
		if p.SaleOrShare == nil {
			for i := 1; i < len(cats); i++ {
				rp.saleOrShare[i] = cats[i].saleOrShare
			}
		}
		for _, n := range p.SaleOrShare {
			i, err := lookup("SaleOrShare", n)
			if err != nil {
				return nil, err
			}
			rp.saleOrShare[i] = true
		}
		rp.banner = p.Banner
		if rp.banner == BannerAuto || p.Regime == RegimeOptIn {
			rp.banner = [...]BannerVariant{BannerConsent, BannerOptOut, BannerNotice, BannerNone}[p.Regime]
		}
		rp.fingerprint = rp.digest(cats)
		out = append(out, rp)
	}
	return out, nil
}

// digest is the policy's fingerprint: what a decision was made under. It
// covers the name, the regime and, by category name, what is governed, on
// by default and sale or share; not the regions, so that moving a region
// between policies re-asks only the visitors whose policy changes. Never 0.
func (p *policy) digest(cats []category) uint32 {
	h := fnv.New32a()
	fmt.Fprintf(h, "%s\x00%d\x00", p.Name, p.Regime)
	for i := 1; i < len(cats); i++ {
		fmt.Fprintf(h, "%s\x00%t%t%t\x00", cats[i].Name, p.covers[i], p.defaultOn[i], p.saleOrShare[i])
	}
	if s := h.Sum32(); s != 0 {
		return s
	}
	return 1
}

// strictness orders regimes: lower is stricter.
func (p *policy) strictness() int { return int(p.Regime) }

// strictest returns the index of the strictest policy, the first of equals.
func strictest(ps []policy) int {
	best := 0
	for i := range ps {
		if ps[i].strictness() < ps[best].strictness() {
			best = i
		}
	}
	return best
}

// normalRegion upper-cases and checks a region code: two ASCII letters,
// optionally "-" and one to three letters or digits.
func normalRegion(s string) (string, bool) {
	s = strings.ToUpper(s)
	country, sub, hasSub := strings.Cut(s, "-")
	if !isCountry(country) || hasSub && !isSubdivision(sub) {
		return "", false
	}
	return s, true
}

// PolicyNames returns the names of the configured policies, in order.
func (m *Manager) PolicyNames() []string {
	out := make([]string, len(m.policies))
	for i := range m.policies {
		out[i] = m.policies[i].Name
	}
	return out
}
