package middleware

// The commit model (text for doc.go; the lead merges it).
//
// An intercepted response has exactly one commit point: the moment its final
// status and headers are handed to the next writer. Every path that can make
// net/http send headers reaches it first: WriteHeader with a final status,
// Write (also an empty one), WriteString, ReadFrom and io.Copy, Flush and
// FlushError (also through http.ResponseController), Hijack, and the end of
// the handler when it wrote nothing. At the commit point the interceptor
//
//  1. gathers every Set-Cookie field, whatever the case of its key, under the
//     canonical key and keeps only the lines Hooks.KeepCookie accepts, byte for
//     byte as the handler wrote them;
//  2. takes Set-Cookie out of a declared Trailer and filters Set-Cookie
//     trailers set through http.TrailerPrefix;
//  3. calls Hooks.Commit once with the real status and headers; it may add or
//     remove headers and chooses the body: a transform.Transformer, or nil for
//     pass-through;
//  4. when a transformation applies, removes Content-Length and Accept-Ranges
//     and makes the ETag depend on Body.Variant; on a 304 it applies a
//     Variant the hook returns without a Transformer, since the client
//     holds the transformed representation (StripETagVariant is the
//     request-side half).
//
// When the handler set no Content-Type, the commit waits for the first 512
// bytes (or a flush, or the end of the handler) so the type can be sniffed as
// net/http would, and the Commit hook decides on the real type.
//
// The handler writes headers into a map of its own, which the commit copies
// into the next writer's map; what it changes afterwards is never sent, even
// by an outer layer that sends that map late, and is reported as an event.
// Trailers are copied again when the handler returns, Set-Cookie trailers
// filtered with KeepCookie.
//
// 1xx responses other than 101 are not commits: they are forwarded with every
// Set-Cookie field taken out. A second final WriteHeader is dropped. After a
// panic nothing buffered is sent, the headers left behind reach the next
// writer's map filtered (or as committed), so an outer recoverer's error
// page carries no refused cookie, and the panic continues unchanged (there
// is no recover).

import (
	"net/http"

	"golang.org/x/text/transform"
)

// Hooks receive the decisions an interceptor needs. Every method gets the
// request being served, so one value can serve all requests and read
// request-scoped state from r.Context(); a per-request value works too. Methods
// are never called concurrently for one request, and run while the
// interceptor holds its lock: they must not call the ResponseWriter.
type Hooks interface {
	// KeepCookie reports whether a Set-Cookie line written by the handler
	// may be sent. It is called for every line at the commit point, and
	// again on the paths that bypass the commit: Set-Cookie trailers, the
	// header map left behind by a panic, and the map a handler hijacks
	// with. Lines added to the header map after the commit are never sent
	// and not judged. A kept line is sent byte for byte.
	KeepCookie(r *http.Request, line string) bool

	// Commit runs exactly once per final response, after the Set-Cookie
	// lines have been filtered and just before the headers are committed.
	// It may change h (for example add Vary or a deletion cookie; lines it
	// adds are not filtered) and returns the body decision. It does not
	// run for a hijacked connection that never wrote a response.
	Commit(r *http.Request, status int, h http.Header) Body

	// Event reports something the caller may want to log or count. It must
	// not write to the response.
	Event(r *http.Request, e Event)
}

// Body is the body decision returned by Hooks.Commit. The zero value passes
// the body through untouched.
type Body struct {
	// Transformer rewrites the body as it streams, or is nil for
	// pass-through. It must be ready to use; the interceptor never calls
	// Reset. It is applied only to identity-encoded, non-range responses
	// that have a body; otherwise the response passes through and, for
	// encoded or range responses, an EventNotEnforced is reported.
	Transformer transform.Transformer

	// Variant names the transformation, so that caches keep transformed
	// variants apart: a strong or weak ETag "x" becomes "x-Variant". It
	// must be made of letters, digits, '-', '_' and '.'; when it is empty
	// or invalid the ETag is removed instead. A transformed response, and
	// a 304 given a Variant, lose Last-Modified: a date cannot tell
	// variants apart, and If-Modified-Since would confirm any of them.
	//
	// A 304 Not Modified confirms the representation the client holds, so
	// on a 304 a non-empty Variant is applied to the ETag even without a
	// Transformer. A hook returns it when the client holds the transformed
	// representation, which it knows when StripETagVariant found the
	// variant in the request's validators. Without that, the 304's plain
	// ETag would replace the variant one in the client's cache.
	Variant string

	// MaxPending bounds how many input bytes the Transformer may leave
	// unconsumed while it waits for more (an unfinished tag, say). Zero
	// means 64 KiB. A Transformer that needs more fails the response with
	// ErrTransformStalled.
	MaxPending int
}

