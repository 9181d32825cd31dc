package classify

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// duckDuckGoCategories maps the tags of a tds.json tracker entry. Tags that
// describe a function rather than tracking are in duckDuckGoFunctional;
// the others (Ad Fraud, Malware, Obscure Ownership, ...) contribute no
// category of their own.
var duckDuckGoCategories = map[string]Category{
	"Advertising":                     Marketing,
	"Ad Motivated Tracking":           Marketing,
	"Third-Party Analytics Marketing": Marketing,
	"Action Pixels":                   Marketing,
	"Analytics":                       Analytics,
	"Audience Measurement":            Analytics,
	"Session Replay":                  Analytics,
	"Social Network":                  Social,
	"Social - Share":                  Social,
	"Social - Comment":                Social,
	"Embedded Content":                Social,
	"Badge":                           Social,
	"Support Chat Widget":             Social,
}

// duckDuckGoFunctional are the tags of a service the visitor uses rather
// than one that watches them: a blocked entry tagged only with these (and
// no tracking tag) is not loaded, because withholding it breaks the site
// (payment, sign-in, the CDN) or its consent banner.
var duckDuckGoFunctional = map[string]bool{
	"CDN":                         true,
	"Content Delivery":            true,
	"Online Payment":              true,
	"SSO":                         true,
	"Federated Login":             true,
	"Fraud Prevention":            true,
	"Consent Management Platform": true,
}

// LoadDuckDuckGo reads a DuckDuckGo Tracker Radar blocklist, tds.json
// (github.com/duckduckgo/tracker-blocklists, for example
// web/v6/extension-tds.json), and returns its trackers as tracker hosts.
// Each host matches itself and its subdomains.
//
// The blocklists are licensed CC BY-NC-SA 4.0 by Duck Duck Go, Inc. crumb
// neither ships nor fetches them: obtaining the file, and the right to use
// it, is up to the caller.
//
// Only entries whose "default" is "block" are loaded. An entry with default
// "ignore" is one DuckDuckGo itself lets load (google.com, gstatic.com,
// cloudflare.com, ...), blocking only some paths through its "rules"; a
// host table cannot express those paths, and marking the whole host would
// block far too much. The entry's "categories" tags map as
//
//	Advertising, Ad Motivated Tracking,
//	Third-Party Analytics Marketing, Action Pixels  -> Marketing
//	Analytics, Audience Measurement, Session Replay -> Analytics
//	Social Network, Social - Share, Social - Comment,
//	Embedded Content, Badge, Support Chat Widget    -> Social
//
// and the strictest tag wins (see Stricter). A blocked entry whose tags are
// all functional (CDN, Content Delivery, Online Payment, SSO, Federated
// Login, Fraud Prevention, Consent Management Platform) is skipped: it is
// a service the visitor uses, and withholding it breaks the site. Other
// tags (Ad Fraud, Obscure Ownership, ...) and tags the loader does not
// know are ignored. A blocked entry with no mapped tag and no functional
// one, the common case, is Marketing: DuckDuckGo blocks a host when it
// follows visitors across sites, and that is what the strictest category
// is for. The owner's display name is the Provider.
//
// Hosts of crumb's exception list of shared infrastructure and consent
// tools are never loaded, whatever the entry says: DuckDuckGo blocks some
// consent-management platforms (Didomi, Osano, CookieScript) with no tag
// at all, and a site using one would lose its banner. A tracking subdomain
// listed by its own name still loads.
//
// The "cnames" section maps first-party host names to the trackers they
// alias (CNAME cloaking). A cloaked name whose target falls under a loaded
// tracker becomes a tracker host of its own, with the target's category and
// provider.
//
// A malformed file is an error naming the JSON offset or field; so is a
// tracker key that is not a host name. Input beyond 32 MiB is refused.
func LoadDuckDuckGo(r io.Reader) (*Catalog, error) {
	return loadDuckDuckGo(r, maxLoadBytes)
}

func loadDuckDuckGo(r io.Reader, limit int64) (*Catalog, error) {
	trackers, err := parseDuckDuckGo(r, limit)
	return loadTrackerList("classify: duckduckgo tds.json", trackers, err)
}

type ddgTracker struct {
	Owner struct {
		Name        string `json:"name"`
		DisplayName string `json:"displayName"`
	} `json:"owner"`
	Default    string   `json:"default"`
	Categories []string `json:"categories"`
}

func parseDuckDuckGo(r io.Reader, limit int64) ([]Tracker, error) {
	data, err := readAllLimited(r, limit)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Trackers map[string]json.RawMessage `json:"trackers"`
		CNAMEs   map[string]string          `json:"cnames"`
	}
	if err := decodeJSON(data, &doc); err != nil {
		return nil, err
	}
	if doc.Trackers == nil {
		return nil, fmt.Errorf(`field "trackers" missing or null`)
	}
	var set trackerSet
	for _, k := range slices.Sorted(maps.Keys(doc.Trackers)) {
		path := fmt.Sprintf("trackers[%q]", k)
		host, ok := listHost(k)
		if !ok {
			return nil, fmt.Errorf("field %s: key is not a host name", path)
		}
		var t *ddgTracker
		if err := decodeJSONAt(doc.Trackers[k], &t, path); err != nil {
			return nil, err
		}
		if t == nil || t.Default != "block" {
			continue
		}
		cat, functional := Unknown, len(t.Categories) > 0
		for _, tag := range t.Categories {
			cat = Stricter(cat, duckDuckGoCategories[tag])
			functional = functional && duckDuckGoFunctional[tag]
		}
		if cat == Unknown {
			if functional {
				continue
			}
			cat = Marketing
		}
		provider := t.Owner.DisplayName
		if provider == "" {
			provider = t.Owner.Name
		}
		set.add(Tracker{Host: host, Category: cat, Provider: provider})
	}

	// Resolve cloaked names against the trackers proper only, and add them
	// afterwards, so the result does not depend on the order of the cnames.
	var cloaked []Tracker
	for _, alias := range slices.Sorted(maps.Keys(doc.CNAMEs)) {
		target := doc.CNAMEs[alias]
		a, ok := listHost(alias)
		if !ok {
			return nil, fmt.Errorf("field cnames[%q]: key is not a host name", alias)
		}
		tg, ok := listHost(target)
		if !ok {
			return nil, fmt.Errorf("field cnames[%q]: %q is not a host name", alias, target)
		}
		if t, ok := walkUp(&set, tg); ok {
			cloaked = append(cloaked, Tracker{Host: a, Category: t.Category, Provider: t.Provider})
		}
	}
	for _, t := range cloaked {
		set.add(t)
	}
	return set.list, nil
}

// walkUp finds host or its nearest listed parent in s.
func walkUp(s *trackerSet, host string) (Tracker, bool) {
	for {
		if t, ok := s.lookup(host); ok {
			return t, true
		}
		i := strings.IndexByte(host, '.')
		if i < 0 {
			return Tracker{}, false
		}
		host = host[i+1:]
	}
}
