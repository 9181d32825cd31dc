// Package classify knows what a cookie or an embedded resource is: whether a
// cookie is a session or a persistent one, whether a URL or cookie domain is
// first or third party, whether an element is a web beacon, and which consent
// category a cookie name or tracker host belongs to.
//
// It holds knowledge, not policy: nothing here decides what a visitor allowed.
// All functions are pure, allocation-conscious and safe for concurrent use.
package classify
