package banner

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// A page is pre-rendered markup cut at the places that change per request.
// Each segment is static text followed by one dynamic part.
type page []segment

type segment struct {
	static string
	kind   dynKind
	arg    int // category index for dynChecked
}

type dynKind uint8

const (
	dynNone        dynKind = iota
	dynReturn              // ReturnTo, escaped for an attribute value
	dynReturnQuery         // ReturnTo, escaped for a query value inside an attribute
	dynBack                // View.back(), escaped for an attribute value
	dynNonce               // ` nonce="…"`, or nothing
	dynChecked             // ` checked` when the category is granted, or nothing
	dynIfDecided           // start of text shown only when Decided
	dynElse                // start of text shown only when not Decided
	dynEnd                 // end of the conditional text
	dynOrigin              // View.Origin, before each of crumb's own URLs
	dynIf                  // start of text shown only when the View flag numbered arg is set (View.flag)
)

// Sentinels are plain letters and digits so that html/template passes them
// through unchanged in text, attribute and URL contexts alike.
const sentinelPrefix = "zQcrumb"

var dynNames = [...]string{
	dynReturn:      "RET",
	dynReturnQuery: "RETQ",
	dynBack:        "BACK",
	dynNonce:       "NONCE",
	dynChecked:     "CHK",
	dynIfDecided:   "IFDEC",
	dynElse:        "ELSE",
	dynEnd:         "END",
	dynOrigin:      "ORIG",
	dynIf:          "IF",
}

func sentinel(k dynKind, arg int) string {
	return sentinelPrefix + dynNames[k] + strconv.Itoa(arg) + "z"
}

// compile cuts rendered markup at its sentinels. Attribute sentinels were
// written after a space so that html/template sees an attribute; that space
// is dropped here and written back only when the attribute is.
func compile(s string) (page, error) {
	var p page
	for {
		i := strings.Index(s, sentinelPrefix)
		if i < 0 {
			break
		}
		static, rest := s[:i], s[i+len(sentinelPrefix):]
		name := rest
		if j := strings.IndexAny(rest, "0123456789z"); j >= 0 {
			name = rest[:j]
		}
		kind := dynNone
		for k, n := range dynNames {
			if n != "" && n == name {
				kind = dynKind(k)
			}
		}
		rest = rest[len(name):]
		end := strings.IndexByte(rest, 'z')
		if kind == dynNone || end < 0 {
			return nil, fmt.Errorf("malformed placeholder near %q", s[i:min(len(s), i+24)])
		}
		arg, _ := strconv.Atoi(rest[:end])
		// html/template puts the sentinels for conditional text inside
		// literal text, the sentinels for static attributes after a space.
		if kind == dynNonce || kind == dynChecked {
			static = strings.TrimSuffix(static, " ")
		}
		p = append(p, segment{static: static, kind: kind, arg: arg})
		s = rest[end+1:]
	}
	p = append(p, segment{static: s})
	var depth int
	for _, seg := range p {
		switch seg.kind {
		case dynIfDecided, dynIf:
			depth++
		case dynEnd:
			depth--
		}
		if depth < 0 || depth > 1 {
			return nil, fmt.Errorf("unbalanced conditional text")
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("unbalanced conditional text")
	}
	return p, nil
}

// render writes the page for one request. It allocates nothing of its own.
func (p page) render(w io.Writer, v *View, ids []string) error {
	ew := errWriter{w: w}
	skip := false
	for i := range p {
		seg := &p[i]
		if !skip {
			ew.str(seg.static)
		}
		switch seg.kind {
		case dynIfDecided:
			skip = !v.Decided
		case dynIf:
			skip = !v.flag(seg.arg)
		case dynElse:
			skip = v.Decided
		case dynEnd:
			skip = false
		}
		if skip {
			continue
		}
		switch seg.kind {
		case dynReturn:
			ew.attr(v.ReturnTo)
		case dynReturnQuery:
			ew.query(v.ReturnTo)
		case dynBack:
			ew.attr(v.back())
		case dynOrigin:
			ew.attr(v.Origin)
		case dynNonce:
			if v.Nonce != "" {
				ew.str(` nonce="`)
				ew.attr(v.Nonce)
				ew.str(`"`)
			}
		case dynChecked:
			if seg.arg < len(ids) && slices.Contains(v.Granted, ids[seg.arg]) {
				ew.str(" checked")
			}
		}
		if ew.err != nil {
			return ew.err
		}
	}
	return ew.err
}

// errWriter keeps the first write error so that the rendering loop stays
// flat.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) str(s string) {
	if e.err == nil && s != "" {
		_, e.err = io.WriteString(e.w, s)
	}
}

// attr writes s escaped for a double- or single-quoted attribute value.
func (e *errWriter) attr(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if esc := htmlEscape(s[i]); esc != "" {
			e.str(s[last:i])
			e.str(esc)
			last = i + 1
		}
	}
	e.str(s[last:])
}

// htmlEscape returns what c becomes in HTML text and quoted attribute
// values, or "" when it stays as it is. NUL becomes U+FFFD, as a parser
// would read it.
func htmlEscape(c byte) string {
	switch c {
	case '&':
		return "&amp;"
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	case '"':
		return "&#34;"
	case '\'':
		return "&#39;"
	case 0:
		return "\uFFFD"
	}
	return ""
}

// percentTable holds "%00%01…%FF" so that query can slice instead of
// building escapes on the heap.
var percentTable = sync.OnceValue(func() string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for c := range 256 {
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
})

// query writes s percent-encoded as a query value. Only unreserved bytes and
// '/' stay as they are, so the result is also safe inside an attribute.
func (e *errWriter) query(s string) {
	pct := percentTable()
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' {
			continue
		}
		e.str(s[last:i])
		e.str(pct[int(c)*3 : int(c)*3+3])
		last = i + 1
	}
	e.str(s[last:])
}
