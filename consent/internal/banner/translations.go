package banner

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Every built-in language is one file, translations/<tag>.txt, named by its
// canonical BCP 47 tag (de.txt, pt-BR.txt, zh-Hant.txt). Adding a language
// means adding its file: nothing else lists the languages. The format is
// deliberately plain, so that a translator needs no Go:
//
//	# comment
//	@name = Deutsch      the language's name in itself, for the language list
//	@dir = ltr           ltr or rtl
//	@comma = 、          optional: the mark between list items, "," if absent
//	@english = k1 k2     optional: keys not translated yet, shown in English
//	banner.title = Cookies auf dieser Website
//
// Each non-blank, non-comment line is "key = value"; the value is the text up
// to the end of the line, spaces around it dropped. There are no escapes:
// typographic spaces (French "\u00a0:") are written as the characters
// themselves. en.txt is the source: it defines the keys, and every other file
// must translate exactly those keys, with the same format verbs.
//
//go:embed translations/*.txt
var translationFS embed.FS

// langData is one built-in language as its file declares it. It is never
// written after loading.
type langData struct {
	tag     language.Tag
	name    string // autonym, for the preferences page's language list
	dir     string // "ltr" or "rtl"
	comma   string // the list separator's mark, such as "," or "،" or "、"
	strings map[string]string
	english []string // keys the file leaves to English (@english), filled in from en.txt
}

// listSep is what goes between the items of a list (the optional
// categories in the banner text): the language's comma and a space, but no
// space after a full-width mark (CJK punctuation, U+3000-U+303F, and the
// full-width forms, U+FF00-U+FFEF), which carries its own.
func (l *langData) listSep() string {
	if l.comma == "" {
		return ", "
	}
	if r, _ := utf8.DecodeRuneInString(l.comma); 0x3000 <= r && r <= 0x303f || 0xff00 <= r && r <= 0xffef {
		return l.comma
	}
	return l.comma + " "
}

// The metadata lines of a translation file.
const (
	metaName  = "@name"
	metaDir   = "@dir"
	metaComma = "@comma"
	// metaEnglish lists, space-separated, keys not translated yet: they
	// are shown in English, explicitly, rather than missing.
	metaEnglish = "@english"
)

// sourceLanguage is the language every other file translates.
const sourceLanguage = "en"

// builtinLangs loads the translation files once. An error means a file
// shipped broken: the tests fail on it, and New reports it rather than
// serving a half-translated page.
var builtinLangs = sync.OnceValues(func() (map[string]*langData, error) {
	return loadTranslations(translationFS, "translations")
})

