package rewrite

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// The fast path: most of a page is text and tags the rewriter never
// decides about (a, div, span, li, p and their end tags). For those the
// general machinery (tag state saved for resumption, attributes recorded,
// a plan made and found empty) is pure overhead, so plain markup is taken
// in one tight loop that only finds where each such tag ends and passes the
// run through. Anything else - a tag it must look at, a comment, a tag cut
// by the end of the input, a full dst - stops the loop where that construct
// starts, and the general path takes it from there, exactly as if the loop
// had not run.

// fastOK reports whether the state allows the fast path: markup with no
// element being dropped, no dual region such as <noscript> (where its end
// tag may end a tag), no foreign content (where every tag counts), no
// insertion waiting for the next tag, and nothing queued.
func (r *Rewriter) fastOK() bool {
	return r.mode == modeData && !r.inTag && !r.holding && r.drop == tagOther &&
		r.dualEnd == "" && r.fSVG|r.fMath == 0 && !r.headPending && len(r.pending) == 0 && !r.noFast
}

// fastMarkup passes through the text and plain tags at the start of b and
// returns how many bytes it took; r.base is the offset of b[0]. What it
// takes is one run of the input, kept at once. It stops at the '<' of
// what it cannot take, so the general path starts with that.
func (r *Rewriter) fastMarkup(b []byte) int {
	room := len(r.dst) - r.nDst
	p := 0
	for {
		// Tags often follow each other ("</a></li>"), and most text
		// between them is short: a newline and indentation.
		lt := p
		if lt >= len(b) || b[lt] != '<' {
			if lt = indexShort(b, p, '<'); lt < 0 {
				if len(b) <= room {
					p = len(b)
				}
				break
			}
		}
		end := plainTagEnd(b, lt, r.allowAll)
		// A tag past MaxTag is the general path's, which reports it
		// (TagTooLong) however the input was split.
		if end < 0 || end > room || end-lt > r.maxTag {
			if lt <= room {
				p = lt
			}
			break
		}
		if r.onTag != nil {
			r.onTag(r.base+int64(lt), r.base+int64(end))
		}
		p = end
	}
	r.keep(b[:p])
	return p
}

// cssMayLoad reports whether a style attribute's raw value may name a URL:
// url() and image-set() need a parenthesis, which an escape or a character
// reference may also stand for. Most inline styles (display:none,
// color:#333) have none of them.
func cssMayLoad(v []byte) bool {
	return bytes.IndexByte(v, '(') >= 0 || bytes.IndexByte(v, '\\') >= 0 || bytes.IndexByte(v, '&') >= 0
}