// HookFuncs adapts plain functions to Hooks. A nil KeepCookie keeps no
// cookie, a nil Commit passes every body through, and a nil Event ignores
// events.
type HookFuncs struct {
	KeepCookieFunc func(r *http.Request, line string) bool
	CommitFunc     func(r *http.Request, status int, h http.Header) Body
	EventFunc      func(r *http.Request, e Event)
}

// KeepCookie calls f.KeepCookieFunc, or refuses the cookie when it is nil.
func (f *HookFuncs) KeepCookie(r *http.Request, line string) bool {
	return f.KeepCookieFunc != nil && f.KeepCookieFunc(r, line)
}

// Commit calls f.CommitFunc, or passes the body through when it is nil.
func (f *HookFuncs) Commit(r *http.Request, status int, h http.Header) Body {
	if f.CommitFunc == nil {
		return Body{}
	}
	return f.CommitFunc(r, status, h)
}

// Event calls f.EventFunc when it is set.
func (f *HookFuncs) Event(r *http.Request, e Event) {
	if f.EventFunc != nil {
		f.EventFunc(r, e)
	}
}

// Wrap returns a handler that serves next through an interceptor driven by h.
// It panics if h is nil.
func Wrap(next http.Handler, h Hooks) http.Handler {
	if h == nil {
		panic("middleware: Wrap with nil Hooks")
	}
	if next == nil {
		panic("middleware: Wrap with nil handler")
	}
	return &wrapped{next: next, hooks: h}
}

type wrapped struct {
	next  http.Handler
	hooks Hooks
}

func (wh *wrapped) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	Serve(w, r, wh.next, wh.hooks)
}

// Serve serves r with next, writing through an interceptor driven by h. It is
// the per-request form of Wrap, for middleware that has already put state in
// r's context or that passes per-request Hooks. The ResponseWriter next
// receives is valid only until Serve returns; later calls fail with
// ErrWriterClosed, also from a goroutine that was writing while next
// returned (Serve waits for a call in progress to end). It panics if h is
// nil.
func Serve(w http.ResponseWriter, r *http.Request, next http.Handler, h Hooks) {
	new(Interceptor).Serve(w, r, next, h)
}

// An Interceptor holds the state of one intercepted request. The package's
// Serve allocates one per request; middleware that allocates a per-request
// value anyway (its Hooks, say) can embed an Interceptor in it and call its
// Serve method to save that allocation. The zero value is ready to use.
//
// An Interceptor serves exactly one request, so that a ResponseWriter kept
// past its request stays dead instead of reaching another request's state:
// serving a second request with it panics. It must not be copied.
type Interceptor struct {
	ic interceptor
}

// Serve is the package-level Serve, keeping its per-request state in x.
// It panics if h is nil or if x has served before.
func (x *Interceptor) Serve(w http.ResponseWriter, r *http.Request, next http.Handler, h Hooks) {
	if h == nil {
		panic("middleware: Serve with nil Hooks")
	}
	ic := &x.ic
	if ic.used {
		panic("middleware: Interceptor used for a second request")
	}
	rw := ic.start(w, r, h)
	completed := false
	defer func() {
		if !completed {
			// Panicking: no recover, so the stack and ErrAbortHandler
			// travel on; only make sure nothing refused can leave.
			ic.abort()
		}
	}()
	next.ServeHTTP(rw, r)
	completed = true
	ic.finish()
}
