package consent

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/crumbhq/crumb/middleware"
)

// requestState is the middleware's per-request memory. It is the
// interceptor's Hooks, so that cookie decisions see the State as it is at
// commit time, including a decision recorded by Decide in this very
// request.
type requestState struct {
	// The request's context with the state attached: requestState is the
	// context value itself, which saves a context.WithValue per request.
	context.Context
	ctx   context.Context // = the requestState, or the plain request context outside the middleware
	m     *Manager
	state State
	now   time.Time
	host  string
	path  string
	https bool

	known       []requestCookie // request cookies of optional categories
	reissue     bool            // valid cookie under a retired key: write it again
	decided     bool            // Decide ran in this request
	consentLine string          // Set-Cookie line of the consent cookie to send
	clamped     []string        // clamped replacements of dropped lines
	cookieWork  bool            // a cookie was judged, stripped or written: Vary
	committed   bool
	rewriter    *middleware.HTMLRewriter // pooled; released when the response is done
}

type requestCookie struct {
	name     string
	category int
}

// begin reads the request: signals, consent cookie, and the request
// cookies of optional categories.
func (m *Manager) begin(r *http.Request) *requestState {
	now := m.now()
	rs := &requestState{Context: r.Context(), ctx: r.Context(), m: m, now: now, host: requestHost(r), https: r.TLS != nil}
	if r.URL != nil {
		rs.path = r.URL.Path
	}
	var reason InvalidReason
	var ok bool
	rs.state, reason, ok, rs.reissue = m.readState(r.Header, ParseSignals(r.Header), now)
	if !ok {
		m.hooks.invalid(r.Context(), reason, rs.path)
	}
	if lines := r.Header["Cookie"]; len(lines) > 0 {
		cookiePairs(lines, func(name, _ string) {
			if name == m.cookieName {
				return
			}
			if i := m.cookieCategory(name, rs.host); i > 0 {
				rs.known = append(rs.known, requestCookie{name, i})
			}
		})
	}
	return rs
}

// stripRequest returns r without the cookies of categories the visitor has
// not granted, so the application never reads them. The header map is
// copied, not changed, when anything goes.
func (rs *requestState) stripRequest(r *http.Request) *http.Request {
	var drop []string
	for _, c := range rs.known {
		if rs.state.grantedAt(c.category) {
			continue
		}
		rs.cookieWork = true
		rs.report(c.name, c.category, ActionStripped, 0)
		drop = append(drop, c.name)
	}
	if len(drop) == 0 || rs.m.reportOnly {
		return r
	}
	var kept []string
	cookiePairs(r.Header["Cookie"], func(name, value string) {
		for _, d := range drop {
			if d == name {
				return
			}
		}
		kept = append(kept, name+"="+value)
	})
	h := r.Header.Clone()
	if len(kept) == 0 {
		delete(h, "Cookie")
	} else {
		h["Cookie"] = []string{strings.Join(kept, "; ")}
	}
	r.Header = h
	return r
}

func (rs *requestState) report(name string, category int, a Action, lifetime time.Duration) {
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
	v := m.judgeSetCookie(&rs.state, line, rs.host, rs.now)
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
	m.hooks.UnknownCookie(rs.ctx, CookieEvent{Name: name, Action: ActionUndeclared, ReportOnly: m.reportOnly, Path: rs.path})
}

func nameOf(line string) string {
	name, _, _ := strings.Cut(line, ";")
	name, _, _ = strings.Cut(name, "=")
	return strings.TrimSpace(name)
}

// Commit implements middleware.Hooks: it adds the consent cookie, clamped
// and deletion lines, Vary and Permissions-Policy, and picks the body
// rewriter for HTML.
func (rs *requestState) Commit(r *http.Request, _ int, h http.Header) middleware.Body {
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
	var ct string
	if v := h["Content-Type"]; len(v) > 0 {
		ct = v[0]
	}
	html := isHTML(ct)
	if rs.cookieWork || html {
		addVary(h, "Cookie", "Sec-GPC")
	}
	if !html {
		return middleware.Body{}
	}
	if i := m.byClass[classMarketing]; i < 0 || !rs.state.grantedAt(int(i)) {
		mergePermissionsPolicy(h)
	}
	return rs.htmlBody(r, h)
}

// withdraw deletes the request cookies of categories not granted (now,
// after any decision of this request), unless the response sets them
// itself.
func (rs *requestState) withdraw(h http.Header) {
	m := rs.m
	var lines []string
	for _, c := range rs.known {
		if rs.state.grantedAt(c.category) || setsCookie(h, c.name) {
			continue
		}
		rs.cookieWork = true
		rs.report(c.name, c.category, ActionDeleted, 0)
		if m.reportOnly {
			continue
		}
		lines = deletionLines(lines, c.name, rs.host, m.pathsFor(c.name, rs.host),
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