// plainTagEnd returns the offset just past the '>' of the tag at b[lt] when
// it is a start or end tag that needs no decision and ends within b, or -1.
// A plain tag's name is none of tagNames (the elements handled apart, and
// those whose content is not markup) and, for a start tag, none of its
// attributes may be ping or attributionsrc (see mayBeHint), which
// planPings reads on any element. A start tag of an element decided by its
// image URLs (byImageURL) is plain too when no attribute may be one.
//
// With allowAll (every category allowed, no Decide callback) nothing a tag
// loads is refused, so ping, attributionsrc and style attributes need no
// look, and a start tag of an element that passesAllowAll is plain unless
// an attribute name starts with "data-c", as every opt-in marker does.
//
// Past the name it goes through the same states as scanTag, in one
// function: it runs for most tags of a page.
func plainTagEnd(b []byte, lt int, allowAll bool) int {
	n := len(b)
	i := lt + 1
	if i < n && b[i] == '/' {
		i++
	}
	if i >= n || !isASCIILetter(b[i]) {
		return -1
	}
	start := i
	i = skipTo(b, i+1, clsSpace|clsSlash|clsGT)
	if i >= n {
		return -1
	}
	byURL := false // an element decided by its image URLs: see byImageURL
	optIn := false // under allowAll, an element decided by opt-in markup alone
	if l := i - start; l >= minSpecialTag {
		// tagIDAt, with the common case written out: a call to it costs
		// this loop, which runs for most tags of a page, 9% more
		// instructions (cachegrind, the load page, allow-all).
		var id tagID
		if l <= 8 && start+8 <= n {
			k := (binary.LittleEndian.Uint64(b[start:]) | 0x2020202020202020) & (1<<(8*l) - 1)
			if sl := &tagTable.slots[tagTable.hash(k)]; sl.key == k && !sl.long {
				id = sl.id
			}
		} else {
			id = lookupTagID(b[start:i])
		}
		switch {
		case id == tagOther:
		case b[lt+1] == '/':
			return -1
		case allowAll && id.passesAllowAll():
			optIn = true
		case !allowAll && id.byImageURL():
			byURL = true
		default:
			return -1
		}
	}
	for {
		// Before an attribute name: spaces and '/' outside values.
		i = skipOver(b, i, clsSpace|clsSlash)
		if i >= n {
			return -1
		}
		if b[i] == '>' {
			return i + 1
		}
		// The name: its first byte may be anything, '=' and quotes too.
		start := i
		i = skipTo(b, i+1, clsSpace|clsSlash|clsGT|clsEq)
		if i >= n {
			return -1
		}
		style := false
		switch {
		case allowAll:
			if optIn && i-start > len("data-c") && equalFoldLower(b[start:start+len("data-c")], "data-c") {
				return -1
			}
		case i-start == len("ping"):
			if b[start]|0x20 == 'p' {
				return -1
			}
		case i-start == len("attributionsrc"):
			if b[start]|0x20 == 'a' {
				return -1
			}
		case i-start == len("style"):
			style = b[start]|0x20 == 's' && equalFoldLower(b[start:i], "style")
		}
		if byURL && urlAttr[lookupAttrID(b[start:i])] {
			return -1
		}
		if b[i] != '=' { // most names are followed by '=' at once
			i = skipOver(b, i, clsSpace)
			if i >= n {
				return -1
			}
			if b[i] != '=' {
				continue // '/', '>' or the next name: no value
			}
		}
		i++
		if i < n && isHTMLSpace(b[i]) {
			i = skipOver(b, i, clsSpace)
		}
		if i >= n {
			return -1
		}
		switch c := b[i]; c {
		case '>':
			return i + 1
		case '"', '\'':
			j := indexShort(b, i+1, c)
			if j < 0 || style && cssMayLoad(b[i+1:j]) {
				return -1
			}
			i = j + 1
			continue
		}
		v := i
		i = skipTo(b, i+1, clsSpace|clsGT)
		if i >= n || style && cssMayLoad(b[v:i]) {
			return -1
		}
		// A space ends the value and is skipped with the next ones; '>'
		// ends the tag at the next turn.
	}
}

// indexShort returns the offset of the first c in b from i, or -1. It is
// bytes.IndexByte for the short runs markup is made of (the indentation
// between two tags, class="price"), where a look at eight bytes at once
// beats the setup of a vector loop.
func indexShort(b []byte, i int, c byte) int {
	if i+8 <= len(b) {
		if m := hasByte(binary.LittleEndian.Uint64(b[i:]), c) & hi8; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	} else if i > len(b) {
		return -1
	}
	j := bytes.IndexByte(b[i:], c)
	if j < 0 {
		return -1
	}
	return i + j
}

// Bit tricks on eight bytes at once, little-endian.
const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
)

// hasByte flags, in the high bit of each byte, the bytes of w equal to c.
// (w - lo8*n) &^ w flags the bytes below n (n <= 0x80) the same way. Only
// the lowest flag is exact: a borrow can flag a byte above a flagged one,
// never below the first, so "any flag" and "the first flag" are right.
func hasByte(w uint64, c byte) uint64 {
	x := w ^ lo8*uint64(c)
	return (x - lo8) &^ x
}
