package banner

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

const testSource = "@name = English\n@dir = ltr\nbanner.title = Cookies\nbanner.text = We would like %s.\nembed.text = %s needs %s.\n"

func TestParseTranslation(t *testing.T) {
	l, err := parseTranslation("ar.txt", []byte("# Arabic\r\n\n@name = العربية\r\n@dir = rtl\n@comma = ،\n  banner.title =  ملفات = تعريف  \n"))
	if err != nil {
		t.Fatal(err)
	}
	got := []string{l.tag.String(), l.name, l.dir, l.listSep(), l.strings["banner.title"]}
	if diff := cmp.Diff([]string{"ar", "العربية", "rtl", "، ", "ملفات = تعريف"}, got); diff != "" {
		t.Errorf("parsed (-want +got):\n%s", diff)
	}
}

func TestParseTranslationErrors(t *testing.T) {
	head := "@name = X\n@dir = ltr\n"
	tests := []struct {
		name, file, text, want string
	}{
		{"not txt", "de.json", head, "not a .txt file"},
		{"not a tag", "german.txt", head, "no language tag"},
		{"underscore", "pt_br.txt", head, "name it pt-BR.txt"},
		{"not canonical case", "pt-br.txt", head, "name it pt-BR.txt"},
		{"alias spelled", "iw.txt", head, "name it he.txt"},
		{"no name", "de.txt", "@dir = ltr\n", "no @name line"},
		{"no dir", "de.txt", "@name = X\n", "no @dir line"},
		{"bad dir", "de.txt", "@name = X\n@dir = right\n", "must be ltr or rtl"},
		{"bad comma", "de.txt", head + "@comma = ;;\n", "one punctuation mark"},
		{"unknown setting", "de.txt", head + "@font = x\n", "unknown setting @font"},
		{"no equals", "de.txt", head + "banner.title Cookies\n", "de.txt:3: want key = value"},
		{"bad key", "de.txt", head + "banner title = Cookies\n", "bad key"},
		{"twice", "de.txt", head + "banner.title = A\nbanner.title = B\n", "de.txt:4: banner.title given twice"},
		{"empty", "de.txt", head + "banner.title =\n", "banner.title is empty"},
		{"control", "de.txt", head + "banner.title = a\tb\n", "control character"},
		{"no verb", "de.txt", head + "banner.text = Wir möchten.\n", "exactly one %s"},
		{"two verbs", "de.txt", head + "banner.text = %s und %s\n", "exactly one %s"},
		{"other verb", "de.txt", head + "banner.text = %d Cookies\n", "only %s"},
		{"embed one verb", "de.txt", head + "embed.text = %s blockiert.\n", "exactly two %s"},
		{"reserved", "de.txt", head + "banner.title = " + sentinelPrefix + "x\n", "reserved"},
		{"not utf-8", "de.txt", head + "banner.title = \xff\n", "not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTranslation(tt.file, []byte(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// A translation that lacks a key, or has one English does not, stops the
// whole table from loading, and New with it: every problem is named.
func TestLoadTranslationsChecksKeys(t *testing.T) {
	fsys := fstest.MapFS{
		"tr/en.txt": {Data: []byte(testSource)},
		"tr/de.txt": {Data: []byte("@name = Deutsch\n@dir = ltr\nbanner.title = Cookies\nbanner.text = Wir möchten %s.\nbanner.extra = x\n")},
		"tr/fr.txt": {Data: []byte("@name = Français\n@dir = ltr\nbanner.title = Cookies\nbanner.text = Nous aimerions %s.\nembed.text = %[2]s pour %[1]s.\n")},
		"tr/sw.txt": {Data: []byte("@dir = ltr\n")},
	}
	_, err := loadTranslations(fsys, "tr")
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"translations/de.txt lacks embed.text",
		"translations/de.txt has keys English does not: banner.extra",
		"sw.txt: no @name line",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "fr.txt") {
		t.Errorf("fr.txt, which reorders its verbs, was refused:\n%v", err)
	}

	delete(fsys, "tr/de.txt")
	delete(fsys, "tr/sw.txt")
	all, err := loadTranslations(fsys, "tr")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all["fr"].strings["embed.text"] != "%[2]s pour %[1]s." {
		t.Errorf("loaded %v", all)
	}

	delete(fsys, "tr/en.txt")
	if _, err := loadTranslations(fsys, "tr"); err == nil || !strings.Contains(err.Error(), "no en.txt") {
		t.Errorf("without English: %v", err)
	}
}

// The shipped files load: the table New uses.
func TestShippedTranslationsLoad(t *testing.T) {
	all, err := builtinLangs()
	if err != nil {
		var joined interface{ Unwrap() []error }
		if errors.As(err, &joined) {
			for _, e := range joined.Unwrap() {
				t.Error(e)
			}
		}
		t.Fatal("translations do not load")
	}
	if _, err := New(testOptions()); err != nil {
		t.Fatal(err)
	}
	for code, l := range all {
		if l.tag.String() != code {
			t.Errorf("%s.txt holds %s", code, l.tag)
		}
	}
}

func FuzzParseTranslation(f *testing.F) {
	f.Add("de.txt", "@name = Deutsch\n@dir = ltr\nbanner.text = Wir möchten %s.\n")
	f.Add("ar.txt", "# c\n@name = العربية\n@dir = rtl\n@comma = ،\nembed.text = %[2]s %[1]s\n")
	f.Add("zh-Hant.txt", "@name = 繁體中文\n@dir = ltr\n@comma = 、\nbanner.title = Cookie\r\n")
	f.Add("x.txt", "=\n==\n@=\n")
	f.Fuzz(func(t *testing.T, name, text string) {
		l, err := parseTranslation(name, []byte(text))
		if err != nil {
			return
		}
		if l.name == "" || (l.dir != "ltr" && l.dir != "rtl") {
			t.Fatalf("accepted without name or direction: %+v", l)
		}
		for k, v := range l.strings {
			if v == "" || v != strings.TrimSpace(v) || checkOverride(k, v) != nil {
				t.Fatalf("accepted %q = %q", k, v)
			}
		}
		if sep := l.listSep(); sep == "" {
			t.Fatal("empty list separator")
		}
	})
}
