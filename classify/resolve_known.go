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
