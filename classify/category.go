package classify

import "strings"

// Category is the consent category a cookie or tracker belongs to. The zero
// value is Unknown: nothing is known, so a policy must treat it as needing
// consent.
type Category uint8

// The categories crumb knows. Necessary is the only one that never needs
// consent; the others map to the purposes that privacy rules and consent
// banners name.
const (
	Unknown     Category = iota // not in any table: needs consent under a strict policy
	Necessary                   // needed for the service the visitor asked for
	Preferences                 // remembers choices such as language or region
	Analytics                   // measures audience and use
	Marketing                   // advertising, retargeting, conversion tracking
	Social                      // embedded social media and external media players
)

var categoryNames = [...]string{
	Unknown:     "unknown",
	Necessary:   "necessary",
	Preferences: "preferences",
	Analytics:   "analytics",
	Marketing:   "marketing",
	Social:      "social",
}

// String returns the lower-case name used in catalogs and configuration.
func (c Category) String() string {
	if int(c) < len(categoryNames) {
		return categoryNames[c]
	}
	return "unknown"
}

// ParseCategory maps a name (case-insensitive, as written by String) to its
// Category. It reports false for a name it does not know.
func ParseCategory(s string) (Category, bool) {
	for i, n := range categoryNames {
		if strings.EqualFold(s, n) {
			return Category(i), true
		}
	}
	return Unknown, false
}

// NeedsConsent reports whether a cookie or tracker of this category may only
// be used after the visitor agreed. Unknown needs consent: what we cannot
// name, we do not let through by default.
func (c Category) NeedsConsent() bool { return c != Necessary }
