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
	return strings.ToLower(lastType(h["Content-Type"])) // no allocation when already lower case
}

// lastType returns the "type/subtype" of the last valid entry of values,
// as written.
func lastType(values []string) string {
	if len(values) == 1 && strings.IndexByte(values[0], ',') < 0 {
		// The common case: one field, one entry.
		mt, _ := essence(values[0])
		return mt
	}
	found := ""
	for _, field := range values {
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

// browserSniffs reports whether a browser sniffs a body sent with these
// Content-Type values: none names a valid type, or the last valid one is
// one of the "unknown" types of the MIME Sniffing standard. (With
// X-Content-Type-Options: nosniff a browser does not sniff HTML there;
// judging such a body by its bytes is the safe side.)
func browserSniffs(values []string) bool {
	switch mt := lastType(values); len(mt) {
	case 0:
		return true
	case len("unknown/unknown"):
		return strings.EqualFold(mt, "unknown/unknown")
	case len("application/unknown"):
		return strings.EqualFold(mt, "application/unknown")
	}
	return false
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

// essence returns the "type/subtype" of one Content-Type entry as written,
// and false when it is not a valid media type or is "*/*". One pass, no
// allocation: it runs for every response.
func essence(entry string) (string, bool) {
	i := 0
	for i < len(entry) && isOWS(entry[i]) {
		i++
	}
	start := i
	for i < len(entry) && tokenByte[entry[i]] {
		i++
	}
	if i == start || i >= len(entry) || entry[i] != '/' {
		return "", false
	}
	i++
	sub := i
	for i < len(entry) && tokenByte[entry[i]] {
		i++
	}
	if i == sub {
		return "", false
	}
	end := i
	for i < len(entry) && isOWS(entry[i]) {
		i++
	}
	if i < len(entry) && entry[i] != ';' {
		return "", false
	}
	if mt := entry[start:end]; mt != "*/*" {
		return mt, true
	}
	return "", false
}

func isOWS(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// tokenByte marks the bytes an HTTP token may hold (RFC 9110).
var tokenByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("!#$%&'*+-.^_`|~", byte(c)) >= 0
	}
	return t
}()

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
