package middleware

import (
	"bytes"
	"io"
	"net/http"
)

// ModifyResponse returns a function for httputil.ReverseProxy.ModifyResponse
// that applies h to every proxied response with InterceptResponse. It panics
// if h is nil.
//
// ModifyResponse is the only place a proxied upgrade (101) response can be
// filtered: the proxy hijacks the client connection and prints it itself.
// The proxy forwards 1xx responses through its ResponseWriter, so wrap the
// proxy with Wrap as well to take cookies out of those; the body is then
// seen twice, so choose a Transformer in only one of the two Commit calls
// (for example by marking the request context).
func ModifyResponse(h Hooks) func(*http.Response) error {
	if h == nil {
		panic("middleware: ModifyResponse with nil Hooks")
	}
	return func(res *http.Response) error { return InterceptResponse(res, h) }
}

// InterceptResponse applies h to a response that is about to be forwarded,
// as the interceptor does at its commit point: Set-Cookie lines are filtered
// with KeepCookie, Commit runs once with res.Request, and a chosen
// Transformer replaces res.Body with a reader that transforms it, with
// Content-Length dropped. The body of a 101 response (the upgraded
// connection) is never touched. Set-Cookie trailers are filtered with
// KeepCookie when the body reaches its end.
func InterceptResponse(res *http.Response, h Hooks) error {
	if res.Header == nil {
		res.Header = make(http.Header)
	}
	ic := &interceptor{req: res.Request, hooks: h, status: res.StatusCode}
	hdr := res.Header
	ic.filterCookies(hdr, false, false)
	// Not announced; whatever arrives is filtered at EOF.
	delete(res.Trailer, setCookie)
	upgrade := res.StatusCode == http.StatusSwitchingProtocols
	hasBody := !upgrade && res.Body != nil && res.Body != http.NoBody
	head := res.Request != nil && res.Request.Method == http.MethodHead
	// As in the interceptor: no Content-Type is sniffed by net/http when
	// it forwards the response, and one that names no valid type is
	// sniffed by the browser, so Commit sees the sniffed type then too.
	given, typed := hdr["Content-Type"]
	shown := false
	if (!typed || browserSniffs(given)) && hasBody && !head && bodyAllowedForStatus(res.StatusCode) {
		detected, err := sniffResponse(res)
		if err != nil {
			return err
		}
		if detected != "" {
			hdr["Content-Type"] = append(given[:len(given):len(given)], detected)
			shown = typed
		}
	}
	b := h.Commit(res.Request, res.StatusCode, hdr)
	if shown {
		hdr["Content-Type"] = given
	}
	if b.Transformer != nil && !upgrade && ic.decideBody(hdr, &b) != bodyPass {
		res.ContentLength = -1
		if hasBody {
			res.Body = newTransformReader(res.Body, b.Transformer, b.MaxPending)
		}
	}
	if hasBody && (len(res.TransferEncoding) > 0 || res.ProtoMajor >= 2 || res.Trailer != nil) {
		res.Body = &trailerGuard{rc: res.Body, res: res, ic: ic}
	}
	return nil
}

// sniffResponse returns the Content-Type net/http would detect ("" for an
// empty body), keeping the peeked bytes in front of the body.
func sniffResponse(res *http.Response) (string, error) {
	buf := make([]byte, sniffLen)
	n, err := io.ReadFull(res.Body, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", err
	}
	buf = buf[:n]
	res.Body = &peekedBody{Reader: io.MultiReader(bytes.NewReader(buf), res.Body), c: res.Body}
	if n == 0 {
		return "", nil
	}
	return http.DetectContentType(buf), nil
}

type peekedBody struct {
	io.Reader
	c io.Closer
}

func (p *peekedBody) Close() error { return p.c.Close() }

// trailerGuard filters Set-Cookie trailers once the transport has filled
// res.Trailer, which it does when the body reaches EOF.
type trailerGuard struct {
	rc   io.ReadCloser
	res  *http.Response
	ic   *interceptor
	done bool
}

func (g *trailerGuard) Read(p []byte) (int, error) {
	n, err := g.rc.Read(p)
	if err == io.EOF {
		g.filter()
	}
	return n, err
}

func (g *trailerGuard) Close() error {
	err := g.rc.Close()
	g.filter()
	return err
}

func (g *trailerGuard) filter() {
	if g.done || len(g.res.Trailer) == 0 {
		return
	}
	g.done = true
	t := g.res.Trailer
	removed := 0
	for k, v := range t {
		if !isCookieKey(k) {
			continue
		}
		kept, n := g.ic.keep(v)
		removed += n
		if len(kept) == 0 {
			delete(t, k)
		} else {
			t[k] = kept
		}
	}
	if removed > 0 {
		g.ic.event(Event{Kind: EventTrailerCookie, Status: g.ic.status, Count: removed})
	}
}
