package consent

import (
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/crumbhq/crumb/classify"
	"github.com/crumbhq/crumb/consent/internal/banner"
)

// Category is one purpose the visitor can accept or refuse, such as
// "analytics". It owns the cookies and tracker hosts the application declares
// for it, on top of every catalog entry of its Class.
type Category struct {
	// Name identifies the category in decisions, templates, hooks and the
	// consent cookie: 1 to 32 bytes of a-z, 0-9, '-' and '_'. Required.
	// Renaming a category makes earlier choices for it undecided.
	// "necessary" is reserved for the category of Class classify.Necessary.
	Name string

	// Class is the classify category whose catalog cookies and trackers
	// belong to this category. Zero (classify.Unknown) means: Name's
	// namesake when Name is a classify category name ("analytics"), and
	// otherwise only what Cookies and Hosts declare. Two categories cannot
	// share a Class.
	Class classify.Category

	// Title and Description are shown to the visitor by the banner and the
	// preferences page. Default: empty, and the UI falls back to its own
	// text for the built-in names.
	Title, Description string

	// SaleOrShare marks a category whose processing counts as sale or
	// sharing of personal data, or targeted advertising, so that a Sec-GPC
	// signal refuses it. Categories of Class classify.Marketing always
	// count, whatever this says. Default: false.
	SaleOrShare bool

	// Cookies declares the application's own cookies of this category (and
	// third-party ones the catalog does not know). Declared cookies are
	// looked up before the catalog. Default: none.
	Cookies []Cookie

	// Hosts declares tracker hosts of this category; a host matches itself
	// and every subdomain. Default: none.
	Hosts []string

	// ConsentMode lists the Google Consent Mode types granted together with
	// this category. Default (nil): by Class, necessary ->
	// security_storage; preferences -> functionality_storage and
	// personalization_storage; analytics -> analytics_storage; marketing ->
	// ad_storage, ad_user_data and ad_personalization; others none. An empty
	// non-nil slice maps the category to no type.
	ConsentMode []string
}

// Cookie declares one cookie (or a family of cookies) of a Category.
type Cookie struct {
	// Name is an exact cookie name ("session"), a prefix ending in '*'
	// ("_ga_*") or a pattern with '*' wildcards ("*_csrf"), without any
	// "__Host-" or "__Secure-" prefix. Required.
	Name string
	// Domain limits the declaration to cookies set for this domain. Default:
	// any domain.
	Domain string
	// Provider, Purpose and Lifetime feed the cookie declaration shown to
	// visitors. Lifetime 0 means a session cookie. Defaults: empty, and
	// Provider and Purpose are then taken from the catalog when it knows
	// the name.
	Provider, Purpose string
	Lifetime          time.Duration
	// Paths are the Path attributes the cookie is set with, used to delete
	// it on withdrawal. Default: "/".
	Paths []string
}

// The Google Consent Mode types, in the order ConsentMode reports them;
// the first numAdTypes are the ad_* types, Marketing's by default.
var consentModeTypes = banner.ConsentModeTypes

const numAdTypes = 3

// defaultConsentMode is Category.ConsentMode's default for class c, as
// its doc comment lists it.
func defaultConsentMode(c classify.Category) []string {
	t := consentModeTypes
	switch c {
	case classify.Necessary:
		return t[6:7:7]
	case classify.Preferences:
		return t[4:6:6]
	case classify.Analytics:
		return t[3:4:4]
	case classify.Marketing:
		return t[:numAdTypes:numAdTypes]
	}
	return nil
}

// DefaultCategories returns the categories a zero Config gets: preferences,
// analytics, marketing (sale or share) and social, each fed by its classify
// namesake. Append to the result or edit it to declare the application's
// cookies.
func DefaultCategories() []Category {
	return []Category{
		{Name: "preferences", Class: classify.Preferences, Title: "Preferences",
			Description: "Remember choices such as language or region."},
		{Name: "analytics", Class: classify.Analytics, Title: "Analytics",
			Description: "Measure how the site is used, to improve it."},
		{Name: "marketing", Class: classify.Marketing, Title: "Marketing", SaleOrShare: true,
			Description: "Advertising, retargeting and conversion tracking, often by third parties."},
		{Name: "social", Class: classify.Social, Title: "Social media",
			Description: "Embedded social media and external media players."},
	}
}

