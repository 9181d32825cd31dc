package rewrite

import (
	"bytes"

	"github.com/crumbhq/crumb/classify"
)

// Scripts: a <script src> is decided by its host at the start tag; an
// inline script is held back until its body has been read, then decided by
// what the body loads or calls.

// scriptType sorts a <script type> value.
type scriptTypeKind uint8

const (
	typeCode  scriptTypeKind = iota // runs, or might: JavaScript, module, text/partytown, unknown types
	typePlain                       // text/plain: what consent tools use for "not yet"
	typeData                        // JSON, import maps, templates: never runs
)

func classifyScriptType(v []byte) scriptTypeKind {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return typeCode
	}
	if i := bytes.IndexByte(v, ';'); i >= 0 {
		v = bytes.TrimSpace(v[:i])
	}
	if equalFoldLower(v, "text/plain") {
		return typePlain
	}
	for _, s := range [...]string{"application/json", "application/ld+json", "importmap", "text/template", "text/html", "text/x-template"} {
		if equalFoldLower(v, s) {
			return typeData
		}
	}
	return typeCode
}

// planScript decides a <script> start tag, or asks to hold the script until
// its body has been read.
func (r *Rewriter) planScript(tag []byte) (tagPlan, bool) {
	srcIdx, srcName := r.firstAttr(attrSrc, attrHref, attrXlinkHref)
	typeIdx := r.findAttr(attrType)
	kind := classifyScriptType(r.rawValue(tag, typeIdx))
	if kind == typePlain {
		o := r.parseOptIn(tag)
		if !o.ok {
			return tagPlan{}, false
		}
		urlIdx := srcIdx
		if urlIdx < 0 {
			urlIdx, _ = r.firstAttr(attrDataCrumbSrc, attrDataSrc)
		}
		if urlIdx < 0 {
			// An inline opt-in script: its body decides too, unless it
			// cannot activate anyway.
			if r.opts.Decide == nil && r.allowed(o.cat) == o.negate {
				return tagPlan{}, false
			}
			r.heldOpt = o
			return tagPlan{}, true
		}
		url, host := r.resolve(r.rawValue(tag, urlIdx))
		r.optInElement(tagScript, url, host, o)
		return r.applyOptIn(tag, tagScript, r.decide(r.optInDefault(o, url, host, nil))), false
	}
	if kind == typeData {
		return tagPlan{}, false
	}
	if srcIdx >= 0 && srcName != attrSrc && !r.refusedHost(tag, srcIdx) {
		// href and xlink:href load a script only inside SVG; in HTML the
		// inline text runs instead. Without tracking which one this is,
		// a URL that blocks nothing leaves the text to be judged.
		srcIdx = -1
	}
	if srcIdx < 0 {
		// A performance plugin's delayed script: its loader sets src from
		// data-rocket-src (WP Rocket) or data-src (LiteSpeed and others)
		// later, so that URL is judged as src would be.
		if d, dn := r.firstAttr(attrDataRocketSrc, attrDataSrc, attrDataLazySrc); d >= 0 && r.refusedHost(tag, d) {
			srcIdx, srcName = d, dn
		}
	}
	if srcIdx < 0 {
		if r.allowAll {
			return tagPlan{}, false
		}
		r.heldOpt = optIn{}
		return tagPlan{}, true
	}
	url, host := r.resolve(r.rawValue(tag, srcIdx))
	t, known, cat, ok := r.judge(url, host)
	def := ActionKeep
	if ok && !r.allowed(cat) {
		def = ActionBlock
	}
	if def == ActionKeep && r.opts.Decide == nil {
		return tagPlan{}, false
	}
	e := r.element(ElementScript, tagScript, url, host)
	if known {
		e.setTracker(t)
	}
	if ok {
		e.Category, e.Known = cat, true
	}
	switch r.decide(def) {
	case ActionBlock:
		p := r.blockScript(tag, typeIdx)
		r.pre = appendAttr(r.pre, "data-crumb-src", r.rawValue(tag, srcIdx))
		r.dropAll(srcName)
		return p, false
	case ActionRemove:
		return tagPlan{remove: true, dropTo: tagScript}, false
	}
	return tagPlan{}, false
}

