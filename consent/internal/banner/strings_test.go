package banner

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The 24 official languages of the EU.
var euLanguages = []string{"bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv"}

// sameAsEnglish lists the translations that are rightly spelled as in
// English: loanwords the language uses as they are.
var sameAsEnglish = map[string][]string{
	"cat.marketing.title": {"da", "de", "it", "nl", "ro"},
	KeyColName:            {"de"},
}

func TestBuiltinLanguages(t *testing.T) {
	got := slices.Sorted(maps.Keys(builtin()))
	if diff := cmp.Diff(euLanguages, got); diff != "" {
		t.Errorf("built-in languages (-want +got):\n%s", diff)
	}
}

func TestEveryLanguageTranslatesEveryKey(t *testing.T) {
	en := english()
	keys := Keys()
	for _, lang := range euLanguages {
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
			if lang != "en" && v == en[k] && !slices.Contains(sameAsEnglish[k], lang) {
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

// Within one language the three first-layer buttons must read differently,
// or a screen-reader user could not tell them apart.
func TestButtonsAreDistinct(t *testing.T) {
	for _, lang := range euLanguages {
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

func TestDefault(t *testing.T) {
	tests := []struct {
		lang, key string
		want      string
		ok        bool
	}{
		{"de", KeyReject, "Alle ablehnen", true},
		{"DE", KeyAccept, "Alle akzeptieren", true},
		{"en", KeyCustomise, "Customise", true},
		{"ja", KeyAccept, "", false},
		{"fr", "no.such.key", "", false},
	}
	for _, tt := range tests {
		got, ok := Default(tt.lang, tt.key)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Default(%q, %q) = %q, %v; want %q, %v", tt.lang, tt.key, got, ok, tt.want, tt.ok)
		}
	}
}