// NecessaryName is the name of the category that is always granted.
const NecessaryName = "necessary"

// maxCategories bounds the configured categories; it keeps State a small,
// fixed-size value.
const maxCategories = 16

// category is the validated, resolved form of a Category.
type category struct {
	Category
	tag         uint32   // 22-bit hash of Name, the category's identity in the cookie
	saleOrShare bool     // after the Marketing rule
	consentMode []string // resolved
	modeBits    uint8    // consentMode as a bit set (modeBitsOf)
}

// nameTag is the stable 22-bit identity of a category name in the cookie.
func nameTag(name string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(name))
	return h.Sum32() >> 10
}

func validName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if (b < 'a' || b > 'z') && (b < '0' || b > '9') && b != '-' && b != '_' {
			return false
		}
	}
	return true
}

// resolveCategories validates cs and returns them with the necessary
// category first (index 0), added when cs does not declare it.
func resolveCategories(cs []Category) ([]category, error) {
	if cs == nil {
		cs = DefaultCategories()
	}
	out := []category{{Category: Category{Name: NecessaryName, Class: classify.Necessary, Title: "Necessary",
		Description: "Needed for the site to work; always on."}}}
	seenClass := map[classify.Category]string{}
	seenTag := map[uint32]string{}
	seenName := map[string]bool{}
	for i, c := range cs {
		if !validName(c.Name) {
			return nil, fmt.Errorf("consent: category %d: name %q must be 1-32 bytes of a-z, 0-9, '-' or '_'", i, c.Name)
		}
		if seenName[c.Name] {
			return nil, fmt.Errorf("consent: duplicate category %q", c.Name)
		}
		seenName[c.Name] = true
		if c.Class == classify.Unknown {
			if k, ok := classify.ParseCategory(c.Name); ok {
				c.Class = k
			}
		}
		if c.Class > classify.Social {
			return nil, fmt.Errorf("consent: category %q: unknown class %d", c.Name, c.Class)
		}
		if (c.Name == NecessaryName) != (c.Class == classify.Necessary) {
			return nil, fmt.Errorf("consent: category %q: only the category named %q can have class necessary", c.Name, NecessaryName)
		}
		if c.Class != classify.Unknown {
			if prev, dup := seenClass[c.Class]; dup {
				return nil, fmt.Errorf("consent: categories %q and %q both have class %s", prev, c.Name, c.Class)
			}
			seenClass[c.Class] = c.Name
		}
		if c.Class == classify.Necessary && c.SaleOrShare {
			return nil, fmt.Errorf("consent: category %q cannot be sale or share: it cannot be refused", c.Name)
		}
		for _, t := range c.ConsentMode {
			if !slices.Contains(consentModeTypes[:], t) {
				return nil, fmt.Errorf("consent: category %q: unknown consent mode type %q", c.Name, t)
			}
		}
		rc := category{Category: c}
		rc.Cookies = slices.Clone(c.Cookies)
		rc.Hosts = slices.Clone(c.Hosts)
		rc.saleOrShare = c.SaleOrShare || c.Class == classify.Marketing
		rc.consentMode = c.ConsentMode
		if rc.consentMode == nil {
			rc.consentMode = defaultConsentMode(c.Class)
		}
		if c.Name == NecessaryName {
			if c.Title == "" {
				rc.Title, rc.Description = out[0].Title, out[0].Description
			}
			out[0] = rc
			continue
		}
		rc.tag = nameTag(c.Name)
		if prev, dup := seenTag[rc.tag]; dup {
			return nil, fmt.Errorf("consent: category names %q and %q collide in the cookie encoding; rename one", prev, c.Name)
		}
		seenTag[rc.tag] = c.Name
		out = append(out, rc)
	}
	if len(out) > maxCategories {
		return nil, fmt.Errorf("consent: %d categories, at most %d are supported", len(out), maxCategories)
	}
	if out[0].consentMode == nil {
		out[0].consentMode = defaultConsentMode(classify.Necessary)
	}
	for i := range out {
		out[i].modeBits = modeBitsOf(out[i].consentMode)
	}
	return out, nil
}
