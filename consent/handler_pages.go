package consent

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"

	"github.com/crumbhq/crumb/consent/internal/banner"
	"github.com/crumbhq/crumb/middleware/rewrite"
)

type pageKind uint8

const (
	pagePreferences pageKind = iota
	pageDeclaration
	pageBanner
	pageOptOut
)

// servePage serves the preferences page, the declaration or the banner
// fragment, in the negotiated language.
func (u *ui) servePage(w http.ResponseWriter, r *http.Request, kind pageKind) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	st := u.m.stateOf(r)
	q := pageQuery(r.URL.RawQuery)
	fallback := "/"
	if kind == pagePreferences {
		// Saving from the page itself comes back to it, where the
		// page then confirms the choice.
		fallback = u.s.prefix
	}
	h := w.Header()
	v := banner.View{
		Lang:     u.language(r, st, q.lang),
		ReturnTo: safeReturn(q.ret, fallback),
		Nonce:    cspNonce(h),
		Granted:  granted(st),
		Decided:  st.Decided(),
		// "Back to the site" leads to the page the visitor came from,
		// or the home page.
		Back: safeReturn(q.ret, "/"),
	}
	u.regimeView(&v, st)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", v.Lang.String())
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	addVary(h, "Accept-Language", "Cookie", "Sec-GPC")
	if r.Method == http.MethodHead {
		return
	}
	switch kind {
	case pagePreferences:
		u.r.Preferences(w, v)
	case pageDeclaration:
		u.r.Declaration(w, v)
	case pageBanner:
		u.r.Banner(w, v)
	case pageOptOut:
		u.r.OptOut(w, v)
	}
}

// query holds the parameters the pages take.
type query struct{ lang, ret string }

// pageQuery reads lang and return from a raw query without building a
// url.Values map; a malformed value is treated as absent.
func pageQuery(raw string) query {
	var q query
	for raw != "" {
		var kv string
		kv, raw, _ = cut2(raw, '&', ';')
		k, v, _ := cut2(kv, '=', 0)
		var dst *string
		switch k {
		case "lang":
			dst = &q.lang
		case "return":
			dst = &q.ret
		default:
			continue
		}
		if *dst != "" {
			continue // the first one counts
		}
		if d, err := url.QueryUnescape(v); err == nil {
			*dst = d
		}
	}
	return q
}

// cut2 cuts s at the first a or b (b == 0: only a).
func cut2(s string, a, b byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == a || (b != 0 && s[i] == b) {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// Banner returns the banner for r's visitor while they have not decided,
// and "" afterwards, for applications that set Config.ManualBanner and
// place it in their own templates, first in <body> (so that it comes first
// in keyboard order; it sits in the page's flow). nonce is the
// page's Content-Security-Policy script and style nonce, or "". Decisions
// made from it come back to r's page.
func (m *Manager) Banner(r *http.Request, nonce string) template.HTML {
	u, err := m.userInterface()
	if err != nil {
		return ""
	}
	st := m.stateOf(r)
	if !st.bannerDue() {
		return ""
	}
	var b bytes.Buffer
	v := banner.View{Lang: u.language(r, st, ""), ReturnTo: returnOf(r.URL), Nonce: nonce, Origin: m.siteOrigin}
	u.regimeView(&v, st)
	u.r.Banner(&b, v)
	return template.HTML(b.String())
}

// SettingsLink returns the "Cookie settings" link to the preferences page,
// in the visitor's language, for the application's footer: once the
// banner is gone, withdrawing consent stays one click away. Decisions
// made there come back to r's page.
func (m *Manager) SettingsLink(r *http.Request) template.HTML {
	u, err := m.userInterface()
	if err != nil {
		return ""
	}
	var b bytes.Buffer
	u.r.SettingsLink(&b, banner.View{Lang: u.language(r, m.stateOf(r), ""), ReturnTo: returnOf(r.URL)})
	return template.HTML(b.String())
}

// Declaration returns the cookie declaration for pages served to r: every
// category with its cookies, "necessary" first (the consent cookie among
// them), with ThirdParty set relative to r's host. It is what the
// declaration page shows, as data for the application's own privacy
// notice. With a nil r, ThirdParty is left false.
func (m *Manager) Declaration(r *http.Request) []CategoryInfo {
	if r == nil {
		return m.declaration("")
	}
	return m.declaration(requestHost(r))
}

// appendBanner is what auto-injection puts at the start of <body>, into w,
// which the middleware reuses from response to response: the banner while
// the visitor has not decided, nothing afterwards and nothing on the
// handler's own pages.
func (u *ui) appendBanner(w *appendBuf, r *http.Request, st *State, nonce string) {
	if !st.bannerDue() || u.own(r) {
		return
	}
	n := len(*w)
	v := banner.View{Lang: u.language(r, *st, ""), ReturnTo: returnOf(r.URL), Nonce: nonce, Origin: rewrite.OriginMark}
	u.regimeView(&v, *st)
	if err := u.r.Banner(w, v); err != nil {
		*w = (*w)[:n]
	}
}

// appendHead puts the Google Consent Mode default, from the visitor's
// State, first in <head>, into w.
func (u *ui) appendHead(w *appendBuf, r *http.Request, st *State, nonce string) {
	if u.own(r) {
		return
	}
	bits := st.modeBits()
	if nonce == "" {
		*w = append(*w, u.heads.get(bits)...)
		return
	}
	*w = banner.AppendConsentModeDefault(*w, modeOfBits(bits), nonce)
}

// consentModeOf maps a State to the renderer's Consent Mode type.
func consentModeOf(st State) banner.ConsentMode { return modeOfBits(st.modeBits()) }
