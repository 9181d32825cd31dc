package banner

import (
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Every language of translations_ui*.go has all seven strings, none
// empty, and the two placeholder choices and the switch states differ.
func TestUIStringsComplete(t *testing.T) {
	keys := []string{KeyBack, KeyOn, KeyOff, KeyEmbedOnce, KeyEmbedAlways, KeyEmbedStored, KeyDeclLifetimes}
	slices.Sort(keys)
	all := maps.Clone(uiStrings())
	maps.Copy(all, uiStringsMore())
	if len(all) < 40 {
		t.Errorf("%d languages, want the 24 of the EU and the others crumb adds", len(all))
	}
	for lang, m := range all {
		got := slices.Sorted(maps.Keys(m))
		if diff := cmp.Diff(keys, got); diff != "" {
			t.Errorf("%s: keys (-want +got):\n%s", lang, diff)
		}
		for k, v := range m {
			if v == "" {
				t.Errorf("%s: %s is empty", lang, k)
			}
		}
		if m[KeyEmbedOnce] == m[KeyEmbedAlways] || m[KeyOn] == m[KeyOff] {
			t.Errorf("%s: choices that read the same: %q/%q, %q/%q", lang, m[KeyEmbedOnce], m[KeyEmbedAlways], m[KeyOn], m[KeyOff])
		}
	}
}

func TestUIFor(t *testing.T) {
	for in, want := range map[string]string{"de": "Zurück zur Website", "zh-Hant": "返回網站", "zh_TW": "返回網站", "no": "Tilbake til nettstedet", "xx": ""} {
		if got := uiFor(in)[KeyBack]; got != want {
			t.Errorf("uiFor(%q)[back] = %q, want %q", in, got, want)
		}
	}
}
