package consent

import (
	"net/http"
	"strings"

	"github.com/crumbhq/crumb/classify"
	"github.com/crumbhq/crumb/middleware"
	"github.com/crumbhq/crumb/middleware/rewrite"
)

// BannerFunc renders markup injected into HTML responses. nonce is the
// script nonce of the response's Content-Security-Policy ("" when it has
// none); markup may also write the attribute placeholder
// " data-crumb-nonce", which the rewriter turns into the page's nonce. A nil
// or empty result injects nothing.
//
// It is called for every HTML response the middleware rewrites, decided or
// not, so that it can also render a persistent "cookie settings" link;
// st.Decided() says whether the banner itself is due.
type BannerFunc func(r *http.Request, st State, nonce string) []byte

// injection holds the renderers Config and the mounted Handler install.
type injection struct {
	headStart BannerFunc // Config.HeadStart
	bodyStart BannerFunc // Config.BodyStart
	ui        *ui        // the mounted interface, whose placeholders replace the middleware's

	// The interface's own renderers, the Consent Mode default and the
	// banner, set by Handler where Config.HeadStart and Config.BodyStart
	// give none: they append to a buffer the middleware reuses instead of
	// allocating per response.
	headAppend, bodyAppend appendFunc
}

// appendFunc is a BannerFunc that appends to dst.
type appendFunc func(w *appendBuf, r *http.Request, st *State, nonce string)

// setInjection changes the installed renderers; it is safe while requests
// are served.
func (m *Manager) setInjection(change func(*injection)) {
	m.injMu.Lock()
	defer m.injMu.Unlock()
	var in injection
	if old := m.inject.Load(); old != nil {
		in = *old
	}
	change(&in)
	m.inject.Store(&in)
}

// htmlBody returns the body decision for an HTML response: the tracking
// stripper with the visitor's decisions, plus any injected markup. In
// report-only mode the rewriter still runs, to report, but every element
// is kept. nonce is the script nonce of the app's Content-Security-Policy
// (see cspNonce); placeholders says that the interface's placeholders
// apply (see Commit).
func (rs *requestState) htmlBody(r *http.Request, nonce string, in *injection, placeholders bool) middleware.Body {
	m := rs.m
	j := htmlJobPool.Get().(*htmlJob)
	j.rs = rs
	rs.job = j
	opts := rewrite.Options{
		Catalog:  m.htmlCatalog,
		Policy:   rs,
		PageHost: rs.pageHost(),
		Nonce:    nonce,
		Origin:   m.origin(r),
		Event:    j.event,
	}
	// The content policy learns the hosts the site's markup names from
	// decideElement, until it knows its bound of them. A visitor who
	// granted everything needs none of it: nothing is blocked, so there is
	// nothing to relabel or report, declared hosts are all allowed, and no
	// policy is sent to them; the other visitors' pages teach the policy.
	// Without Decide the rewriter takes its allow-all path, which looks
	// only at opt-in markup and insertion points.
	if !rs.state.allGranted() && (len(m.hostIdx) > 0 || m.reportOnly || m.relabel || m.csp.learning()) {
		opts.Decide = j.decide
	}
	if in != nil {
		switch {
		case in.headAppend != nil:
			in.headAppend(&j.head, r, &rs.state, nonce)
			opts.HeadStart = j.head
		case in.headStart != nil:
			opts.HeadStart = in.headStart(r, rs.state, nonce)
		}
		switch {
		case in.bodyAppend != nil:
			in.bodyAppend(&j.body, r, &rs.state, nonce)
			opts.BodyStart = j.body
		case in.bodyStart != nil:
			opts.BodyStart = in.bodyStart(r, rs.state, nonce)
		}
		if placeholders {
			j.ph.reset(in.ui, rs, r, nonce)
			opts.Placeholder = j.place
		}
	}
	j.rw.ResetOptions(opts)
	return middleware.Body{Transformer: j.rw, Variant: "crumb", MaxPending: rewrite.DefaultMaxScript + rewrite.DefaultMaxTag}
}

// release returns the rewriter and its buffers to their pool once the
// response is done.
func (rs *requestState) release() {
	if j := rs.job; j != nil {
		rs.job = nil
		j.release()
		htmlJobPool.Put(j)
	}
}

// Allowed implements rewrite.Policy over the visitor's State: a catalog
// category is allowed when the category of that class is granted.
func (rs *requestState) Allowed(c classify.Category) bool {
	if c == classify.Necessary {
		return true
	}
	if c > classify.Social {
		return false
	}
	i := rs.m.byClass[c]
	if i < 0 {
		return rs.state.allGranted()
	}
	return rs.state.grantedAt(int(i))
}

// decideElement applies what the rewriter's catalog cannot know: hosts
// declared for categories without a Class, the application's names for
// categories (which blocked markup carries, so that the banner's script
// re-activates it when that category is granted), and report-only mode.
func (rs *requestState) decideElement(e *rewrite.Element, def rewrite.Action) rewrite.Action {
	m := rs.m
	i := m.elementCategory(e)
	if len(e.Host) > 0 {
		m.learnFromPage(e.Host)
	}
	if i > 0 {
		e.Label = m.cats[i].Name
		if m.cats[i].Class == classify.Unknown {
			allowed := rs.state.grantedAt(i)
			if e.Kind == rewrite.ElementOptIn {
				// Opt-in markup's own condition counts too: its category
				// granted, or refused for "!category".
				allowed = allowed && rs.Allowed(e.Category) != e.Negated
			}
			def = elementAction(e.Kind, allowed)
		}
	}
	if m.reportOnly && def != rewrite.ActionKeep && def != rewrite.ActionActivate {
		rs.m.hooks.NotEnforced(rs.ctx, NotEnforcedEvent{Reason: "report-only: would " + def.String() + " " + e.Kind.String() + " " + string(e.Host), Path: rs.path})
		return rewrite.ActionKeep
	}
	return def
}

func elementAction(k rewrite.ElementKind, allowed bool) rewrite.Action {
	switch {
	case allowed && k == rewrite.ElementOptIn:
		return rewrite.ActionActivate
	case allowed:
		return rewrite.ActionKeep
	case k == rewrite.ElementBeacon || k == rewrite.ElementHint || k == rewrite.ElementPing:
		return rewrite.ActionRemove
	}
	return rewrite.ActionBlock
}

func (rs *requestState) htmlEvent(e rewrite.Event) {
	switch e.Kind {
	case rewrite.TagTooLong, rewrite.ScriptTooLong:
		if e.Action != rewrite.ActionKeep {
			return // neutralised: the rewriter failed closed
		}
		rs.m.hooks.NotEnforced(rs.ctx, NotEnforcedEvent{Reason: e.Kind.String(), Path: rs.path})
	}
}

// cspNonce returns the first 'nonce-…' source of the response's
// Content-Security-Policy, or "".
func cspNonce(h http.Header) string {
	for _, p := range h.Values("Content-Security-Policy") {
		i := strings.Index(p, "'nonce-")
		if i < 0 {
			continue
		}
		v := p[i+len("'nonce-"):]
		if j := strings.IndexByte(v, '\''); j > 0 {
			return v[:j]
		}
	}
	return ""
}