// loadTranslations reads every *.txt file of dir and checks each against the
// source language. It reports every problem found, not only the first.
func loadTranslations(fsys fs.FS, dir string) (map[string]*langData, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("banner: translations: %w", err)
	}
	all := make(map[string]*langData, len(names))
	var errs []error
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, fmt.Errorf("banner: %s: %w", name, err))
			continue
		}
		l, err := parseTranslation(path.Base(name), data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		all[l.tag.String()] = l
	}
	src := all[sourceLanguage]
	if src == nil && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("banner: translations: no %s.txt, the source language", sourceLanguage))
	}
	if src != nil {
		for _, code := range slices.Sorted(maps.Keys(all)) {
			if err := checkAgainstSource(all[code], src); err != nil {
				errs = append(errs, err)
			}
		}
		for _, l := range all {
			for _, k := range l.english {
				if v, ok := src.strings[k]; ok {
					l.strings[k] = v
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return all, nil
}

// parseTranslation reads one translation file. name is its base name,
// "<tag>.txt", which must be the tag's canonical spelling so that the file
// for a language is found where its tag says.
func parseTranslation(name string, data []byte) (*langData, error) {
	code, ok := strings.CutSuffix(name, ".txt")
	if !ok {
		return nil, fmt.Errorf("banner: translation %s: not a .txt file", name)
	}
	tag, err := language.Parse(code)
	if err != nil {
		return nil, fmt.Errorf("banner: translation %s: file name is no language tag: %w", name, err)
	}
	if tag.String() != code {
		return nil, fmt.Errorf("banner: translation %s: name it %s.txt, the tag's canonical form", name, tag)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("banner: translation %s: not UTF-8", name)
	}
	l := &langData{tag: tag, strings: map[string]string{}}
	var errs []error
	fail := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("banner: %s:%d: %s", name, line, fmt.Sprintf(format, args...)))
	}
	seen := map[string]bool{}
	for n, line := range bytes.Split(data, []byte("\n")) {
		n++
		s := strings.TrimSuffix(string(line), "\r")
		if t := strings.TrimSpace(s); t == "" || t[0] == '#' {
			continue
		}
		key, value, ok := strings.Cut(s, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch {
		case !ok:
			fail(n, "want key = value")
			continue
		case !validKey(key):
			fail(n, "bad key %q", key)
			continue
		case seen[key]:
			fail(n, "%s given twice", key)
			continue
		case value == "":
			fail(n, "%s is empty", key)
			continue
		}
		seen[key] = true
		if i := strings.IndexFunc(value, func(r rune) bool { return unicode.IsControl(r) }); i >= 0 {
			fail(n, "%s holds a control character", key)
			continue
		}
		switch key {
		case metaName:
			l.name = value
		case metaDir:
			if value != "ltr" && value != "rtl" {
				fail(n, "%s must be ltr or rtl, not %q", metaDir, value)
			}
			l.dir = value
		case metaComma:
			if utf8.RuneCountInString(value) != 1 || !unicode.IsPunct([]rune(value)[0]) {
				fail(n, "%s must be one punctuation mark, not %q", metaComma, value)
			}
			l.comma = value
		case metaEnglish:
			l.english = strings.Fields(value)
		default:
			if key[0] == '@' {
				fail(n, "unknown setting %s", key)
				continue
			}
			if err := checkOverride(key, value); err != nil {
				fail(n, "%s: %v", key, err)
				continue
			}
			l.strings[key] = value
		}
	}
	if l.name == "" {
		errs = append(errs, fmt.Errorf("banner: %s: no %s line", name, metaName))
	}
	if l.dir == "" {
		errs = append(errs, fmt.Errorf("banner: %s: no %s line", name, metaDir))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return l, nil
}

func validKey(k string) bool {
	if k == "" || len(k) > 64 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-' || c == '@' && i == 0) {
			return false
		}
	}
	return true
}

// checkAgainstSource reports the keys a translation lacks or adds.
func checkAgainstSource(l, src *langData) error {
	var missing, extra, badEnglish []string
	for k := range src.strings {
		if _, ok := l.strings[k]; !ok && !slices.Contains(l.english, k) {
			missing = append(missing, k)
		}
	}
	for _, k := range l.english {
		_, inSource := src.strings[k]
		_, translated := l.strings[k]
		if !inSource || translated || l == src {
			badEnglish = append(badEnglish, k)
		}
	}
	for k := range l.strings {
		if _, ok := src.strings[k]; !ok {
			extra = append(extra, k)
		}
	}
	var errs []error
	if len(missing) > 0 {
		slices.Sort(missing)
		errs = append(errs, fmt.Errorf("banner: translations/%s.txt lacks %s", l.tag, strings.Join(missing, ", ")))
	}
	if len(badEnglish) > 0 {
		errs = append(errs, fmt.Errorf("banner: translations/%s.txt: %s lists keys it translates or English lacks: %s", l.tag, metaEnglish, strings.Join(badEnglish, ", ")))
	}
	if len(extra) > 0 {
		slices.Sort(extra)
		errs = append(errs, fmt.Errorf("banner: translations/%s.txt has keys English does not: %s", l.tag, strings.Join(extra, ", ")))
	}
	return errors.Join(errs...)
}

// builtinLang returns the built-in language a tag names exactly, or nil.
func builtinLang(tag language.Tag) *langData {
	all, err := builtinLangs()
	if err != nil {
		return nil
	}
	return all[tag.String()]
}

// Dir returns the text direction of a language, "ltr" or "rtl": what its
// translation file declares for a built-in language, else what its script
// implies (an app's own "fa" or "ur" is right-to-left too).
func Dir(tag language.Tag) string {
	if l := builtinLang(tag); l != nil {
		return l.dir
	}
	return scriptDir(tag)
}

// scriptDir is the direction of the tag's script, explicit or likely.
func scriptDir(tag language.Tag) string {
	script, _ := tag.Script()
	switch script.String() {
	case "Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand", "Samr":
		return "rtl"
	}
	return "ltr"
}

// autonym is a language's name in itself, for the language list; a language
// an app adds is listed by its tag.
func autonym(tag language.Tag) string {
	if l := builtinLang(tag); l != nil {
		return l.name
	}
	return tag.String()
}

// canonicalAlias maps a tag that names a built-in language under another
// code to that language's own tag: Norwegian "no" is written Bokmål (nb),
// as nearly all written Norwegian is. (The deprecated "iw" and "in" already
// parse as he and id.)
var bokmal = language.MustParse("nb")

func canonicalAlias(t language.Tag) language.Tag {
	if t == language.Norwegian {
		return bokmal
	}
	return t
}
