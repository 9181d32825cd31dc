package rewrite

import (
	"bytes"
	"unicode/utf8"
)

// Character references in attribute values. A browser decodes them before
// it reads a URL, so a host can hide behind &#46; or &period;; the rewriter
// decodes what can move a URL's boundaries and leaves the rest as written.

// appendUnescaped appends raw attribute text to dst with its character
// references decoded: numeric ones, and the named ones that stand for ASCII
// characters, which are the only ones that can change where a URL's host
// is. Others are kept as written.
func appendUnescaped(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '&' {
			j := bytes.IndexByte(raw[i:], '&')
			if j < 0 {
				return append(dst, raw[i:]...)
			}
			dst = append(dst, raw[i:i+j]...)
			i += j
			continue
		}
		n, r := charRef(raw[i:])
		if n == 0 {
			dst = append(dst, '&')
			i++
			continue
		}
		dst = utf8.AppendRune(dst, r)
		i += n
	}
	return dst
}

// charRef decodes the character reference at the start of b ("&...") and
// returns its length and value, or 0 when there is none. It follows the
// attribute-value rules: a legacy reference without ';' is not decoded when
// a letter, digit or '=' follows.
func charRef(b []byte) (int, rune) {
	if len(b) < 3 {
		return 0, 0
	}
	if b[1] == '#' {
		i, hex := 2, false
		if i < len(b) && b[i]|0x20 == 'x' {
			hex = true
			i++
		}
		start := i
		var v rune
		for i < len(b) {
			c := b[i]
			var d rune
			switch {
			case '0' <= c && c <= '9':
				d = rune(c - '0')
			case hex && 'a' <= c|0x20 && c|0x20 <= 'f':
				d = rune(c|0x20-'a') + 10
			default:
				goto done
			}
			if hex {
				v = v*16 + d
			} else {
				v = v*10 + d
			}
			if v > utf8.MaxRune {
				v = utf8.MaxRune + 1
			}
			i++
		}
	done:
		if i == start {
			return 0, 0
		}
		if i < len(b) && b[i] == ';' {
			i++
		}
		if v == 0 || v > utf8.MaxRune || (0xD800 <= v && v <= 0xDFFF) {
			v = utf8.RuneError
		}
		return i, v
	}
	i := 1
	for i < len(b) && i <= 16 && (isASCIILetter(b[i]) || '0' <= b[i] && b[i] <= '9') {
		i++
	}
	name := b[1:i]
	if i < len(b) && b[i] == ';' {
		if r, ok := namedASCII(name); ok {
			return i + 1, r
		}
		return 0, 0
	}
	// Without ';', only the legacy names, and not before [A-Za-z0-9=].
	if i < len(b) && (isASCIILetter(b[i]) || '0' <= b[i] && b[i] <= '9' || b[i] == '=') {
		return 0, 0
	}
	switch string(name) {
	case "amp", "AMP":
		return i, '&'
	case "lt", "LT":
		return i, '<'
	case "gt", "GT":
		return i, '>'
	case "quot", "QUOT":
		return i, '"'
	}
	return 0, 0
}

// namedASCII maps the named character references that stand for printable
// ASCII (and tab and newline) to their character.
func namedASCII(name []byte) (rune, bool) {
	switch string(name) {
	case "Tab":
		return '\t', true
	case "NewLine":
		return '\n', true
	case "excl":
		return '!', true
	case "quot", "QUOT":
		return '"', true
	case "num":
		return '#', true
	case "dollar":
		return '$', true
	case "percnt":
		return '%', true
	case "amp", "AMP":
		return '&', true
	case "apos":
		return '\'', true
	case "lpar":
		return '(', true
	case "rpar":
		return ')', true
	case "ast", "midast":
		return '*', true
	case "plus":
		return '+', true
	case "comma":
		return ',', true
	case "period":
		return '.', true
	case "sol":
		return '/', true
	case "colon":
		return ':', true
	case "semi":
		return ';', true
	case "lt", "LT":
		return '<', true
	case "equals":
		return '=', true
	case "gt", "GT":
		return '>', true
	case "quest":
		return '?', true
	case "commat":
		return '@', true
	case "lsqb", "lbrack":
		return '[', true
	case "bsol":
		return '\\', true
	case "rsqb", "rbrack":
		return ']', true
	case "Hat":
		return '^', true
	case "lowbar", "UnderBar":
		return '_', true
	case "grave", "DiacriticalGrave":
		return '`', true
	case "lcub", "lbrace":
		return '{', true
	case "verbar", "vert", "VerticalLine":
		return '|', true
	case "rcub", "rbrace":
		return '}', true
	}
	return 0, false
}
