// Package consent is crumb's policy layer and public face: consent categories
// configured in code, the visitor's signed consent cookie, and the middleware
// that enforces the visitor's choices on every response.
package consent
