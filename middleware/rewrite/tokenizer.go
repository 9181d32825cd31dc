package rewrite

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
	record  bool  // record attributes (false when passing an over-limit tag through)
	id      tagID // the tag's name, known once nameEnd is
	all     bool  // record every attribute, not only possible hints: id.decided()
	// selfClosing is set on a complete tag that ends with "/>" outside an
	// attribute value: it closes an SVG or MathML element at once.
	selfClosing bool
	cur         htmlAttr
}

// mayBeHint reports whether attribute a of tag b may be ping or
// attributionsrc, which planPings reads on any element, or style, which
// planStyleAttr reads on any element. Other elements
// record only these, so that the common tags (a, p, span, div) cost no
// bookkeeping for their attributes.
func mayBeHint(b []byte, a *htmlAttr) bool {
	switch a.nameEnd - a.nameStart {
	case int32(len("ping")):
		return b[a.nameStart]|0x20 == 'p'
	case int32(len("attributionsrc")):
		return b[a.nameStart]|0x20 == 'a'
	case int32(len("style")):
		return b[a.nameStart]|0x20 == 's'
	}
	return false
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

// skipTo returns the offset of the first byte from b[i] on whose class is
// in stop, or len(b). (Unsigned, the index needs no bounds check.)
func skipTo(b []byte, i int, stop uint8) int {
	u := uint(i)
	for u < uint(len(b)) && tagClass[b[u]]&stop == 0 {
		u++
	}
	return int(u)
}

// skipOver returns the offset of the first byte from b[i] on whose class
// is not in skip, or len(b).
func skipOver(b []byte, i int, skip uint8) int {
	u := uint(i)
	for u < uint(len(b)) && tagClass[b[u]]&skip != 0 {
		u++
	}
	return int(u)
}

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
	var cur htmlAttr // zero at a tag's start, when only the name is scanned
	if ts.state != tsName {
		cur = ts.cur
	}
	record := ts.record && !ts.end
	all := ts.all
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
	i = skipTo(b, i, clsSpace|clsSlash|clsGT)
	if i == n {
		state = tsName
		goto more
	}
	ts.nameEnd = int32(i)
	if ts.record { // else b may start past the '<' (a tag passed through)
		// Most tags (a, p, li, div, span) are shorter than any special
		// one: leave them without a call.
		ts.id, ts.all = tagOther, false
		if s := nameStart(ts.end); i-s >= minSpecialTag {
			ts.id = tagIDAt(b, s, i)
			ts.all = ts.id.decided()
		}
		all = ts.all
	}
	if b[i] == '>' {
		ts.state = tsName
		goto done
	}
	// A space or '/' ends the name; '/' outside a value only marks a
	// self-closing tag, which moves no boundary.
	cur.pre = int32(i)
	i++

beforeAttr:
	i = skipOver(b, i, clsSpace|clsSlash)
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
	i = skipTo(b, i, clsSpace|clsSlash|clsGT|clsEq)
	if i == n {
		state = tsAttrName
		goto more
	}
	cur.nameEnd = int32(i)

afterAttrName:
	i = skipOver(b, i, clsSpace)
	if i == n {
		state = tsAfterAttrName
		goto more
	}
	if b[i] != '=' {
		// '/', '>' or the next attribute's name: this one has no value.
		cur.end = cur.nameEnd
		if record && (all || mayBeHint(b, &cur)) {
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
	i = skipOver(b, i, clsSpace)
	if i == n {
		state = tsBeforeValue
		goto more
	}
	switch c := b[i]; c {
	case '>':
		cur.valStart, cur.valEnd, cur.end = int32(i), int32(i), int32(i)
		if record && (all || mayBeHint(b, &cur)) {
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
	i = skipTo(b, i, clsSpace|clsGT)
	if i == n {
		state = tsValueUnquoted
		goto more
	}
	cur.valEnd, cur.end = int32(i), int32(i)
	if record && (all || mayBeHint(b, &cur)) {
		*attrs = append(*attrs, cur)
	}
	cur = htmlAttr{pre: cur.end, valStart: -1, valEnd: -1}
	if b[i] == '>' {
		// A '/' just before is the value's last byte.
		ts.pos = int32(i + 1)
		ts.selfClosing = false
		return i + 1, true
	}
	i++
	goto beforeAttr

valueQuoted:
	// Jump to the closing quote: values (URLs, JSON, inline styles) are
	// most of a tag's bytes.
	j = bytes.IndexByte(b[i:], ts.quote)
	if j < 0 {
		i = len(b)
		state = tsValueQuoted
		goto more
	}
	i += j
	cur.valEnd = int32(i)
	i++
	cur.end = int32(i)
	if record && (all || mayBeHint(b, &cur)) {
		*attrs = append(*attrs, cur)
	}
	cur = htmlAttr{pre: cur.end, valStart: -1, valEnd: -1}
	goto beforeAttr

done:
	// cur is not saved: a complete tag is never resumed.
	ts.pos = int32(i + 1)
	ts.selfClosing = i > 0 && b[i-1] == '/'
	return i + 1, true

more:
	ts.state = state
	ts.cur = cur
	ts.pos = int32(i)
	return i, false
}
