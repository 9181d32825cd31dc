// Package banner renders crumb's consent interface: the first-layer banner,
// the preferences page and the cookie declaration, in every language of
// translations/ (one <tag>.txt file each, see translations.go), plus the
// Google Consent Mode v2 default call and the optional progressive script
// and stylesheet.
//
// It is internal to crumb: the consent package owns the policy and the HTTP
// handler and turns its own configuration into the plain types declared
// here. This package never imports consent.
//
// AppendPlaceholder renders the stand-in for an embed the HTML rewriter
// blocked: the host and the category it needs, in the visitor's language,
// and a one-button form that grants that category on top of the earlier
// grants (action=save).
//
// Everything that does not change between requests is rendered once per
// language when the Renderer is built. A request only adds the return path,
// the CSP nonce and the state of the category switches, so serving the banner
// costs a few writes and no allocation.
//
// The markup works with JavaScript turned off: every control is a plain form
// POST to Options.ActionURL with action=accept|reject|save, the chosen
// categories as repeated c=<category id> fields, the page to go back to in
// a hidden return field and the language the form was shown in as a hidden
// lang field. The optional script (Script) submits the same form
// with fetch and an "Accept: application/json" header, so the handler may
// answer that request with JSON instead of a redirect:
//
//	{"granted":["analytics"],"consentMode":{"ad_storage":"denied",...}}
//
// granted lists the categories now allowed; the script re-activates the
// elements the HTML rewriter neutralised for them (see Script) and, when the
// page has a gtag function, forwards consentMode as gtag('consent','update').
package banner
