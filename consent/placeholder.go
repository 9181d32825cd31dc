package consent

import (
	"net/http"

	"github.com/crumbhq/crumb/classify"
	"github.com/crumbhq/crumb/consent/internal/banner"
	"github.com/crumbhq/crumb/middleware/rewrite"
)

// Once the handler is mounted, a blocked embed is replaced by the UI's
// placeholder rather than the middleware's English one: in the visitor's
// language, naming the category it needs, with a form that grants that
// category (keeping every earlier grant) and comes back to the page. The
// progressive script submits that form with fetch and activates the embed
// in place.

// embedPlaceholders renders the placeholders of one HTML response. It lives
// in the pooled htmlJob, is reset per response only when the interface is
// mounted, and works out the language, return path and grants on the first
// blocked element, so a page without one pays nothing.
type embedPlaceholders struct {
	u     *ui
	rs    *requestState
	r     *http.Request
	ready bool
	first bool // the next placeholder is the page's first
	view  banner.PlaceholderView
	buf   [8]string // backs view.Granted for up to 8 optional categories
}

// reset readies p for one response.
func (p *embedPlaceholders) reset(u *ui, rs *requestState, r *http.Request, nonce string) {
	*p = embedPlaceholders{u: u, rs: rs, r: r, first: true}
	p.view.Nonce = nonce
}

// render is the rewrite.Options.Placeholder of the response.
func (p *embedPlaceholders) render(dst []byte, e *rewrite.Element) []byte {
	if !p.ready {
		p.ready = true
		st := &p.rs.state
		p.view.Lang = p.u.language(p.r, *st, "")
		p.view.ReturnTo = returnOf(p.r.URL)
		p.view.Granted = p.buf[:0]
		cats := p.rs.m.cats
		for i := 1; i < len(cats); i++ {
			if st.grantedAt(i) {
				p.view.Granted = append(p.view.Granted, cats[i].Name)
			}
		}
	}
	v := &p.view
	v.Host = e.Host
	v.URL = e.URL
	v.Mark = e.Category.String()
	v.Category = ""
	if i := p.rs.m.elementCategory(e); i > 0 {
		v.Category = p.rs.m.cats[i].Name
		v.Mark = v.Category // as decideElement labels the element
	}
	// The first placeholder brings the stylesheet and the script: a page
	// without the banner has neither. The banner brings them again, which
	// costs nothing: the browser has them, and the script runs once.
	v.Stylesheet, v.Script = p.first, p.first
	p.first = false
	return p.u.r.AppendPlaceholder(dst, v)
}

// elementCategory returns the index of the category that governs an
// element the rewriter recognised: a declared host's category first, then
// the category of the element's class. It is -1 when none does, and the
// element then needs every optional category.
func (m *Manager) elementCategory(e *rewrite.Element) int {
	if len(e.Host) > 0 && len(m.hostIdx) > 0 {
		if t, ok := m.declared.LookupHost(string(e.Host)); ok {
			if i, ok := m.hostIdx[t.Host]; ok {
				return i
			}
		}
	}
	if e.Category > classify.Unknown && e.Category <= classify.Social {
		return int(m.byClass[e.Category])
	}
	return -1
}
