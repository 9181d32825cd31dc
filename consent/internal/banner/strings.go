package banner

import (
	"maps"
	"slices"

	"golang.org/x/text/language"
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
	KeyEmbedText      = "embed.text"           // placeholder of blocked content; %s receives the host, the second %s the category title
	KeyEmbedLoad      = "embed.load"           // placeholder button that grants the category and loads the content
	KeyOptOutTitle    = "banner.optout.title"  // opt-out banner heading
	KeyOptOutText     = "banner.optout.text"   // opt-out banner text; its single %s receives the optional categories
	KeyOptOutOK       = "banner.optout.ok"     // opt-out banner: keep the defaults
	KeyOptOutButton   = "banner.optout.optout" // opt-out banner: opt out of sale and sharing
	KeyNoticeTitle    = "banner.notice.title"  // notice banner heading
	KeyNoticeText     = "banner.notice.text"   // notice banner text; its single %s receives the optional categories
	KeyNoticeOK       = "banner.notice.ok"     // notice banner: dismiss
	KeyGPCHonored     = "gpc.honored"          // "Opt-out preference signal honored" (11 CCR §7025(c)(6))
	KeyGPCText        = "gpc.text"             // what the signal did
	KeyGPCConflict    = "gpc.conflict"         // that an explicit choice overrides the signal
	KeyDoNotSell      = "optout.title"         // "Do Not Sell or Share My Personal Information": the page title and link
	KeyDoNotSellText  = "optout.text"          // the opt-out page's explanation
	KeyDoNotSellDo    = "optout.button"        // the opt-out page's button
	KeyDoNotSellDone  = "optout.done"          // the opt-out page: already opted out
	keyCatPrefix      = "cat."
	keyTitleSuffix    = ".title"
	keyDescSuffix     = ".description"
)

// formatArgs says how many %s a key's text holds: KeyText one, KeyEmbedText
// two (written %[1]s and %[2]s where a language needs the category
// first). Every other string is plain text.
func formatArgs(key string) int {
	switch key {
	case KeyText, KeyOptOutText, KeyNoticeText:
		return 1
	case KeyEmbedText:
		return 2
	}
	return 0
}

func isFormatKey(key string) bool { return formatArgs(key) > 0 }

// english is the source language's strings: every other language
// translates exactly these keys. Nil when the translation files failed to
// load (the tests say why; New returns the error).
func english() map[string]string {
	if l := builtinLang(language.English); l != nil {
		return l.strings
	}
	return nil
}

// Keys returns every built-in string key, sorted. An override for a key not in
// this list is accepted only for the app's own categories.
func Keys() []string { return slices.Sorted(maps.Keys(english())) }

// builtin maps each built-in language (its canonical BCP 47 tag: "de",
// "pt-BR", "zh-Hant") to its strings, one translations/<tag>.txt file each.
// It is built once and never written afterwards.
func builtin() map[string]map[string]string {
	all, err := builtinLangs()
	if err != nil {
		return nil
	}
	m := make(map[string]map[string]string, len(all))
	for code, l := range all {
		m[code] = l.strings
	}
	return m
}

// Default returns crumb's built-in string for a language and key. lang is a
// BCP 47 tag naming a built-in language exactly, in any case ("de",
// "pt-br", "zh-Hant"); "no" and "iw" name nb and he, as their canonical
// forms do.
func Default(lang, key string) (string, bool) {
	t, err := language.Parse(lang)
	if err != nil {
		return "", false
	}
	l := builtinLang(canonicalAlias(t))
	if l == nil {
		return "", false
	}
	s, ok := l.strings[key]
	return s, ok
}

func categoryKey(id, suffix string) string { return keyCatPrefix + id + suffix }
