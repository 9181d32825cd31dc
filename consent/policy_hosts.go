package consent

// infrastructureHosts are third-party hosts every Content-Security-Policy
// crumb sends allows, whatever the visitor chose: hosts a site cannot work
// without and that set no tracking cookies of their own when loaded as a
// resource. The list is short on purpose: each entry widens what loads
// before consent on every site, so each must be argued. A site that does
// not want them sets Config.NoInfrastructureHosts; a site that needs more
// declares them in its "necessary" category.
//
// Left out, deliberately:
//   - Google Fonts (fonts.googleapis.com, fonts.gstatic.com): a German court
//     (LG München I, 3 O 17493/20, January 2022) held that embedding them
//     without consent passes the visitor's IP address to Google unlawfully;
//     self-host the fonts or declare the hosts.
//   - Tag managers and analytics CDNs (googletagmanager.com and the like):
//     they load trackers, which is what the policy exists to stop.
var infrastructureHosts = []string{
	// Public library CDNs: they serve versioned files, set no cookies and
	// are what a site's own scripts (jQuery, a UI kit) load from. Blocking
	// them breaks pages before any choice is made.
	"cdnjs.cloudflare.com",
	"cdn.jsdelivr.net",
	"unpkg.com",
	"code.jquery.com",
	"ajax.googleapis.com",

	// Payment: card forms and wallets are strictly necessary for a
	// purchase the visitor asked for (ePrivacy Art. 5(3), "strictly
	// necessary for a service explicitly requested"), and their fraud
	// checks are part of the payment.
	"js.stripe.com",
	"api.stripe.com",
	"m.stripe.network",
	"hooks.stripe.com",
	"www.paypal.com",
	"www.paypalobjects.com",

	// CAPTCHA and bot protection: security of the service the visitor
	// uses, which the EDPB and the ICO count as strictly necessary. Google's
	// reCAPTCHA is allowed by path only, so that the rest of www.google.com
	// (its ads endpoints among them) stays behind consent.
	"www.google.com/recaptcha/",
	"www.gstatic.com/recaptcha/",
	"www.recaptcha.net",
	"challenges.cloudflare.com",
	"hcaptcha.com",
	"*.hcaptcha.com",
}
