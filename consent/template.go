package consent

import (
	"html"
	"html/template"
	"net/url"
	"strings"
)

// TemplateFuncs returns html/template helpers that read a State (pass
// consent.FromRequest(r) in the template data):
//
//	consentGranted  State, category -> bool
//	    {{if consentGranted .Consent "analytics"}}…{{end}}
//	consentMode     State -> JavaScript object of all seven Google Consent
//	    Mode types: gtag('consent', 'default', {{consentMode .Consent}});
//	consentScript   State, category, src -> <script> that loads src only
//	    when the category is granted, and is otherwise opt-in markup the
//	    banner can activate after consent:
//	    {{consentScript .Consent "analytics" "https://stats.example/s.js"}}
//
// The middleware also neutralises known trackers in the page, so these
// helpers are for the application's own code and for leaving nothing to
// chance on pages that bypass the middleware.
func TemplateFuncs() template.FuncMap {
	return template.FuncMap{
		"consentGranted": func(st State, category string) bool { return st.Granted(category) },
		"consentMode":    consentModeJS,
		"consentScript":  consentScript,
	}
}

// TemplateFuncs returns the package's TemplateFuncs plus helpers bound to
// m's consent interface, which take the request (pass it in the template
// data):
//
//	consentSettingsLink  *http.Request -> the "Cookie settings" link, for
//	    the footer: {{consentSettingsLink .Request}}
//	consentBanner        *http.Request, nonce -> the banner while the
//	    visitor has not decided, for Config.ManualBanner
//	consentDeclaration   *http.Request -> []CategoryInfo, the cookie
//	    declaration for the privacy notice
//	consentOptOutLink    *http.Request -> the "Do Not Sell or Share My
//	    Personal Information" link for visitors under an opt-out policy
//	consentModeRegions   nonce -> Google Consent Mode defaults per region,
//	    from the policies, for pages cached for every region
func (m *Manager) TemplateFuncs() template.FuncMap {
	f := TemplateFuncs()
	f["consentSettingsLink"] = m.SettingsLink
	f["consentBanner"] = m.Banner
	f["consentDeclaration"] = m.Declaration
	f["consentOptOutLink"] = m.OptOutLink
	f["consentModeRegions"] = m.ConsentModeRegions
	return f
}

func consentModeJS(st State) template.JS {
	var b strings.Builder
	b.WriteByte('{')
	for i, v := range st.ConsentMode() {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + v.Type + `":`)
		if v.Granted {
			b.WriteString(`"granted"`)
		} else {
			b.WriteString(`"denied"`)
		}
	}
	b.WriteByte('}')
	return template.JS(b.String())
}

// consentScript renders a script for src. A src that is not an http(s)
// or relative URL renders nothing: template.HTML bypasses escaping, so
// the URL is checked here.
func consentScript(st State, category, src string) template.HTML {
	u, err := url.Parse(src)
	if err != nil || (u.Scheme != "" && u.Scheme != "https" && u.Scheme != "http") || !validName(category) && category != NecessaryName {
		return ""
	}
	esc := html.EscapeString(src)
	if st.Granted(category) {
		return template.HTML(`<script src="` + esc + `"></script>`)
	}
	return template.HTML(`<script type="text/plain" data-crumb-category="` + category + `" data-crumb-src="` + esc + `"></script>`)
}
