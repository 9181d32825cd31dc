package middleware

import "bytes"

// The scanner implements only the HTML tokenizer states that decide where a
// tag starts and ends (WHATWG HTML §13.2.5): data, tag open, tag name and
// attributes with their quoting, end tags, comments (with the abrupt "<!-->"
// forms), bogus comments and DOCTYPE, RAWTEXT and RCDATA, script data with its
// escaped and double-escaped states, and PLAINTEXT. Everything else about
// HTML, such as character references in text or the tree builder, does not
// move a tag boundary and is left alone, which is why this scanner can pass
// text through as soon as it has seen it.
//
// It follows golang.org/x/net/html's Tokenizer, which the tests use as the
// reference, with two deliberate differences, both taken from the standard
// and browsers:
//   - in the script data escaped less-than sign state, a '<' followed by
//     anything but '/' or a letter returns to the escaped state, not to plain
//     script data (x/net/html returns to script data, and can then end a
//     script earlier than a browser would);
//   - <noscript> content is scanned as markup, so that the no-JavaScript
//     fallbacks of tracking snippets (the pixel <img> and the Tag Manager
//     <iframe>) can be neutralised; it still ends at the first "</noscript",
//     wherever that is, as it does in a browser with scripting on.

// scanMode is where the scanner is between two calls.
type scanMode uint8

const (
	modeData      scanMode = iota // markup
	modeRaw                       // RAWTEXT or RCDATA, until </rawName
	modeScript                    // script data, substate in scriptState
	modePlaintext                 // everything until EOF is text
	modeComment                   // inside <!-- ... -->
	modeBogus                     // bogus comment or DOCTYPE, until '>'
	modeSkipTag                   // a tag over the size limit, passed through
)

// tagState is the position inside a tag, after its name started.
type tagState uint8

const (
	tsName tagState = iota
	tsBeforeAttr
	tsAttrName
	tsAfterAttrName
	tsBeforeValue
	tsValueQuoted
	tsValueUnquoted
)

// scriptState is the script data substate at a position that is not in the
// middle of a '<' construct.
type scriptState uint8

const (
	ssData scriptState = iota
	ssEscaped
	ssEscapedDash
	ssEscapedDashDash
	ssDouble
	ssDoubleDash
	ssDoubleDashDash
)

// htmlAttr records one attribute of the tag being scanned, as offsets from
// the tag's '<'. pre is where the whitespace before the attribute starts, so
// that [pre, end) can be dropped as a unit; val is -1..-1 without a value.
type htmlAttr struct {
	pre, nameStart, nameEnd int32
	valStart, valEnd, end   int32
	quote                   byte
}

func (a *htmlAttr) hasValue() bool { return a.valStart >= 0 }

// tagScan is the resumable state of the tag being scanned. All offsets are
// from the tag's '<', which stays at the start of the input while the tag is
// held back, so a scan can resume where it stopped.
type tagScan struct {
	state   tagState
	end     bool  // an end tag: "</name"
	pos     int32 // next byte to scan
	nameEnd int32
	quote   byte
	record  bool // record attributes (false when passing an over-limit tag through)
	cur     htmlAttr
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// scanTag advances the tag scan over b (b[0] is the tag's '<'). It returns
// the offset just past the closing '>' and true when the tag is complete, or
// false when b ends first. Attributes are appended to *attrs when recording.
func scanTag(ts *tagScan, b []byte, attrs *[]htmlAttr) (int, bool) {
	i := int(ts.pos)
	for ; i < len(b); i++ {
		c := b[i]
		switch ts.state {
		case tsName:
			switch {
			case isHTMLSpace(c):
				ts.nameEnd = int32(i)
				ts.state = tsBeforeAttr
				ts.cur.pre = int32(i)
			case c == '/':
				ts.nameEnd = int32(i)
				ts.state = tsBeforeAttr
				ts.cur.pre = int32(i)
				i-- // reconsume
			case c == '>':
				ts.nameEnd = int32(i)
				ts.pos = int32(i + 1)
				return i + 1, true
			}
		case tsBeforeAttr:
			switch {
			case isHTMLSpace(c) || c == '/':
				// '/' outside a value only marks a self-closing tag, which
				// moves no boundary.
			case c == '>':
				ts.pos = int32(i + 1)
				return i + 1, true
			default:
				ts.cur.nameStart = int32(i)
				ts.cur.valStart, ts.cur.valEnd = -1, -1
				ts.state = tsAttrName
			}
		case tsAttrName:
			if isHTMLSpace(c) || c == '/' || c == '>' || (c == '=' && int32(i) > ts.cur.nameStart) {
				ts.cur.nameEnd = int32(i)
				ts.state = tsAfterAttrName
				i-- // reconsume
			}
		case tsAfterAttrName:
			switch {
			case isHTMLSpace(c):
			case c == '=':
				ts.state = tsBeforeValue
			case c == '/':
				ts.finishAttr(int(ts.cur.nameEnd), attrs)
			default: // '>' or the start of the next attribute
				ts.finishAttr(int(ts.cur.nameEnd), attrs)
				i--
			}
		case tsBeforeValue:
			switch {
			case isHTMLSpace(c):
			case c == '>':
				ts.cur.valStart, ts.cur.valEnd = int32(i), int32(i)
				ts.finishAttr(i, attrs)
				i--
			case c == '"' || c == '\'':
				ts.quote = c
				ts.cur.quote = c
				ts.cur.valStart = int32(i + 1)
				ts.state = tsValueQuoted
			default:
				ts.cur.quote = 0
				ts.cur.valStart = int32(i)
				ts.state = tsValueUnquoted
			}
		case tsValueQuoted:
			if c != ts.quote {
				// Jump to the closing quote: values (URLs, JSON, inline
				// styles) are most of a tag's bytes.
				j := bytes.IndexByte(b[i:], ts.quote)
				if j < 0 {
					i = len(b) - 1
					continue
				}
				i += j
			}
			ts.cur.valEnd = int32(i)
			ts.finishAttr(i+1, attrs)
		case tsValueUnquoted:
			if isHTMLSpace(c) || c == '>' {
				ts.cur.valEnd = int32(i)
				ts.finishAttr(i, attrs)
				if c == '>' {
					i--
				}
			}
		}
	}
	ts.pos = int32(i)
	return i, false
}

// finishAttr records the current attribute as ending at end and goes back to
// the state between attributes.
func (ts *tagScan) finishAttr(end int, attrs *[]htmlAttr) {
	ts.cur.end = int32(end)
	if ts.record && !ts.end {
		*attrs = append(*attrs, ts.cur)
	}
	ts.cur = htmlAttr{pre: int32(end), valStart: -1, valEnd: -1}
	ts.state = tsBeforeAttr
}

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
