package rewrite

import (
	"bytes"

	"github.com/crumbhq/crumb/classify"
)

// Stepping: Transform consumes its input one construct at a time - a run of
// text, a tag, a comment, a piece of raw text or script - each step telling
// whether it needs more input or more room in dst.

// minLookahead is the most input one scanning step may need to see past
// its start to make progress: "</script" and one more byte, rounded up.
const minLookahead = 16

// step results
type stepStatus uint8

const (
	stepOK   stepStatus = iota
	stepMore            // the input ends inside something that must be seen whole
	stepFull            // dst is full
)

// step consumes what it can from the start of b, which is never empty.
func (r *Rewriter) step(b []byte, atEOF bool) (int, stepStatus) {
	if r.inTag {
		return r.stepTag(b, atEOF)
	}
	if r.holding {
		return r.stepHeldScript(b, atEOF)
	}
	switch r.mode {
	case modeRaw:
		i, res := scanRaw(b, r.rawName, atEOF)
		if i > 0 {
			return textStatus(r.text(b[:i]), i)
		}
		switch res {
		case endYes:
			r.mode = modeData
			return 0, stepOK
		case endMore:
			return 0, stepMore
		}
		return 0, stepOK
	case modeScript:
		// Scan no further than dst has room for, but far enough to see
		// through any '<' construct; what does not fit is queued.
		lim := min(len(b), max(r.room(), minLookahead))
		i, res := scanScript(&r.ss, b[:lim], 0, atEOF && lim == len(b))
		if i > 0 {
			r.emit(b[:i])
			return i, stepOK
		}
		switch {
		case res == endYes:
			r.mode = modeData
			return 0, stepOK
		case lim < len(b):
			return 0, stepFull // unreachable: minLookahead covers "</script>"
		}
		return 0, stepMore
	case modePlaintext:
		return textStatus(r.text(b), len(b))
	case modeComment:
		lim := min(len(b), max(r.room(), minLookahead))
		n, done := scanComment(&r.cs, b[:lim])
		r.emit(b[:n])
		if done {
			r.mode = modeData
			if r.onTag != nil {
				r.onTag(r.skipStart, r.base+int64(n))
			}
			return n, stepOK
		}
		return textStatus(n, len(b))
	case modeBogus:
		j := indexGT(b)
		n := len(b)
		if j >= 0 {
			n = j + 1
		}
		m := r.text(b[:n])
		if m == n && j >= 0 {
			r.mode = modeData
		}
		return textStatus(m, n)
	case modeSkipTag:
		lim := min(len(b), max(r.room(), minLookahead))
		r.ts.pos = 0
		n, done := scanTag(&r.ts, b[:lim], nil)
		if !r.skipDrop {
			r.emit(b[:n])
		}
		if done {
			r.mode = modeData
			if r.onTag != nil {
				r.onTag(r.skipStart, r.base+int64(n))
			}
			if r.skipDrop {
				r.skipDrop = false
				if r.skipID != tagScript && r.skipID != tagIframe {
					return n, stepOK // dropped, as a removed void element is
				}
				r.drop = r.skipID // and its content, which would show as text
			}
			if !r.ts.end {
				r.enterContent(r.skipID, nil, false, nil)
			}
			return n, stepOK
		}
		return textStatus(n, len(b))
	}
	return r.stepData(b, atEOF)
}

// stepData handles markup: text up to the next '<', then what that '<'
// starts, and on while what follows is markup too, so that a page of small
// tags does not return to Transform for each. r.base follows b[0].
func (r *Rewriter) stepData(b []byte, atEOF bool) (int, stepStatus) {
	base := r.base
	done := 0
	for {
		if r.fastOK() {
			done += r.fastMarkup(b[done:])
			if done == len(b) {
				return done, stepOK
			}
			r.base = base + int64(done)
		}
		n, st := r.stepText(b[done:], atEOF)
		done += n
		if st != stepOK || n == 0 || done == len(b) || len(r.pending) > 0 ||
			r.inTag || r.holding || r.mode != modeData {
			return done, st
		}
		r.base = base + int64(done)
	}
}

// stepText is one step of stepData: text up to the next '<', then what
// that '<' starts.
func (r *Rewriter) stepText(b []byte, atEOF bool) (int, stepStatus) {
	if b[0] != '<' {
		i := indexLT(b)
		if i < 0 {
			return textStatus(r.text(b), len(b))
		}
		if n := r.text(b[:i]); n < i {
			return n, stepFull
		}
		// Go on with the '<' in the same step: text and tags alternate.
		r.base += int64(i)
		b = b[i:]
		if len(b) > 1 && isASCIILetter(b[1]) {
			r.beginTag(false) // most markup: a start tag
			n, st := r.stepTag(b, atEOF)
			return i + n, st
		}
		n, st := r.stepMarkup(b, atEOF)
		return i + n, st
	}
	return r.stepMarkup(b, atEOF)
}

