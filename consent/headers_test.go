package consent

import "testing"

func TestIsHTML(t *testing.T) {
	for ct, want := range map[string]bool{
		"text/html":                         true,
		"TEXT/HTML; charset=utf-8":          true,
		" text/html ;charset=utf-8":         true,
		"application/xhtml+xml":             true,
		"Application/XHTML+XML; q=1":        true,
		"application/json":                  false,
		"text/htmx":                         false,
		"text/plain":                        false,
		"":                                  false,
		"application/xhtml+xml-not-really":  false,
		"text/html-fragment; charset=utf-8": false,
	} {
		if got := isHTML(ct); got != want {
			t.Errorf("isHTML(%q) = %v, want %v", ct, got, want)
		}
	}
}
