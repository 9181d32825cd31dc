package consent

import (
	"net/http"
	"strings"
)

// addVary adds the tokens to the Vary header unless present (compared
// ignoring case) or unless Vary is "*", which already varies on
// everything.
func addVary(h http.Header, tokens ...string) { addVaryLine(h, strings.Join(tokens, ", "), nil) }

// addVaryLine is addVary for tokens already joined as they are sent
// ("Cookie, Sec-GPC"): when Vary names none of them, line itself is added,
// and a Vary the response did not have takes its slice from store (the
// request's own storage, see requestState.hv) when store has room, so the
// common case allocates nothing.
func addVaryLine(h http.Header, line string, store []string) {
	have := h["Vary"]
	for _, l := range have {
		for v := range strings.SplitSeq(l, ",") {
			if strings.TrimSpace(v) == "*" {
				return
			}
		}
	}
	missing, total := 0, 0
	for t := range strings.SplitSeq(line, ",") {
		total++
		if !varies(have, strings.TrimSpace(t)) {
			missing++
		}
	}
	if missing == 0 {
		return
	}
	add := line
	if missing < total {
		var b strings.Builder
		for t := range strings.SplitSeq(line, ",") {
			if t = strings.TrimSpace(t); !varies(have, t) {
				if b.Len() > 0 {
					b.WriteString(", ")
				}
				b.WriteString(t)
			}
		}
		add = b.String()
	}
	if len(have) == 0 && cap(store) > 0 {
		have = store[:0]
	}
	h["Vary"] = append(have, add)
}

// varies reports whether the Vary lines name token, ignoring case.
func varies(lines []string, token string) bool {
	for _, l := range lines {
		for v := range strings.SplitSeq(l, ",") {
			if strings.EqualFold(strings.TrimSpace(v), token) {
				return true
			}
		}
	}
	return false
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
//
// When the response has no Permissions-Policy, the field is adOffPolicy,
// in a slice taken from store when it has room (see addVaryLine).
func mergePermissionsPolicy(h http.Header, store []string) {
	if len(h["Permissions-Policy"]) == 0 {
		if cap(store) == 0 {
			store = make([]string, 0, 1)
		}
		h["Permissions-Policy"] = append(store[:0], adOffPolicy)
		return
	}
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

// adOffPolicy is the Permissions-Policy that turns off every ad feature
// and nothing else, what mergePermissionsPolicy sends when the response has
// none of its own.
const adOffPolicy = "browsing-topics=(), join-ad-interest-group=(), run-ad-auction=(), attribution-reporting=()"

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
