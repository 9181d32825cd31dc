package consent

import (
	"context"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/crumbhq/crumb/classify"
	"github.com/crumbhq/crumb/middleware"
)

// requestState is the middleware's per-request memory. It is the
// interceptor's Hooks, so that cookie decisions see the State as it is at
// commit time, including a decision recorded by Decide in this very
// request. One allocation holds everything a request needs: the state, the
// request next sees and the interceptor.
type requestState struct {
	// The request's context with the state attached: requestState is the
	// context value itself, which saves a context.WithValue per request.
	context.Context
	ctx   context.Context // = the requestState, or the plain request context outside the middleware
	m     *Manager
	state State
	now   time.Time
	host  string // see pageHost
	path  string

	known       []requestCookie // request cookies of optional categories
	consentLine string          // Set-Cookie line of the consent cookie to send
	clamped     []string        // clamped replacements of dropped lines
	job         *htmlJob        // pooled; released when the response is done

	// hv backs the header values Commit adds (Vary, Permissions-Policy):
	// the requestState is allocated per request anyway, and the values
	// need slices of their own (see addVaryLine).
	hv [3]string

	// The flags sit together: the state is allocated per request, and its
	// size class is worth keeping small.
	https        bool
	reissue      bool // valid cookie under a retired key: write it again
	decided      bool // Decide ran in this request
	cookieWork   bool // a cookie was judged, stripped or written: Vary
	committed    bool
	etagStripped bool // our ETag variant was stripped from the request's validators
	hostKnown    bool // host holds the page host

	req http.Request           // the request next sees (Middleware only)
	ic  middleware.Interceptor // (Middleware only)
}

type requestCookie struct {
	name     string
	category int // index into Manager.cats, -1 when undeclared
}

// begin reads the request: signals, consent cookie, and the request
// cookies of optional categories.
func (m *Manager) begin(r *http.Request) *requestState {
	now := m.now()
	ctx := r.Context()
	rs := &requestState{Context: ctx, ctx: ctx, m: m, now: now, https: r.TLS != nil}
	if r.URL != nil {
		rs.path = r.URL.Path
	}
	h := r.Header
	var sig Signals
	var lines []string
	if len(h) > 0 { // saves three lookups on bare requests
		sig = ParseSignals(h)
		lines = h["Cookie"]
	}
	var reason InvalidReason
	var ok bool
	rs.state, reason, ok, rs.reissue = m.readCookie(lines, sig, m.policyOf(r), now)
	if !ok {
		m.hooks.invalid(ctx, reason, rs.path)
	}
	if len(lines) > 0 {
		rs.host, rs.hostKnown = requestHost(r), true
		cookiePairs(lines, func(name, _ string) {
			if name == m.cookieName {
				return
			}
			// Every cookie but the necessary ones: an undeclared cookie
			// needs every optional category, as on the Set-Cookie side,
			// so "reject all" removes it too.
			if i := m.cookieCategory(classify.TrimCookiePrefix(name), rs.pageHost()); i != 0 {
				rs.known = append(rs.known, requestCookie{name, i})
				if i < 0 {
					rs.undeclared(name)
				}
			}
		})
	}
	return rs
}

// pageHost returns the lower-cased host the request was sent to. A
// request without cookies has it worked out on first use, from the request
// next sees (the same host), since a response with no cookie and no HTML
// never needs it; begin's caller outside the middleware sets it.
func (rs *requestState) pageHost() string {
	if !rs.hostKnown {
		rs.host, rs.hostKnown = requestHost(&rs.req), true
	}
	return rs.host
}

// request returns the request next sees: a copy of r, kept inside rs, whose
// context is rs, without the cookies of categories the visitor has not
// granted and with the request-side help of the interceptor (validators
// without our ETag variant, documents asked for whole and unencoded, and
// without If-Modified-Since). The
// caller's header map is never modified; it is copied when anything goes.
func (rs *requestState) request(r *http.Request) *http.Request {
	rs.req = *r.WithContext(rs) // inlined: the copy goes straight into rs
	r = &rs.req
	h := r.Header
	if len(h) == 0 {
		return r
	}
	owned := false // h is our copy
	if _, inm := h["If-None-Match"]; inm || len(h["If-Match"]) > 0 {
		h, owned = rs.validators(r, h) // etag.go
	}
	if rs.m.documentIdentity() {
		if stripped, ok := middleware.StripDocumentEncoding(h); ok {
			h, owned = stripped, true
		}
	}
	if _, ims := h["If-Modified-Since"]; ims && middleware.IsDocumentRequest(h) {
		// Rewritten pages go out without Last-Modified, since a date
		// cannot tell consent states apart; a copy validated by date
		// predates that, and a 304 would confirm it whatever state it
		// was rewritten for.
		if !owned {
			h, owned = maps.Clone(h), true
		}
		delete(h, "If-Modified-Since")
	}
	r.Header = rs.stripCookies(h, owned)
	return r
}

// stripCookies returns h without the request cookies of categories the
// visitor has not granted, so the application never reads them. h is
// changed in place only when it is owned, our copy; its value slices are
// replaced, never written to.
func (rs *requestState) stripCookies(h http.Header, owned bool) http.Header {
	var drop []string
	for _, c := range rs.known {
		if rs.state.allowsCookieAt(c.category) {
			continue
		}
		rs.cookieWork = true
		rs.report(c.name, c.category, CookieStripped, 0)
		drop = append(drop, c.name)
	}
	if len(drop) == 0 || rs.m.reportOnly {
		return h
	}
	var kept []string
	cookiePairs(h["Cookie"], func(name, value string) {
		for _, d := range drop {
			if d == name {
				return
			}
		}
		kept = append(kept, name+"="+value)
	})
	if !owned {
		h = maps.Clone(h)
	}
	if len(kept) == 0 {
		delete(h, "Cookie")
	} else {
		h["Cookie"] = []string{strings.Join(kept, "; ")}
	}
	return h
}

