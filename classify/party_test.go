package classify

import (
	"testing"
)

func TestSite(t *testing.T) {
	tests := []struct{ host, want string }{
		{"example.com", "example.com"},
		{"www.example.com", "example.com"},
		{"a.b.c.example.com", "example.com"},
		{"WWW.Example.COM", "example.com"},
		{"www.example.com.", "example.com"},
		{"www.example.com:8443", "example.com"},
		{".example.com", "example.com"}, // cookie Domain attribute
		{"shop.example.co.uk", "example.co.uk"},
		{"www.example.co.uk", "example.co.uk"},
		{"example.co.uk", "example.co.uk"},
		// Private section: each github.io / blogspot.com name is its own site.
		{"a.github.io", "a.github.io"},
		{"x.a.github.io", "a.github.io"},
		{"b.github.io", "b.github.io"},
		{"myapp.herokuapp.com", "myapp.herokuapp.com"},
		{"foo.s3.amazonaws.com", "foo.s3.amazonaws.com"},
		// A public suffix is its own site.
		{"github.io", "github.io"},
		{"co.uk", "co.uk"},
		{"com", "com"},
		// Unknown TLDs follow the list's default rule "*".
		{"app.corp.internal", "corp.internal"},
		{"corp.internal", "corp.internal"},
		// Hosts without a registrable domain.
		{"localhost", "localhost"},
		{"localhost:8080", "localhost"},
		{"intranet", "intranet"},
		{"127.0.0.1", "127.0.0.1"},
		{"127.0.0.1:8080", "127.0.0.1"},
		{"10.1.2.3", "10.1.2.3"},
		{"0x7f.0.0.1", "0x7f.0.0.1"},
		{"[::1]", "::1"},
		{"[::1]:8080", "::1"},
		{"2001:DB8::1", "2001:db8::1"},
		{"[2001:db8::1]:443", "2001:db8::1"},
		// Internationalised names compare in their ASCII form.
		{"www.bücher.de", "xn--bcher-kva.de"},
		{"www.xn--bcher-kva.de", "xn--bcher-kva.de"},
		{"", ""},
		{".", ""},
		{"[::1", ""},
		{"[nonsense]", ""},
		{"000..a", "000..a"}, // an empty label before the suffix: its own site
		{"x..example.com", "example.com"},
		{"a.b..co.uk", "a.b..co.uk"},
	}
	for _, tt := range tests {
		if got := Site(tt.host); got != tt.want {
			t.Errorf("Site(%q) = %q, want %q", tt.host, got, tt.want)
		}
	}
}

