package banner

import "testing"

func TestLoadable(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"https://www.youtube.com/embed/x", true},
		{"HTTP://maps.example/", true},
		{"//player.example/v", true},
		{"", false},
		{"/local/path", false},
		{"javascript:alert(1)", false},
		{"data:text/html,x", false},
		{" https://x.example/", false},   // a browser strips it; the check does not
		{"https://x.example/\n", false},  // nor control characters
		{"java\tscript:alert(1)", false}, // a tab inside the scheme
		{"https:", false},
	} {
		if got := loadable([]byte(tt.in)); got != tt.want {
			t.Errorf("loadable(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
