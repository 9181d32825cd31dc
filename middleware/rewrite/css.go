package rewrite

import (
	"bytes"
	"unicode/utf8"
)

// CSS: a stylesheet fetches from url() (quoted or not, the name possibly
// written with escapes, "u\72l("), from the string of an @import, and from
// the strings of image-set() and -webkit-image-set(). scanCSS finds each
// such URL the way the CSS Syntax tokenizer reads it, closely enough never
// to miss one: it decodes escapes in names and URLs, skips comments, and
// reports a malformed url() too (a browser fetches nothing for it, and
// neutralising it costs nothing).

// cssURL is one URL found by scanCSS: css[start:end] is its text as
// written (between the quotes or parentheses), which a rewrite replaces.
type cssURL struct {
	start, end int
}

// maxCSSName bounds the function and at-rule names compared; longer ones
// are none of url, image-set, -webkit-image-set and import.
const maxCSSName = 24

// scanCSS calls fn for each URL that css may fetch, in order; the spans
// do not overlap. fn gets the span and the URL with CSS escapes decoded in
// dec (valid during the call). It stops when fn returns false.
func scanCSS(css []byte, dec []byte, fn func(u cssURL, url []byte) bool) []byte {
	if plainCSS(css) {
		return scanCSSPlain(css, dec, fn)
	}
	return scanCSSFull(css, dec, fn)
}

// plainCSS reports whether the quick scan reads css as the tokenizer
// does: no escapes, no comment holding a quote, '(' or '@', and no string
// holding a '(' or an '@'. Then every '(' and '@' the quick scan acts on is
// what it looks like, or sits in a comment where it changes nothing; a
// function name or an @import inside a string would make it misjudge
// where a string or url() ends and swallow a real one.
func plainCSS(css []byte) bool {
	if bytes.IndexByte(css, '\\') >= 0 {
		return false
	}
	for i := 0; ; {
		j := bytes.Index(css[i:], []byte("/*"))
		if j < 0 {
			break
		}
		i += j + 2
		end := bytes.Index(css[i:], []byte("*/"))
		if end < 0 {
			end = len(css) - i
		}
		if bytes.ContainsAny(css[i:i+end], `"'(@`) {
			return false
		}
		i += end
	}
	for i := 0; ; {
		j := bytes.IndexAny(css[i:], `"'`)
		if j < 0 {
			return true
		}
		i += j
		end, next := cssStringEnd(css, i+1, css[i])
		if s := css[i+1 : end]; bytes.IndexByte(s, '(') >= 0 || bytes.IndexByte(s, '@') >= 0 {
			return false
		}
		if next <= i {
			next = i + 1 // a bad string, ended by a newline
		}
		i = next
	}
}

// scanCSSFull is scanCSS by way of the CSS tokenizer's states, for CSS
// with escapes; it skips comments and strings.
func scanCSSFull(css []byte, dec []byte, fn func(u cssURL, url []byte) bool) []byte {
	var (
		importPending bool // after @import, before its first token
		imageSet      int  // paren depth of the innermost image-set(), 0: none
		depth         int
		name          [maxCSSName]byte
	)
	for i := 0; i < len(css); {
		c := css[i]
		switch {
		case c == '/' && i+1 < len(css) && css[i+1] == '*':
			j := bytes.Index(css[i+2:], []byte("*/"))
			if j < 0 {
				return dec
			}
			i += 2 + j + 2
			continue
		case c == '"' || c == '\'':
			end, next := cssStringEnd(css, i+1, c)
			if importPending || imageSet > 0 {
				dec = cssUnescape(dec[:0], css[i+1:end])
				if !fn(cssURL{i + 1, end}, dec) {
					return dec
				}
			}
			importPending = false
			i = next
			continue
		case c == '@':
			n, next := cssName(css, i+1, name[:0])
			importPending = string(foldASCII(n)) == "import"
			i = next
			continue
		case c == '(':
			depth++
		case c == ')':
			if depth > 0 {
				depth--
			}
			if depth < imageSet {
				imageSet = 0
			}
		case c == ';' || c == '{' || c == '}':
			importPending = false
		case '0' <= c && c <= '9':
			// A number and its unit ("0url" before a '(' is no function).
			_, i = cssName(css, i, name[:0])
			importPending = false
			continue
		case cssNameStart(css, i):
			n, next := cssName(css, i, name[:0])
			if next >= len(css) || css[next] != '(' {
				importPending = false
				i = next
				continue
			}
			switch string(foldASCII(n)) {
			case "url":
				start, end, after := cssURLArg(css, next+1)
				if start >= 0 {
					dec = cssUnescape(dec[:0], css[start:end])
					if !fn(cssURL{start, end}, dec) {
						return dec
					}
					importPending = false
					depth++ // its '(', which the ')' after it closes
					i = after
					continue
				}
			case "image-set", "-webkit-image-set":
				if imageSet == 0 {
					imageSet = depth + 1
				}
			}
			importPending = false
			i = next // the '(' is counted at the next turn
			continue
		}
		if !isHTMLSpace(c) {
			importPending = false
		}
		i++
	}
	return dec
}

