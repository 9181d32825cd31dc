package classify

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// thirdPartyWebCategories maps the entity categories of third-party-web
// (data/categories.json). Categories absent here, and those mapped to
// Unknown, are skipped.
var thirdPartyWebCategories = map[string]Category{
	"ad":               Marketing,
	"marketing":        Marketing,
	"analytics":        Analytics,
	"tag-manager":      Analytics,
	"social":           Social,
	"video":            Social,
	"content":          Social,
	"customer-success": Social,
	// Infrastructure, not tracking; skipped rather than declared necessary.
	"cdn":              Unknown,
	"hosting":          Unknown,
	"utility":          Unknown,
	"consent-provider": Unknown,
	"other":            Unknown,
}

// LoadThirdPartyWeb reads the entity list of third-party-web
// (github.com/patrickhulce/third-party-web, MIT), data/entities.js
// evaluated to a JSON array of {name, company, category, domains, ...}, and
// returns the entities' domains as tracker hosts. A domain pattern
// "*.example.com" becomes the host "example.com", which matches itself and
// every subdomain; the entity's name is the Provider.
//
// Categories map as
//
//	ad, marketing                        -> Marketing
//	analytics, tag-manager               -> Analytics
//	social, video, content,
//	customer-success                     -> Social
//
// A tag manager exists to load measurement and advertising tags, so it
// waits for analytics consent. Video players, embedded content and chat
// widgets are third-party content that sees the visitor on every site that
// embeds it, which crumb files under Social with other external media.
// Entities in cdn, hosting, utility, consent-provider and other are skipped:
// they are infrastructure, not tracking, yet nothing in the list makes them
// necessary for a given site either. Categories the loader does not know
// are skipped too, so a newer list still loads. A host listed by several
// entities gets the strictest category (see Stricter). As with every
// loader, crumb's exception list of shared infrastructure and
// consent-management hosts is never loaded, whatever the entity's category.
//
// A malformed file is an error naming the JSON offset or field; so is a
// domain that is neither a host name nor "*." followed by one. Input beyond
// 32 MiB is refused.
func LoadThirdPartyWeb(r io.Reader) (*Catalog, error) {
	return loadThirdPartyWeb(r, maxLoadBytes)
}

func loadThirdPartyWeb(r io.Reader, limit int64) (*Catalog, error) {
	trackers, err := parseThirdPartyWeb(r, limit)
	return loadTrackerList("classify: third-party-web entities", trackers, err)
}

type tpwEntity struct {
	Name     string   `json:"name"`
	Category string   `json:"category"`
	Domains  []string `json:"domains"`
}

func parseThirdPartyWeb(r io.Reader, limit int64) ([]Tracker, error) {
	data, err := readAllLimited(r, limit)
	if err != nil {
		return nil, err
	}
	// Each entity is decoded on its own so an error can name its index.
	var entities []json.RawMessage
	if err := decodeJSON(data, &entities); err != nil {
		return nil, err
	}
	if entities == nil {
		return nil, fmt.Errorf("top level is null, want an array of entities")
	}
	var set trackerSet
	for i, raw := range entities {
		var e *tpwEntity
		if err := decodeJSONAt(raw, &e, fmt.Sprintf("[%d]", i)); err != nil {
			return nil, err
		}
		if e == nil {
			return nil, fmt.Errorf("field [%d]: null, want an entity", i)
		}
		cat := thirdPartyWebCategories[e.Category]
		if cat == Unknown {
			continue
		}
		for j, d := range e.Domains {
			h, ok := listHost(strings.TrimPrefix(strings.TrimSpace(d), "*."))
			if !ok {
				return nil, fmt.Errorf("field [%d].domains[%d]: %q is not a host name or *.host", i, j, d)
			}
			set.add(Tracker{Host: h, Category: cat, Provider: e.Name})
		}
	}
	return set.list, nil
}
