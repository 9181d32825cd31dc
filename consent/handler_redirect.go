package consent

import (
	"net/url"
	"strings"
)

// maxReturn bounds a return path; longer ones fall back.
const maxReturn = 2048

// safeReturn returns target when it is a path on this origin that is safe
// to redirect to, and fallback otherwise.
func safeReturn(target, fallback string) string {
	if isSafeReturn(target) {
		return target
	}
	return fallback
}

// isSafeReturn reports whether target can go into a Location header and
// lead back to this origin, in every browser and through any server or
// proxy that decodes it once or twice more. It accepts only an absolute
// path (with query and fragment) of printable ASCII, which is what a
// request URI is, and refuses:
//
//   - anything that is not a path: absolute URLs, "javascript:", "" ;
//   - "//host" and "/\host", which browsers read as another origin, and
//     backslashes anywhere, which they treat as slashes;
//   - control characters, which browsers strip ("/\t/host" is "//host");
//   - spaces and non-ASCII, which a request URI never holds raw;
//   - percent-encoded forms of all of these ("/%2F%2Fhost", "/%5Chost",
//     "/%09/host"), however often encoded, and malformed escapes.
func isSafeReturn(target string) bool {
	if len(target) == 0 || len(target) > maxReturn {
		return false
	}
	for i := 0; i < len(target); i++ {
		if c := target[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	s := target
	// Every decoding must stay safe; three layers cover any server that
	// decodes what it is given again, and deeper nesting is refused.
	for range 4 {
		if !safeLayer(s) {
			return false
		}
		if strings.IndexByte(s, '%') < 0 {
			return true
		}
		d, err := url.PathUnescape(s)
		if err != nil {
			return false
		}
		if d == s {
			return true
		}
		s = d
	}
	return false
}

// safeLayer checks one decoding of a return path.
func safeLayer(s string) bool {
	if len(s) == 0 || s[0] != '/' {
		return false
	}
	if len(s) > 1 && (s[1] == '/' || s[1] == '\\') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == 0x7f || c == '\\' {
			return false
		}
	}
	return true
}

// returnOf is the path a decision made on r's page goes back to.
func returnOf(r *url.URL) string {
	if r == nil {
		return "/"
	}
	return safeReturn(r.RequestURI(), "/")
}
