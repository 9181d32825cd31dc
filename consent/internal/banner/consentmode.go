package banner

import (
	"strconv"
	"time"
)

// ConsentMode is the state of Google Consent Mode v2's seven consent types.
// true means "granted". The zero value denies everything, which is the only
// safe default before the visitor decides.
type ConsentMode struct {
	AdStorage              bool // ad_storage
	AdUserData             bool // ad_user_data
	AdPersonalization      bool // ad_personalization
	AnalyticsStorage       bool // analytics_storage
	FunctionalityStorage   bool // functionality_storage
	PersonalizationStorage bool // personalization_storage
	SecurityStorage        bool // security_storage

	// WaitForUpdate, when positive, tells the tags to wait that long for a
	// consent update before they send anything (wait_for_update). It only
	// applies to the default call.
	WaitForUpdate time.Duration
}

// ConsentModeTypes are Google Consent Mode v2's seven consent types, in
// the order of ConsentMode's fields: the three ad_* types first. It is the
// one list of their names crumb keeps.
var ConsentModeTypes = [7]string{
	"ad_storage",
	"ad_user_data",
	"ad_personalization",
	"analytics_storage",
	"functionality_storage",
	"personalization_storage",
	"security_storage",
}

// Set grants or denies the i-th of ConsentModeTypes; other i are ignored.
func (m *ConsentMode) Set(i int, granted bool) {
	if i >= 0 && i < len(ConsentModeTypes) {
		*m.pointers()[i] = granted
	}
}

func (m *ConsentMode) pointers() [7]*bool {
	return [7]*bool{&m.AdStorage, &m.AdUserData, &m.AdPersonalization, &m.AnalyticsStorage,
		&m.FunctionalityStorage, &m.PersonalizationStorage, &m.SecurityStorage}
}

func (m ConsentMode) fields() [7]struct {
	name    string
	granted bool
} {
	var out [7]struct {
		name    string
		granted bool
	}
	for i, p := range m.pointers() {
		out[i].name, out[i].granted = ConsentModeTypes[i], *p
	}
	return out
}

func (m ConsentMode) appendObject(b []byte, withWait bool) []byte {
	b = append(b, '{')
	for i, f := range m.fields() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, f.name...)
		b = append(b, `":"`...)
		if f.granted {
			b = append(b, "granted"...)
		} else {
			b = append(b, "denied"...)
		}
		b = append(b, '"')
	}
	if ms := m.WaitForUpdate.Milliseconds(); withWait && ms > 0 {
		b = append(b, `,"wait_for_update":`...)
		b = strconv.AppendInt(b, ms, 10)
	}
	return append(b, '}')
}

// MarshalJSON writes the seven consent types as the object that
// gtag('consent','update',…) takes, so a JSON answer can carry it as is.
func (m ConsentMode) MarshalJSON() ([]byte, error) {
	return m.appendObject(nil, false), nil
}

// ConsentModeDefault returns the inline script that sets Consent Mode's
// defaults from the server-side state. It must come before any Google tag in
// the page, which is why it is the one inline script crumb writes; nonce,
// when not empty, is set on it for the page's Content-Security-Policy.
func ConsentModeDefault(m ConsentMode, nonce string) []byte {
	return AppendConsentModeDefault(make([]byte, 0, 512), m, nonce)
}

// AppendConsentModeDefault is ConsentModeDefault appending to dst, so that
// the middleware can render it into a buffer it reuses.
func AppendConsentModeDefault(dst []byte, m ConsentMode, nonce string) []byte {
	b := appendGtagStart(dst, nonce)
	b = append(b, "gtag('consent','default',"...)
	b = m.appendObject(b, true)
	b = append(b, ");</script>"...)
	return b
}

// RegionDefault is one Consent Mode default for some regions: ISO 3166-1
// and 3166-2 codes, as Google's region parameter takes them. No regions
// makes the default that applies everywhere no other names.
type RegionDefault struct {
	Mode    ConsentMode
	Regions []string
}

// ConsentModeRegionDefaults returns the inline script that sets one
// Consent Mode default per entry, each with its region parameter, so that
// Google's tags pick the default of the visitor's region themselves (a
// subdivision's beats its country's, which beats the region-less one).
// Region codes are written only when they are letters, digits and '-'.
func ConsentModeRegionDefaults(defs []RegionDefault, nonce string) []byte {
	return NewRegionScript(defs).Append(nil, nonce)
}

// RegionScript is ConsentModeRegionDefaults's script but its start tag,
// which carries the page's nonce: what depends only on the configuration,
// built once.
type RegionScript []byte

// NewRegionScript builds the script's body for defs.
func NewRegionScript(defs []RegionDefault) RegionScript {
	var b []byte
	for _, d := range defs {
		b = append(b, "gtag('consent','default',"...)
		b = d.Mode.appendObject(b, true)
		if len(d.Regions) > 0 {
			b = b[:len(b)-1] // reopen the object for the region list
			b = append(b, `,"region":[`...)
			n := 0
			for _, r := range d.Regions {
				if !safeRegion(r) {
					continue
				}
				if n > 0 {
					b = append(b, ',')
				}
				b = append(b, '"')
				b = append(b, r...)
				b = append(b, '"')
				n++
			}
			b = append(b, "]}"...)
		}
		b = append(b, ");"...)
	}
	return append(b, "</script>"...)
}

// Append appends the whole script, with nonce on its start tag, to dst.
func (s RegionScript) Append(dst []byte, nonce string) []byte {
	return append(appendGtagStart(dst, nonce), s...)
}

func safeRegion(s string) bool {
	if s == "" || len(s) > 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// appendGtagStart appends the script start tag, with the nonce, and the
// gtag stub the Consent Mode calls need.
func appendGtagStart(b []byte, nonce string) []byte {
	b = append(b, "<script"...)
	if nonce != "" {
		b = append(b, ` nonce="`...)
		b = appendHTML(b, nonce)
		b = append(b, '"')
	}
	return append(b, ">window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"...)
}
