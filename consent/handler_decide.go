package consent

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/crumbhq/crumb/consent/internal/banner"
)

// maxDecisionBody bounds a decision's request body: a form with every
// category is a few hundred bytes.
const maxDecisionBody = 16 << 10

// The decision actions of the forms and the JSON endpoint.
const (
	actionAccept = "accept"
	actionReject = "reject"
	actionSave   = "save"
	// The regime actions (regime.go): the notice or opt-out banner's OK,
	// and an opt-out request.
	actionAcknowledge = "acknowledge"
	actionOptOut      = "optout"
)

// formDecision is a decoded decision request.
type formDecision struct {
	action string
	grant  []string // for save: the known optional categories chosen, deduplicated
	lang   string   // the language the form was shown in, unchecked
	ret    string   // the return path, unchecked
	mode   decideMode
}

// decisionJSON is the body of a JSON decision.
type decisionJSON struct {
	Action     string   `json:"action"`
	Categories []string `json:"categories"`
	Lang       string   `json:"lang"`
	Return     string   `json:"return"`
}

var (
	errAction    = errors.New("action must be accept, reject, save, acknowledge or optout")
	errMediaType = errors.New("body must be application/x-www-form-urlencoded or application/json")
)

// parseDecision decodes a decision body of the given Content-Type against
// the optional categories. Unknown categories are ignored, not refused: a
// page rendered before a category was removed must still save.
func parseDecision(contentType string, body []byte, optional []string) (formDecision, error) {
	var d formDecision
	mt := "application/x-www-form-urlencoded"
	if contentType != "" {
		var err error
		if mt, _, err = mime.ParseMediaType(contentType); err != nil {
			return d, errMediaType
		}
	}
	var cats []string
	switch mt {
	case "application/x-www-form-urlencoded":
		v, err := url.ParseQuery(string(body))
		if err != nil {
			return d, fmt.Errorf("malformed form: %w", err)
		}
		d.action, d.lang, d.ret = v.Get("action"), v.Get("lang"), v.Get("return")
		cats = v["c"]
	case "application/json":
		var j decisionJSON
		if err := json.Unmarshal(body, &j); err != nil {
			return d, fmt.Errorf("malformed JSON: %w", err)
		}
		d.action, d.lang, d.ret = j.Action, j.Lang, j.Return
		cats = j.Categories
	default:
		return d, errMediaType
	}
	switch d.action {
	case actionAccept:
		d.grant = slices.Clone(optional)
	case actionReject:
	case actionAcknowledge:
		d.mode = modeAcknowledge
	case actionOptOut:
		d.mode = modeOptOut
	case actionSave:
		for _, c := range optional {
			if slices.Contains(cats, c) {
				d.grant = append(d.grant, c)
			}
		}
	default:
		return d, errAction
	}
	return d, nil
}

// decisionAnswer is the JSON answer to a decision, as the progressive
// script expects it.
type decisionAnswer struct {
	Granted     []string           `json:"granted"`
	ConsentMode banner.ConsentMode `json:"consentMode"`
	ID          string             `json:"id"`
	Language    string             `json:"language"`
	// Reload tells the script to load the page again: the decision changed
	// the page's content policy, under which granted hosts cannot load
	// and withdrawn ones would keep running.
	Reload bool `json:"reload,omitempty"`
}

// serveDecide records a decision from a form or JSON body.
func (u *ui) serveDecide(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	ct := r.Header.Get("Content-Type")
	wantJSON := acceptsJSON(r.Header) || isJSONType(ct)
	if err := u.s.cop.Check(r); err != nil {
		decisionError(w, wantJSON, http.StatusForbidden, "cross-origin request refused")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxDecisionBody))
	if err != nil {
		decisionError(w, wantJSON, http.StatusRequestEntityTooLarge, "request body too large")
		return
	}
	d, err := parseDecision(ct, body, u.s.optional)
	if err != nil {
		code := http.StatusBadRequest
		if errors.Is(err, errMediaType) {
			code = http.StatusUnsupportedMediaType
		}
		decisionError(w, wantJSON, code, err.Error())
		return
	}
	prev := u.m.stateOf(r)
	if d.mode == modeAcknowledge && prev.policy().Regime == RegimeOptIn {
		// Under opt-in, only a choice counts: a dismissal is not one.
		decisionError(w, wantJSON, http.StatusBadRequest, "acknowledge is no choice under an opt-in policy")
		return
	}
	tag := u.language(r, prev, d.lang)
	ret := safeReturn(d.ret, "/")
	page, _, _ := cut2(ret, '?', '#')
	method := MethodBanner
	if d.mode == modeOptOut {
		method = MethodOptOut
	}
	variant := bannerVariant(prev)
	rec, st, err := u.m.record(w, r, Decision{Grant: d.grant, Method: method, Language: tag.String(),
		BannerHash: u.r.VariantHash(tag, variant), TextDigest: u.r.VariantTextDigest(tag, variant), Page: page}, d.mode)
	if err != nil {
		decisionError(w, wantJSON, http.StatusInternalServerError, "the decision could not be recorded")
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	if !wantJSON {
		h.Set("Location", ret)
		w.WriteHeader(http.StatusSeeOther)
		return
	}
	writeJSON(w, http.StatusOK, decisionAnswer{Granted: granted(st), ConsentMode: consentModeOf(st),
		ID: rec.ID, Language: rec.Language, Reload: u.m.contentPolicyChanged(&prev, &st)})
}

