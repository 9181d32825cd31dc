package banner

import (
	"maps"
	"slices"
	"strings"
	"sync"
)

// Keys of the interface strings. Apps override any of them per language
// through Options.Strings; the category keys exist for the category IDs crumb
// knows (necessary, preferences, analytics, marketing, social) and may be
// added for the app's own categories as "cat.<id>.title" and
// "cat.<id>.description".
const (
	KeyRegion         = "banner.region"    // accessible name of the banner landmark
	KeyTitle          = "banner.title"     // banner heading
	KeyText           = "banner.text"      // banner text; its single %s receives the optional categories
	KeyAccept         = "banner.accept"    // "Accept all" button
	KeyReject         = "banner.reject"    // "Reject all" button
	KeyCustomise      = "banner.customise" // link to the preferences page, shown as a button
	KeyPolicy         = "link.policy"      // link to the site's privacy policy
	KeySettings       = "link.settings"    // preferences page title and the withdrawal link
	KeyDeclaration    = "link.declaration" // cookie declaration page title and link
	KeyPrefsIntro     = "prefs.intro"
	KeyPrefsUndecided = "prefs.undecided"
	KeyPrefsDecided   = "prefs.decided"
	KeySave           = "prefs.save"
	KeySaved          = "prefs.saved" // announced by the script after a save
	KeyRequired       = "prefs.required"
	KeyCookiesUsed    = "prefs.cookies"
	KeyDeclIntro      = "decl.intro"
	KeyDeclNone       = "decl.none"
	KeyColName        = "col.name"
	KeyColProvider    = "col.provider"
	KeyColPurpose     = "col.purpose"
	KeyColLifetime    = "col.lifetime"
	KeyColType        = "col.type"
	KeyLanguage       = "prefs.language" // accessible name of the preferences page's language list
	KeySession        = "cookie.session"
	KeyPersistent     = "cookie.persistent"
	KeyFirstParty     = "cookie.firstParty"
	KeyThirdParty     = "cookie.thirdParty"
	KeyEmbedText      = "embed.text" // placeholder of blocked content; %s receives the host, the second %s the category title
	KeyEmbedLoad      = "embed.load" // placeholder button that grants the category and loads the content
	keyCatPrefix      = "cat."
	keyTitleSuffix    = ".title"
	keyDescSuffix     = ".description"
)

// formatArgs says how many %s a key's text holds: KeyText one, KeyEmbedText
// two (written %[1]s and %[2]s where a language needs the category
// first). Every other string is plain text.
func formatArgs(key string) int {
	switch key {
	case KeyText:
		return 1
	case KeyEmbedText:
		return 2
	}
	return 0
}

func isFormatKey(key string) bool { return formatArgs(key) > 0 }

// english is the source language: every other language must translate every
// key listed here.
var english = sync.OnceValue(func() map[string]string {
	m := map[string]string{
		KeyRegion:                     "Cookie consent",
		KeyTitle:                      "Cookies on this site",
		KeyText:                       "We use necessary cookies to make this site work. With your consent, we would also like to use cookies for: %s. You can change your choice at any time.",
		KeyAccept:                     "Accept all",
		KeyReject:                     "Reject all",
		KeyCustomise:                  "Customise",
		KeyPolicy:                     "Privacy policy",
		KeySettings:                   "Cookie settings",
		KeyDeclaration:                "Cookie declaration",
		KeyPrefsIntro:                 "Choose which cookies this site may use. Necessary cookies are always on because the site cannot work without them.",
		KeyPrefsUndecided:             "You have not made a choice yet, so only necessary cookies are used.",
		KeyPrefsDecided:               "Your choice is saved. You can change it here at any time.",
		KeySave:                       "Save choices",
		KeySaved:                      "Your choices have been saved.",
		KeyRequired:                   "Always on",
		KeyCookiesUsed:                "Cookies used",
		KeyDeclIntro:                  "This site uses the cookies listed below, grouped by purpose. Necessary cookies are set without asking; all others only with your consent.",
		KeyDeclNone:                   "No cookies in this category.",
		KeyColName:                    "Name",
		KeyColProvider:                "Provider",
		KeyColPurpose:                 "Purpose",
		KeyColLifetime:                "Lifetime",
		KeyColType:                    "Type",
		KeyLanguage:                   "Language",
		KeySession:                    "Session",
		KeyPersistent:                 "Persistent",
		KeyFirstParty:                 "First party",
		KeyThirdParty:                 "Third party",
		KeyEmbedText:                  "Content from %s is blocked until you accept cookies for: %s.",
		KeyEmbedLoad:                  "Allow and load",
		"cat.necessary.title":         "Necessary",
		"cat.necessary.description":   "Needed for the site to work, for example for security, sign-in and the shopping basket. They cannot be switched off.",
		"cat.preferences.title":       "Preferences",
		"cat.preferences.description": "Remember choices you make, such as your language or region.",
		"cat.analytics.title":         "Analytics",
		"cat.analytics.description":   "Help us understand how visitors use the site so that we can improve it.",
		"cat.marketing.title":         "Marketing",
		"cat.marketing.description":   "Used by us and our advertising partners to show relevant ads and measure their effect.",
		"cat.social.title":            "Social media",
		"cat.social.description":      "Let you view videos, maps and social media posts embedded in our pages. Their providers may track you.",
	}
	maps.Copy(m, uiStrings()["en"])
	return m
})

// Keys returns every built-in string key, sorted. An override for a key not in
// this list is accepted only for the app's own categories.
func Keys() []string { return slices.Sorted(maps.Keys(english())) }

// builtin maps each of the 24 official EU languages (BCP 47 base tags) to its
// strings. It is built once and never written afterwards.
var builtin = sync.OnceValue(func() map[string]map[string]string {
	all := map[string]map[string]string{"en": english()}
	for _, part := range []map[string]map[string]string{germanic(), romance(), slavic(), otherLanguages()} {
		maps.Copy(all, part)
	}
	for lang, m := range uiStrings() {
		if lang != "en" && all[lang] != nil {
			maps.Copy(all[lang], m)
		}
	}
	for lang, m := range embedStrings() {
		if lang != "en" && all[lang] != nil { // english() is shared: never written
			maps.Copy(all[lang], m)
		}
	}
	return all
})

// Default returns crumb's built-in string for a language (a base tag such as
// "de") and key.
func Default(lang, key string) (string, bool) {
	m, ok := builtin()[strings.ToLower(lang)]
	if !ok {
		return "", false
	}
	s, ok := m[key]
	return s, ok
}

// autonyms name each built-in language in itself, for the language list of
// the preferences page. A language an app adds is listed by its tag.
var autonyms = map[string]string{
	"bg": "Български", "cs": "Čeština", "da": "Dansk", "de": "Deutsch", "el": "Ελληνικά", "en": "English",
	"es": "Español", "et": "Eesti", "fi": "Suomi", "fr": "Français", "ga": "Gaeilge", "hr": "Hrvatski",
	"hu": "Magyar", "it": "Italiano", "lt": "Lietuvių", "lv": "Latviešu", "mt": "Malti", "nl": "Nederlands",
	"pl": "Polski", "pt": "Português", "ro": "Română", "sk": "Slovenčina", "sl": "Slovenščina", "sv": "Svenska",
}

func categoryKey(id, suffix string) string { return keyCatPrefix + id + suffix }
