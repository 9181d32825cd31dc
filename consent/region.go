package consent

import (
	"net/http"
	"strings"
)

// Region is where a visitor is, as a trusted source says: an ISO 3166-1
// alpha-2 country ("US") and, when known, the ISO 3166-2 subdivision within
// it ("CA"). The zero Region is unknown.
type Region struct {
	Country     string // upper case, "" when unknown
	Subdivision string // upper case, without the country: "CA" for US-CA
}

// Code returns "US-CA", "DE", or "" for an unknown region.
func (r Region) Code() string {
	switch {
	case r.Country == "":
		return ""
	case r.Subdivision == "":
		return r.Country
	}
	return r.Country + "-" + r.Subdivision
}

// Known reports whether the country is known.
func (r Region) Known() bool { return r.Country != "" }

// RegionResolver finds a request's region. It returns the zero Region when
// it does not know. It must only read what a trusted party wrote: a header
// that the CDN in front of the application sets and overwrites, never one a
// client could send unchallenged, and never Accept-Language, which says what
// a visitor reads, not where they are.
type RegionResolver struct {
	// Headers are the request headers the resolver reads, for Vary.
	Headers []string
	// Resolve returns the region, or the zero Region.
	Resolve func(*http.Request) Region
}

// headerRegion builds a resolver reading a country and a subdivision header.
func headerRegion(country, subdivision string) RegionResolver {
	return RegionResolver{
		Headers: []string{country, subdivision},
		Resolve: func(r *http.Request) Region {
			return ParseRegion(r.Header.Get(country), r.Header.Get(subdivision))
		},
	}
}

// CloudflareRegion reads Cloudflare's CF-IPCountry (IP Geolocation) and
// cf-region-code (the "Add visitor location headers" Managed Transform).
// Trust it only when every request reaches the application through
// Cloudflare, which overwrites both (for instance with Authenticated
// Origin Pulls or a firewall that admits only Cloudflare's addresses):
// otherwise any client can claim any region.
func CloudflareRegion() RegionResolver { return headerRegion("Cf-Ipcountry", "Cf-Region-Code") }

// CloudFrontRegion reads Amazon CloudFront's CloudFront-Viewer-Country and
// CloudFront-Viewer-Country-Region, which the distribution's origin
// request policy must forward. Trust it only when the origin is reachable
// through CloudFront alone.
func CloudFrontRegion() RegionResolver {
	return headerRegion("Cloudfront-Viewer-Country", "Cloudfront-Viewer-Country-Region")
}

// VercelRegion reads Vercel's X-Vercel-IP-Country and
// X-Vercel-IP-Country-Region, which Vercel's edge sets on every request to
// a deployment it serves.
func VercelRegion() RegionResolver {
	return headerRegion("X-Vercel-Ip-Country", "X-Vercel-Ip-Country-Region")
}

// AppEngineRegion reads Google App Engine's X-Appengine-Country and
// X-Appengine-Region, which its front end sets (and strips from clients).
func AppEngineRegion() RegionResolver {
	return headerRegion("X-Appengine-Country", "X-Appengine-Region")
}

// ParseRegion reads a country code and a subdivision code as the CDNs
// write them. The country must be two ASCII letters and not one of the
// codes the CDNs use for "unknown" (XX, ZZ) or for Tor (T1, which is not
// letters anyway); the subdivision, one to three ASCII letters or digits,
// with or without the country prefix ("CA" or "US-CA"), and it is dropped
// when malformed. Anything else is the zero Region.
func ParseRegion(country, subdivision string) Region {
	country = strings.TrimSpace(country)
	if !isCountry(country) {
		return Region{}
	}
	country = strings.ToUpper(country)
	if country == "XX" || country == "ZZ" {
		return Region{}
	}
	sub := strings.ToUpper(strings.TrimSpace(subdivision))
	if c, s, ok := strings.Cut(sub, "-"); ok {
		if c != country {
			sub = ""
		} else {
			sub = s
		}
	}
	if !isSubdivision(sub) {
		sub = ""
	}
	return Region{Country: country, Subdivision: sub}
}

func isCountry(s string) bool {
	return len(s) == 2 && isLetter(s[0]) && isLetter(s[1])
}

func isSubdivision(s string) bool {
	if len(s) == 0 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// regionOf asks the resolvers in order; the first known region wins.
func (m *Manager) regionOf(r *http.Request) Region {
	for _, res := range m.resolvers {
		if res.Resolve == nil {
			continue
		}
		if reg := res.Resolve(r); reg.Known() {
			// A custom resolver's answer is held to what ParseRegion
			// returns. ToUpper does not allocate for upper-case input.
			if !isCountry(reg.Country) || reg.Subdivision != "" && !isSubdivision(reg.Subdivision) {
				continue
			}
			return Region{Country: strings.ToUpper(reg.Country), Subdivision: strings.ToUpper(reg.Subdivision)}
		}
	}
	return Region{}
}

// policyFor returns the index of the policy for a region: the policy naming
// its subdivision, else its country, else the default policy; an unknown
// region, or a known one without a match or default, gets the strictest.
func (m *Manager) policyFor(reg Region) int {
	if len(m.policies) == 1 {
		return 0
	}
	if !reg.Known() {
		return m.strictest
	}
	if i, ok := m.byRegion[reg]; ok && reg.Subdivision != "" {
		return i
	}
	if i, ok := m.byRegion[Region{Country: reg.Country}]; ok {
		return i
	}
	if m.defaultPolicy >= 0 {
		return m.defaultPolicy
	}
	return m.strictest
}

// policyOf resolves r's region and policy.
func (m *Manager) policyOf(r *http.Request) int {
	if len(m.policies) == 1 {
		return 0
	}
	return m.policyFor(m.regionOf(r))
}

// indexPolicies fills the region lookup of m.policies.
func (m *Manager) indexPolicies() {
	m.byRegion = map[Region]int{}
	m.defaultPolicy = -1
	for i := range m.policies {
		if len(m.policies[i].Regions) == 0 {
			m.defaultPolicy = i
		}
		for _, code := range m.policies[i].Regions {
			country, sub, _ := strings.Cut(code, "-")
			m.byRegion[Region{Country: country, Subdivision: sub}] = i
		}
	}
	m.strictest = strictest(m.policies)
	// What a response that depends on the visitor varies by, joined once:
	// the cookie, the signals and the headers regions are read from.
	vary := []string{"Cookie", "Sec-GPC"}
	if m.treatDNTAsGPC {
		vary = append(vary, "DNT")
	}
	for _, res := range m.resolvers {
		vary = append(vary, res.Headers...)
	}
	m.varyLine = strings.Join(vary, ", ")
}
