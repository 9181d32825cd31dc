package classify

import "strings"

// ResolveKnownHost is ResolveURL for a caller that has looked the host up
// already: t and known are what LookupHost(host) returned. It serves
// callers that remember lookups per host (a streaming rewriter sees the
// same few hosts all page long) or that resolve a relative URL against a
// document's <base> themselves: host is the host u reaches, and u may be
// relative. Only the host's part of the answer may be remembered per host;
// the endpoint part depends on u's path and query, which ResolveKnownHost
// reads each time. The result is the one ResolveURL gives for the
// absolute URL. It does not allocate.
func ResolveKnownHost(t Tracker, known bool, host, u string) (Category, BeaconReason, bool) {
	hostCat := Unknown
	if known {
		hostCat = t.Category
	}
	path, query := pathQuery(strings.TrimSpace(u))
	r := resolveKnown(hostCat, host, path, query)
	return r.cat, r.reason, r.reason != 0
}

// ResolveKnownCategory is ResolveKnownHost for a caller that needs only
// the category and whether the URL loads tracking, not the reason. It gives
// the same category and ok, but skips reading the endpoint when the host's
// own category is already the strictest (Marketing): an endpoint can add a
// reason to such a host but never change its category, and a streaming
// rewriter meets ad hosts on every other tag of a tracker-heavy page. It
// does not allocate.
func ResolveKnownCategory(t Tracker, known bool, host, u string) (Category, bool) {
	if known && t.Category == Marketing {
		return Marketing, true
	}
	cat, _, ok := ResolveKnownHost(t, known, host, u)
	return cat, ok
}
