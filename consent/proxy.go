package consent

import (
	"net/http"
	"strings"

	"github.com/crumbhq/crumb/middleware"
)

// ModifyResponse enforces consent on a response of httputil.ReverseProxy,
// for a proxy that is not itself wrapped by Middleware:
//
//	proxy.ModifyResponse = m.ModifyResponse
//
// It filters Set-Cookie, adds deletion lines, Vary and Permissions-Policy,
// and rewrites HTML bodies, as the middleware does. Request cookies reach
// the upstream unless the proxy is wrapped: prefer wrapping the proxy with
// Middleware, which also strips refused request cookies and sees 1xx
// responses, and set ModifyResponse as well: behind the middleware it only
// judges the Set-Cookie lines of protocol upgrades (101), which
// ReverseProxy writes itself after hijacking the connection, out of any
// ResponseWriter's reach.
//
// Used alone, it learns the page's host from the outbound request, whose
// Host a Rewrite calling SetURL replaces with the upstream's: keep the
// visitor's (pr.Out.Host = pr.In.Host), or wrap the proxy, or deletion
// lines name the upstream's domain and every resource looks third party.
func (m *Manager) ModifyResponse(resp *http.Response) error {
	r := resp.Request
	if r == nil {
		r = &http.Request{Header: http.Header{}}
	}
	if rs, ok := r.Context().Value(ctxKey{}).(*requestState); ok && rs.m == m {
		if resp.StatusCode == http.StatusSwitchingProtocols {
			rs.filterUpgrade(r, resp.Header)
		}
		return nil // the middleware around the proxy enforces the rest
	}
	rs := m.begin(r)
	rs.host, rs.hostKnown = requestHost(r), true // no copy of r to learn it from later
	return middleware.InterceptResponse(resp, rs)
}

// filterUpgrade drops the Set-Cookie lines of an upgrade response that the
// visitor's consent refuses, under any case of the header key.
func (rs *requestState) filterUpgrade(r *http.Request, h http.Header) {
	for k, lines := range h {
		if !strings.EqualFold(k, "Set-Cookie") {
			continue
		}
		kept := lines[:0:0]
		for _, l := range lines {
			if rs.KeepCookie(r, l) {
				kept = append(kept, l)
			}
		}
		if len(kept) == 0 {
			delete(h, k)
		} else {
			h[k] = kept
		}
	}
}
