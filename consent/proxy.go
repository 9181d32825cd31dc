package consent

import (
	"net/http"

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
// responses; a wrapped proxy's ModifyResponse call is a no-op.
func (m *Manager) ModifyResponse(resp *http.Response) error {
	r := resp.Request
	if r == nil {
		r = &http.Request{Header: http.Header{}}
	}
	if rs, ok := r.Context().Value(ctxKey{}).(*requestState); ok && rs.m == m {
		return nil // the middleware around the proxy enforces already
	}
	rs := m.begin(r)
	return middleware.InterceptResponse(resp, rs)
}
