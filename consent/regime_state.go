package consent

// How a State reads under its policy. The rule, in order, for an optional
// category i (see also the README's Regimes):
//
//  1. A category the policy does not govern is refused.
//  2. A stored refusal is a refusal, in every regime.
//  3. A stored grant stands, except that a GPC signal refuses a category
//     the policy counts as sale or share unless the latest decision was
//     made while GPC was on: the visitor was then shown that the signal
//     is honoured and chose otherwise, and the receipt says so
//     (Receipt.GPCOverride). California's regulations allow exactly this
//     (11 CCR §7025(c)(3)): the signal is processed, and the business may
//     ask the consumer to consent despite it.
//  4. Without a stored choice, the policy's default: off under opt-in, on
//     under opt-out for DefaultOn categories, on under notice and none;
//     and a GPC signal refuses a sale-or-share category whatever the
//     default.

// policy returns the visitor's policy.
func (s State) policy() *policy {
	return &s.m.policies[s.pol]
}

// Policy returns the name of the policy the request is under ("strict"
// without Config.Policies), and its regime.
func (s State) Policy() (name string, regime Regime) {
	if s.m == nil {
		return "strict", RegimeOptIn
	}
	p := s.policy()
	return p.Name, p.Regime
}

// gpcOn reports whether the request carries a GPC signal, or DNT treated
// as one.
func (s State) gpcOn() bool {
	return s.signals.GPC || (s.signals.DNT && s.m != nil && s.m.treatDNTAsGPC)
}

func (s State) grantedAt(i int) bool {
	if i == 0 {
		return true
	}
	if s.m == nil {
		return false
	}
	p := s.policy()
	if !p.covers[i] {
		return false
	}
	stored := Undecided
	if s.valid {
		stored = s.choices[i]
	}
	switch stored {
	case Refused:
		return false
	case Granted:
		return !s.gpcRefuses(i)
	}
	return p.defaultOn[i] && !(p.saleOrShare[i] && s.gpcOn())
}

// gpcRefuses reports whether the request's GPC signal refuses category i:
// it does for the policy's sale-or-share categories unless the visitor's
// latest decision was made while GPC was present.
func (s State) gpcRefuses(i int) bool {
	if s.m == nil || !s.policy().saleOrShare[i] {
		return false
	}
	return s.gpcOn() && !(s.valid && s.rec.gpc && s.choices[i] == Granted)
}

// GPCHonored reports whether the request carries a GPC signal and a
// sale-or-share category of the policy is off now: what the banner and the
// pages announce as "Opt-out preference signal honored", together with the
// warning that an explicit grant overrides the signal. It is false once the
// visitor has granted every such category while GPC was on.
func (s State) GPCHonored() bool {
	if s.m == nil || !s.gpcOn() {
		return false
	}
	p := s.policy()
	for i := 1; i < len(s.m.cats); i++ {
		if p.saleOrShare[i] && p.covers[i] && !s.grantedAt(i) {
			return true
		}
	}
	return false
}

// OptedOut reports whether every sale-or-share category of the visitor's
// policy is refused now, by a stored refusal or a GPC signal.
func (s State) OptedOut() bool {
	if s.m == nil {
		return true
	}
	p := s.policy()
	for i := 1; i < len(s.m.cats); i++ {
		if p.saleOrShare[i] && s.grantedAt(i) {
			return false
		}
	}
	return true
}

// bannerDue reports whether the banner is due: the policy shows one and
// the visitor has not decided under it.
func (s State) bannerDue() bool {
	if s.m == nil {
		return true
	}
	return s.policy().banner != BannerNone && !s.Decided()
}

// gpcOverride lists the sale-or-share categories a decision grants while
// GPC is on: the explicit choices that override the signal.
func (s State) gpcOverride() []string {
	return s.saleOrShareWhere(func(i int) bool { return s.choices[i] == Granted })
}

// gpcApplied lists the sale-or-share categories that are off only because
// of the GPC signal: not stored as refused, yet not granted.
func (s State) gpcApplied() []string {
	return s.saleOrShareWhere(func(i int) bool {
		return !(s.valid && s.choices[i] == Refused) && !s.grantedAt(i)
	})
}

// saleOrShareWhere lists, while GPC is on, the names of the policy's
// sale-or-share categories for which keep holds; nil without GPC.
func (s State) saleOrShareWhere(keep func(i int) bool) []string {
	if !s.gpcOn() {
		return nil
	}
	var out []string
	p := s.policy()
	for i := 1; i < len(s.m.cats); i++ {
		if p.saleOrShare[i] && p.covers[i] && keep(i) {
			out = append(out, s.m.cats[i].Name)
		}
	}
	return out
}
