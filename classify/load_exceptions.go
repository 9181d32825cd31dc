package classify

// loaderException is a host that no loader makes wait for consent, whatever
// category a database lists it under: infrastructure a site cannot work
// without, or the consent tool that asks for consent in the first place.
// Blocking either before consent breaks the site or hides its banner, and
// the databases list them for reasons that do not apply to a host table
// (Disconnect's Content category, a tracker blocklist's path rules, an
// untagged entry DuckDuckGo blocks in its browser).
type loaderException struct {
	// host is the listing the exception drops: with tree false, exactly the
	// host, so a database's entry for a tracking subdomain of it
	// ("adservice.google.com") still loads; with tree true, the host and
	// every subdomain, for domains that serve one consent tool only.
	host string
	tree bool
	why  string // the justification, for the reader of this table
}

// loaderExceptions is crumb's own list, curated by hand from the providers'
// documentation of what their hosts serve. Tracking subdomains of the
// infrastructure domains are listed by the databases under their own
// names and stay loaded; the table only stops a whole shared domain from
// becoming a tracker.
var loaderExceptions = [...]loaderException{
	// Shared infrastructure: listing the whole domain withholds fonts,
	// libraries, maps, captchas and every customer's content.
	{host: "google.com", why: "Search, Maps embeds, reCAPTCHA (www.google.com/recaptcha) and Sign-In; Google's ad hosts are listed by name"},
	{host: "googleapis.com", why: "Google Fonts CSS, Hosted Libraries (ajax.googleapis.com), Maps JavaScript API, Firebase"},
	{host: "gstatic.com", why: "static files of Google Fonts, reCAPTCHA, Maps and Firebase"},
	{host: "googleusercontent.com", why: "files users host with Google: Blogger and Sites images, Drive previews"},
	{host: "cloudfront.net", why: "Amazon CloudFront: each subdomain is one customer's CDN distribution"},
	{host: "amazonaws.com", why: "Amazon S3 buckets and other AWS endpoints of any customer"},
	{host: "cloudflare.com", why: "cdnjs.cloudflare.com public libraries, challenges.cloudflare.com (Turnstile)"},
	{host: "akamaihd.net", why: "Akamai CDN edge for any customer"},
	{host: "akamaized.net", why: "Akamai CDN edge for any customer"},
	{host: "fastly.net", why: "Fastly CDN edge for any customer"},
	{host: "azureedge.net", why: "Azure CDN endpoints of any customer"},
	{host: "azurefd.net", why: "Azure Front Door endpoints of any customer"},
	{host: "wp.com", why: "WordPress.com and Jetpack static files (s0.wp.com) and image CDN (i0.wp.com)"},
	{host: "jsdelivr.net", why: "jsDelivr public CDN for npm and GitHub files"},
	{host: "unpkg.com", why: "UNPKG public CDN for npm files"},
	{host: "bootstrapcdn.com", why: "the CDN of the Bootstrap and Font Awesome files"},
	{host: "jquery.com", why: "code.jquery.com, the jQuery CDN"},

	// Consent-management platforms: the banner and its stored choice are
	// served from these; withholding them until consent means never asking.
	{host: "cookielaw.org", tree: true, why: "OneTrust's banner script and settings (cdn.cookielaw.org)"},
	{host: "onetrust.com", tree: true, why: "OneTrust consent SDK, geolocation and consent receipts"},
	{host: "cookiebot.com", tree: true, why: "Cookiebot banner (consent.cookiebot.com, consentcdn.cookiebot.com)"},
	{host: "usercentrics.eu", tree: true, why: "Usercentrics banner and settings (app.usercentrics.eu, api.usercentrics.eu)"},
	{host: "privacy-center.org", tree: true, why: "Didomi consent SDK (sdk.privacy-center.org, api.privacy-center.org)"},
	{host: "osano.com", tree: true, why: "Osano consent manager (cmp.osano.com)"},
	{host: "iubenda.com", tree: true, why: "iubenda cookie solution (cdn.iubenda.com)"},
	{host: "trustarc.com", tree: true, why: "TrustArc consent manager (consent.trustarc.com)"},
	{host: "truste.com", tree: true, why: "TrustArc's older consent host (consent.truste.com)"},
	{host: "cookie-script.com", tree: true, why: "CookieScript banner (cdn.cookie-script.com)"},
	{host: "cookieyes.com", tree: true, why: "CookieYes banner and consent log"},
	{host: "consentmanager.net", tree: true, why: "consentmanager.net CMP (delivery.consentmanager.net)"},
	{host: "privacy-mgmt.com", tree: true, why: "Sourcepoint CMP messages (cdn.privacy-mgmt.com)"},
	{host: "termly.io", tree: true, why: "Termly consent banner (app.termly.io)"},
	{host: "axept.io", tree: true, why: "Axeptio consent widget (static.axept.io)"},
	{host: "mgr.consensu.org", tree: true, why: "IAB TCF v1 CMP hosts, one subdomain per registered CMP"},
	{host: "fundingchoicesmessages.google.com", tree: true, why: "Google's consent messages (Privacy & messaging, Funding Choices)"},
	{host: "cmp.inmobi.com", tree: true, why: "InMobi Choice CMP; InMobi's ad hosts are listed by name"},
	{host: "cmp.quantcast.com", tree: true, why: "Quantcast Choice CMP; Quantcast's measurement hosts are listed by name"},
}

// excepted reports whether a loader must drop a listing of host (lower-case,
// as listHost returns it).
func excepted(host string) bool {
	for i := range loaderExceptions {
		e := &loaderExceptions[i]
		if host == e.host || e.tree && hostWithin(host, e.host) {
			return true
		}
	}
	return false
}
