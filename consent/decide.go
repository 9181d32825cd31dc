package consent

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/crumbhq/crumb/classify"
)

// Decision is a visitor's answer, as the banner, the preferences page or
// the application records it with Decide.
type Decision struct {
	// Grant lists the categories the visitor accepted; every other
	// category is refused ("necessary" may be listed and is ignored).
	// Accept-all lists every category (see Manager.Categories), reject-all
	// lists none. An unknown name is an error.
	Grant []string
	// Method says how the decision was made. Default (MethodNone):
	// MethodBanner. MethodOptOut records an opt-out request: Grant is
	// ignored, the policy's sale-or-share categories are refused and the
	// other stored choices kept.
	Method Method
	// Language is the language the visitor saw, a BCP 47 tag. Default:
	// the configured language.
	Language string
	// BannerHash identifies the banner wording the visitor was shown (see
	// Manager.BannerHash); the handler fills it in. Default: empty.
	BannerHash string
	// Page is the path of the page the visitor decided on, without query,
	// for the receipt. Default: the request's path.
	Page string
	// TextDigest identifies the banner and preferences text the visitor
	// was shown (see Manager.TextDigest), for the Record kept in
	// Config.Store; the handler fills it in. Default: empty.
	TextDigest string
}

// ErrCommitted is returned by Decide when the response headers were already
// sent, so the consent cookie can no longer be set.
var ErrCommitted = errors.New("consent: response already committed; decide before writing the body")

// Decide records a decision: it writes the consent cookie to w, makes the
// new State visible to FromRequest for the rest of this request (so this
// very response already drops and deletes the cookies of refused
// categories), and reports a Receipt to Hooks.Decision. The consent ID and
// first decision time of an earlier cookie carry over. Call it before the
// response is written; behind the middleware it fails with ErrCommitted
// afterwards.
func (m *Manager) Decide(w http.ResponseWriter, r *http.Request, d Decision) (Receipt, error) {
	rec, _, err := m.decide(w, r, d)
	return rec, err
}

// decide is Decide that also returns the new State, which the handler's
// JSON answer reports whether or not a middleware wraps it.
func (m *Manager) decide(w http.ResponseWriter, r *http.Request, d Decision) (Receipt, State, error) {
	mode := modeGrant
	if d.Method == MethodOptOut {
		mode = modeOptOut
	}
	return m.record(w, r, d, mode)
}

// record is decide for one of the decision modes (regime_decide.go).
func (m *Manager) record(w http.ResponseWriter, r *http.Request, d Decision, mode decideMode) (Receipt, State, error) {
	rs, _ := r.Context().Value(ctxKey{}).(*requestState)
	if rs != nil && rs.m != m {
		rs = nil // another Manager's middleware: write directly
	}
	if rs != nil && rs.committed {
		return Receipt{}, State{}, ErrCommitted
	}
	var now time.Time
	var prev State
	if rs != nil {
		now, prev = rs.now, rs.state
	} else {
		now = m.now()
		prev, _, _, _ = m.readCookie(r.Header["Cookie"], ParseSignals(r.Header), m.policyOf(r), now)
	}
	lang := d.Language
	if lang == "" {
		lang = m.lang
	} else if err := checkLanguage(lang); err != nil {
		return Receipt{}, State{}, fmt.Errorf("consent: Decision.Language: %w", err)
	}
	method := d.Method
	if method == MethodNone {
		method = MethodBanner
	}
	if method > maxMethod {
		return Receipt{}, State{}, fmt.Errorf("consent: unknown method %d", method)
	}
	st := State{m: m, valid: true, signals: prev.signals, pol: prev.pol}
	if err := mode.choose(&st, prev, d.Grant); err != nil {
		return Receipt{}, State{}, err
	}
	st.choices[0] = 0
	secs := now.Unix()
	if secs < codecEpoch {
		return Receipt{}, State{}, fmt.Errorf("consent: clock reads %v, before 2024", now)
	}
	st.rec = record{last: secs, first: secs, revision: m.revision, method: method, lang: lang,
		gpc: prev.signals.GPC || (prev.signals.DNT && m.treatDNTAsGPC), policy: st.policy().fingerprint}
	var zero [16]byte
	if prev.rec.id != zero && prev.rec.first >= codecEpoch && prev.rec.first <= secs {
		// Same visitor: keep the ID so receipts link up, even when the
		// earlier decision expired or predates the revision.
		st.rec.id, st.rec.first = prev.rec.id, prev.rec.first
	} else if _, err := rand.Read(st.rec.id[:]); err != nil {
		return Receipt{}, State{}, fmt.Errorf("consent: consent ID: %w", err)
	}
	c, err := m.encodeState(&st, now)
	if err != nil {
		return Receipt{}, State{}, err
	}
	line := c.String()
	if line == "" {
		return Receipt{}, State{}, fmt.Errorf("consent: cookie %q could not be serialized", m.cookieName)
	}
	rec := Receipt{
		ID:         hex.EncodeToString(st.rec.id[:]),
		Time:       time.Unix(secs, 0).UTC(),
		Revision:   m.revision,
		Choices:    st.storedChoices(),
		Method:     method,
		GPC:        prev.signals.GPC,
		DNT:        prev.signals.DNT,
		Language:   lang,
		BannerHash: d.BannerHash,
	}
	rec.Policy, _ = st.Policy()
	rec.GPCOverride = st.gpcOverride()
	rec.GPCApplied = st.gpcApplied()
	if d.Page != "" {
		rec.Page = d.Page
	} else if r.URL != nil {
		rec.Page = r.URL.Path
	}
	if prev.rec.id != zero {
		rec.Previous = prev.storedChoices()
		rec.Renewal = !prev.valid
	}
	if rs != nil {
		rs.state = st
		rs.decided = true
		rs.consentLine = line
		rs.cookieWork = true
	} else {
		w.Header().Add("Set-Cookie", line)
	}
	m.hooks.Decision(r.Context(), rec)
	m.keepRecord(r.Context(), &rec, d.TextDigest)
	return rec, st, nil
}

