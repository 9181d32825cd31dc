package consent

import (
	"context"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/crumbhq/crumb/classify"
)

// Choice is a visitor's answer for one category.
type Choice uint8

// The choices. The zero value is Undecided, which grants nothing.
const (
	Undecided Choice = iota
	Granted
	Refused
)

func (c Choice) String() string {
	switch c {
	case Granted:
		return "granted"
	case Refused:
		return "refused"
	}
	return "undecided"
}

// Method records how a decision was made.
type Method uint8

// The methods. MethodNone is the zero value of a State without a decision.
const (
	MethodNone   Method = iota
	MethodBanner        // the banner or preferences page
	MethodAPI           // the application called Decide on the visitor's behalf
	MethodGPC           // recorded because of a Sec-GPC signal (see Hooks)
	// MethodOptOut is an opt-out request: the visitor asked, on the "Do
	// Not Sell or Share My Personal Information" page or the opt-out
	// banner, that the policy's sale-or-share categories be refused.
	MethodOptOut
	maxMethod = MethodOptOut
)

func (m Method) String() string {
	switch m {
	case MethodBanner:
		return "banner"
	case MethodAPI:
		return "api"
	case MethodGPC:
		return "gpc"
	case MethodOptOut:
		return "opt-out"
	}
	return "none"
}

// Signals are the privacy signals of one request.
type Signals struct {
	GPC bool // "Sec-GPC: 1" was present
	DNT bool // "DNT: 1" was present
}

// ParseSignals reads Sec-GPC and DNT from h. GPC is on when any Sec-GPC
// field is exactly "1", as the GPC spec demands; anything else is off. DNT
// is on only for "1"; "DNT: 0" is never consent to anything.
func ParseSignals(h http.Header) Signals {
	return Signals{GPC: anyIsOne(h["Sec-Gpc"]), DNT: anyIsOne(h["Dnt"])}
}

func anyIsOne(vs []string) bool {
	for _, v := range vs {
		if v == "1" {
			return true
		}
	}
	return false
}

// State is a visitor's consent as one request sees it: the stored decision
// (when the consent cookie was valid) combined with the request's privacy
// signals. The zero State is undecided and grants only "necessary". A State
// is a small value, safe to copy and to use from any goroutine.
type State struct {
	m       *Manager
	valid   bool // a valid, current consent cookie (or a decision made now)
	rec     record
	choices [maxCategories]Choice // stored choices, indexed like m.cats
	signals Signals
	pol     uint8 // index into m.policies: the policy of the visitor's region
}

// Decided reports whether the visitor has made a current decision: under
// an opt-in policy, for every category the policy governs (false without a
// valid consent cookie, after a revision bump, after expiry, after a change
// of policy, and when a category was added since); under the other regimes,
// any decision made under the current policy, including dismissing the
// banner. The banner shows while it is false.
func (s State) Decided() bool {
	if !s.valid || s.m == nil {
		return false
	}
	p := s.policy()
	if p.Regime != RegimeOptIn {
		return true
	}
	for i := 1; i < len(s.m.cats); i++ {
		if p.covers[i] && s.choices[i] == Undecided {
			return false
		}
	}
	return true
}

// Granted reports whether the category may be used now: "necessary"
// always; any other by the rule of the visitor's policy (see the README's
// Regimes): a stored choice, else the policy's default, and in either case
// not while a GPC signal refuses it.
func (s State) Granted(category string) bool {
	i := s.index(category)
	return i >= 0 && s.grantedAt(i)
}

// Choice reports the effective choice for a category: Granted when it may
// be used now, Refused when it may not because of a refusal, a GPC
// signal, the policy or an unknown name, and Undecided when the visitor
// has not chosen under an opt-in policy.
func (s State) Choice(category string) Choice {
	i := s.index(category)
	switch {
	case i < 0:
		return Refused
	case s.grantedAt(i):
		return Granted
	case s.m != nil && !s.policy().covers[i], s.gpcRefuses(i):
		return Refused
	}
	if !s.valid {
		return Undecided
	}
	return s.choices[i]
}

// Stored reports the choice the visitor recorded for a category, ignoring
// signals; the preferences page shows it.
func (s State) Stored(category string) Choice {
	i := s.index(category)
	if i <= 0 {
		if i == 0 {
			return Granted
		}
		return Undecided
	}
	return s.choices[i]
}

func (s State) index(category string) int {
	if category == NecessaryName {
		return 0
	}
	if s.m == nil {
		return -1
	}
	for i := 1; i < len(s.m.cats); i++ {
		if s.m.cats[i].Name == category {
			return i
		}
	}
	return -1
}

