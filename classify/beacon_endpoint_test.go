package classify

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEqualFold(t *testing.T) {
	tests := []struct {
		s, t string
		want bool
	}{
		{"collect", "collect", true},
		{"COLLECT", "collect", true},
		{"CoLLecT", "collect", true},
		{"collec", "collect", false},
		{"collects", "collect", false},
		{"track", "track", true},
		{"trac\u212a", "track", false}, // the Kelvin sign is no 'k' to a server
		{"\u017fcript", "script", false},
		{"", "", true},
		{"@", "`", false},
	}
	for _, tt := range tests {
		if got := equalFold(tt.s, tt.t); got != tt.want {
			t.Errorf("equalFold(%q, %q) = %v, want %v", tt.s, tt.t, got, tt.want)
		}
	}
}

// TestEndpointCase checks that endpoint names match in any ASCII case.
func TestEndpointCase(t *testing.T) {
	type result struct {
		Cat    Category
		Reason BeaconReason
	}
	tests := []struct {
		url  string
		want result
	}{
		{"https://x.example/COLLECT?v=1", result{Analytics, ReasonEndpoint}},
		{"https://x.example/Tr?id=1", result{Marketing, ReasonEndpoint}},
		{"https://x.example/trac\u212a?id=1", result{}},
		{"https://stats.example/Matomo.PHP?rec=1", result{Analytics, ReasonEndpoint}},
	}
	for _, tt := range tests {
		path, query := pathQuery(tt.url)
		var got result
		got.Cat, got.Reason = endpoint(HostOf(tt.url), path, query)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("endpoint(%q) (-want +got):\n%s", tt.url, diff)
		}
	}
}
