package rewrite

import "bytes"

// NonceAttr is the placeholder attribute for inserted markup: each
// occurrence of " data-crumb-nonce" in Options.HeadStart, HeadEnd,
// BodyStart or BodyEnd, or in a placeholder, becomes ` nonce="…"` with the
// page's CSP nonce, or is removed when the page has none.
const NonceAttr = "data-crumb-nonce"

// OriginMark is the placeholder for the page's origin in inserted markup
// and placeholders (see Options.Origin). Made of URL characters only, it
// survives any HTML escaping of the attribute it is written in.
const OriginMark = "crumb-origin:"

// crossBase reports whether the document's <base href> names a host other
// than the page's: path-absolute URLs then leave the site.
func (r *Rewriter) crossBase() bool {
	return r.baseSeen && len(r.baseHost) > 0 && !bytes.EqualFold(r.baseHost, []byte(r.opts.PageHost))
}

func (r *Rewriter) insertHeadStart() {
	r.headPending = false
	if !r.headStartDone {
		r.headStartDone = true
		r.insert(r.opts.HeadStart)
	}
}

func (r *Rewriter) insertHeadEnd() {
	if !r.headEndDone {
		r.headEndDone = true
		r.insert(r.opts.HeadEnd)
	}
}

func (r *Rewriter) insertBodyStart() {
	if !r.bodyStartDone {
		r.bodyStartDone = true
		r.insert(r.opts.BodyStart)
	}
}

func (r *Rewriter) insertBodyEnd() {
	r.insertBodyStart()
	if !r.bodyEndDone {
		r.bodyEndDone = true
		r.insert(r.opts.BodyEnd)
	}
}

// insertRest writes, at the end of the input, the insertions no tag
// triggered, in document order.
func (r *Rewriter) insertRest() {
	if r.insertionsDone() {
		return
	}
	r.closeOpen()
	r.insertHeadStart()
	r.insertHeadEnd()
	r.insertBodyEnd()
}

// insert writes markup with its origin marks and nonce placeholders filled
// in, in one pass: what a replacement writes, or leaves joined by removing
// a mark, is not searched again. It serves the insertions and the
// placeholders, and is written even inside an element being dropped.
func (r *Rewriter) insert(m []byte) {
	var origin []byte
	if r.crossBase() {
		origin = []byte(r.opts.Origin)
	}
	for len(m) > 0 {
		i, n, isOrigin := nextMark(m)
		if i < 0 {
			r.emitAlways(m)
			return
		}
		r.emitAlways(m[:i])
		switch {
		case isOrigin:
			r.emitAlways(origin)
		case len(r.nonce) > 0:
			r.emitAlways([]byte(` nonce="`))
			r.out = appendEscaped(r.out[:0], r.nonce)
			r.emitAlways(r.out)
			r.emitAlways([]byte(`"`))
		}
		m = m[i+n:]
	}
}

// nonceMark is the nonce placeholder as inserted markup writes it.
const nonceMark = " " + NonceAttr

// nextMark finds the first OriginMark or nonceMark in m: its offset, its
// length and whether it is the origin; offset -1 when m holds neither.
// Both end their "crumb-" at a '-', which markup has far fewer of than the
// spaces and c's that start them (a banner has a few dozen), so the search
// goes from one '-' to the next rather than from every possible start.
func nextMark(m []byte) (at, n int, isOrigin bool) {
	const (
		crumb     = "crumb-"
		originEnd = len(crumb) - 1 // offset of the '-' in OriginMark
		nonceEnd  = len(" data-") + originEnd
	)
	for k := 0; ; k++ {
		j := bytes.IndexByte(m[k:], '-')
		if j < 0 {
			return -1, 0, false
		}
		k += j
		if k < originEnd || string(m[k-originEnd:k+1]) != crumb {
			continue
		}
		rest := m[k+1:]
		if bytes.HasPrefix(rest, []byte(OriginMark[len(crumb):])) {
			return k - originEnd, len(OriginMark), true
		}
		if k >= nonceEnd && string(m[k-nonceEnd:k-originEnd]) == nonceMark[:len(" data-")] &&
			bytes.HasPrefix(rest, []byte(nonceMark[len(" data-crumb-"):])) {
			return k - nonceEnd, len(nonceMark), false
		}
	}
}

func (r *Rewriter) insertionsDone() bool {
	return r.headStartDone && r.headEndDone && r.bodyStartDone && r.bodyEndDone
}

// closeOpen ends, before the insertions at the end of the input, whatever
// the document left open and would swallow them: a comment, a script or
// other raw text element, a <noscript> or another dual region. The browser ends them at the end of
// the input anyway, so the page means the same.
func (r *Rewriter) closeOpen() {
	if r.drop != tagOther {
		r.drop = tagOther
		r.mode = modeData
	}
	switch r.mode {
	case modeComment:
		r.emitCopy([]byte("-->"))
	case modeBogus:
		r.emitCopy([]byte(">"))
	case modeScript:
		if r.ss >= ssDouble {
			r.emitCopy([]byte("</script>")) // back to the escaped state first
		}
		r.emitCopy([]byte("</script>"))
	case modeRaw:
		r.emitCopy([]byte("</"))
		r.emitCopy([]byte(r.rawName))
		r.emitCopy([]byte(">"))
	}
	r.mode = modeData
	if r.inDual() {
		r.emitCopy([]byte("</"))
		r.emitCopy([]byte(r.dualEnd))
		r.emitCopy([]byte(">"))
		r.dualEnd = ""
		r.inNoscript = false
	}
}
