package banner

import "golang.org/x/text/language"

// Cookie is one row of the cookie declaration. The strings are shown as given:
// the app writes them in the language(s) it serves.
type Cookie struct {
	Name       string // the cookie name, or a pattern such as "_ga_*"
	Provider   string // who sets it, e.g. "Google Analytics" or the site's own name
	Purpose    string
	Lifetime   string // e.g. "13 months"; ignored for session cookies
	Session    bool   // deleted when the browser closes
	ThirdParty bool   // set by another site than the one visited
}

// Category is one consent purpose as the interface shows it.
type Category struct {
	// ID is what the forms post as c=<ID> and what the HTML rewriter writes
	// in data-crumb-category. Lower-case letters, digits, '-' and '_' only.
	ID string
	// Title and Description, when set, are shown in every language that has
	// no Options.Strings override for "cat.<ID>.title" or
	// "cat.<ID>.description". Left empty, the built-in translations are used
	// for the IDs crumb knows: necessary, preferences, analytics, marketing
	// and social. Other IDs need a Title.
	Title, Description string
	// Required categories are always on: they get no switch.
	Required bool
	Cookies  []Cookie
}

// Options configure a Renderer. ActionURL and PreferencesURL are required;
// the zero value of everything else is a working, strict default.
type Options struct {
	// Categories in the order they are shown.
	Categories []Category

	ActionURL      string // where every form posts its decision
	PreferencesURL string // the preferences page; "return=<path>" is appended
	DeclarationURL string // the cookie declaration page; no link when empty
	PolicyURL      string // the site's privacy policy; no link when empty
	OptOutURL      string // the "Do Not Sell or Share" page; no link or page when empty
	ScriptURL      string // the progressive script (Script); no script when empty
	// StylesheetURL links the stylesheet (Stylesheet) from the banner and the
	// pages. Empty, the CSS is inlined in a <style> element that carries the
	// request's nonce.
	StylesheetURL string
	// ThemeURL is a stylesheet of the site that the preferences page and
	// the declaration link after crumb's own, so that the --crumb-* custom
	// properties the site sets for the banner theme those pages too. No
	// link when empty.
	ThemeURL string
	// PlaceholderOrigin is written before each path-absolute URL of the
	// placeholders (the form's action, the script, the stylesheet), which
	// only ever reach a page through the HTML rewriter: consent passes the
	// rewriter's origin mark, so that a <base href> on the page cannot send
	// a decision elsewhere. Default: empty, the URLs as configured.
	PlaceholderOrigin string

	// DefaultLanguage is served when negotiation finds nothing better. The
	// zero value means English.
	DefaultLanguage language.Tag

	// Strings overrides interface strings: language (a BCP 47 tag such as
	// "de" or "fr-CA") to key (see Keys) to text. A language that is not
	// built in is added; its missing keys come from the closest
	// built-in language, or English. Text is plain, not HTML. The banner text
	// (KeyText) must hold exactly one %s, where the optional categories go;
	// the placeholder text (KeyEmbedText) two, the host then the category
	// (%[2]s ... %[1]s for the other order); any other '%' in them must be
	// written "%%".
	Strings map[string]map[string]string
}

// View is what changes from one request to the next.
type View struct {
	// Lang is the language to render, normally the result of Negotiate.
	// An unsupported tag is matched to the closest supported language.
	Lang language.Tag
	// ReturnTo is the same-origin path the decision should go back to. The
	// caller must have validated it; it is escaped, never interpreted.
	ReturnTo string
	// Nonce is the request's CSP nonce for the inline style and the script.
	Nonce string
	// Granted lists the IDs of the categories whose switch is on.
	Granted []string
	// Decided reports whether the visitor has made a choice before.
	Decided bool
	// Back is the site page that the pages' "back to the site" link leads
	// to, when it differs from ReturnTo (the preferences page returns to
	// itself when it was opened without one). Empty means ReturnTo.
	// Validated and escaped like ReturnTo.
	Back string
	// Origin ("https://shop.example"), when set, is written before each of
	// crumb's own path-absolute URLs (the form's action, the script, the
	// stylesheet, the preferences and declaration links), so that a <base
	// href> on the page cannot send them, and the visitor's decision, to
	// another host. The caller must have validated it. Empty keeps the
	// URLs as configured.
	Origin string

	// Variant is the banner Banner writes. Default: VariantConsent.
	Variant Variant
	// GPC says the request's Global Privacy Control signal is honoured:
	// the banner and the pages say so ("Opt-out preference signal
	// honored") and warn that an explicit choice overrides it.
	GPC bool
	// OptedOut says the visitor's sale-or-share categories are refused:
	// the opt-out page confirms it.
	OptedOut bool
	// OptOutLink shows the "Do Not Sell or Share My Personal Information"
	// link (Options.OptOutURL) on the preferences page and the banner.
	OptOutLink bool
}

// Variant is a kind of banner.
type Variant uint8

// The banner variants.
const (
	VariantConsent Variant = iota // Accept all, Reject all, Customise
	VariantOptOut                 // Continue, Opt out, Customise, and the opt-out link
	VariantNotice                 // informational, with Got it
)

// The View flags that conditional text of the templates tests, as
// zQcrumbIF<n>z ... zQcrumbENDz.
const (
	flagGPC = iota
	flagOptedOut
	flagOptOutLink
)

func (v *View) flag(n int) bool {
	switch n {
	case flagGPC:
		return v.GPC
	case flagOptedOut:
		return v.OptedOut
	case flagOptOutLink:
		return v.OptOutLink
	}
	return false
}

func (v *View) back() string {
	if v.Back != "" {
		return v.Back
	}
	return v.ReturnTo
}
