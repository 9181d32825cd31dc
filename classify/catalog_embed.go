package classify

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

//go:embed catalog/cookies.csv
var builtinCookiesCSV string

//go:embed catalog/trackers.csv
var builtinTrackersCSV string

// builtin parses the embedded catalog once. The files are part of the
// source tree and a test parses them, so a failure here is a build defect.
var builtin = sync.OnceValue(func() *Catalog {
	c, err := parseCatalogCSV(builtinCookiesCSV, builtinTrackersCSV)
	if err != nil {
		panic(err)
	}
	return c
})

// Builtin returns crumb's own curated catalog: the cookies and tracker hosts
// that real sites commonly carry, each with provider, purpose and typical
// retention, written from vendors' public documentation. The data lives in
// classify/catalog/*.csv. Every call returns the same immutable Catalog; use
// Merge to extend or override it with a loaded one.
func Builtin() *Catalog { return builtin() }

var (
	cookieHeader  = []string{"pattern", "domain", "category", "provider", "purpose", "retention"}
	trackerHeader = []string{"host", "category", "provider"}
)

// parseCatalogCSV reads the two catalog files: comma-separated with a
// header line, '#' starting a comment line.
func parseCatalogCSV(cookiesCSV, trackersCSV string) (*Catalog, error) {
	var cookies []Cookie
	err := readCSV("cookies.csv", cookiesCSV, cookieHeader, func(line int, f []string) error {
		cat, ok := ParseCategory(f[2])
		if !ok {
			return fmt.Errorf("unknown category %q", f[2])
		}
		cookies = append(cookies, Cookie{Pattern: f[0], Domain: f[1], Category: cat, Provider: f[3], Purpose: f[4], Retention: f[5]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	var trackers []Tracker
	err = readCSV("trackers.csv", trackersCSV, trackerHeader, func(line int, f []string) error {
		cat, ok := ParseCategory(f[1])
		if !ok {
			return fmt.Errorf("unknown category %q", f[1])
		}
		trackers = append(trackers, Tracker{Host: f[0], Category: cat, Provider: f[2]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return NewCatalog(cookies, trackers)
}

func readCSV(name, data string, header []string, row func(line int, fields []string) error) error {
	r := csv.NewReader(strings.NewReader(data))
	r.Comment = '#'
	r.FieldsPerRecord = len(header)
	first := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("classify: %s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		if first {
			first = false
			if !slices.Equal(rec, header) {
				return fmt.Errorf("classify: %s:%d: header %q, want %q", name, line, rec, header)
			}
			continue
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if err := row(line, rec); err != nil {
			return fmt.Errorf("classify: %s:%d: %w", name, line, err)
		}
	}
}