func TestSameSite(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"www.example.com", "example.com", true},
		{"www.example.com", "cdn.example.com:443", true},
		{"shop.example.co.uk", "www.example.co.uk", true},
		{"a.github.io", "b.github.io", false},
		{"a.github.io", "github.io", false},
		{"example.com", "example.org", false},
		{"example.co.uk", "other.co.uk", false},
		{"localhost", "localhost:3000", true},
		{"localhost", "127.0.0.1", false},
		{"127.0.0.1", "127.0.0.2", false},
		{"EXAMPLE.com.", ".example.COM", true},
		{"", "", false},
		{"example.com", "", false},
	}
	for _, tt := range tests {
		if got := SameSite(tt.a, tt.b); got != tt.want {
			t.Errorf("SameSite(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := SameSite(tt.b, tt.a); got != tt.want {
			t.Errorf("SameSite(%q, %q) = %v, want %v (not symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestThirdParty(t *testing.T) {
	tests := []struct {
		page, resource string
		want           bool
	}{
		{"www.shop.com", "https://cdn.shop.com/app.js", false},
		{"www.shop.com:8443", "https://shop.com/x", false},
		{"www.shop.com", "https://www.google-analytics.com/g/collect?v=2", true},
		{"www.shop.com", "//connect.facebook.net/en_US/fbevents.js", true},
		{"www.shop.com", "/img/logo.png", false},
		{"www.shop.com", "img/logo.png", false},
		{"www.shop.com", "?page=2", false},
		{"www.shop.com", "#top", false},
		{"www.shop.com", "data:image/gif;base64,R0lGOD", false},
		{"www.shop.com", "javascript:void(0)", false},
		{"www.shop.com", "mailto:a@b.com", false},
		{"www.shop.com", "doubleclick.net", true},
		{"www.shop.com", "shop.com", false},
		{"www.shop.com", "evil.com:8443", true},
		{"www.shop.com", ".doubleclick.net", true}, // a cookie Domain
		{"www.shop.com", ".shop.com", false},
		{"a.github.io", "https://b.github.io/x.js", true},
		{"a.github.io", "https://a.github.io/x.js", false},
		{"localhost:8080", "http://localhost:9090/x", false},
		{"localhost:8080", "http://127.0.0.1/x", true},
		{"", "https://tracker.example/p.gif", true}, // unknown page: foreign
		{"www.shop.com", "", false},
		{"www.shop.com", "https://", false},
	}
	for _, tt := range tests {
		if got := ThirdParty(tt.page, tt.resource); got != tt.want {
			t.Errorf("ThirdParty(%q, %q) = %v, want %v", tt.page, tt.resource, got, tt.want)
		}
	}
}

func TestHostOf(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://www.example.com/path?q=1#f", "www.example.com"},
		{"http://example.com", "example.com"},
		{"HTTPS://WWW.Example.COM/", "www.example.com"},
		{"https://example.com:8443/x", "example.com"},
		{"https://user:pw@example.com/x", "example.com"},
		{"https://example.com@evil.com/", "evil.com"},
		{"https://example.com?x=@y", "example.com"},
		{"https://example.com#@y", "example.com"},
		{"https://example.com./", "example.com"},
		{"//cdn.example.com/a.js", "cdn.example.com"},
		{`\\cdn.example.com\a.js`, "cdn.example.com"},
		{`https:\\evil.com\x`, "evil.com"},
		{"https:///evil.com/x", "evil.com"},
		{"  https://example.com/  ", "example.com"},
		{"wss://socket.example.com/s", "socket.example.com"},
		{"https://[::1]:8080/x", "::1"},
		{"https://[2001:DB8::1]/", "2001:db8::1"},
		{"http://127.0.0.1:3000/", "127.0.0.1"},
		{"https://bücher.de/", "xn--bcher-kva.de"},
		{"https://bücher.de.\u00ad/", "xn--bcher-kva.de"}, // a label that maps to nothing
		{"https://0.\u06c0.a/", "0.xn--zkb.a"},            // rejected by the bidi rule: one ASCII spelling all the same
		{"custom://host.example/x", "host.example"},
		{"https://www%2Egoogletagmanager%2ecom/gtm.js", "www.googletagmanager.com"}, // decoded as browsers do
		{"https://%77ww.example.com:8443/", "www.example.com"},
		{"https://%2Ewww.example.com/", "www.example.com"}, // a decoded leading dot goes like a written one
		{"https://www.example.com%/", ""},                  // a '%' that is no escape is forbidden
		{"https://www.exa%zzmple.com/", ""},                // likewise
		{"https://www.example.com%2F.evil/", ""},           // a decoded '/' is forbidden
		// No host.
		{"/path/a.png", ""},
		{"a.png", ""},
		{"example.com/path", ""}, // a relative path to a browser
		{"?q=1", ""},
		{"#f", ""},
		{"", ""},
		{"data:image/gif;base64,R0lGOD", ""},
		{"mailto:a@example.com", ""},
		{"javascript:alert(1)", ""},
		{"about:blank", ""},
		{"file:///etc/passwd", ""},
		{"https://", ""},
		{"https://a:b:c/", ""},
		{"https://[::1/", ""},
		{"http://[fe80::1%25eth0]/", ""},
		{"https://a b.example/", ""},
		{"https://ex%41mple.com/", "example.com"}, // percent-decoded, as browsers do
		{"//0.[.a/", ""},
		{"https://a|b.example/", ""},
	}
	for _, tt := range tests {
		if got := HostOf(tt.url); got != tt.want {
			t.Errorf("HostOf(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}
