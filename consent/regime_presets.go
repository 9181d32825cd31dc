package consent

// Built-in policies, argued from the law. They are starting points, not
// legal advice: laws change, and a site's own counsel decides. Each
// function returns a fresh Policy that the caller may change (add regions,
// rename, narrow the categories) before passing it in Config.Policies.

// PolicyEU is opt-in for the European Union's 27 member states and the
// three further EEA states (Iceland, Liechtenstein, Norway).
//
// Art. 5(3) of the ePrivacy Directive (2002/58/EC, as amended by
// 2009/136/EC) makes storing or reading anything on a visitor's device
// depend on prior consent, except what is strictly necessary for the
// service asked for; consent has the GDPR's meaning (art. 4(11): freely
// given, specific, informed, unambiguous; recital 32: silence and
// pre-ticked boxes are not consent). The EEA Agreement extends both to
// Iceland, Liechtenstein and Norway. So nothing optional before a grant,
// and Reject all as prominent as Accept all (the EDPB's cookie banner
// taskforce report, 2023).
func PolicyEU() Policy {
	return Policy{Name: "eu", Regime: RegimeOptIn, Regions: []string{
		"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
		"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
		"IS", "LI", "NO",
	}}
}

// PolicyUK is opt-in for the United Kingdom.
//
// Regulation 6 of the Privacy and Electronic Communications Regulations
// 2003 (PECR) is the UK's art. 5(3), with the UK GDPR's consent. The Data
// (Use and Access) Act 2025 adds exceptions for statistics that improve
// the service and for appearance preferences, each needing clear
// information and a simple way to object; advertising still needs consent.
// The preset stays opt-in for every category: a site relying on the
// exceptions narrows Categories knowingly.
func PolicyUK() Policy {
	return Policy{Name: "uk", Regime: RegimeOptIn, Regions: []string{"GB"}}
}

// PolicySwitzerland is opt-in for Switzerland.
//
// Swiss law asks less than the EU's: art. 45c of the Telecommunications
// Act requires informing visitors about cookies and letting them refuse,
// and the revised Federal Act on Data Protection (in force 1 September
// 2023) requires express consent only for high-risk profiling (art. 6(7)),
// which cross-site advertising profiles often are. The preset is opt-in
// nevertheless, as the issue asks and as Swiss sites usually do: their
// visitors include EU residents, to whom the GDPR applies (art. 3(2)), and
// a refusal must be possible before the cookies are set in any case. A
// site that wants the letter of Swiss law sets Regime to RegimeOptOut.
func PolicySwitzerland() Policy {
	return Policy{Name: "ch", Regime: RegimeOptIn, Regions: []string{"CH"}}
}

// PolicyUSStates is opt-out for the US states with comprehensive consumer
// privacy laws. Under each, a business may use personal data until the
// consumer opts out of its sale, its sharing (California's word for
// cross-context behavioural advertising) or targeted advertising; so the
// optional categories are on until refused, and the sale-or-share ones are
// refused by an opt-out request or a GPC signal. crumb honours GPC in every
// region; in the states marked "UOOM" honouring a universal opt-out
// mechanism such as GPC is the law, from the date given.
//
//	US-CA California  CCPA 2020-01-01, CPRA 2023-01-01; UOOM (11 CCR §7025), and "Opt-Out Preference Signal Honored" may be shown ((c)(6))
//	US-VA Virginia    VCDPA 2023-01-01
//	US-CO Colorado    CPA 2023-07-01; UOOM 2024-07-01 (4 CCR 904-3 Rule 5; GPC is the recognised mechanism)
//	US-CT Connecticut CTDPA 2023-07-01; UOOM 2025-01-01
//	US-UT Utah        UCPA 2023-12-31
//	US-OR Oregon      OCPA 2024-07-01; UOOM 2026-01-01
//	US-TX Texas       TDPSA 2024-07-01; UOOM 2025-01-01
//	US-MT Montana     MCDPA 2024-10-01; UOOM 2025-01-01
//	US-IA Iowa        ICDPA 2025-01-01
//	US-DE Delaware    DPDPA 2025-01-01; UOOM 2026-01-01
//	US-NE Nebraska    NDPA 2025-01-01; UOOM 2025-01-01
//	US-NH New Hampshire SB 255 2025-01-01; UOOM 2025-01-01
//	US-NJ New Jersey  NJDPA 2025-01-15; UOOM 2025-07-15
//	US-TN Tennessee   TIPA 2025-07-01
//	US-MN Minnesota   MCDPA 2025-07-31; UOOM 2025-07-31
//	US-MD Maryland    MODPA 2025-10-01; UOOM 2025-10-01
//	US-IN Indiana     ICDPA 2026-01-01
//	US-KY Kentucky    KCDPA 2026-01-01
//	US-RI Rhode Island RIDTPPA 2026-01-01
//
// Florida's Digital Bill of Rights (2024-07-01) reaches only businesses
// with a billion dollars of revenue, and is left out. Visitors from other
// states are not covered: give them a default policy (a Policy without
// Regions, say RegimeNotice) or they get the strictest configured policy.
func PolicyUSStates() Policy {
	return Policy{Name: "us", Regime: RegimeOptOut, Regions: []string{
		"US-CA", "US-VA", "US-CO", "US-CT", "US-UT", "US-OR", "US-TX", "US-MT", "US-IA", "US-DE",
		"US-NE", "US-NH", "US-NJ", "US-TN", "US-MN", "US-MD", "US-IN", "US-KY", "US-RI",
	}}
}

// PolicyStrict is opt-in without regions: the default policy for every
// region no other policy names, as crumb is without Config.Policies.
func PolicyStrict() Policy {
	return Policy{Name: "strict", Regime: RegimeOptIn}
}
