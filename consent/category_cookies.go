package consent

import (
	"fmt"
	"maps"
	"slices"
)

// addCookies appends Config.Cookies to the resolved categories they name,
// in name order so that an error is the same on every run.
func addCookies(cats []category, add map[string][]Cookie) error {
	for _, name := range slices.Sorted(maps.Keys(add)) {
		i := slices.IndexFunc(cats, func(c category) bool { return c.Name == name })
		if i < 0 {
			return fmt.Errorf("consent: Cookies: %q is not a category", name)
		}
		cats[i].Cookies = append(cats[i].Cookies, add[name]...)
	}
	return nil
}
