// Package middleware is crumb's mechanism layer. It lets a caller see and
// change every response's headers exactly once, just before they are
// committed, and pass its body through a transformer as it streams. It knows
// nothing about consent: decisions come in through [Hooks].
//
// # The commit model
//
// An intercepted response has exactly one commit point: the moment its final
// status and headers are handed to the next writer. Every path that can make
// net/http send headers reaches it first: WriteHeader with a final status,
// Write (also an empty one), WriteString, ReadFrom and io.Copy, Flush and
// FlushError (also through [net/http.ResponseController]), Hijack, and the end
// of the handler when it wrote nothing. At the commit point the interceptor
//
//  1. gathers every Set-Cookie field, whatever the case of its key, under the
//     canonical key and keeps only the lines [Hooks] KeepCookie accepts, byte
//     for byte as the handler wrote them;
//  2. takes Set-Cookie out of a declared Trailer and filters Set-Cookie
//     trailers set through [net/http.TrailerPrefix];
//  3. calls Commit once with the real status and headers; it may add or
//     remove headers and chooses the [Body]: a transform.Transformer, or nil
//     for pass-through;
//  4. when a transformation applies, removes Content-Length, Accept-Ranges
//     and Last-Modified, and makes the ETag depend on Body.Variant.
//
// Content-Type fields stored under another spelling are folded into the
// canonical key, and [ContentType] reads the type the way a browser does
// (the last valid entry of every field). When the handler set no
// Content-Type, the commit waits for the first 512 bytes (or a flush, or the
// end of the handler) so that the type is sniffed as net/http would, and
// Commit decides on the real type. An explicit nil Content-Type is kept, so
// none is sent, but the browser then sniffs: Commit sees the type sniffed
// from the same bytes. Encoded bodies
// (Content-Encoding other than identity, set by the handler), range responses
// and bodiless responses (HEAD, 204, 304) are never transformed; an encoded or
// range body that would have been is reported as [EventNotEnforced].
//
// The handler's header map is its own: the commit copies it, filtered, into
// the next writer's map, as net/http snapshots it. Whatever the handler
// changes afterwards (a Set-Cookie added or replaced, a Content-Type changed
// to HTML, through w.Header() or a map it kept from before) is never sent,
// by net/http or by an outer layer that sends the header map late, at a
// later Write or Flush (gzhttp does); the change is reported as
// [EventHeaderAfterCommit]. Only trailers are copied again when the handler
// returns, Set-Cookie trailers filtered with KeepCookie.
//
// 1xx responses other than 101 are not commits: they are forwarded with every
// Set-Cookie field taken out. A second final WriteHeader is dropped. After a
// panic nothing buffered is sent, the handler's headers reach the next
// writer's map filtered with KeepCookie (before the commit) or as committed
// (after it), so that an outer recoverer's error page carries no refused
// cookie, and the panic continues unchanged (there is no recover, so
// http.ErrAbortHandler still cuts the connection).
//
// The writer is valid until the handler returns. A goroutine that still
// writes then is serialised with the end of the request: its call either
// completes first or fails with [ErrWriterClosed], as does every later one;
// it never reaches the pooled buffers and transformer state that the end of
// the request releases.
//
// Put the interceptor inside compression middleware (compression outermost)
// and outside anything that sets cookies. For reverse proxies, [ModifyResponse]
// applies the same hooks to an *http.Response, which also covers proxied
// protocol upgrades that bypass any ResponseWriter.
//
// The streaming HTML rewriter that consent plugs into [Body] lives in
// package [github.com/crumbhq/crumb/middleware/rewrite].
package middleware
