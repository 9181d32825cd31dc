// Package classify knows what a cookie or an embedded resource is. It holds
// knowledge, not policy: nothing here knows what a visitor allowed. The
// consent package joins these answers with the visitor's choices.
//
// # What a cookie is
//
// [SetCookieLifetime] reads the lifetime of a Set-Cookie line the way a
// browser does: Max-Age wins over Expires, dates follow the lenient
// cookie-date algorithm of RFC 6265 §5.1.1 ([ParseCookieDate]), a Max-Age of
// zero or less or a past Expires is a deletion, and lifetimes are capped at
// the 400 days browsers enforce. [SetCookieName] and [TrimCookiePrefix] give the name
// that rules are written for, without the __Host- and __Secure- prefixes.
//
//	lt := classify.SetCookieLifetime("_ga=GA1.1.42; Max-Age=63072000; Path=/", time.Now())
//	lt.Persistent // true
//	lt.Capped     // true: browsers keep it 400 days, not two years
//
// # First or third party
//
// [Site] is the registrable domain (eTLD+1) by the Public Suffix List,
// private section included, so a.github.io and b.github.io are different
// sites while shop.example.co.uk and www.example.co.uk are the same one.
// [ThirdParty] compares a resource URL or a cookie Domain with the page's
// host, and [HostOf] takes the host of an absolute or protocol-relative URL
// as browsers read it.
//
// # Which category
//
// A [Catalog] maps cookie names and tracker hosts to a [Category]:
//
//	c, ok := classify.Builtin().LookupCookie("_ga_ABC123", "")
//	// c.Category == classify.Analytics, c.Provider == "Google Analytics"
//	t, ok := classify.Builtin().LookupHost("stats.g.doubleclick.net")
//	// t.Category == classify.Marketing
//
// Cookie rules are exact names, prefixes ("_ga_*") and simple patterns
// ("*csrf*"): an exact name beats the longest prefix, which beats a pattern,
// and a rule limited to a domain beats the same rule without one. A cookie no
// rule names, set for a listed tracker host, takes that tracker's category.
// Host rules match a host and all its subdomains, the most specific first.
// Exact, prefix and host lookups allocate nothing.
//
// [Builtin] is crumb's own catalog, curated from vendors' public cookie
// documentation and kept as two readable CSV files under classify/catalog.
// Hosts a page needs to work (payment, CDNs, captchas) are left out of the
// tracker table on purpose: a necessary tracker is a contradiction. Unknown is
// never necessary: what no rule names needs consent under a strict policy.
// eval_test.go scores the catalog against the Open Cookie Database by name
// alone, as a server sees a Set-Cookie line, and against the public tracker
// lists.
//
// Users who want a full public database load it and merge it over the
// built-in one; entries of the loaded catalog win:
//
//	ocd, err := classify.LoadOpenCookieDatabase(f)
//	cat := classify.Builtin().Merge(ocd)
//
// [LoadOpenCookieDatabase], [LoadDisconnect], [LoadDuckDuckGo] and
// [LoadThirdPartyWeb] read the formats of those projects; obtaining the files,
// and respecting their licences, is left to the user. Each documents how the
// list's categories map onto crumb's; none lists shared infrastructure
// (google.com, googleapis.com, gstatic.com, cloudfront.net, cloudflare.com,
// wp.com...) or a consent-management platform's hosts, whatever category
// the list gives them, so loading a list never withholds a site's fonts,
// libraries or consent banner. Where a list names a host twice, the
// strictest category wins, in the order of [Stricter].
//
// # Beacons and inline scripts
//
// [Catalog.ResolveURL] judges a URL by its host and its collection endpoint
// together (www.facebook.com is social, its /tr pixel marketing).
// [Catalog.Beacon] tells whether an img, iframe or similar element is a web
// beacon (what ResolveURL finds, or a tiny or hidden cross-site image with an
// id-like query), [Catalog.PingBeacon] does the same for ping= and
// attributionsrc= URL lists, and [Catalog.ScriptTracker] whether an inline
// script body loads or calls a tracker. Beacon and PingBeacon build on
// ResolveURL, so every element that fetches a URL gets the same category.
//
// All functions are pure and safe for concurrent use; a Catalog is immutable
// once built.
package classify
