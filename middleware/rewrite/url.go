package rewrite

import (
	"bytes"
	"encoding/binary"
	"unsafe"

	"github.com/crumbhq/crumb/classify"
)

// bstr views b as a string for a call that does not keep it: the classify
// lookups take strings, and converting would allocate for every value longer
// than 32 bytes, once per element.
func bstr(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// resolve reads a raw attribute value as a browser reads a URL: character
// references decoded, tabs and newlines removed, surrounding spaces and
// control characters trimmed. It returns that URL and its host, lower-case
// and percent-decoded; a relative URL gets the host of the page's <base
// href>, if any (r.hostFromBase tells), and otherwise an empty host. Both
// results view raw or the rewriter's scratch buffers until the next call.
// r.hostQuick tells that the host is exactly what classify.HostOf returns
// for the URL, even after strings.TrimSpace, so Beacon can be given it.
func (r *Rewriter) resolve(raw []byte) (url, host []byte) {
	u := raw
	if urlNeedsCleaning(raw) {
		u = appendURL(r.urlBuf[:0], raw)
		r.urlBuf = u
	}
	return r.resolveClean(u)
}

// resolveClean is resolve for a URL already read as the URL parser reads
// it: references decoded, no tab or newline, nothing to trim.
func (r *Rewriter) resolveClean(u []byte) (url, host []byte) {
	r.hostFromBase, r.hostQuick = false, false
	if isPathURL(u) {
		// The most common URL in a page, a path on its own site: HostOf
		// would find no host.
		return r.relativeHost(u)
	}
	if h, ok := r.quickHost(u); ok {
		r.hostQuick = true
		return u, h
	}
	h := classify.HostOf(bstr(u))
	if h == "" {
		if isRelativeURL(u) {
			return r.relativeHost(u)
		}
		return u, nil
	}
	// HostOf's host is already lower case and percent-decoded.
	r.hostBuf = append(r.hostBuf[:0], h...)
	return u, r.hostBuf
}

// relativeHost returns a relative URL u with the host of the page's <base
// href>, if any.
func (r *Rewriter) relativeHost(u []byte) ([]byte, []byte) {
	if len(r.baseHost) > 0 {
		r.hostFromBase = true
		return u, r.baseHost
	}
	return u, nil
}

// isPathURL reports whether u starts with a path: one slash or backslash,
// not two (which start an authority).
func isPathURL(u []byte) bool {
	return len(u) > 0 && (u[0] == '/' || u[0] == '\\') && (len(u) == 1 || u[1] != '/' && u[1] != '\\')
}

// urlNeedsCleaning reports whether appendURL would change raw: it holds a
// character reference, a tab or newline, or starts or ends with a space or
// control character. Most URLs do not, and are used as they are.
func urlNeedsCleaning(raw []byte) bool {
	if len(raw) == 0 {
		return false
	}
	if raw[0] <= ' ' || raw[len(raw)-1] <= ' ' {
		return true
	}
	// Eight bytes at a time, '&' and the bytes below 0x0e are candidates;
	// a word with one is looked at byte by byte.
	i := 0
	for ; i+8 <= len(raw); i += 8 {
		w := binary.LittleEndian.Uint64(raw[i:])
		if ((w-lo8*0x0e)&^w|hasByte(w, '&'))&hi8 != 0 {
			break
		}
	}
	for _, c := range raw[i:] {
		if c == '&' || c == '\n' || c == '\t' || c == '\r' {
			return true
		}
	}
	return false
}

// Byte classes for quickHost.
const (
	ucOther = iota
	ucHost  // a-z 0-9 . - _: host bytes that need no work
	ucUpper // A-Z
	ucEnd   // / \ ? #: the end of the authority
)

var urlClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '.', c == '-', c == '_':
			t[c] = ucHost
		case 'A' <= c && c <= 'Z':
			t[c] = ucUpper
		case c == '/', c == '\\', c == '?', c == '#':
			t[c] = ucEnd
		}
	}
	return t
}()

// quickHost is classify.HostOf for the URLs pages are made of: http,
// https or protocol-relative, with a plain ASCII host name. It gives up
// (false) on anything else, such as a port, userinfo, an IP literal,
// percent escapes or non-ASCII, which HostOf then reads.
func (r *Rewriter) quickHost(u []byte) ([]byte, bool) {
	var rest []byte
	switch {
	case len(u) >= 2 && (u[0] == '/' || u[0] == '\\') && (u[1] == '/' || u[1] == '\\'):
		rest = u[2:]
	case len(u) >= 6 && equalFoldLower(u[:6], "https:"):
		rest = u[6:]
	case len(u) >= 5 && equalFoldLower(u[:5], "http:"):
		rest = u[5:]
	default:
		return nil, false
	}
	// Special schemes take any number of slashes and backslashes.
	for len(rest) > 0 && (rest[0] == '/' || rest[0] == '\\') {
		rest = rest[1:]
	}
	upper := false
	i := 0
authority:
	for ; i < len(rest); i++ {
		switch urlClass[rest[i]] {
		case ucHost:
		case ucUpper:
			upper = true
		case ucEnd:
			break authority
		default:
			return nil, false
		}
	}
	h := rest[:i]
	for len(h) > 0 && h[0] == '.' {
		h = h[1:]
	}
	for len(h) > 0 && h[len(h)-1] == '.' {
		h = h[:len(h)-1]
	}
	if len(h) == 0 {
		return nil, true
	}
	if upper {
		hb := r.hostBuf[:0]
		for _, c := range h {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			hb = append(hb, c)
		}
		r.hostBuf = hb
		h = hb
	}
	return h, true
}

// isRelativeURL reports whether u has neither a scheme nor an authority.
func isRelativeURL(u []byte) bool {
	if len(u) >= 2 && (u[0] == '/' || u[0] == '\\') && (u[1] == '/' || u[1] == '\\') {
		return false
	}
	for i, c := range u {
		switch {
		case isASCIILetter(c):
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return false
		default:
			return true
		}
	}
	return true
}

// appendURL appends the URL written in raw attribute text to dst.
func appendURL(dst, raw []byte) []byte {
	start := len(dst)
	dst = appendUnescaped(dst, raw)
	// The URL parser removes every tab and newline, and trims C0 controls
	// and spaces at both ends.
	if u := dst[start:]; bytes.IndexByte(u, '\t') >= 0 || bytes.IndexByte(u, '\n') >= 0 || bytes.IndexByte(u, '\r') >= 0 {
		w := start
		for i := start; i < len(dst); i++ {
			if c := dst[i]; c != '\t' && c != '\n' && c != '\r' {
				dst[w] = c
				w++
			}
		}
		dst = dst[:w]
	}
	i, j := start, len(dst)
	for i < j && dst[i] <= ' ' {
		i++
	}
	for j > i && dst[j-1] <= ' ' {
		j--
	}
	n := copy(dst[start:], dst[i:j])
	return dst[:start+n]
}
