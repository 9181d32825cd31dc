package rewrite

import "bytes"

// Scanning what is not markup: RAWTEXT and RCDATA up to their end tag,
// script data with its escaped states, and comments.

// End-tag matching results.
const (
	endNo   = iota // not the end tag; resume at the returned offset
	endYes         // the end tag: the returned offset is its delimiter
	endMore        // b ends before this can be decided
)

// matchEndName checks whether b[i:] starts with name (ASCII case-insensitive,
// name lower-case) followed by a delimiter that ends a tag name, as an
// "appropriate end tag" in RAWTEXT, RCDATA and script data must be.
func matchEndName(b []byte, i int, name string, eof bool) (int, int) {
	for k := 0; k < len(name); k++ {
		if i+k >= len(b) {
			if eof {
				return endNo, len(b)
			}
			return endMore, i
		}
		if b[i+k]|0x20 != name[k] {
			return endNo, i + k
		}
	}
	j := i + len(name)
	if j >= len(b) {
		if eof {
			return endNo, len(b)
		}
		return endMore, i
	}
	if c := b[j]; isHTMLSpace(c) || c == '/' || c == '>' {
		return endYes, j
	}
	return endNo, j
}

// scanRaw looks in RAWTEXT or RCDATA for the end tag "</name". It returns the
// offset of its '<' and endYes, or the offset up to which b is plain text and
// endNo (all of b) or endMore (b ends inside a possible end tag there).
func scanRaw(b []byte, name string, eof bool) (int, int) {
	i := 0
	for {
		j := indexLT(b[i:])
		if j < 0 {
			return len(b), endNo
		}
		i += j
		if i+1 >= len(b) {
			if eof {
				return len(b), endNo
			}
			return i, endMore
		}
		if b[i+1] != '/' {
			i++
			continue
		}
		switch res, k := matchEndName(b, i+2, name, eof); res {
		case endYes:
			return i, endYes
		case endMore:
			return i, endMore
		default:
			i = k
		}
	}
}

// scanScript advances the script data state *ss over b from offset i. It
// returns the offset of the '<' of "</script" and endYes; or endMore with the
// offset of a '<' whose meaning needs bytes past the end of b; or endNo with
// len(b). It follows the standard for the escaped states.
func scanScript(ss *scriptState, b []byte, i int, eof bool) (int, int) {
	const name = "script"
	for i < len(b) {
		c := b[i]
		if c != '<' {
			switch *ss {
			case ssEscaped:
				if c == '-' {
					*ss = ssEscapedDash
				}
			case ssEscapedDash:
				if c == '-' {
					*ss = ssEscapedDashDash
				} else {
					*ss = ssEscaped
				}
			case ssEscapedDashDash:
				switch c {
				case '-':
				case '>':
					*ss = ssData
				default:
					*ss = ssEscaped
				}
			case ssDouble:
				if c == '-' {
					*ss = ssDoubleDash
				}
			case ssDoubleDash:
				if c == '-' {
					*ss = ssDoubleDashDash
				} else {
					*ss = ssDouble
				}
			case ssDoubleDashDash:
				switch c {
				case '-':
				case '>':
					*ss = ssData
				default:
					*ss = ssDouble
				}
			default: // ssData: only '<' matters
				j := indexLT(b[i:])
				if j < 0 {
					return len(b), endNo
				}
				i += j
				continue
			}
			i++
			continue
		}
		// b[i] == '<'
		if i+1 >= len(b) {
			if eof {
				return len(b), endNo
			}
			return i, endMore
		}
		n := b[i+1]
		switch *ss {
		case ssData:
			switch n {
			case '/':
				res, k := matchEndName(b, i+2, name, eof)
				if res != endNo {
					return i, res
				}
				i = k
			case '!':
				switch {
				case i+2 >= len(b):
					if !eof {
						return i, endMore
					}
					i = len(b)
				case b[i+2] != '-':
					i += 2
				case i+3 >= len(b):
					if !eof {
						return i, endMore
					}
					i = len(b)
				case b[i+3] == '-':
					*ss = ssEscapedDashDash
					i += 4
				default:
					i += 3
				}
			default:
				i++
			}
		case ssEscaped, ssEscapedDash, ssEscapedDashDash:
			switch {
			case n == '/':
				res, k := matchEndName(b, i+2, name, eof)
				if res != endNo {
					return i, res
				}
				*ss = ssEscaped
				i = k
			case isASCIILetter(n):
				res, k := matchEndName(b, i+1, name, eof)
				switch res {
				case endMore:
					return i, endMore
				case endYes:
					*ss = ssDouble
					i = k + 1
				default:
					*ss = ssEscaped
					i = k
				}
			default:
				*ss = ssEscaped
				i++
			}
		default: // double escaped
			if n == '/' {
				res, k := matchEndName(b, i+2, name, eof)
				switch res {
				case endMore:
					return i, endMore
				case endYes:
					*ss = ssEscaped
					i = k + 1
				default:
					*ss = ssDouble
					i = k
				}
			} else {
				*ss = ssDouble
				i++
			}
		}
	}
	return len(b), endNo
}

// commentScan is the resumable state inside "<!--", following x/net/html's
// readComment: dashes seen, whether still at the beginning (so "<!-->" and
// "<!--->" end at once), and whether the last bytes were "--!".
type commentScan struct {
	dashes    uint8
	beginning bool
	bang      bool
}

// scanComment advances c over b and returns the offset just past the end of
// the comment and true, or len(b) and false.
func scanComment(c *commentScan, b []byte) (int, bool) {
	for i := 0; i < len(b); i++ {
		ch := b[i]
		if c.bang {
			c.bang = false
			switch ch {
			case '>':
				return i + 1, true
			case '-':
				c.dashes = 1
				c.beginning = false
				continue
			}
			c.dashes = 0
			c.beginning = false
			continue
		}
		switch ch {
		case '-':
			if c.dashes < 2 {
				c.dashes++
			}
			continue
		case '>':
			if c.dashes >= 2 || c.beginning {
				return i + 1, true
			}
		case '!':
			if c.dashes >= 2 {
				c.bang = true
				continue
			}
		}
		c.dashes = 0
		c.beginning = false
	}
	return len(b), false
}

func indexLT(b []byte) int { return bytes.IndexByte(b, '<') }
