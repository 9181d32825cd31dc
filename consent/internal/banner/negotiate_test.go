package banner

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/language"
)

func TestNegotiate(t *testing.T) {
	r := newRenderer(t, testOptions())
	tests := []struct {
		name           string
		accept, chosen string
		want           string
	}{
		{"empty", "", "", "en"},
		{"exact", "de", "", "de"},
		{"region", "de-AT,de;q=0.9,en;q=0.8", "", "de"},
		{"weights", "fr;q=0.2, it;q=0.9", "", "it"},
		{"first supported", "am, pl;q=0.5, en;q=0.4", "", "pl"},
		{"unsupported only", "am, fa", "", "en"},
		{"wildcard", "*", "", "en"},
		{"malformed", ";;;q=abc,,", "", "en"},
		{"chosen wins", "de-DE,de", "sv", "sv"},
		{"chosen with region", "de", "fr-BE", "fr"},
		{"chosen unsupported", "de", "am", "de"},
		{"chosen garbage", "nl", "<script>", "nl"},
		{"case", "EL-gr", "", "el"},
		{"irish and maltese", "ga-IE, mt;q=0.8", "", "ga"},
		{"maltese", "mt", "", "mt"},
		{"overlong header", strings.Repeat("xx-yy;q=0.1,", 100) + "fi", "", "en"},

		// Portuguese: Brazil apart, Portugal and the other countries
		// (Angola, Mozambique...) with European Portuguese.
		{"pt-BR", "pt-BR,pt;q=0.9,en;q=0.8", "", "pt-BR"},
		{"pt-PT", "pt-PT,pt;q=0.9", "", "pt"},
		{"pt-AO", "pt-AO", "", "pt"},
		{"bare pt", "pt", "", "pt"},
		{"chosen pt kept", "pt-BR", "pt", "pt"},
		{"chosen pt-BR", "pt-PT", "pt-BR", "pt-BR"},
		// Spanish: Spain, and Latin America (419) with the US.
		{"es-ES", "es-ES,es;q=0.9", "", "es"},
		{"bare es", "es", "", "es"},
		{"es-MX", "es-MX,es;q=0.9,en;q=0.8", "", "es-419"},
		{"es-AR", "es-AR", "", "es-419"},
		{"es-CO", "es-CO", "", "es-419"},
		{"es-US", "es-US,en-US;q=0.8", "", "es-419"},
		{"es-419", "es-419", "", "es-419"},
		// Chinese: by script, whichever way the browser says it.
		{"zh-CN", "zh-CN,zh;q=0.9", "", "zh-Hans"},
		{"zh-SG", "zh-SG", "", "zh-Hans"},
		{"bare zh", "zh", "", "zh-Hans"},
		{"zh-TW", "zh-TW,zh;q=0.9,en-US;q=0.8", "", "zh-Hant"},
		{"zh-HK", "zh-HK", "", "zh-Hant"},
		{"zh-MO", "zh-MO", "", "zh-Hant"},
		{"zh-Hant-TW", "zh-Hant-TW", "", "zh-Hant"},
		{"zh-Hans-HK", "zh-Hans-HK", "", "zh-Hans"},
		// Serbian: Cyrillic unless Latin is asked for; sh is Latin.
		{"sr", "sr", "", "sr"},
		{"sr-RS", "sr-RS,sr;q=0.9", "", "sr"},
		{"sr-Cyrl", "sr-Cyrl-RS", "", "sr"},
		{"sr-Latn", "sr-Latn-RS,sr-Latn;q=0.9", "", "sr-Latn"},
		{"sr-ME", "sr-Latn-ME", "", "sr-Latn"},
		{"sh", "sh", "", "sr-Latn"},
		{"chosen sr-Latn", "sr", "sr-Latn", "sr-Latn"},
		{"bosnian stays bosnian", "bs-BA,sr;q=0.5", "", "bs"},
		{"croatian stays croatian", "hr-HR,sr;q=0.5", "", "hr"},
		// Norwegian: no and nn are served Bokmål.
		{"nb", "nb-NO", "", "nb"},
		{"no", "no", "", "nb"},
		{"no-NO", "no-NO,en;q=0.5", "", "nb"},
		{"nn", "nn-NO,en;q=0.5", "", "nb"},
		{"chosen no", "de", "no", "nb"},
		{"nn before english", "nn,en;q=0.5", "", "nb"},
		{"nn before a later nb", "nn-NO,en;q=0.7,nb;q=0.5", "", "nb"},
		// Deprecated codes browsers still send.
		{"iw", "iw", "", "he"},
		{"in", "in", "", "id"},
		{"he-IL", "he-IL,he;q=0.9,en;q=0.8", "", "he"},
		{"ar-EG", "ar-EG,ar;q=0.9", "", "ar"},
		{"ar-SA", "ar-SA", "", "ar"},
		{"ja-JP", "ja-JP,ja;q=0.9,en-US;q=0.8", "", "ja"},
		{"ko-KR", "ko-KR,ko;q=0.9", "", "ko"},
		{"hi-IN", "hi-IN,hi;q=0.9,en-IN;q=0.8", "", "hi"},
		{"th-TH", "th-TH,th;q=0.9", "", "th"},
		{"vi-VN", "vi-VN,vi;q=0.9", "", "vi"},
		{"id-ID", "id-ID,id;q=0.9", "", "id"},
		{"tr-TR", "tr-TR,tr;q=0.9", "", "tr"},
		{"uk-UA", "uk-UA,uk;q=0.9,ru;q=0.8", "", "uk"},
		{"ca-ES-valencia", "ca-ES-valencia", "", "ca"},
		{"eu-ES", "eu-ES,es;q=0.8", "", "eu"},
		{"gl-ES", "gl-ES,es;q=0.8", "", "gl"},
		{"is-IS", "is-IS", "", "is"},
		{"sq-XK", "sq-XK", "", "sq"},
		{"mk-MK", "mk-MK", "", "mk"},
		// Russian is not built in: the next language the visitor reads.
		{"ru then uk", "ru-RU,ru;q=0.9,uk;q=0.8", "", "uk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The second call answers from the remembered match.
			for range 2 {
				if got := r.Negotiate(tt.accept, tt.chosen); got.String() != tt.want {
					t.Errorf("Negotiate(%q, %q) = %s, want %s", tt.accept, tt.chosen, got, tt.want)
				}
			}
		})
	}
}

