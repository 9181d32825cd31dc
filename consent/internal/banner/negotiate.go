package banner

import (
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// maxAcceptLanguage bounds the header text parsed per request; real browsers
// send well under 200 bytes.
const maxAcceptLanguage = 512

// Negotiate picks the language to render. chosen, the language the visitor
// picked earlier and kept in the consent state, wins when it is served;
// otherwise the Accept-Language header is matched against the served
// languages; otherwise the default language is used. The result is always
// one of Languages().
func (r *Renderer) Negotiate(acceptLanguage, chosen string) language.Tag {
	if chosen == "" && len(acceptLanguage) <= maxAcceptLanguage {
		// Visitors send few distinct headers; matching one costs
		// microseconds and a dozen allocations, a repeat costs a lookup.
		return r.negotiated.get(acceptLanguage, func() language.Tag {
			return r.negotiate(acceptLanguage, "")
		})
	}
	return r.negotiate(acceptLanguage, chosen)
}

func (r *Renderer) negotiate(acceptLanguage, chosen string) language.Tag {
	if chosen != "" {
		if t, err := language.Parse(chosen); err == nil {
			if _, ok := r.byTag[t]; ok {
				return t
			}
			if _, i, c := r.matcher.Match(t); c >= language.High {
				return r.langs[i]
			}
		}
	}
	if len(acceptLanguage) > maxAcceptLanguage {
		acceptLanguage = acceptLanguage[:maxAcceptLanguage]
		if i := strings.LastIndexByte(acceptLanguage, ','); i >= 0 {
			acceptLanguage = acceptLanguage[:i]
		}
	}
	if acceptLanguage != "" {
		if tags, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil && len(tags) > 0 {
			tags = r.alsoReads(tags)
			if _, i, c := r.matcher.Match(tags...); c != language.No {
				return r.langs[i]
			}
		}
	}
	return r.langs[0]
}

// readersOf names built-in languages that the readers of another language
// read as their own, where the matcher ranks the pair below an exact match
// of a language the visitor listed later: every Nynorsk reader reads
// Bokmål, so "nn, en;q=0.5" is served nb, not English.
var readersOf = map[string]language.Tag{"nn": language.MustParse("nb")}

// alsoReads inserts, after each tag the Renderer does not serve, the
// language its readers read too (readersOf), when that one is served.
func (r *Renderer) alsoReads(tags []language.Tag) []language.Tag {
	var out []language.Tag
	for i, t := range tags {
		base, _ := t.Base()
		alt, ok := readersOf[base.String()]
		if !ok || r.served(t) || !r.served(alt) {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = append(make([]language.Tag, 0, len(tags)+1), tags[:i]...)
		}
		out = append(out, t, alt)
	}
	if out == nil {
		return tags
	}
	return out
}

// served reports whether the Renderer serves the tag's language itself
// (any region of it).
func (r *Renderer) served(t language.Tag) bool {
	base, _ := t.Base()
	for _, l := range r.langs {
		if b, _ := l.Base(); b == base {
			return true
		}
	}
	return false
}

// maxNegotiated bounds the remembered Accept-Language values. Past it the
// memory starts over, so a client sending endless distinct headers costs
// the matching it would have cost anyway and no memory.
const maxNegotiated = 512

// negotiated remembers the language matched for Accept-Language values.
// Reads take no lock; a new value takes mu, so the bound is exact.
type negotiated struct {
	m  sync.Map // string -> language.Tag
	mu sync.Mutex
	n  int // entries in m, under mu
}

func (c *negotiated) get(key string, match func() language.Tag) language.Tag {
	if t, ok := c.m.Load(key); ok {
		return t.(language.Tag)
	}
	t := match()
	c.mu.Lock()
	if _, ok := c.m.Load(key); !ok {
		if c.n >= maxNegotiated {
			c.m.Clear()
			c.n = 0
		}
		c.m.Store(strings.Clone(key), t)
		c.n++
	}
	c.mu.Unlock()
	return t
}
