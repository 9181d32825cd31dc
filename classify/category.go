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

// strictness ranks the categories by how much consent they need; see
// Stricter.
var strictness = [...]uint8{
	Unknown:     0,
	Necessary:   1,
	Preferences: 2,
	Analytics:   3,
	Social:      4,
	Marketing:   5,
}

// Stricter returns whichever of a and b needs more consent, in the one
// order classify uses wherever two categories compete for the same host,
// URL or cookie (a host with an endpoint of another kind, a ping listing
// several URLs, a database listing a host twice):
//
//	Marketing > Social > Analytics > Preferences > Necessary > Unknown
//
// Marketing follows visitors across sites to target them, and is what
// visitors refuse most. Social media and external players see the visitor
// on every site that embeds them and feed the same vendors' advertising
// profiles, so they come next. Analytics measures one site's audience (some
// regulators exempt first-party audience measurement from consent);
// Preferences only remembers choices. Unknown ranks last here because it
// says nothing: when one listing knows a category, that category is the
// better answer. On a tie, a is returned.
func Stricter(a, b Category) Category {
	if rank(b) > rank(a) {
		return b
	}
	return a
}

func rank(c Category) uint8 {
	if int(c) < len(strictness) {
		return strictness[c]
	}
	return 0
}
