package banner

import (
	"strings"

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
			if _, i, c := r.matcher.Match(tags...); c != language.No {
				return r.langs[i]
			}
		}
	}
	return r.langs[0]
}