func TestNegotiateDefaultLanguage(t *testing.T) {
	opts := testOptions()
	opts.DefaultLanguage = language.French
	r := newRenderer(t, opts)
	for _, accept := range []string{"", "am", "garbage;;"} {
		if got := r.Negotiate(accept, ""); got != language.French {
			t.Errorf("Negotiate(%q) = %s, want fr", accept, got)
		}
	}
}

// The remembered matches stay bounded whatever clients send, agree with
// matching afresh, and survive concurrent use.
func TestNegotiateMemoryBounded(t *testing.T) {
	r := newRenderer(t, testOptions())
	langs := []string{"de", "fr", "ja", "pt-BR", "sv", "xx", "el", "ga", "zh-TW", "es-MX", "sr-Latn"}
	header := func(i int) string {
		return fmt.Sprintf("%s;q=0.%d, %s-%d", langs[i%len(langs)], i%9+1, langs[(i/len(langs))%len(langs)], i)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < 3*maxNegotiated; i += 4 {
				h := header(i)
				if got, want := r.Negotiate(h, ""), r.negotiate(h, ""); got != want {
					t.Errorf("Negotiate(%q) = %s, matching afresh gives %s", h, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	n := 0
	r.negotiated.m.Range(func(any, any) bool { n++; return true })
	if n == 0 || n > maxNegotiated {
		t.Errorf("%d remembered matches, want 1..%d", n, maxNegotiated)
	}
}
