package consent

import (
	"net/http"
	"strings"
)

// addVary adds the tokens to the Vary header unless present (compared
// ignoring case) or unless Vary is "*", which already varies on
// everything.
func addVary(h http.Header, tokens ...string) {
	have := h.Values("Vary")
	var missing []string
	for _, t := range tokens {
		found := false
		for _, line := range have {
			for _, v := range strings.Split(line, ",") {
				v = strings.TrimSpace(v)
				if v == "*" {
					return
				}
				if strings.EqualFold(v, t) {
					found = true
				}
			}
		}
		if !found {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		h.Add("Vary", strings.Join(missing, ", "))
	}
}

// adFeatures are the Permissions-Policy features of the browser's ad APIs:
// Topics, Protected Audience (interest groups and auctions) and
// Attribution Reporting. While marketing is not granted crumb turns them
// off, so that a script that still runs cannot use them either.
var adFeatures = [...]string{
	"browsing-topics",
	"join-ad-interest-group",
	"run-ad-auction",
	"attribution-reporting",
}

// mergePermissionsPolicy disables the ad features in h's Permissions-Policy
// and keeps every other directive the application set. An application
// directive for one of those features is replaced: the visitor's refusal
// is stricter than any allowlist.
func mergePermissionsPolicy(h http.Header) {
	var b strings.Builder
	for _, line := range h.Values("Permissions-Policy") {
		for _, member := range splitTopLevel(line) {
			member = strings.TrimSpace(member)
			if member == "" {
				continue
			}
			key, _, _ := strings.Cut(member, "=")
			if isAdFeature(strings.TrimSpace(key)) {
				continue
			}
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			b.WriteString(member)
		}
	}
	for _, f := range adFeatures {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f)
		b.WriteString("=()")
	}
	h.Set("Permissions-Policy", b.String())
}

func isAdFeature(k string) bool {
	for _, f := range adFeatures {
		if strings.EqualFold(k, f) {
			return true
		}
	}
	return false
}

// splitTopLevel splits a structured-field dictionary at commas outside
// quoted strings and parentheses.
func splitTopLevel(s string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			if depth > 0 {
				depth--
			}
		case c == ',' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// isHTML reports whether a media type, as middleware.ContentType returns
// it, names an HTML document.
func isHTML(mediaType string) bool {
	return mediaType == "text/html" || mediaType == "application/xhtml+xml"
}
