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

// Byte classes for scanTag: what ends a run inside a tag.
const (
	clsSpace = 1 << iota
	clsSlash
	clsGT
	clsEq
)

var tagClass = func() (t [256]uint8) {
	for _, c := range []byte(" \t\n\r\f") {
		t[c] = clsSpace
	}
	t['/'], t['>'], t['='] = clsSlash, clsGT, clsEq
	return t
}()

// scanTag advances the tag scan over b (b[0] is the tag's '<'). It returns
// the offset just past the closing '>' and true when the tag is complete, or
// false when b ends first, with the state saved in ts to resume from there.
// Attributes are appended to *attrs when recording.
//
// The states follow each other as in the standard, written as straight
// code: each skips its run of ordinary bytes in a tight loop (quoted values,
// most of a tag's bytes, with bytes.IndexByte) and decides only at the byte
// that ends it. The labels are the resumption points.
func scanTag(ts *tagScan, b []byte, attrs *[]htmlAttr) (int, bool) {
	i, n := int(ts.pos), len(b)
	cur := ts.cur
	record := ts.record && !ts.end
	var (
		state tagState
		j     int
	)
	switch ts.state {
	case tsBeforeAttr:
		goto beforeAttr
	case tsAttrName:
		goto attrName
	case tsAfterAttrName:
		goto afterAttrName
	case tsBeforeValue:
		goto beforeValue
	case tsValueQuoted:
		goto valueQuoted
	case tsValueUnquoted:
		goto valueUnquoted
	}

	// tsName
	for i < n && tagClass[b[i]]&(clsSpace|clsSlash|clsGT) == 0 {
		i++
	}
	if i == n {
		state = tsName
		goto more
	}
	ts.nameEnd = int32(i)
	if b[i] == '>' {
		ts.state = tsName
		goto done
	}
	// A space or '/' ends the name; '/' outside a value only marks a
	// self-closing tag, which moves no boundary.
	cur.pre = int32(i)
	i++

beforeAttr:
	for i < n && tagClass[b[i]]&(clsSpace|clsSlash) != 0 {
		i++
	}
	if i == n {
		state = tsBeforeAttr
		goto more
	}
	if b[i] == '>' {
		ts.state = tsBeforeAttr
		goto done
	}
	// Any other byte, '=' and quotes included, starts a name.
	cur.nameStart = int32(i)
	cur.valStart, cur.valEnd = -1, -1
	i++

attrName:
	for i < n && tagClass[b[i]] == 0 {
		i++
	}
	if i == n {
		state = tsAttrName
		goto more
	}
	cur.nameEnd = int32(i)

afterAttrName:
	for i < n && tagClass[b[i]]&clsSpace != 0 {
		i++
	}
	if i == n {
		state = tsAfterAttrName
		goto more
	}
	if b[i] != '=' {
		// '/', '>' or the next attribute's name: this one has no value.
		cur.end = cur.nameEnd
		if record {
			*attrs = append(*attrs, cur)
		}
		cur = htmlAttr{pre: cur.end, valStart: -1, valEnd: -1}
		if b[i] == '/' {
			i++
		}
		goto beforeAttr
	}
	i++

beforeValue:
	for i < n && tagClass[b[i]]&clsSpace != 0 {
		i++
	}
	if i == n {
		state = tsBeforeValue
		goto more
	}
	switch c := b[i]; c {
	case '>':
		cur.valStart, cur.valEnd, cur.end = int32(i), int32(i), int32(i)
		if record {
			*attrs = append(*attrs, cur)
		}
		cur = htmlAttr{pre: cur.end, valStart: -1, valEnd: -1}
		goto beforeAttr
	case '"', '\'':
		ts.quote = c
		cur.quote = c
		i++
		cur.valStart = int32(i)
		goto valueQuoted
	}
	cur.quote = 0
	cur.valStart = int32(i)
	i++

valueUnquoted:
	for i < n && tagClass[b[i]]&(clsSpace|clsGT) == 0 {
		i++
	}
	if i == n {
		state = tsValueUnquoted
		goto more
	}
	cur.valEnd, cur.end = int32(i), int32(i)
	if record {
		*attrs = append(*attrs, cur)
	}
	cur = htmlAttr{pre: cur.end, valStart: -1, valEnd: -1}
	if b[i] != '>' {
		i++
	}
	goto beforeAttr

valueQuoted:
	// Jump to the closing quote: values (URLs, JSON, inline styles) are
	// most of a tag's bytes.
	j = bytes.IndexByte(b[i:], ts.quote)
	if j < 0 {
		i = n
		state = tsValueQuoted
		goto more
	}
	i += j
	cur.valEnd = int32(i)
	i++
	cur.end = int32(i)
	if record {
		*attrs = append(*attrs, cur)
	}
	cur = htmlAttr{pre: cur.end, valStart: -1, valEnd: -1}
	goto beforeAttr

done:
	ts.cur = cur
	ts.pos = int32(i + 1)
	return i + 1, true

more:
	ts.state = state
	ts.cur = cur
	ts.pos = int32(i)
	return i, false
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
