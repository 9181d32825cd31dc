package classify

// Cookie describes a cookie name rule of a catalog: which cookies it matches,
// the category they belong to, and what a cookie declaration shows about them.
type Cookie struct {
	// Pattern is the cookie name the rule matches: an exact name ("_fbp"), a
	// prefix ending in "*" ("_ga_*"), or a simple pattern with "*" standing
	// for any run of characters ("*_session"). Exact rules beat prefixes,
	// longer prefixes beat shorter ones, and patterns come last.
	Pattern string
	// Domain, when set, limits the rule to cookies set for that registrable
	// domain (for example "hotjar.com"); empty matches any domain.
	Domain    string
	Category  Category
	Provider  string // who sets it, e.g. "Google Analytics"
	Purpose   string // one sentence, written for a cookie declaration
	Retention string // typical lifetime as people read it: "session", "13 months"
}

// Tracker describes a host that serves tracking or embedded third-party
// content.
type Tracker struct {
	// Host matches itself and every subdomain: "doubleclick.net" matches
	// "stats.g.doubleclick.net".
	Host     string
	Category Category
	Provider string
}