// allowsCookieAt reports whether a cookie of category i may be kept: i is
// an index into the categories, or -1 for a cookie nobody declared, which
// needs every optional category.
func (s State) allowsCookieAt(i int) bool {
	if i < 0 {
		return s.allGranted()
	}
	return s.grantedAt(i)
}

// allGranted reports whether every optional category is granted, the
// condition for cookies nobody declared.
func (s State) allGranted() bool {
	if s.m == nil {
		return false
	}
	for i := 1; i < len(s.m.cats); i++ {
		if !s.grantedAt(i) {
			return false
		}
	}
	return true
}

// Signals returns the request's privacy signals.
func (s State) Signals() Signals { return s.signals }

// ID returns the random consent ID (32 hex digits) that links the visitor's
// cookie to decision receipts, or "" without a decision.
func (s State) ID() string {
	if !s.valid {
		return ""
	}
	return hex.EncodeToString(s.rec.id[:])
}

// DecidedAt returns the time of the latest decision, zero without one.
func (s State) DecidedAt() time.Time {
	if !s.valid {
		return time.Time{}
	}
	return time.Unix(s.rec.last, 0).UTC()
}

// FirstDecidedAt returns the time of the visitor's first decision under
// this consent ID, zero without one.
func (s State) FirstDecidedAt() time.Time {
	if !s.valid {
		return time.Time{}
	}
	return time.Unix(s.rec.first, 0).UTC()
}

// Method returns how the latest decision was made.
func (s State) Method() Method {
	if !s.valid {
		return MethodNone
	}
	return s.rec.method
}

// GPCAtDecision reports whether Sec-GPC was present when the latest
// decision was made.
func (s State) GPCAtDecision() bool { return s.valid && s.rec.gpc }

// Revision returns the policy revision of the decision.
func (s State) Revision() uint32 { return s.rec.revision }

// Language returns the language the visitor chose in, or the configured
// language without a decision.
func (s State) Language() string {
	if s.valid && s.rec.lang != "" {
		return s.rec.lang
	}
	if s.m != nil {
		return s.m.lang
	}
	return DefaultLanguage
}

// CategoryChoice is one category's choice, as listed by Choices.
type CategoryChoice struct {
	Category string
	Choice   Choice
}

// Choices lists the effective choice of every configured category,
// "necessary" first.
func (s State) Choices() []CategoryChoice {
	if s.m == nil {
		return []CategoryChoice{{NecessaryName, Granted}}
	}
	out := make([]CategoryChoice, len(s.m.cats))
	for i, c := range s.m.cats {
		out[i] = CategoryChoice{c.Name, s.Choice(c.Name)}
	}
	return out
}

// ModeValue is one Google Consent Mode type and whether it is granted.
type ModeValue struct {
	Type    string // e.g. "analytics_storage"
	Granted bool
}

// ConsentMode maps the state to all seven Google Consent Mode types, in a
// fixed order: a type is granted when any granted category maps to it (see
// Category.ConsentMode). It follows Granted, GPC included: the policy's
// sale-or-share categories are refused under the signal unless the visitor
// granted them while it was on (see the README's Regimes), and their types
// with them.
func (s State) ConsentMode() []ModeValue {
	out := make([]ModeValue, len(consentModeTypes))
	s.fillConsentMode(out)
	return out
}

// fillConsentMode is ConsentMode into out, one value per consentModeTypes
// entry, for callers that keep it on the stack.
func (s *State) fillConsentMode(out []ModeValue) {
	bits := s.modeBits()
	for i, t := range consentModeTypes {
		out[i] = ModeValue{Type: t, Granted: bits&(1<<i) != 0}
	}
}

// modeBits are the Consent Mode types s grants, bit i for
// consentModeTypes[i]: those of every granted category.
func (s *State) modeBits() uint8 {
	if s.m == nil {
		return modeBitsOf(defaultConsentMode(classify.Necessary))
	}
	var b uint8
	for i := range s.m.cats {
		if s.grantedAt(i) {
			b |= s.m.cats[i].modeBits
		}
	}
	return b
}

type ctxKey struct{}

// FromContext returns the consent state the middleware stored in ctx. It
// returns the zero State (undecided, only "necessary" granted) outside the
// middleware.
func FromContext(ctx context.Context) State {
	if rs, ok := ctx.Value(ctxKey{}).(*requestState); ok {
		return rs.state
	}
	return State{}
}

// FromRequest returns the consent state of r; see FromContext.
func FromRequest(r *http.Request) State { return FromContext(r.Context()) }