// cssURLArg reads the argument of "url(" from css[i:]: a quoted string,
// or an unquoted URL up to ')' or whitespace. It returns the span of the
// URL's text and the offset after the token; start is -1 when there is
// no URL (an empty "url()").
func cssURLArg(css []byte, i int) (start, end, after int) {
	for i < len(css) && isHTMLSpace(css[i]) {
		i++
	}
	if i >= len(css) {
		return -1, 0, i
	}
	if q := css[i]; q == '"' || q == '\'' {
		e, next := cssStringEnd(css, i+1, q)
		return i + 1, e, next
	}
	j := i
	for j < len(css) && css[j] != ')' && !isHTMLSpace(css[j]) {
		if css[j] == '\\' {
			_, j = cssEscape(css, j+1) // its hex digits' space included
			continue
		}
		j++
	}
	j = min(j, len(css))
	if j == i {
		return -1, 0, i
	}
	return i, j, j
}

// cssStringEnd returns the end of the string whose text starts at
// css[i] and is closed by q, and the offset after its closing quote. A
// newline ends it too (a bad string), as does the end of css.
func cssStringEnd(css []byte, i int, q byte) (end, next int) {
	for i < len(css) {
		switch c := css[i]; {
		case c == q:
			return i, i + 1
		case c == '\n' || c == '\r' || c == '\f':
			return i, i
		case c == '\\':
			i += 2
			continue
		}
		i++
	}
	return len(css), len(css)
}

// cssNameStart reports whether css[i:] starts an identifier: a letter,
// '_', a non-ASCII byte, an escape, or '-' followed by one of those or
// '-'.
func cssNameStart(css []byte, i int) bool {
	c := css[i]
	switch {
	case isASCIILetter(c) || c == '_' || c >= 0x80:
		return true
	case c == '\\':
		return i+1 < len(css) && css[i+1] != '\n'
	case c == '-':
		return i+1 < len(css) && (css[i+1] == '-' || cssNameStart(css, i+1))
	}
	return false
}

// cssName reads the identifier at css[i:], escapes decoded, into dst (up
// to its capacity; a longer name is cut, and matches nothing), and returns
// it with the offset after it.
func cssName(css []byte, i int, dst []byte) ([]byte, int) {
	for i < len(css) {
		c := css[i]
		switch {
		case isCSSNameByte(c):
			if len(dst) < cap(dst) {
				dst = append(dst, c)
			} else {
				dst = append(dst[:0], '!') // too long: no match
			}
			i++
		case c == '\\' && i+1 < len(css) && css[i+1] != '\n':
			var r rune
			r, i = cssEscape(css, i+1)
			if r < 0x80 && len(dst) < cap(dst) {
				dst = append(dst, byte(r))
			} else {
				dst = append(dst[:0], '!')
			}
		default:
			return dst, i
		}
	}
	return dst, i
}

// cssEscape decodes the escape whose text starts at css[i] (after the
// backslash): up to six hex digits and one whitespace, or one character.
func cssEscape(css []byte, i int) (rune, int) {
	if i >= len(css) {
		return 0xfffd, i
	}
	var r rune
	n := 0
	for n < 6 && i < len(css) && isHex(css[i]) {
		r = r<<4 | rune(hexVal(css[i]))
		i++
		n++
	}
	if n == 0 {
		r, size := utf8.DecodeRune(css[i:]) // the character itself, multi-byte ones too
		return r, i + size
	}
	if i < len(css) && isHTMLSpace(css[i]) {
		i++
	}
	if r == 0 || r > 0x10ffff || 0xd800 <= r && r <= 0xdfff {
		r = 0xfffd
	}
	return r, i
}

