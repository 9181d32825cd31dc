package banner

import (
	"strings"
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
			if got := r.Negotiate(tt.accept, tt.chosen); got.String() != tt.want {
				t.Errorf("Negotiate(%q, %q) = %s, want %s", tt.accept, tt.chosen, got, tt.want)
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
