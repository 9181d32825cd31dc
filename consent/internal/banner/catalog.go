package banner

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// resolved is every string of every served language, looked up once through
// a private x/text catalog. The process-wide message.DefaultCatalog is never
// touched: two Renderers with different overrides must not see each other.
type resolved struct {
	langs    []language.Tag
	strings  map[language.Tag]map[string]string
	printers map[language.Tag]*message.Printer
	seps     map[language.Tag]string // between list items; see langData.listSep
}

func buildCatalog(opts Options) (*resolved, error) {
	def := opts.DefaultLanguage
	if def == (language.Tag{}) {
		def = language.English
	}
	if _, err := builtinLangs(); err != nil {
		return nil, err
	}
	base := builtin()
	// English first: it is what the matcher falls back to.
	baseTags := []language.Tag{language.English}
	for _, code := range slices.Sorted(maps.Keys(base)) {
		if code != "en" {
			baseTags = append(baseTags, language.MustParse(code))
		}
	}
	baseMatcher := language.NewMatcher(baseTags)

	// Every language starts from a complete set of strings: its own
	// built-in ones, or, for a language the app adds, those of the closest
	// built-in language.
	sets := map[language.Tag]map[string]string{}
	seps := map[language.Tag]string{}
	for _, t := range baseTags {
		sets[t] = maps.Clone(base[t.String()])
		seps[t] = builtinLang(t).listSep()
	}
	overrides := map[language.Tag]map[string]string{}
	for code, m := range opts.Strings {
		t, err := language.Parse(code)
		if err != nil {
			return nil, fmt.Errorf("banner: Options.Strings: language %q: %w", code, err)
		}
		t = canonicalAlias(t)
		if _, ok := sets[t]; !ok {
			from := language.English
			if _, i, c := baseMatcher.Match(t); c >= language.High {
				from = baseTags[i]
			}
			sets[t] = maps.Clone(base[from.String()])
			seps[t] = seps[from]
		}
		if overrides[t] == nil {
			overrides[t] = map[string]string{}
		}
		maps.Copy(overrides[t], m)
	}
	if _, ok := sets[def]; !ok {
		_, i, c := baseMatcher.Match(def)
		if c < language.High {
			return nil, fmt.Errorf("banner: Options.DefaultLanguage %s is not served; add its strings", def)
		}
		def = baseTags[i]
	}

	known := map[string]bool{}
	for _, k := range Keys() {
		known[k] = true
	}
	for _, c := range opts.Categories {
		for _, suffix := range []string{keyTitleSuffix, keyDescSuffix} {
			known[categoryKey(c.ID, suffix)] = true
		}
	}

	b := catalog.NewBuilder(catalog.Fallback(language.English))
	res := &resolved{
		strings:  map[language.Tag]map[string]string{},
		printers: map[language.Tag]*message.Printer{},
		seps:     seps,
	}
	for t, set := range sets {
		// The app's own category texts replace the built-in ones, then the
		// per-language overrides replace both.
		for _, c := range opts.Categories {
			if c.Title != "" {
				set[categoryKey(c.ID, keyTitleSuffix)] = c.Title
			}
			if c.Description != "" {
				set[categoryKey(c.ID, keyDescSuffix)] = c.Description
			}
		}
		for k, v := range overrides[t] {
			if !known[k] {
				return nil, fmt.Errorf("banner: Options.Strings[%q]: unknown key %q", t, k)
			}
			if err := checkOverride(k, v); err != nil {
				return nil, fmt.Errorf("banner: Options.Strings[%q][%q]: %w", t, k, err)
			}
			set[k] = v
		}
		for _, c := range opts.Categories {
			if set[categoryKey(c.ID, keyTitleSuffix)] == "" {
				return nil, fmt.Errorf("banner: category %q needs a Title (no built-in text for it in %s)", c.ID, t)
			}
		}
		for k, v := range set {
			msg := v
			if !isFormatKey(k) {
				msg = strings.ReplaceAll(v, "%", "%%")
			}
			if err := b.SetString(t, k, msg); err != nil {
				return nil, fmt.Errorf("banner: catalog %s %q: %w", t, k, err)
			}
		}
		res.langs = append(res.langs, t)
	}

	slices.SortFunc(res.langs, func(a, b language.Tag) int { return strings.Compare(a.String(), b.String()) })
	i := slices.Index(res.langs, def)
	res.langs = slices.Insert(slices.Delete(res.langs, i, i+1), 0, def)

	for _, t := range res.langs {
		p := message.NewPrinter(t, message.Catalog(b))
		m := make(map[string]string, len(sets[t]))
		for k := range sets[t] {
			if isFormatKey(k) {
				continue // needs its argument: formatted when rendering
			}
			m[k] = p.Sprintf(k)
		}
		res.strings[t] = m
		res.printers[t] = p
	}
	return res, nil
}

// checkOverride keeps app strings from breaking formatting or the renderer's
// placeholders.
func checkOverride(key, v string) error {
	if v == "" {
		return fmt.Errorf("empty text")
	}
	if strings.Contains(v, sentinelPrefix) {
		return fmt.Errorf("contains the reserved text %q", sentinelPrefix)
	}
	if strings.Contains(v, "${") {
		return fmt.Errorf("contains %q, which the message catalog reserves", "${")
	}
	if !isFormatKey(key) {
		return nil
	}
	// Count the verbs the way fmt assigns arguments: %s takes the next
	// one, %[n]s takes n (so that a language can name the category
	// first) and moves the next one past it. Every argument must be
	// used exactly once.
	want := formatArgs(key)
	verbs, used, next := 0, 0, 1
	for i := 0; i < len(v); i++ {
		if v[i] != '%' {
			continue
		}
		switch {
		case i+1 < len(v) && v[i+1] == '%':
			i++
			continue
		case i+1 < len(v) && v[i+1] == 's':
			i++
		case want > 1 && i+4 < len(v) && v[i+1] == '[' && v[i+3] == ']' && v[i+4] == 's' && '1' <= v[i+2] && v[i+2] <= '9':
			next = int(v[i+2] - '0')
			i += 4
		case want > 1:
			return fmt.Errorf("only %%s and %%%% may follow '%%', or %%[n]s to reorder")
		default:
			return fmt.Errorf("only %%s and %%%% may follow '%%'")
		}
		verbs++
		if next <= want {
			used |= 1 << next
		}
		next++
	}
	if verbs != want || used != (1<<(want+1))-2 {
		if want == 1 {
			return fmt.Errorf("needs exactly one %%s for the categories, has %d", verbs)
		}
		return fmt.Errorf("needs exactly two %%s, the host and the category, each once; has %d", verbs)
	}
	return nil
}
