// Package middleware is crumb's mechanism layer: an http.ResponseWriter wrapper
// that lets a caller inspect and change the response headers exactly once, just
// before they are committed, and a streaming HTML rewriter. It knows nothing
// about consent; decisions come in as callbacks.
package middleware
