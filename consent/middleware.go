package consent

import (
	"net/http"
)

// Middleware wraps next so that the visitor's consent is enforced on every
// response:
//
//   - the request's State is stored in the context (FromRequest);
//   - request cookies of categories not granted are removed before next
//     sees them;
//   - Set-Cookie lines of categories not granted are dropped, whichever
//     way next wrote them, and consented persistent cookies are clamped to
//     Config.MaxCookieLifetime;
//   - the response deletes request cookies of categories not granted, for
//     every plausible Domain and Path;
//   - HTML is rewritten so that trackers of categories not granted stay
//     inert, and gets a Permissions-Policy off-switch for the browser's ad
//     APIs while marketing is not granted;
//   - Vary: Cookie, Sec-GPC is added wherever the output depends on them;
//   - rewritten pages get an ETag suffixed with a digest of the consent
//     state and of the configuration (ReportOnly, categories, catalog,
//     what is injected, crumb's version), and the suffix is taken off the
//     If-None-Match and If-Match of requests in that same state, so
//     conditional requests still get their 304 while a page of another
//     consent state or configuration is never revalidated; a navigation
//     presenting any other tag, a plain one cached before crumb included,
//     gets the full page;
//   - document requests (middleware.IsDocumentRequest) reach next without
//     Accept-Encoding, Range and If-Range, so that a compressor inside the
//     middleware sends HTML that can be rewritten.
//
// Put it inside any compression middleware (compression outermost), so
// that it sees identity-encoded HTML.
func (m *Manager) Middleware(next http.Handler) http.Handler {
	if next == nil {
		next = http.NotFoundHandler()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs := m.begin(r)
		rs.ctx = rs
		r = rs.request(r)
		defer rs.release()
		rs.ic.Serve(w, r, next, rs)
	})
}
