package rewrite

import "bytes"

// Foreign content. Inside <svg> and <math> a browser's tree builder does
// not switch the tokenizer to raw text for title, style, script, iframe,
// noembed, noframes, xmp, textarea, plaintext or noscript: they are SVG or
// MathML elements whose content is markup, and "/>" closes them at once.
// An HTML "breakout" start tag (img, p, div...) leaves foreign content, and
// inside an integration point (SVG foreignObject, desc, title; MathML mi,
// mo, mn, ms, mtext, annotation-xml) HTML rules apply again.
//
// Following that exactly takes the tree builder's stack of open elements.
// The scanner keeps two bounded counters instead, and where it cannot be
// sure which reading a browser uses it reads both at once, in a "dual"
// region: the content is scanned as markup (so a tag a browser would build
// is seen), comments and other "<!" constructs do not hide anything, and
// the region ends at the first "</name" wherever it is, even inside a tag or
// an attribute value (so raw text that a browser ends there cannot hide
// what follows). A dual region reads markup where a browser may see raw
// text, which costs at most an unneeded change to inert text, and never raw
// text where a browser sees markup. <noscript> is such a region too, for
// the same reason: with scripting on a browser reads its content as raw
// text, with scripting off as markup.
//
// What the counters cannot follow (a stray end tag of an element that is
// not open, markup the rewriter removed) leaves the scanner in foreign
// content longer than a browser, not shorter: the next breakout tag ends
// it. Only a self-closed raw text element ("<style/>") is then read
// differently, as the empty foreign element it is in an SVG icon.

// foreignStart updates the foreign content state for a start tag seen in
// foreign content (r.fSVG or r.fMath non-zero, no dual region).
func (r *Rewriter) foreignStart(id tagID, name []byte, selfClosing bool, tag []byte) {
	switch {
	case id == tagSVG:
		if !selfClosing && r.fSVG < maxForeignDepth {
			r.fSVG++
		}
	case id == tagMath:
		if !selfClosing && r.fMath < maxForeignDepth {
			r.fMath++
		}
	case isBreakout(name, tag):
		// The browser pops to the nearest HTML element or integration
		// point, and dual regions already cover the integration points.
		r.fSVG, r.fMath = 0, 0
	case selfClosing:
		// An empty SVG or MathML element.
	default:
		if end := dualName(id, name); end != "" {
			r.dualEnd = end
		}
	}
}

// foreignEnd updates the foreign content state for an end tag seen in
// foreign content. Only the roots are counted: an end tag closes the
// innermost open element of its name, and between the current node and the
// root there are only foreign elements.
func (r *Rewriter) foreignEnd(id tagID) {
	switch id {
	case tagSVG:
		if r.fSVG > 0 {
			r.fSVG--
		}
	case tagMath:
		if r.fMath > 0 {
			r.fMath--
		}
	}
}

// inForeign reports whether the scanner is in SVG or MathML content.
func (r *Rewriter) inForeign() bool { return r.fSVG|r.fMath != 0 }

// maxForeignDepth bounds the root counters; past it, end tags bring the
// scanner back to HTML later than a browser, the safe side.
const maxForeignDepth = 1<<16 - 1

// dualName returns the end tag name of the dual region a start tag opens
// in foreign content: elements that are raw text in HTML, and integration
// points, whose content is HTML. It is "" for other elements.
func dualName(id tagID, name []byte) string {
	switch id {
	case tagScript, tagNoscript, tagPlaintext:
		return tagNames[id]
	}
	if s := id.rawText(); s != "" {
		return s
	}
	for _, s := range integrationPoints {
		if equalFoldLower(name, s) {
			return s
		}
	}
	return ""
}

// integrationPoints are the SVG and MathML elements whose content is
// parsed as HTML (title, an SVG one, is a raw text name already).
// annotation-xml is one only with an HTML encoding; reading it as one
// without is the safe side.
var integrationPoints = [...]string{"foreignobject", "desc", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"}

// isBreakout reports whether a start tag named name ends foreign content.
// font is one only with a color, face or size attribute.
func isBreakout(name []byte, tag []byte) bool {
	if len(name) == 0 || len(name) > len("blockquote") {
		return false
	}
	var buf [10]byte
	low := buf[:len(name)]
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	switch string(low) {
	case "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt",
		"em", "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li",
		"listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span",
		"strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var":
		return true
	case "font":
		return fontBreaksOut(tag, 1+len(name))
	}
	return false
}

// fontBreaksOut reports whether a <font> start tag has a color, face or
// size attribute. It scans the tag again: the first scan records the
// attributes of the elements the rewriter decides about only.
func fontBreaksOut(tag []byte, nameEnd int) bool {
	var attrs [16]htmlAttr
	list := attrs[:0]
	ts := tagScan{state: tsBeforeAttr, pos: int32(nameEnd), record: true, all: true,
		cur: htmlAttr{pre: int32(nameEnd), valStart: -1, valEnd: -1}}
	if _, done := scanTag(&ts, tag, &list); !done {
		return false
	}
	for i := range list {
		n := tag[list[i].nameStart:list[i].nameEnd]
		if equalFoldLower(n, "color") || equalFoldLower(n, "face") || equalFoldLower(n, "size") {
			return true
		}
	}
	return false
}

// hasEndTagOf reports whether b holds "</" followed by name (lower case)
// in any case.
func hasEndTagOf(b []byte, name string) bool {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return false
		}
		i += j
		if len(b)-i < 2+len(name) {
			return false
		}
		if b[i+1] == '/' && equalFoldLower(b[i+2:i+2+len(name)], name) {
			return true
		}
		i++
	}
}

// inDual reports whether the scanner is in a dual region (see above).
func (r *Rewriter) inDual() bool { return r.dualEnd != "" }
