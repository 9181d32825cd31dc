package consent

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// FuzzSafeReturn: whatever the input, the redirect target is a path on
// this origin, as a browser resolves it.
func FuzzSafeReturn(f *testing.F) {
	for _, s := range []string{"/", "/shop?id=1#x", "//evil.example", "/\\evil", "/%2F%2Fevil", "/%5Cevil",
		"/%252F/evil", "https://evil.example", "/\t/evil", "/caf%C3%A9", "/%", "/a%2f%2e%2e"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://site.example/page/here?q=1")
	f.Fuzz(func(t *testing.T, in string) {
		got := safeReturn(in, "/")
		if got != "/" && got != in {
			t.Fatalf("safeReturn(%q) = %q: neither the input nor the fallback", in, got)
		}
		// What a browser does before parsing a Location: strip leading
		// and trailing C0 controls and spaces, remove tabs and
		// newlines, read backslashes as slashes.
		b := strings.TrimFunc(got, func(r rune) bool { return r <= ' ' })
		b = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(b)
		if !strings.HasPrefix(b, "/") || strings.HasPrefix(b, "//") {
			t.Fatalf("safeReturn(%q) = %q: a browser reads %q", in, got, b)
		}
		// Decoded once more by some server, it still stays here.
		for range 3 {
			d, err := url.PathUnescape(b)
			if err != nil {
				break
			}
			if strings.HasPrefix(d, "//") || strings.HasPrefix(d, "/\\") || strings.ContainsAny(d, "\\\t\n\r\x00") {
				t.Fatalf("safeReturn(%q) = %q decodes to %q", in, got, d)
			}
			b = d
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("safeReturn(%q) = %q does not parse: %v", in, got, err)
		}
		if r := base.ResolveReference(u); r.Scheme != "https" || r.Host != "site.example" {
			t.Fatalf("safeReturn(%q) = %q resolves to %s", in, got, r)
		}
	})
}

// FuzzParseDecision: any body is decoded or refused with an error, never a
// panic; what is granted is always a subset of the optional categories.
func FuzzParseDecision(f *testing.F) {
	optional := []string{"preferences", "analytics", "marketing", "social"}
	f.Add("", "action=accept&return=%2F&lang=de")
	f.Add("application/x-www-form-urlencoded", "action=save&c=analytics&c=bogus&c=analytics")
	f.Add("application/json", `{"action":"save","categories":["marketing","necessary"],"lang":"fr"}`)
	f.Add("application/json; charset=utf-8", `{"action":"reject","categories":null}`)
	f.Add("text/plain", "action=accept")
	f.Add("application/x-www-form-urlencoded", "action=save&c=%zz")
	f.Add("", "action=optout&c=marketing&return=%2Fshop")
	f.Add("application/json", `{"action":"acknowledge"}`)
	f.Fuzz(func(t *testing.T, ct, body string) {
		d, err := parseDecision(ct, []byte(body), optional)
		if err != nil {
			return
		}
		switch d.action {
		case actionAccept:
			if !slices.Equal(d.grant, optional) {
				t.Fatalf("accept granted %q", d.grant)
			}
		case actionReject:
			if len(d.grant) != 0 {
				t.Fatalf("reject granted %q", d.grant)
			}
		case actionAcknowledge, actionOptOut:
			// No grant: the stored choices are kept (and, for an
			// opt-out, the sale-or-share ones refused).
			if len(d.grant) != 0 || d.mode == modeGrant {
				t.Fatalf("%s granted %q, mode %d", d.action, d.grant, d.mode)
			}
		case actionSave:
			for i, g := range d.grant {
				if !slices.Contains(optional, g) || slices.Contains(d.grant[:i], g) {
					t.Fatalf("save granted %q", d.grant)
				}
			}
		default:
			t.Fatalf("accepted action %q", d.action)
		}
	})
}
