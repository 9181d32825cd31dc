package banner

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
)

// The languages crumb ships, one translations/<tag>.txt each: the 24
// official languages of the EU, the other languages of Europe's regimes,
// and the largest languages a global site needs.
var (
	euLanguages     = []string{"bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv"}
	europeLanguages = []string{"bs", "ca", "eu", "gl", "is", "mk", "nb", "sq", "sr", "sr-Latn", "tr", "uk"}
	globalLanguages = []string{"ar", "es-419", "he", "hi", "id", "ja", "ko", "pt-BR", "th", "vi", "zh-Hans", "zh-Hant"}

	builtinLanguages = slices.Concat(euLanguages, europeLanguages, globalLanguages)
)

// rightToLeft lists the built-in languages written right to left.
var rightToLeft = []string{"ar", "he"}

// sameAsEnglish lists the translations that are rightly spelled as in
// English: loanwords the language uses as they are.
var sameAsEnglish = map[string][]string{
	"cat.marketing.title": {"bs", "da", "de", "it", "nl", "ro", "sr-Latn"},
	KeyColName:            {"de"},
	KeyColType:            {"nb"},
	KeyPersistent:         {"ca"},
}

func TestBuiltinLanguages(t *testing.T) {
	if _, err := builtinLangs(); err != nil {
		t.Fatalf("translation files:\n%v", err)
	}
	got := slices.Sorted(maps.Keys(builtin()))
	if diff := cmp.Diff(slices.Sorted(slices.Values(builtinLanguages)), got); diff != "" {
		t.Errorf("built-in languages (-want +got):\n%s", diff)
	}
	if len(got) < 40 {
		t.Errorf("%d languages, want at least 40", len(got))
	}
}

// Every key English has, every language has; nothing more; every text is
// trimmed, non-empty, and holds the format verbs English holds.
func TestEveryLanguageTranslatesEveryKey(t *testing.T) {
	en := english()
	keys := Keys()
	if len(keys) == 0 {
		t.Fatal("no English keys")
	}
	for _, lang := range builtinLanguages {
		m := builtin()[lang]
		if diff := cmp.Diff(keys, slices.Sorted(maps.Keys(m))); diff != "" {
			t.Errorf("%s: keys (-want +got):\n%s", lang, diff)
		}
		for _, k := range keys {
			v := m[k]
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s %s: empty", lang, k)
				continue
			}
			if err := checkOverride(k, v); err != nil {
				t.Errorf("%s %s: %v", lang, k, err)
			}
			if !isFormatKey(k) && strings.Contains(v, "%") != strings.Contains(en[k], "%") {
				t.Errorf("%s %s: a %% English does not have, or lacks one it has: %q", lang, k, v)
			}
			if lang != "en" && v == en[k] && !slices.Contains(sameAsEnglish[k], lang) && !slices.Contains(untranslated(lang), k) {
				t.Errorf("%s %s: left in English: %q", lang, k, v)
			}
			if v != strings.TrimSpace(v) {
				t.Errorf("%s %s: leading or trailing space in %q", lang, k, v)
			}
		}
	}
	// The allow-list must not hide anything that was translated since.
	for k, langs := range sameAsEnglish {
		for _, lang := range langs {
			if builtin()[lang][k] != en[k] {
				t.Errorf("sameAsEnglish[%s] lists %s, which is translated now", k, lang)
			}
		}
	}
}

// Every key the code names exists in English, so a renamed key fails here
// rather than rendering its name.
func TestKeyConstantsAreInEnglish(t *testing.T) {
	en := english()
	for _, k := range []string{KeyRegion, KeyTitle, KeyText, KeyAccept, KeyReject, KeyCustomise, KeyPolicy,
		KeySettings, KeyDeclaration, KeyPrefsIntro, KeyPrefsUndecided, KeyPrefsDecided, KeySave, KeySaved,
		KeyRequired, KeyCookiesUsed, KeyDeclIntro, KeyDeclNone, KeyColName, KeyColProvider, KeyColPurpose,
		KeyColLifetime, KeyColType, KeyLanguage, KeySession, KeyPersistent, KeyFirstParty, KeyThirdParty,
		KeyEmbedText, KeyEmbedLoad} {
		if _, ok := en[k]; !ok {
			t.Errorf("%s is not in translations/en.txt", k)
		}
	}
	for _, id := range []string{"necessary", "preferences", "analytics", "marketing", "social"} {
		for _, suffix := range []string{keyTitleSuffix, keyDescSuffix} {
			if _, ok := en[categoryKey(id, suffix)]; !ok {
				t.Errorf("%s is not in translations/en.txt", categoryKey(id, suffix))
			}
		}
	}
}

// Within one language the three first-layer buttons must read differently,
// or a screen-reader user could not tell them apart.
func TestButtonsAreDistinct(t *testing.T) {
	for _, lang := range builtinLanguages {
		m := builtin()[lang]
		seen := map[string]string{}
		for _, k := range []string{KeyAccept, KeyReject, KeyCustomise, KeySave} {
			if prev, ok := seen[m[k]]; ok {
				t.Errorf("%s: %s and %s both read %q", lang, prev, k, m[k])
			}
			seen[m[k]] = k
		}
	}
}