// blockScript makes the script tag inert: type="text/plain" and the
// category first, the original type kept in data-crumb-type. The type of a
// delayed script is its loader's marker; what is kept is the type the
// loader would have given it (WP Rocket keeps that in data-rocket-type,
// LiteSpeed runs it as JavaScript), so that re-activation runs it at once.
func (r *Rewriter) blockScript(tag []byte, typeIdx int) tagPlan {
	r.pre = appendAttrString(r.pre, "type", "text/plain")
	r.pre = appendAttrString(r.pre, "data-crumb-category", r.el.mark())
	if typeIdx >= 0 {
		v := bytes.TrimSpace(r.rawValue(tag, typeIdx))
		switch {
		case equalFoldLower(v, "rocketlazyloadscript"):
			if j := r.findAttr(attrDataRocketType); j >= 0 {
				r.pre = appendAttr(r.pre, "data-crumb-type", r.rawValue(tag, j))
				r.dropAll(attrDataRocketType)
			}
		case equalFoldLower(v, "litespeed/javascript"):
		default:
			r.pre = appendAttr(r.pre, "data-crumb-type", r.rawValue(tag, typeIdx))
		}
		r.dropAll(attrType)
	}
	return tagPlan{changed: true}
}

// stepHeldScript reads on in an inline script held for classification.
func (r *Rewriter) stepHeldScript(b []byte, atEOF bool) (int, stepStatus) {
	if r.heldStyle {
		return r.stepHeldStyle(b, atEOF)
	}
	// Never look further than MaxScript, so that where a script is cut
	// does not depend on how the input arrived.
	lim := min(len(b), max(r.maxScript, r.holdBody))
	i, res := scanScript(&r.ss, b[:lim], r.holdPos, atEOF && lim == len(b))
	switch {
	case res == endYes:
		return r.finishHeld(b, i, false, modeData)
	case atEOF && lim == len(b):
		return r.finishHeld(b, len(b), false, r.mode)
	case len(b) >= r.maxScript:
		// Judge what was read, then stream the rest.
		return r.finishHeld(b, i, true, r.mode)
	}
	r.holdPos = i
	return 0, stepMore
}

// finishHeld judges the held script whose body is b[r.holdBody:end] and
// writes it. Where the body is to be read again as markup, only the start
// tag is consumed, and the scanner reads on from the body in markup; in
// foreign content outside a dual region, that body is a dual region up to
// "</script".
func (r *Rewriter) finishHeld(b []byte, end int, partial bool, next scanMode) (int, stepStatus) {
	r.holding = false
	if r.rescan {
		r.rescan = false
		r.finishScript(b[:r.holdBody], b[r.holdBody:end], partial, false)
		r.mode = modeData
		if !r.inDual() {
			r.dualEnd = tagNames[tagScript]
		}
		return r.holdBody, stepOK
	}
	r.finishScript(b[:r.holdBody], b[r.holdBody:end], partial, true)
	r.mode = next
	return end, stepOK
}

// finishScript decides an inline script from its body and writes it.
// The body is written after it when withBody is set.
func (r *Rewriter) finishScript(tag, body []byte, partial, withBody bool) {
	o := r.heldOpt
	var a Action
	if o.ok {
		r.optInElement(tagScript, nil, nil, o).Body = body
		a = r.decide(r.optInDefault(o, nil, nil, body))
	} else {
		e := r.element(ElementInlineScript, tagScript, nil, nil)
		e.Body = body
		def := ActionKeep
		if t, ok := r.cat.ScriptTracker(body); ok {
			e.setTracker(t)
			if !r.allowed(t.Category) {
				def = ActionBlock
			}
		}
		if partial && def == ActionKeep && !r.allowed(classify.Unknown) {
			// Fails closed: what follows the first MaxScript bytes may
			// load anything, so the script is what crumb cannot name.
			e.Category, e.Known, e.Provider = classify.Unknown, false, ""
			def = ActionBlock
		}
		a = r.decide(def)
	}
	if partial {
		r.event(Event{Kind: ScriptTooLong, Tag: "script", Element: r.el.Kind, Action: a, Category: r.el.Category, Size: len(tag) + len(body)})
	}
	r.resetPlan()
	var p tagPlan
	switch {
	case a == ActionRemove:
		p = tagPlan{remove: true, dropTo: tagScript}
	case o.ok:
		p = r.applyOptIn(tag, tagScript, a)
	case a == ActionBlock:
		p = r.blockScript(tag, r.findAttr(attrType))
	}
	if !p.remove && r.planPings(tag, tagScript) {
		p.changed = true
	}
	r.emitPlanned(tag, p)
	if withBody {
		r.emit(body) // dropped when the element is
	}
}

// refusedHost reports whether the URL in attribute i loads tracking
// (by its host or its endpoint) whose category is not allowed.
func (r *Rewriter) refusedHost(tag []byte, i int) bool {
	return r.refusedURL(r.resolve(r.rawValue(tag, i)))
}