// storedChoices lists the stored choice of every category, "necessary"
// first.
func (s State) storedChoices() []CategoryChoice {
	out := make([]CategoryChoice, len(s.m.cats))
	for i, c := range s.m.cats {
		ch := s.choices[i]
		if i == 0 {
			ch = Granted
		}
		out[i] = CategoryChoice{c.Name, ch}
	}
	return out
}

// CategoryInfo describes a configured category for the banner, the
// preferences page and the cookie declaration.
type CategoryInfo struct {
	Name, Title, Description string
	Necessary                bool // always granted, cannot be refused
	SaleOrShare              bool // refused by Sec-GPC
	Cookies                  []CookieInfo
	Hosts                    []string
}

// CookieInfo is one line of the cookie declaration.
type CookieInfo struct {
	Name       string        // name or pattern as declared
	Domain     string        // "" for the site itself
	Provider   string        // from the declaration, else the catalog
	Purpose    string        // from the declaration, else the catalog
	Lifetime   time.Duration // 0 for a session cookie
	Session    bool          // deleted when the browser session ends
	ThirdParty bool          // set for another site than the one serving the page (needs the page host: see Manager.CategoriesFor)
	Retention  string        // the catalog's retention text when known
}

// Categories describes the configured categories, "necessary" first, with
// their declared cookies, for the banner, the preferences page and the
// cookie declaration. The consent cookie is listed under "necessary".
func (m *Manager) Categories() []CategoryInfo { return m.CategoriesFor("") }

// CategoriesFor is Categories with ThirdParty computed for pages served
// from pageHost (a Request.Host).
func (m *Manager) CategoriesFor(pageHost string) []CategoryInfo {
	out := make([]CategoryInfo, len(m.cats))
	for i, c := range m.cats {
		ci := CategoryInfo{Name: c.Name, Title: c.Title, Description: c.Description, Necessary: i == 0,
			SaleOrShare: c.saleOrShare, Hosts: slices.Clone(c.Hosts)}
		if i == 0 {
			ci.Cookies = append(ci.Cookies, CookieInfo{Name: m.cookieName, Provider: "this site",
				Purpose: "Remembers your cookie choices.", Lifetime: m.lifetime})
		}
		for _, ck := range c.Cookies {
			info := CookieInfo{Name: ck.Name, Domain: ck.Domain, Provider: ck.Provider, Purpose: ck.Purpose,
				Lifetime: ck.Lifetime, Session: ck.Lifetime == 0}
			if cat, ok := m.catalog.LookupCookie(ck.Name, ck.Domain); ok {
				if info.Provider == "" {
					info.Provider = cat.Provider
				}
				if info.Purpose == "" {
					info.Purpose = cat.Purpose
				}
				info.Retention = cat.Retention
			}
			if ck.Domain != "" && pageHost != "" {
				info.ThirdParty = !classify.SameSite(pageHost, ck.Domain)
			}
			ci.Cookies = append(ci.Cookies, info)
		}
		out[i] = ci
	}
	return out
}
