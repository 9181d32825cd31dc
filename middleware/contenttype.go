package middleware

import (
	"net/http"
	"slices"
	"strings"
)

// ContentType returns the media type a browser takes from h's Content-Type
// fields, as "type/subtype" in lower case, or "" when none is valid. It
// follows the Fetch standard's "extract a MIME type": every field value is
// split on commas outside quoted strings, and the last entry that parses
// as a type wins; "*/*" and unparsable entries are skipped. A handler that
// sets a framework default and then adds its own type ("text/plain", then
// "text/html") has its page rendered as the second, and ContentType says
// so, where a look at the first value would not.
//
// Only the canonical key is read. The interceptor folds Content-Type fields
// stored under other spellings into it before Hooks.Commit runs, in the
// order net/http sends them.
func ContentType(h http.Header) string {
	v := h["Content-Type"]
	if len(v) == 1 && strings.IndexByte(v[0], ',') < 0 {
		// The common case: one field, one entry.
		if mt, ok := essence(v[0]); ok {
			return mt
		}
		return ""
	}
	found := ""
	for _, field := range v {
		for len(field) > 0 {
			entry, rest := cutEntry(field)
			if mt, ok := essence(entry); ok {
				found = mt
			}
			field = rest
		}
	}
	return found
}

// browserSniffs reports whether a browser sniffs a body whose type
// ContentType read as mediaType: none valid, or one of the "unknown" types
// of the MIME Sniffing standard. (With X-Content-Type-Options: nosniff a
// browser does not sniff HTML there; judging such a body as the bytes say
// is the safe side.)
func browserSniffs(mediaType string) bool {
	return mediaType == "" || mediaType == "unknown/unknown" || mediaType == "application/unknown"
}

// cutEntry splits s at its first comma outside a quoted string.
func cutEntry(s string) (entry, rest string) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// essence returns the lower-cased "type/subtype" of one Content-Type
// entry, and false when it is not a valid media type or is "*/*".
func essence(entry string) (string, bool) {
	mt, _, _ := strings.Cut(entry, ";")
	mt = strings.Trim(mt, " \t\r\n")
	typ, sub, ok := strings.Cut(mt, "/")
	if !ok || !isToken(typ) || !isToken(sub) || (typ == "*" && sub == "*") {
		return "", false
	}
	return strings.ToLower(mt), true // no allocation when already lower case
}

// isToken reports whether s is a non-empty HTTP token (RFC 9110).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// foldKeys gathers the fields of h stored under spellings of canon other
// than canon itself (net/http sends keys as stored, and a browser reads
// names without regard to case) into canon, in the order net/http writes
// them: keys sorted bytewise. It reports whether there was any.
func foldKeys(h http.Header, canon string) bool {
	var store [4]string
	keys := store[:0]
	odd := false
	total := 0
	for k, v := range h {
		if len(k) == len(canon) && strings.EqualFold(k, canon) {
			keys = append(keys, k)
			total += len(v)
			odd = odd || k != canon
		}
	}
	if !odd {
		return false
	}
	slices.Sort(keys)
	merged := make([]string, 0, total)
	for _, k := range keys {
		merged = append(merged, h[k]...)
		delete(h, k)
	}
	h[canon] = merged
	return true
}