// acceptsJSON reports whether the request prefers a JSON answer: its
// Accept header names application/json.
func acceptsJSON(h http.Header) bool {
	for _, line := range h.Values("Accept") {
		for part := range strings.SplitSeq(line, ",") {
			mt, _, _ := strings.Cut(part, ";")
			if strings.EqualFold(strings.TrimSpace(mt), "application/json") {
				return true
			}
		}
	}
	return false
}

func isJSONType(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/json")
}

func decisionError(w http.ResponseWriter, asJSON bool, code int, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	if !asJSON {
		http.Error(w, msg, code)
		return
	}
	writeJSON(w, code, struct {
		Error string `json:"error"`
	}{msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}

// stateAnswer is the JSON answer of GET state: the visitor's consent and
// everything a single-page app needs to draw its own interface.
type stateAnswer struct {
	Decided     bool               `json:"decided"`
	ID          string             `json:"id,omitempty"`
	DecidedAt   string             `json:"decidedAt,omitempty"` // RFC 3339
	Revision    uint32             `json:"revision"`
	Language    string             `json:"language"`   // the interface language for this visitor
	GPC         bool               `json:"gpc"`        // Sec-GPC is on in this request
	GPCHonored  bool               `json:"gpcHonored"` // the signal refuses a category that would be on
	Policy      string             `json:"policy"`     // the regime policy of the visitor's region
	Regime      string             `json:"regime"`     // opt-in, opt-out, notice or none
	Granted     []string           `json:"granted"`
	Choices     map[string]string  `json:"choices"` // category -> granted, refused or undecided
	ConsentMode banner.ConsentMode `json:"consentMode"`
	BannerHash  string             `json:"bannerHash"`
	Categories  []categoryJSON     `json:"categories"`
	URLs        urlsJSON           `json:"urls"`
}

type urlsJSON struct {
	Decide      string `json:"decide"`
	Preferences string `json:"preferences"`
	Declaration string `json:"declaration"`
	Policy      string `json:"policy,omitempty"`
}

type categoryJSON struct {
	Name        string       `json:"name"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Necessary   bool         `json:"necessary"`
	SaleOrShare bool         `json:"saleOrShare"`
	Cookies     []cookieJSON `json:"cookies"`
	Hosts       []string     `json:"hosts"`
}

type cookieJSON struct {
	Name            string `json:"name"`
	Domain          string `json:"domain,omitempty"`
	Provider        string `json:"provider,omitempty"`
	Purpose         string `json:"purpose,omitempty"`
	LifetimeSeconds int64  `json:"lifetimeSeconds"`
	Session         bool   `json:"session"`
	ThirdParty      bool   `json:"thirdParty"`
	Retention       string `json:"retention,omitempty"`
}

// serveState answers GET state.
func (u *ui) serveState(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	st := u.m.stateOf(r)
	tag := u.language(r, st, pageQuery(r.URL.RawQuery).lang)
	a := stateAnswer{
		Decided:     st.Decided(),
		ID:          st.ID(),
		Revision:    u.m.revision,
		Language:    tag.String(),
		GPC:         st.Signals().GPC,
		GPCHonored:  st.GPCHonored(),
		Granted:     granted(st),
		Choices:     map[string]string{},
		ConsentMode: consentModeOf(st),
		BannerHash:  u.r.BannerHash(tag),
		URLs: urlsJSON{Decide: u.s.opts.ActionURL, Preferences: u.s.opts.PreferencesURL,
			Declaration: u.s.opts.DeclarationURL, Policy: u.s.opts.PolicyURL},
	}
	var regime Regime
	a.Policy, regime = st.Policy()
	a.Regime = regime.String()
	if t := st.DecidedAt(); !t.IsZero() {
		a.DecidedAt = t.Format("2006-01-02T15:04:05Z07:00")
	}
	for _, c := range st.Choices() {
		a.Choices[c.Category] = c.Choice.String()
	}
	for _, c := range u.m.Declaration(r) {
		cj := categoryJSON{Name: c.Name, Title: c.Title, Description: c.Description, Necessary: c.Necessary,
			SaleOrShare: c.SaleOrShare, Hosts: c.Hosts, Cookies: []cookieJSON{}}
		if cj.Hosts == nil {
			cj.Hosts = []string{}
		}
		for _, k := range c.Cookies {
			cj.Cookies = append(cj.Cookies, cookieJSON{Name: k.Name, Domain: k.Domain, Provider: k.Provider,
				Purpose: k.Purpose, LifetimeSeconds: int64(k.Lifetime.Seconds()), Session: k.Session,
				ThirdParty: k.ThirdParty, Retention: k.Retention})
		}
		a.Categories = append(a.Categories, cj)
	}
	h := w.Header()
	h.Set("Cache-Control", "private, no-store")
	addVary(h, "Accept-Language", "Cookie", "Sec-GPC")
	if r.Method == http.MethodHead {
		h.Set("Content-Type", "application/json")
		return
	}
	writeJSON(w, http.StatusOK, a)
}
