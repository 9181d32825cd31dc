// Package peers tests crumb behind and beside the real libraries a Go site
// puts around it, in a module of its own so that the core module does not
// depend on them. Today that is github.com/klauspost/compress/gzhttp as the
// outermost layer, as the README asks (compression outermost): it holds
// the status and headers back until about 1 KB of body is buffered, or a
// Flush, and then sends the header map as it is by then. The tests check
// that nothing the handler changes after crumb's commit leaks that way,
// and that a goroutine writing past the end of its request is turned away
// cleanly while gzhttp and crumb's pools are in use.
package peers