// stepMarkup handles what the '<' at b[0] starts.
func (r *Rewriter) stepMarkup(b []byte, atEOF bool) (int, stepStatus) {
	if len(b) < 2 {
		if atEOF {
			return textStatus(r.text(b), 1)
		}
		return 0, stepMore
	}
	switch c := b[1]; {
	case isASCIILetter(c):
		r.beginTag(false)
		return r.stepTag(b, atEOF)
	case c == '/':
		if len(b) < 3 {
			if atEOF {
				return textStatus(r.text(b), 2)
			}
			return 0, stepMore
		}
		switch c2 := b[2]; {
		case isASCIILetter(c2):
			r.beginTag(true)
			return r.stepTag(b, atEOF)
		case r.inDual():
			return textStatus(r.text(b[:1]), 1)
		case c2 == '>':
			r.emit(b[:3]) // "</>" is ignored by browsers; keep it as it was
			return 3, stepOK
		}
		r.emit(b[:2])
		r.mode = modeBogus
		return 2, stepOK
	case c == '!':
		if r.inDual() {
			return textStatus(r.text(b[:1]), 1)
		}
		if len(b) < 4 && !atEOF {
			return 0, stepMore
		}
		if len(b) >= 4 && b[2] == '-' && b[3] == '-' {
			r.skipStart = r.base
			r.emit(b[:4])
			r.cs = commentScan{beginning: true}
			r.mode = modeComment
			return 4, stepOK
		}
		r.emit(b[:2])
		r.mode = modeBogus
		return 2, stepOK
	case c == '?':
		if r.inDual() {
			return textStatus(r.text(b[:1]), 1)
		}
		r.emit(b[:1])
		r.mode = modeBogus
		return 1, stepOK
	}
	return textStatus(r.text(b[:1]), 1)
}

func indexGT(b []byte) int { return bytes.IndexByte(b, '>') }

func (r *Rewriter) beginTag(end bool) {
	r.inTag = true
	r.ts = tagScan{end: end, pos: 1, record: true}
	if end {
		r.ts.pos = 2
	}
	r.attrs = r.attrs[:0]
}

// stepTag continues the tag that starts at b[0].
func (r *Rewriter) stepTag(b []byte, atEOF bool) (int, stepStatus) {
	// A tag is judged only if it ends within MaxTag bytes, whatever the
	// input holds past them, so that the outcome does not depend on how
	// the input arrives.
	lim := min(len(b), r.maxTag)
	end, done := scanTag(&r.ts, b[:lim], &r.attrs)
	if done {
		r.inTag = false
		if r.onTag != nil {
			r.onTag(r.base, r.base+int64(end))
		}
		if r.ts.end {
			return r.endTag(b[:end])
		}
		return r.startTag(b[:end])
	}
	switch {
	case len(b) >= r.maxTag:
		// Longer than MaxTag: passed through below.
	case atEOF && r.inDual():
		// The tag may hide the region's end tag: read on after the '<'.
		r.inTag = false
		return textStatus(r.text(b[:1]), 1)
	case atEOF:
		// A tag cut by the end of the document is dropped by browsers; pass
		// the bytes on as they are, unless markup is still to be inserted:
		// that would complete the tag.
		r.inTag = false
		if r.insertionsDone() {
			r.emit(b)
		}
		return len(b), stepOK
	default:
		return 0, stepMore
	}
	r.inTag = false
	if r.inDual() {
		// Inside a dual region a tag may not hide its end tag: take the
		// '<' as text and read on as the browser would.
		return textStatus(r.text(b[:1]), 1)
	}
	r.skipID = tagOther
	if r.ts.state != tsName {
		r.skipID = lookupTagID(b[nameStart(r.ts.end):r.ts.nameEnd])
	}
	r.ts.record = false
	r.skipStart = r.base
	ev := Event{Kind: TagTooLong, Tag: r.skipID.String(), Size: lim}
	if r.skipDrop = r.tooLongLoads(b[:lim]); r.skipDrop {
		ev.Action, ev.Category = ActionRemove, classify.Unknown
	} else {
		r.emit(b[:lim])
	}
	r.event(ev)
	r.mode = modeSkipTag
	return lim, stepOK
}

// tooLongLoads reports whether an over-limit start tag, of which head is
// the part read, is to be dropped: it fails closed. Past MaxTag no
// attribute can be judged, so an element that loads from its attributes
// (a script, frame, image, link, media or SVG loader, a refresh) is
// dropped, with a script's or frame's content, unless the policy allows
// even what it cannot name (Unknown). An <input> is dropped only when no
// type attribute read before the limit says it is not an image button, so
// a hidden input with a long value (ASP.NET's __VIEWSTATE) passes. Other
// elements pass through: see the README's Limits.
func (r *Rewriter) tooLongLoads(head []byte) bool {
	id := r.skipID
	if r.ts.end || !id.decided() || r.allowed(classify.Unknown) {
		return false
	}
	switch id {
	case tagBody, tagTableElem, tagTd, tagTh, tagBase:
		return false // layout, not loaders: their background stays unjudged
	case tagInput:
		for i := range r.attrs {
			a := &r.attrs[i]
			if int(a.end) <= len(head) && equalFoldLower(head[a.nameStart:a.nameEnd], "type") {
				return equalFoldLower(bytes.TrimSpace(head[a.valStart:a.valEnd]), "image")
			}
		}
	}
	return true
}

func nameStart(end bool) int {
	if end {
		return 2
	}
	return 1
}

// enterContent switches the scanner to what follows the start tag id,
// named name (nil for an over-limit tag: id tells what matters of it).
func (r *Rewriter) enterContent(id tagID, name []byte, selfClosing bool, tag []byte) {
	if r.inDual() {
		return // scanned as markup to its end; see foreign.go
	}
	if r.inForeign() {
		r.foreignStart(id, name, selfClosing, tag)
		return
	}
	switch id {
	case tagScript:
		r.mode = modeScript
		r.ss = ssData
	case tagNoscript:
		r.inNoscript = true
		r.dualEnd = tagNames[tagNoscript]
	case tagPlaintext:
		r.mode = modePlaintext
	case tagSVG:
		if !selfClosing {
			r.fSVG = 1
		}
	case tagMath:
		if !selfClosing {
			r.fMath = 1
		}
	default:
		if name := id.rawText(); name != "" {
			r.mode = modeRaw
			r.rawName = name
		}
	}
}
