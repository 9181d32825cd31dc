package middleware

import (
	"maps"
	"net/http"
	"strings"
)

// The response side of a transformation needs help from the request side:
// a conditional request must be judged against the tags the handler issued
// (etag.go), and a document meant to be rewritten must arrive whole and
// identity-encoded. The helpers work on request headers and never modify
// the map they are given: a change is made on a shallow copy whose changed
// fields get new slices, so outer middleware keeps seeing the request it
// passed on.

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
