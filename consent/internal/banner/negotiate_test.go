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
		{"first supported", "ja, pl;q=0.5, en;q=0.4", "", "pl"},
		{"brazilian portuguese", "pt-BR", "", "pt"},
		{"unsupported only", "ja, zh-Hans", "", "en"},
		{"wildcard", "*", "", "en"},
		{"malformed", ";;;q=abc,,", "", "en"},
		{"chosen wins", "de-DE,de", "sv", "sv"},
		{"chosen with region", "de", "fr-BE", "fr"},
		{"chosen unsupported", "de", "ja", "de"},
		{"chosen garbage", "nl", "<script>", "nl"},
		{"case", "EL-gr", "", "el"},
		{"irish and maltese", "ga-IE, mt;q=0.8", "", "ga"},
		{"maltese", "mt", "", "mt"},
		{"overlong header", strings.Repeat("xx-yy;q=0.1,", 100) + "fi", "", "en"},
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
	for _, accept := range []string{"", "ja", "garbage;;"} {
		if got := r.Negotiate(accept, ""); got != language.French {
			t.Errorf("Negotiate(%q) = %s, want fr", accept, got)
		}
	}
}

// The remembered matches stay bounded whatever clients send, agree with
// matching afresh, and survive concurrent use.
func TestNegotiateMemoryBounded(t *testing.T) {
	r := newRenderer(t, testOptions())
	langs := []string{"de", "fr", "ja", "pt-BR", "sv", "xx", "el", "ga"}
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
