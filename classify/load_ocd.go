package classify

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Columns of the Open Cookie Database CSV that the loader reads, by their
// header names; columns are found by name, so their order may change.
const (
	ocdPlatform  = "Platform"
	ocdCategory  = "Category"
	ocdName      = "Cookie / Data Key name"
	ocdDesc      = "Description"
	ocdRetention = "Retention period"
	ocdWildcard  = "Wildcard match"
)

var ocdColumns = []string{ocdPlatform, ocdCategory, ocdName, ocdDesc, ocdRetention, ocdWildcard}

// ocdCategories is the database's closed list of categories, compared
// ignoring case.
var ocdCategories = map[string]Category{
	"functional":      Necessary,
	"security":        Necessary,
	"necessary":       Necessary,
	"personalization": Preferences,
	"analytics":       Analytics,
	"marketing":       Marketing,
}

// LoadOpenCookieDatabase reads the Open Cookie Database
// (github.com/jkwakman/Open-Cookie-Database, Apache-2.0) in its CSV form,
// open-cookie-database.csv, and returns its cookies as a Catalog with no
// tracker hosts. Merge it over Builtin to use it alongside crumb's own table.
//
// The first line must be the database's header; the columns Platform,
// Category, "Cookie / Data Key name", Description, "Retention period" and
// "Wildcard match" are found by name, the others are ignored. Each row
// becomes one Cookie: Platform is its Provider, Description its Purpose,
// "Retention period" its Retention. Categories map as
//
//	Functional, Security, Necessary -> Necessary
//	Personalization                 -> Preferences
//	Analytics                       -> Analytics
//	Marketing                       -> Marketing
//
// A row whose "Wildcard match" is 1 becomes a prefix rule ("_ga_" becomes
// "_ga_*"), and a name's "__Host-" or "__Secure-" prefix is dropped, as
// LookupCookie drops it from the names it is asked about. The Domain column is not used: it documents the vendor, while
// the cookie is usually set on the site that embeds the vendor's script, so
// limiting the rule to it would make the rule miss. Rows naming a storage key
// that cannot be a cookie name (it holds a space, ';', ',' or '=') are
// skipped. When a name appears more than once, the row needing the most
// consent wins (Marketing over Analytics over Preferences over Necessary).
//
// The database's category list is closed, so an unknown category is an
// error, as are a missing header column, a row with the wrong number of
// fields, broken quoting, an empty name and a wildcard flag other than 0, 1
// or empty; each error names the line. Input beyond 32 MiB is refused.
func LoadOpenCookieDatabase(r io.Reader) (*Catalog, error) {
	return loadOpenCookieDatabase(r, maxLoadBytes)
}

func loadOpenCookieDatabase(r io.Reader, limit int64) (*Catalog, error) {
	cookies, err := parseOpenCookieDatabase(r, limit)
	if err != nil {
		return nil, err
	}
	c, err := NewCatalog(cookies, nil)
	if err != nil {
		return nil, fmt.Errorf("classify: open cookie database: %w", err)
	}
	return c, nil
}

func parseOpenCookieDatabase(r io.Reader, limit int64) ([]Cookie, error) {
	const prefix = "classify: open cookie database"
	cr := csv.NewReader(limitReader(r, limit))
	cr.ReuseRecord = true
	// FieldsPerRecord stays 0: the header fixes the count for every row.

	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty input, want a header line", prefix)
	}
	if err != nil {
		return nil, csvError(prefix, err)
	}
	col := make(map[string]int, len(ocdColumns))
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		col[h] = i
	}
	var idx [6]int
	for i, name := range ocdColumns {
		j, ok := col[name]
		if !ok {
			return nil, fmt.Errorf("%s line 1: header lacks column %q", prefix, name)
		}
		idx[i] = j
	}
	iPlatform, iCategory, iName, iDesc, iRetention, iWildcard := idx[0], idx[1], idx[2], idx[3], idx[4], idx[5]

	var set cookieSet
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(prefix, err)
		}
		line, _ := cr.FieldPos(0)
		field := func(i int) string { return strings.TrimSpace(rec[i]) }

		cat, ok := ocdCategories[strings.ToLower(field(iCategory))]
		if !ok {
			return nil, fmt.Errorf("%s line %d: unknown category %q", prefix, line, field(iCategory))
		}
		name := field(iName)
		if name == "" {
			return nil, fmt.Errorf("%s line %d: empty cookie name", prefix, line)
		}
		switch field(iWildcard) {
		case "0", "":
		case "1":
			if !strings.HasSuffix(name, "*") {
				name += "*"
			}
		default:
			return nil, fmt.Errorf("%s line %d: wildcard match %q, want 0 or 1", prefix, line, field(iWildcard))
		}
		// Lookups strip "__Host-" and "__Secure-" from the cookie's name
		// before matching, so the rule must be written without them.
		name = stripCookiePrefix(name)
		if validPattern(name) != nil || stripCookiePrefix(name) != name {
			continue // a storage key, or a name no lookup can reach
		}
		set.add(Cookie{
			Pattern:   name,
			Category:  cat,
			Provider:  field(iPlatform),
			Purpose:   field(iDesc),
			Retention: field(iRetention),
		})
	}
	return set.list, nil
}

// csvError reports a csv.Reader error with the line it occurred on.
func csvError(prefix string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s line %d: %w", prefix, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %w", prefix, err)
}