// documentIdentity says whether document requests reach the application
// without Accept-Encoding and Range (middleware.StripDocumentEncoding):
// unless Config.KeepDocumentEncoding is set, the strict choice, since an
// inner compressor's HTML would otherwise pass through unrewritten, its
// trackers intact.
func (m *Manager) documentIdentity() bool { return !m.keepEncoding }

func (rs *requestState) report(name string, category int, a CookieAction, lifetime time.Duration) {
	e := CookieEvent{Name: name, Action: a, ReportOnly: rs.m.reportOnly, Path: rs.path, Lifetime: lifetime}
	if category >= 0 {
		e.Category = rs.m.cats[category].Name
	}
	rs.m.hooks.CookieBlocked(rs.ctx, e)
}

// KeepCookie implements middleware.Hooks.
func (rs *requestState) KeepCookie(_ *http.Request, line string) bool {
	m := rs.m
	rs.cookieWork = true
	v := m.judgeSetCookie(&rs.state, line, rs.pageHost(), rs.now)
	if v.undeclared {
		rs.undeclared(line)
	}
	if v.action == 0 {
		return v.keep
	}
	rs.report(nameOf(line), v.category, v.action, v.lifetime)
	if m.reportOnly {
		return true
	}
	if v.clamp {
		rs.clamped = append(rs.clamped, clampLine(line, m.maxCookie, rs.now))
	}
	return v.keep
}

// undeclared reports an undeclared cookie once per name and Manager.
func (rs *requestState) undeclared(line string) {
	name := nameOf(line)
	m := rs.m
	if _, seen := m.reported.Load(name); seen {
		return
	}
	if m.reportedCount.Load() >= maxReported {
		return
	}
	if _, loaded := m.reported.LoadOrStore(name, struct{}{}); loaded {
		return
	}
	m.reportedCount.Add(1)
	m.hooks.UnknownCookie(rs.ctx, CookieEvent{Name: name, Action: CookieUndeclared, ReportOnly: m.reportOnly, Path: rs.path})
}

func nameOf(line string) string {
	name, _, _ := strings.Cut(line, ";")
	name, _, _ = strings.Cut(name, "=")
	return strings.TrimSpace(name)
}

// Commit implements middleware.Hooks: it adds the consent cookie, clamped
// and deletion lines, Vary and Permissions-Policy, and picks the body
// rewriter for HTML.
func (rs *requestState) Commit(r *http.Request, status int, h http.Header) middleware.Body {
	rs.committed = true
	m := rs.m
	if rs.consentLine == "" && rs.reissue && !rs.decided {
		if c, err := m.encodeState(&rs.state, rs.now); err == nil {
			rs.consentLine = c.String()
		}
	}
	if rs.consentLine != "" {
		h.Add("Set-Cookie", rs.consentLine)
		rs.cookieWork = true
	}
	for _, l := range rs.clamped {
		h.Add("Set-Cookie", l)
	}
	rs.withdraw(h)
	// The type as the browser will read it: the last valid one, from
	// every Content-Type field (and sniffed when the handler hid it).
	html := isHTML(middleware.ContentType(h))
	if rs.cookieWork || html || rs.etagStripped {
		addVaryLine(h, m.varyLine, rs.hv[:0:2])
	}
	if !html {
		return rs.notModified(status) // etag.go
	}
	if i := m.byClass[classMarketing]; i < 0 || !rs.state.grantedAt(int(i)) {
		mergePermissionsPolicy(h, rs.hv[2:2:3])
	}
	// The app's nonce, read before crumb's own policy joins the header:
	// that policy has none, and is long.
	nonce := cspNonce(h)
	rs.addPolicy(h) // policy.go
	in := m.inject.Load()
	placeholders := in != nil && in.ui != nil && !in.ui.own(r)
	if placeholders {
		// The placeholders, like the banner, speak the language the
		// request asks for.
		addVaryLine(h, "Accept-Language", rs.hv[:0:2])
	}
	b := rs.htmlBody(r, nonce, in, placeholders)
	b.Variant = rs.variant()
	return b
}

// withdraw deletes the request cookies of categories not granted (now,
// after any decision of this request), unless the response sets them
// itself.
func (rs *requestState) withdraw(h http.Header) {
	m := rs.m
	var lines []string
	for _, c := range rs.known {
		if rs.state.allowsCookieAt(c.category) || setsCookie(h, c.name) {
			continue
		}
		rs.cookieWork = true
		rs.report(c.name, c.category, CookieDeleted, 0)
		if m.reportOnly {
			continue
		}
		lines = deletionLines(lines, c.name, rs.pageHost(), m.pathsFor(c.name, rs.pageHost()),
			rs.https || !m.insecure, m.maxDeletions)
	}
	for _, l := range lines {
		h.Add("Set-Cookie", l)
	}
}

func setsCookie(h http.Header, name string) bool {
	for _, l := range h["Set-Cookie"] {
		if nameOf(l) == name {
			return true
		}
	}
	return false
}

// Event implements middleware.Hooks.
func (rs *requestState) Event(_ *http.Request, e middleware.Event) {
	if e.Kind == middleware.EventNotEnforced {
		rs.m.hooks.NotEnforced(rs.ctx, NotEnforcedEvent{Reason: "not enforced: " + e.Detail, Path: rs.path})
	}
}

// Value makes a requestState the context that carries itself.
func (rs *requestState) Value(key any) any {
	if _, ok := key.(ctxKey); ok {
		return rs
	}
	return rs.Context.Value(key)
}