// cssUnescape appends s with its CSS escapes decoded; an escaped newline
// (a string's line continuation) is dropped.
func cssUnescape(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			dst = append(dst, s[i])
			i++
			continue
		}
		if i+1 < len(s) && s[i+1] == '\n' {
			i += 2
			continue
		}
		var r rune
		r, i = cssEscape(s, i+1)
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f' }

func hexVal(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}

// foldASCII lower-cases b in place.
func foldASCII(b []byte) []byte {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// scanCSSPlain is scanCSS for CSS without escapes, most of it: it jumps
// from one '(' or '@' to the next, and reads a function's name backwards
// from its '('. It does not skip comments and strings, so a url() written
// inside one may be reported too; neutralising it changes only that text.
func scanCSSPlain(css []byte, dec []byte, fn func(u cssURL, url []byte) bool) []byte {
	paren, at := -2, -2 // the next '(' and '@' at or after i; -1: none; -2: not looked for
	for i := 0; i < len(css); {
		if paren != -1 && paren < i {
			paren = indexByteFrom(css, i, '(')
		}
		if at != -1 && at < i {
			at = indexByteFrom(css, i, '@')
		}
		switch {
		case at >= 0 && (paren < 0 || at < paren):
			i = at + 1
			var nb [maxCSSName]byte
			n, next := cssName(css, i, nb[:0])
			if string(foldASCII(n)) != "import" {
				continue
			}
			for next < len(css) && isHTMLSpace(css[next]) {
				next++
			}
			if next < len(css) && (css[next] == '"' || css[next] == '\'') {
				end, after := cssStringEnd(css, next+1, css[next])
				if dec = append(dec[:0], css[next+1:end]...); !fn(cssURL{next + 1, end}, dec) {
					return dec
				}
				i = after
			}
		case paren >= 0:
			var nb [maxCSSName]byte
			name := funcName(css, paren, nb[:0])
			i = paren + 1
			switch string(name) {
			case "url":
				var ok bool
				if i, dec, ok = plainURL(css, paren, dec, fn); !ok {
					return dec
				}
			case "image-set", "-webkit-image-set":
				// Its strings, and the url() in it, up to the ')' that
				// closes it; the strings of other functions inside (type())
				// count too, which costs nothing.
				depth := 1
				for i < len(css) && depth > 0 {
					switch c := css[i]; c {
					case '"', '\'':
						end, after := cssStringEnd(css, i+1, c)
						if dec = append(dec[:0], css[i+1:end]...); !fn(cssURL{i + 1, end}, dec) {
							return dec
						}
						i = after
						continue
					case ')':
						depth--
					case '(':
						if string(funcName(css, i, nb[:0])) != "url" {
							depth++
							break
						}
						var ok bool
						if i, dec, ok = plainURL(css, i, dec, fn); !ok {
							return dec
						}
						for i < len(css) && isHTMLSpace(css[i]) {
							i++
						}
						if i < len(css) && css[i] == ')' {
							i++ // url()'s own
						}
						continue
					}
					i++
				}
			}
		default:
			return dec
		}
	}
	return dec
}

// funcName returns the name of the function whose '(' is css[paren],
// lower-cased into dst; a name longer than dst's capacity is returned
// empty.
func funcName(css []byte, paren int, dst []byte) []byte {
	j := paren
	for j > 0 && isCSSNameByte(css[j-1]) {
		j--
	}
	if paren-j > cap(dst) {
		return dst[:0]
	}
	return foldASCII(append(dst, css[j:paren]...))
}

// plainURL reports the argument of the url( whose '(' is css[paren] and
// returns the offset after it; ok is false when fn asked to stop.
func plainURL(css []byte, paren int, dec []byte, fn func(u cssURL, url []byte) bool) (int, []byte, bool) {
	start, end, after := cssURLArg(css, paren+1)
	if start < 0 {
		return paren + 1, dec, true
	}
	dec = append(dec[:0], css[start:end]...)
	return after, dec, fn(cssURL{start, end}, dec)
}

func isCSSNameByte(c byte) bool {
	return isASCIILetter(c) || '0' <= c && c <= '9' || c == '-' || c == '_' || c >= 0x80
}

func indexByteFrom(b []byte, i int, c byte) int {
	if j := bytes.IndexByte(b[i:], c); j >= 0 {
		return i + j
	}
	return -1
}