// Buttons sit side by side on a phone: a label past 24 characters (or 12
// wide CJK ones) would wrap onto two lines.
func TestButtonsAreShort(t *testing.T) {
	for _, lang := range builtinLanguages {
		m := builtin()[lang]
		for _, k := range []string{KeyAccept, KeyReject, KeyCustomise, KeySave, KeyEmbedLoad, KeyRequired} {
			if w := displayWidth(m[k]); w > 24 {
				t.Errorf("%s %s: %q is %d columns wide, want at most 24", lang, k, m[k], w)
			}
		}
	}
}

// displayWidth counts a wide character (Han, kana, Hangul, full-width
// forms) as two columns and a non-spacing mark (Thai vowels above and
// below, Devanagari signs, Arabic harakat) as none.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Mn, unicode.Me):
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || 0xff00 <= r && r <= 0xff60 || 0x3000 <= r && r <= 0x303f:
			w += 2
		default:
			w++
		}
	}
	return w
}

// The direction comes from each language's file, and agrees with what its
// script implies; only Arabic and Hebrew are right to left.
func TestDir(t *testing.T) {
	for _, lang := range builtinLanguages {
		tag := language.MustParse(lang)
		want := "ltr"
		if slices.Contains(rightToLeft, lang) {
			want = "rtl"
		}
		if got := Dir(tag); got != want {
			t.Errorf("Dir(%s) = %s, want %s", lang, got, want)
		}
		if got := builtinLang(tag).dir; got != scriptDir(tag) {
			t.Errorf("%s.txt says @dir = %s, its script says %s", lang, got, scriptDir(tag))
		}
	}
	for lang, want := range map[string]string{"fa": "rtl", "ur": "rtl", "ar-MA": "rtl", "he-IL": "rtl", "sw": "ltr", "az-Arab": "rtl", "ku": "ltr"} {
		if got := Dir(language.MustParse(lang)); got != want {
			t.Errorf("Dir(%s) = %s, want %s", lang, got, want)
		}
	}
}

// Each language is listed by a distinct name in itself.
func TestAutonyms(t *testing.T) {
	all, err := builtinLangs()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for code, l := range all {
		if prev, ok := seen[l.name]; ok {
			t.Errorf("%s and %s are both listed as %q", prev, code, l.name)
		}
		seen[l.name] = code
	}
	if got := autonym(language.MustParse("sw")); got != "sw" {
		t.Errorf("autonym(sw) = %q, want the tag", got)
	}
	if got := autonym(language.MustParse("zh-Hant")); got != "繁體中文" {
		t.Errorf("autonym(zh-Hant) = %q", got)
	}
}

// sr-Latn is sr letter for letter: the two Serbian scripts say the same.
func TestSerbianScriptsAgree(t *testing.T) {
	cyr, lat := builtin()["sr"], builtin()["sr-Latn"]
	for k, v := range cyr {
		if got := serbianToLatin(v); got != lat[k] {
			t.Errorf("%s: sr-Latn %q, transliterated sr %q", k, lat[k], got)
		}
	}
}

func serbianToLatin(s string) string {
	const cyr = "абвгдђежзијклмнопрстћуфхцчш"
	lat := []string{"a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "m", "n", "o", "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "š"}
	m := map[rune]string{'љ': "lj", 'њ': "nj", 'џ': "dž"}
	for i, r := range []rune(cyr) {
		m[r] = lat[i]
	}
	var b strings.Builder
	for _, r := range s {
		lower := []rune(strings.ToLower(string(r)))[0]
		l, ok := m[lower]
		switch {
		case !ok:
			b.WriteRune(r)
		case lower != r:
			b.WriteString(strings.ToUpper(l[:1]) + l[1:])
		default:
			b.WriteString(l)
		}
	}
	return b.String()
}

// The list of optional categories is joined the way each language writes
// lists.
func TestListSeparator(t *testing.T) {
	for lang, want := range map[string]string{"en": ", ", "ar": "، ", "ja": "、", "zh-Hans": "、", "zh-Hant": "、", "he": ", "} {
		if got := builtinLang(language.MustParse(lang)).listSep(); got != want {
			t.Errorf("%s: separator %q, want %q", lang, got, want)
		}
	}
}

func TestDefault(t *testing.T) {
	tests := []struct {
		lang, key string
		want      string
		ok        bool
	}{
		{"de", KeyReject, "Alle ablehnen", true},
		{"DE", KeyAccept, "Alle akzeptieren", true},
		{"en", KeyCustomise, "Customise", true},
		{"ja", KeyAccept, "すべて同意する", true},
		{"pt-br", KeySave, "Salvar escolhas", true},
		{"pt", KeySave, "Guardar escolhas", true},
		{"no", KeyAccept, "Godta alle", true},
		{"iw", KeyReject, "דחיית הכול", true},
		{"zh-hant", KeySave, "儲存選擇", true},
		{"sw", KeyAccept, "", false},
		{"de-AT", KeyAccept, "", false},
		{"not a tag!", KeyAccept, "", false},
		{"fr", "no.such.key", "", false},
	}
	for _, tt := range tests {
		got, ok := Default(tt.lang, tt.key)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Default(%q, %q) = %q, %v; want %q, %v", tt.lang, tt.key, got, ok, tt.want, tt.ok)
		}
	}
}

// untranslated lists the keys a language's file leaves to English
// (@english): shown in English on purpose, not by mistake.
func untranslated(lang string) []string {
	all, err := builtinLangs()
	if err != nil || all[lang] == nil {
		return nil
	}
	return all[lang].english
}
