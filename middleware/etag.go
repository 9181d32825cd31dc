package middleware

import (
	"maps"
	"net/http"
	"strings"
)

// ETag variants. A transformed response's ETag names its transformation:
// the handler's tag "x" goes out as "x-Variant" (Body.Variant), so that a
// cache never confuses the handler's bytes with the transformed ones, or
// two transformations with each other. On the request side the suffix must
// come off again before the handler compares tags (StripETagVariant), and
// a request for a resource that will be transformed must not present a
// tag without it (KeepETagVariant).

// adjustETag suffixes the ETag with variant, or removes it when that is not
// possible. Both the canonical "Etag" and the common literal "ETag" key are
// handled, since net/http sends keys as stored.
func adjustETag(h http.Header, variant string) {
	for _, key := range [...]string{"Etag", "ETag"} {
		v, ok := h[key]
		if !ok || len(v) == 0 {
			continue
		}
		if tagged, ok := suffixETag(v[0], variant); ok {
			h[key] = []string{tagged}
		} else {
			delete(h, key)
		}
	}
}

func suffixETag(tag, variant string) (string, bool) {
	if !validVariant(variant) {
		return "", false
	}
	opaque := strings.TrimPrefix(tag, "W/")
	if len(opaque) < 2 || opaque[0] != '"' || opaque[len(opaque)-1] != '"' || strings.Count(opaque, `"`) != 2 {
		return "", false
	}
	return tag[:len(tag)-1] + "-" + variant + `"`, true
}

func validVariant(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// StripETagVariant returns the request header h with the suffix
// "-"+variant removed from every entity tag of If-None-Match and If-Match
// that carries it, and whether it changed anything. Transformed responses
// carry ETags suffixed with their Body.Variant; stripping the suffix lets
// the handler's own conditional logic recognise a tag it issued, so a
// transformed page still gets its 304. Tags with another variant, or none,
// are kept as they are: they name a representation the client does not get
// any more, and must not match. A field that does not parse as a list of
// entity tags is kept too (a mismatch costs a full response, never a wrong
// 304).
//
// The Commit hook of that request should return Body.Variant on a 304, so
// that the client's cached tag keeps the variant.
func StripETagVariant(h http.Header, variant string) (http.Header, bool) {
	if len(h) == 0 || !validVariant(variant) {
		return h, false
	}
	var out http.Header
	for _, key := range [...]string{"If-None-Match", "If-Match"} {
		vs, ok := h[key]
		if !ok {
			continue
		}
		stripped, changed := stripVariantTags(vs, variant)
		if !changed {
			continue
		}
		if out == nil {
			out = maps.Clone(h)
		}
		out[key] = stripped
	}
	if out == nil {
		return h, false
	}
	return out, true
}

// stripVariantTags strips the variant from the tags of every field line,
// or changes nothing when a line is not a valid entity-tag list.
func stripVariantTags(lines []string, variant string) ([]string, bool) {
	var out []string
	for i, line := range lines {
		s, changed, ok := stripLine(line, variant)
		if !ok {
			return lines, false
		}
		if changed && out == nil {
			out = make([]string, len(lines))
			copy(out, lines[:i])
		}
		if out != nil {
			out[i] = s
		}
	}
	return out, out != nil
}

// stripLine handles one field line: "*" or a comma-separated list of
// entity tags (RFC 9110, section 8.8.3), which may contain commas inside
// their quotes.
func stripLine(line, variant string) (string, bool, bool) {
	var b strings.Builder
	last := 0 // line[last:] is not yet copied to b
	changed := false
	i := 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == ',') {
			i++
		}
		if i == len(line) {
			break
		}
		if line[i] == '*' {
			i++
			continue
		}
		if strings.HasPrefix(line[i:], "W/") {
			i += 2
		}
		if i == len(line) || line[i] != '"' {
			return line, false, false
		}
		end := strings.IndexByte(line[i+1:], '"')
		if end < 0 {
			return line, false, false
		}
		end += i + 1 // the closing quote
		opaque := line[i+1 : end]
		if cut := len(opaque) - len(variant) - 1; cut >= 0 && opaque[cut] == '-' && opaque[cut+1:] == variant {
			if !changed {
				b.Grow(len(line))
			}
			changed = true
			b.WriteString(line[last : i+1+cut])
			last = end
		}
		i = end + 1
		if i < len(line) && line[i] != ',' && line[i] != ' ' && line[i] != '\t' {
			return line, false, false
		}
	}
	if !changed {
		return line, false, true
	}
	b.WriteString(line[last:])
	return b.String(), true, true
}

// KeepETagVariant returns the request header h with If-None-Match reduced
// to the entity tags that carry the suffix "-"+variant, and whether it
// changed anything; the tags keep the suffix (StripETagVariant takes it
// off). "*", tags of another variant or of none, and a field that does not
// parse as a list of entity tags are dropped, and If-None-Match is removed
// when no tag is left: for a response that will be transformed under
// variant, none of them names a representation the client got from this
// transformation, and a 304 would confirm whatever copy it holds (one
// cached before the transformation was deployed, say). The handler then
// sends the full response.
//
// Use it only for requests whose response will be transformed: a plain tag
// is the right validator for a response that passes through. If-Match is
// left alone: it guards writes and confirms no cached copy.
func KeepETagVariant(h http.Header, variant string) (http.Header, bool) {
	lines, ok := h["If-None-Match"]
	if !ok || !validVariant(variant) {
		return h, false
	}
	var kept []string
	dropped := false
	for _, line := range lines {
		if !scanTags(line, func(tag, opaque string) {
			if cut := len(opaque) - len(variant) - 1; cut > 0 && opaque[cut] == '-' && opaque[cut+1:] == variant {
				kept = append(kept, tag)
			} else {
				dropped = true
			}
		}) {
			dropped = true
		}
	}
	if !dropped {
		return h, false
	}
	out := maps.Clone(h)
	if len(kept) == 0 {
		delete(out, "If-None-Match")
	} else {
		out["If-None-Match"] = []string{strings.Join(kept, ", ")}
	}
	return out, true
}

// scanTags calls f with every entity tag of a field line and its opaque
// part (without quotes), "*" with an empty opaque part, and reports
// whether the line is a valid list. On an invalid line f may have been
// called for the tags before the error.
func scanTags(line string, f func(tag, opaque string)) bool {
	i := 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == ',') {
			i++
		}
		if i == len(line) {
			return true
		}
		start := i
		if line[i] == '*' {
			i++
			f("*", "")
		} else {
			if strings.HasPrefix(line[i:], "W/") {
				i += 2
			}
			if i == len(line) || line[i] != '"' {
				return false
			}
			end := strings.IndexByte(line[i+1:], '"')
			if end < 0 {
				return false
			}
			end += i + 1 // the closing quote
			f(line[start:end+1], line[i+1:end])
			i = end + 1
		}
		if i < len(line) && line[i] != ',' && line[i] != ' ' && line[i] != '\t' {
			return false
		}
	}
}
