package middleware

import (
	"maps"
	"net/http"
	"strings"
)

// The response side of a transformation needs help from the request side:
// a conditional request must be judged against the tags the handler issued,
// and a document meant to be rewritten must arrive whole and identity-encoded.
// Both helpers work on request headers and never modify the map they are
// given: a change is made on a shallow copy whose changed fields get new
// slices, so outer middleware keeps seeing the request it passed on.

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

// IsDocumentRequest reports whether h is the header of a request for an
// HTML document: a navigation (Sec-Fetch-Dest document, iframe or frame)
// or a request whose Accept lists text/html or application/xhtml+xml with
// a non-zero weight, as browsers and fragment loaders such as htmx send.
func IsDocumentRequest(h http.Header) bool {
	if len(h) == 0 {
		return false
	}
	if d := h["Sec-Fetch-Dest"]; len(d) > 0 {
		switch d[0] {
		case "document", "iframe", "frame":
			return true
		}
	}
	for _, line := range h["Accept"] {
		if acceptsHTML(line) {
			return true
		}
	}
	return false
}

func acceptsHTML(line string) bool {
	for r := range strings.SplitSeq(line, ",") {
		mt, params, _ := strings.Cut(r, ";")
		mt = strings.TrimSpace(mt)
		if !strings.EqualFold(mt, "text/html") && !strings.EqualFold(mt, "application/xhtml+xml") {
			continue
		}
		if !zeroWeight(params) {
			return true
		}
	}
	return false
}

// zeroWeight reports whether media-range parameters hold q=0.
func zeroWeight(params string) bool {
	for p := range strings.SplitSeq(params, ";") {
		k, v, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		v = strings.TrimSpace(v)
		return v != "" && strings.Trim(v, "0.") == "" // "0", "0.0", "0.000"
	}
	return false
}

// StripDocumentEncoding returns the request header h without
// Accept-Encoding, Range and If-Range when h is the header of a document
// request (IsDocumentRequest), and whether it changed anything. Handlers
// and inner compressors then answer with the whole, identity-encoded
// document, which a Transformer can rewrite; without it, an encoded or
// partial document passes through unrewritten (EventNotEnforced).
// Compression outside the interceptor is unaffected: it sees the original
// request.
func StripDocumentEncoding(h http.Header) (http.Header, bool) {
	if !IsDocumentRequest(h) {
		return h, false
	}
	_, ae := h["Accept-Encoding"]
	_, rg := h["Range"]
	_, ir := h["If-Range"]
	if !ae && !rg && !ir {
		return h, false
	}
	out := maps.Clone(h)
	delete(out, "Accept-Encoding")
	delete(out, "Range")
	delete(out, "If-Range")
	return out, true
}
