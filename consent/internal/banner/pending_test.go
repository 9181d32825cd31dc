package banner

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// translations/pending/ui-keys.txt holds, for the languages this branch
// added, the keys the ui branch adds to the others; the integrator moves
// them into the language files (see its header) and then deletes it and
// this test. Until then the test keeps it sound: every added language,
// exactly the seven keys, each a valid line, buttons short, and Serbian's
// two scripts saying the same.
func TestPendingUIKeys(t *testing.T) {
	data, err := os.ReadFile("translations/pending/ui-keys.txt")
	if os.IsNotExist(err) {
		t.Skip("applied")
	}
	if err != nil {
		t.Fatal(err)
	}
	blocks := map[string]map[string]string{}
	var cur map[string]string
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case line == "" || line[0] == '#':
		case line[0] == '[':
			tag := strings.Trim(line, "[]")
			cur = map[string]string{}
			blocks[tag] = cur
		default:
			k, v, ok := strings.Cut(line, " = ")
			if !ok || cur == nil || !validKey(k) || strings.TrimSpace(v) != v || v == "" {
				t.Errorf("bad line %q", line)
				continue
			}
			cur[k] = v
		}
	}
	added := slices.Concat(europeLanguages, globalLanguages)
	if diff := cmp.Diff(slices.Sorted(slices.Values(added)), slices.Sorted(maps.Keys(blocks))); diff != "" {
		t.Errorf("languages (-want +got):\n%s", diff)
	}
	keys := []string{"decl.lifetimes", "embed.always", "embed.once", "embed.stored", "link.back", "prefs.off", "prefs.on"}
	for lang, m := range blocks {
		if diff := cmp.Diff(keys, slices.Sorted(maps.Keys(m))); diff != "" {
			t.Errorf("%s: keys (-want +got):\n%s", lang, diff)
		}
		for _, k := range []string{"embed.once", "embed.always", "prefs.on", "prefs.off"} {
			if w := displayWidth(m[k]); w > 24 {
				t.Errorf("%s %s: %q is %d columns wide", lang, k, m[k], w)
			}
		}
		if m["embed.once"] == m["embed.always"] || m["prefs.on"] == m["prefs.off"] {
			t.Errorf("%s: two choices read the same", lang)
		}
	}
	for k, v := range blocks["sr"] {
		if got := serbianToLatin(v); got != blocks["sr-Latn"][k] {
			t.Errorf("%s: sr-Latn %q, transliterated sr %q", k, blocks["sr-Latn"][k], got)
		}
	}
}
