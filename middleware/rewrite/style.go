package rewrite

// Stylesheets written into the page: a style attribute and a <style>
// element fetch what their url(), @import and image-set() name (see
// css.go). A refused URL is replaced by about:invalid, which fetches
// nothing. A style attribute keeps its original in data-crumb-style, with
// a data-crumb-category, for the banner's script to put back; a <style>
// element is rewritten in place (re-activation needs a reload). These
// matter when no Content-Security-Policy refuses the host.

// neutralURL replaces a refused URL in CSS.
const neutralURL = "about:invalid"

// neutraliseCSS returns css with every URL that is not to load replaced by
// neutralURL, and whether it replaced any; the result views r.cssBuf or
// css.
func (r *Rewriter) neutraliseCSS(css []byte, id tagID) ([]byte, bool) {
	out := r.cssBuf[:0]
	last := 0
	r.cssDec = scanCSS(css, r.cssDec, func(u cssURL, dec []byte) bool {
		url, host := r.resolve(dec)
		if r.refusedFor(ElementStyle, id, url, host) {
			out = append(out, css[last:u.start]...)
			out = append(out, neutralURL...)
			last = u.end
		}
		return true
	})
	if last == 0 {
		return css, false
	}
	out = append(out, css[last:]...)
	r.cssBuf = out
	return out, true
}

// planStyleAttr neutralises the URLs of the element's style attribute (the
// first; a browser ignores the others) and reports whether it changed it.
func (r *Rewriter) planStyleAttr(tag []byte, id tagID) bool {
	i := -1
	for j := range r.attrs {
		a := &r.attrs[j]
		if a.nameEnd-a.nameStart == 5 && equalFoldLower(tag[a.nameStart:a.nameEnd], "style") {
			i = j
			break
		}
	}
	if i < 0 || r.dropAttr[i] || !cssMayLoad(r.rawValue(tag, i)) {
		return false
	}
	css, changed := r.neutraliseCSS(r.decodedValue(tag, i), id)
	if !changed {
		return false
	}
	if !containsAttr(r.pre, "data-crumb-category") {
		r.pre = appendAttrString(r.pre, "data-crumb-category", r.el.mark())
	}
	r.pre = append(r.pre, ` style="`...)
	r.pre = appendEscaped(r.pre, css)
	r.pre = append(r.pre, '"')
	r.pre = appendAttr(r.pre, "data-crumb-style", r.rawValue(tag, i))
	r.dropAttr[i] = true
	return true
}

// holdStyle reports whether a <style> start tag's content is to be held
// and judged: in HTML content, where it is CSS up to "</style", unless
// everything is allowed.
func (r *Rewriter) holdStyle() bool {
	return !r.allowAll && !r.inForeign() && !r.inDual()
}

// stepHeldStyle reads on in a held <style> until its end tag, or MaxScript
// bytes, then writes it with its refused URLs neutralised. Past MaxScript
// the rest streams unjudged, with ScriptTooLong: see the README's Limits.
func (r *Rewriter) stepHeldStyle(b []byte, atEOF bool) (int, stepStatus) {
	lim := min(len(b), max(r.maxScript, r.holdBody))
	eof := atEOF && lim == len(b)
	i, res := scanRaw(b[r.holdPos:lim], "style", eof)
	i += r.holdPos
	switch {
	case res == endYes:
		r.finishStyle(b[:r.holdBody], b[r.holdBody:i], false)
		r.mode = modeData
		return i, stepOK
	case eof:
		r.finishStyle(b[:r.holdBody], b[r.holdBody:], false)
		return len(b), stepOK
	case len(b) >= r.maxScript:
		r.finishStyle(b[:r.holdBody], b[r.holdBody:i], true)
		r.mode, r.rawName = modeRaw, tagNames[tagStyle]
		return i, stepOK
	}
	r.holdPos = i
	return 0, stepMore
}

// finishStyle writes a held <style>'s start tag and body, the body's
// refused URLs neutralised.
func (r *Rewriter) finishStyle(tag, body []byte, partial bool) {
	r.holding, r.heldStyle = false, false
	r.emit(tag)
	css, changed := r.neutraliseCSS(body, tagStyle)
	if partial {
		r.event(Event{Kind: ScriptTooLong, Tag: "style", Element: ElementStyle, Size: len(tag) + len(body)})
	}
	if changed {
		r.emitCopy(css)
		return
	}
	r.emit(body)
}

// containsAttr reports whether pre, attributes being written, holds one
// named name.
func containsAttr(pre []byte, name string) bool {
	for i := 0; i+len(name)+2 <= len(pre); i++ {
		if pre[i] == ' ' && string(pre[i+1:i+1+len(name)]) == name && pre[i+1+len(name)] == '=' {
			return true
		}
	}
	return false
}
