package classify

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// disconnectCategories maps the top-level categories of services.json.
// Fingerprinting, e-mail tracking and cryptomining hosts serve nothing the
// visitor asked for and follow them across sites, so they go with the
// strictest category. Content is what the visitor came for, served by
// companies that also track (fonts, libraries, CDNs, payment, video, maps):
// Disconnect's extension lets it load by default and Firefox's standard
// tracking protection blocks it only in private windows; listing it would withhold google.com, googleapis.com,
// cloudfront.net or wp.com before consent, so it is skipped.
var disconnectCategories = map[string]Category{
	"Advertising":            Marketing,
	"Analytics":              Analytics,
	"Social":                 Social,
	"Content":                Unknown,
	"Disconnect":             Marketing, // older lists: Facebook, Google, Twitter tracking domains
	"FingerprintingInvasive": Marketing,
	"FingerprintingGeneral":  Marketing,
	"Cryptomining":           Marketing,
	"Email":                  Marketing,
	"EmailAggressive":        Marketing,
	// Not trackers; skipped rather than declared necessary.
	"Anti-fraud":      Unknown,
	"ConsentManagers": Unknown,
}

// LoadDisconnect reads Disconnect's tracking protection list, services.json
// (github.com/disconnectme/disconnect-tracking-protection), and returns its
// domains as tracker hosts. Each host matches itself and its subdomains.
//
// The list is licensed CC BY-NC-SA 4.0 by Disconnect, Inc.; commercial use
// needs a licence from Disconnect. crumb neither ships nor fetches it:
// obtaining the file, and the right to use it, is up to the caller.
//
// Categories map as
//
//	Advertising, Disconnect                        -> Marketing
//	FingerprintingInvasive, FingerprintingGeneral  -> Marketing
//	Email, EmailAggressive, Cryptomining           -> Marketing
//	Analytics                                      -> Analytics
//	Social                                         -> Social
//	Content, Anti-fraud, ConsentManagers           -> skipped
//
// Content is the embedded content a visitor asked for (fonts, script
// libraries, CDNs, payment, maps, players), which Disconnect's extension
// lets load by default; Anti-fraud and ConsentManagers hosts are not trackers. None of
// them is declared necessary either: they are simply not in the table.
// Nor is any host of crumb's exception list of shared infrastructure and
// consent tools (google.com, googleapis.com, gstatic.com, cloudfront.net,
// cloudflare.com, wp.com, the consent-management platforms...), whatever
// category lists it; a tracking subdomain listed by its own name still
// loads. Categories the
// loader does not know are skipped too, because Disconnect adds categories
// from time to time and a newer list must still load. A host listed under
// several categories gets the strictest of them (see Stricter), so a host
// both Analytics and FingerprintingInvasive is Marketing. The service name is the
// Provider. Entries that carry a path ("example.com/pixel") are skipped: a
// host table cannot express them, and listing the whole host would be wrong.
//
// A malformed file is an error naming the JSON offset or field; so is a
// domain that is not a host name. Input beyond 32 MiB is refused.
func LoadDisconnect(r io.Reader) (*Catalog, error) {
	return loadDisconnect(r, maxLoadBytes)
}

func loadDisconnect(r io.Reader, limit int64) (*Catalog, error) {
	trackers, err := parseDisconnect(r, limit)
	return loadTrackerList("classify: disconnect services.json", trackers, err)
}

func parseDisconnect(r io.Reader, limit int64) ([]Tracker, error) {
	data, err := readAllLimited(r, limit)
	if err != nil {
		return nil, err
	}
	// services.json: {"categories": {"<category>": [{"<service>":
	// {"<homepage URL>": ["domain", ...], "<flag>": "true"}}, ...]}}.
	// Each category is decoded on its own so an error can name it.
	var doc struct {
		Categories map[string]json.RawMessage `json:"categories"`
	}
	if err := decodeJSON(data, &doc); err != nil {
		return nil, err
	}
	if doc.Categories == nil {
		return nil, fmt.Errorf(`field "categories" missing or null`)
	}
	// JSON objects arrive as Go maps; walk the categories in sorted order so
	// that equal-rank conflicts resolve the same way every time.
	var set trackerSet
	for _, catName := range slices.Sorted(maps.Keys(doc.Categories)) {
		cat := disconnectCategories[catName]
		if cat == Unknown {
			continue
		}
		path := fmt.Sprintf("categories[%q]", catName)
		var entries []map[string]map[string]json.RawMessage
		if err := decodeJSONAt(doc.Categories[catName], &entries, path); err != nil {
			return nil, err
		}
		for i, entry := range entries {
			for _, service := range slices.Sorted(maps.Keys(entry)) {
				field := fmt.Sprintf("%s[%d][%q]", path, i, service)
				if err := addDisconnectService(&set, cat, service, entry[service], field); err != nil {
					return nil, err
				}
			}
		}
	}
	return set.list, nil
}

// addDisconnectService adds the domains of one service. Its properties are
// domain lists keyed by the service's home page, and flags such as
// "performance": "true".
func addDisconnectService(set *trackerSet, cat Category, service string, props map[string]json.RawMessage, path string) error {
	for _, k := range slices.Sorted(maps.Keys(props)) {
		field := fmt.Sprintf("%s[%q]", path, k)
		var flag string
		if json.Unmarshal(props[k], &flag) == nil {
			continue
		}
		var domains []string
		if err := json.Unmarshal(props[k], &domains); err != nil {
			return fmt.Errorf("field %s: want a list of domains or a string", field)
		}
		for j, d := range domains {
			if strings.IndexByte(d, '/') >= 0 {
				continue // a URL prefix, not a host
			}
			h, ok := listHost(d)
			if !ok {
				return fmt.Errorf("field %s[%d]: %q is not a host name", field, j, d)
			}
			set.add(Tracker{Host: h, Category: cat, Provider: service})
		}
	}
	return nil
}
