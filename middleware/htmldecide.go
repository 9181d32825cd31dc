package middleware

import (
	"bytes"

	"github.com/crumbhq/crumb/classify"
)

// The default decisions: the catalog says what an element would load, the
// Policy whether that may load, HTMLOptions.Decide has the last word.

func (r *HTMLRewriter) allowed(c classify.Category) bool { return r.policy.Allowed(c) }

// lookup finds host in the catalog; an empty host (relative URL) is never a
// tracker.
func (r *HTMLRewriter) lookup(host []byte) (classify.Tracker, bool) {
	if len(host) == 0 {
		return classify.Tracker{}, false
	}
	return r.cat.LookupHost(bstr(host))
}

// element starts describing the element being decided.
func (r *HTMLRewriter) element(kind ElementKind, id tagID, url, host []byte) *HTMLElement {
	r.el = HTMLElement{Kind: kind, Tag: id.String(), URL: url, Host: host, InNoscript: r.inNoscript}
	return &r.el
}

func (e *HTMLElement) setTracker(t classify.Tracker) {
	e.Category, e.Known, e.Provider = t.Category, true, t.Provider
}

// decide lets HTMLOptions.Decide override def for r.el and reports a
// change.
func (r *HTMLRewriter) decide(def Action) Action {
	a := def
	if r.opts.Decide != nil {
		a = r.opts.Decide(&r.el, def)
		if a > ActionActivate {
			a = def
		}
	}
	if a == ActionActivate && r.el.Kind != ElementOptIn {
		a = ActionKeep
	}
	if a != ActionKeep {
		r.event(HTMLEvent{Kind: HTMLElementChanged, Tag: r.el.Tag, Element: r.el.Kind, Action: a, Category: r.el.Category})
	}
	return a
}

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

// optIn is a consent-category marker on an element.
type optIn struct {
	ok     bool
	cat    classify.Category
	negate bool // "!category": load when the category is refused
}

var optInAttrs = [...]string{"data-crumb-category", "data-consent", "data-category", "data-cookieconsent"}

func (r *HTMLRewriter) parseOptIn(tag []byte) optIn {
	for _, name := range optInAttrs {
		v := bytes.TrimSpace(r.rawValue(tag, r.findAttr(tag, name)))
		if len(v) == 0 {
			continue
		}
		o := optIn{}
		if v[0] == '!' {
			o.negate = true
			v = bytes.TrimSpace(v[1:])
		}
		if c, ok := categoryName(v); ok {
			o.ok, o.cat = true, c
			return o
		}
	}
	return optIn{}
}

// categoryName reads a category as crumb and the common consent tools
// write it.
func categoryName(v []byte) (classify.Category, bool) {
	var buf [24]byte
	if len(v) > len(buf) {
		return classify.Unknown, false
	}
	low := buf[:len(v)]
	for i, c := range v {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == '_' || c == ' ' {
			c = '-'
		}
		low[i] = c
	}
	switch string(low) {
	case "necessary", "essential", "required", "strictly-necessary", "functionality-necessary":
		return classify.Necessary, true
	case "preferences", "preference", "functional", "functionality", "personalization", "personalisation":
		return classify.Preferences, true
	case "analytics", "statistics", "performance", "measurement":
		return classify.Analytics, true
	case "marketing", "advertising", "ads", "targeting":
		return classify.Marketing, true
	case "social", "social-media", "media", "external-media", "embeds":
		return classify.Social, true
	}
	return classify.Unknown, false
}

// optInDefault decides opt-in markup: it activates when its declared
// category is allowed (refused, for "!category") and what it would load is
// not a tracker of a refused category.
func (r *HTMLRewriter) optInDefault(o optIn, host, body []byte) Action {
	if r.allowed(o.cat) == o.negate {
		return ActionKeep
	}
	if t, ok := r.lookup(host); ok && !r.allowed(t.Category) {
		return ActionKeep
	}
	if body != nil {
		if t, ok := r.cat.ScriptTracker(body); ok && !r.allowed(t.Category) {
			return ActionKeep
		}
	}
	return ActionActivate
}

// firstAttr returns the index of the first present attribute among names.
func (r *HTMLRewriter) firstAttr(tag []byte, names ...string) (int, string) {
	for _, n := range names {
		if i := r.findAttr(tag, n); i >= 0 {
			return i, n
		}
	}
	return -1, ""
}

// planScript decides a <script> start tag, or asks to hold the script until
// its body has been read.
func (r *HTMLRewriter) planScript(tag []byte) (tagPlan, bool) {
	srcIdx, srcName := r.firstAttr(tag, "src", "href", "xlink:href")
	typeIdx := r.findAttr(tag, "type")
	kind := classifyScriptType(r.rawValue(tag, typeIdx))
	if kind == typePlain {
		o := r.parseOptIn(tag)
		if !o.ok {
			return tagPlan{}, false
		}
		urlIdx := srcIdx
		if urlIdx < 0 {
			urlIdx, _ = r.firstAttr(tag, "data-crumb-src", "data-src")
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
		e := r.element(ElementOptIn, tagScript, url, host)
		e.Category, e.Known = o.cat, true
		return r.applyOptIn(tag, tagScript, r.decide(r.optInDefault(o, host, nil))), false
	}
	if kind == typeData {
		return tagPlan{}, false
	}
	if srcIdx < 0 {
		if r.allowAll {
			return tagPlan{}, false
		}
		r.heldOpt = optIn{}
		return tagPlan{}, true
	}
	url, host := r.resolve(r.rawValue(tag, srcIdx))
	t, ok := r.lookup(host)
	def := ActionKeep
	if ok && !r.allowed(t.Category) {
		def = ActionBlock
	}
	if def == ActionKeep && r.opts.Decide == nil {
		return tagPlan{}, false
	}
	e := r.element(ElementScript, tagScript, url, host)
	if ok {
		e.setTracker(t)
	}
	switch r.decide(def) {
	case ActionBlock:
		p := r.blockScript(tag, typeIdx)
		r.pre = appendAttr(r.pre, "data-crumb-src", r.rawValue(tag, srcIdx))
		r.dropAll(tag, srcName)
		return p, false
	case ActionRemove:
		return tagPlan{remove: true, dropTo: tagScript}, false
	}
	return tagPlan{}, false
}

// blockScript makes the script tag inert: type="text/plain" and the
// category first, the original type kept in data-crumb-type.
func (r *HTMLRewriter) blockScript(tag []byte, typeIdx int) tagPlan {
	r.pre = appendAttrString(r.pre, "type", "text/plain")
	r.pre = appendAttrString(r.pre, "data-crumb-category", r.el.Category.String())
	if typeIdx >= 0 {
		r.pre = appendAttr(r.pre, "data-crumb-type", r.rawValue(tag, typeIdx))
		r.dropAll(tag, "type")
	}
	return tagPlan{changed: true}
}

// stepHeldScript reads on in an inline script held for classification.
func (r *HTMLRewriter) stepHeldScript(b []byte, atEOF bool) (int, stepStatus) {
	// Never look further than MaxScript, so that where a script is cut
	// does not depend on how the input arrived.
	lim := min(len(b), max(r.maxScript, r.holdBody))
	i, res := scanScript(&r.ss, b[:lim], r.holdPos, atEOF && lim == len(b))
	switch {
	case res == endYes:
		r.holding = false
		r.finishScript(b[:r.holdBody], b[r.holdBody:i], false)
		r.mode = modeData
		return i, stepOK
	case atEOF && lim == len(b):
		r.holding = false
		r.finishScript(b[:r.holdBody], b[r.holdBody:], false)
		return len(b), stepOK
	case len(b) >= r.maxScript:
		// Judge what was read, then stream the rest.
		r.holding = false
		r.finishScript(b[:r.holdBody], b[r.holdBody:i], true)
		return i, stepOK
	}
	r.holdPos = i
	return 0, stepMore
}

// finishScript decides an inline script from its body and writes it.
func (r *HTMLRewriter) finishScript(tag, body []byte, partial bool) {
	o := r.heldOpt
	var a Action
	if o.ok {
		e := r.element(ElementOptIn, tagScript, nil, nil)
		e.Body, e.Category, e.Known = body, o.cat, true
		a = r.decide(r.optInDefault(o, nil, body))
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
		a = r.decide(def)
	}
	if partial {
		r.event(HTMLEvent{Kind: HTMLScriptTooLong, Tag: "script", Element: r.el.Kind, Action: a, Category: r.el.Category, Size: len(tag) + len(body)})
	}
	r.resetPlan()
	var p tagPlan
	switch {
	case a == ActionRemove:
		p = tagPlan{remove: true, dropTo: tagScript}
	case o.ok:
		p = r.applyOptIn(tag, tagScript, a)
	case a == ActionBlock:
		p = r.blockScript(tag, r.findAttr(tag, "type"))
	}
	if !p.remove && r.planPings(tag, tagScript) {
		p.changed = true
	}
	r.emitPlanned(tag, p)
	r.emit(body) // dropped when the element is
}

// applyOptIn carries out a for opt-in markup: activation moves the URL and
// type back and drops the markers; removal drops it; anything else leaves it
// inert as written.
func (r *HTMLRewriter) applyOptIn(tag []byte, id tagID, a Action) tagPlan {
	switch a {
	case ActionRemove:
		if id == tagScript || id == tagIframe {
			return tagPlan{remove: true, dropTo: id}
		}
		return tagPlan{remove: true}
	case ActionActivate:
	default:
		return tagPlan{}
	}
	if id == tagScript {
		if i, _ := r.firstAttr(tag, "data-crumb-type", "data-type"); i >= 0 {
			if v := r.rawValue(tag, i); len(bytes.TrimSpace(v)) > 0 {
				r.pre = appendAttr(r.pre, "type", v)
			}
		}
		r.dropAll(tag, "type")
		r.dropAll(tag, "data-type")
		r.dropAll(tag, "data-crumb-type")
	}
	if r.findAttr(tag, "src") < 0 {
		if i, _ := r.firstAttr(tag, "data-crumb-src", "data-src"); i >= 0 {
			r.pre = appendAttr(r.pre, "src", r.rawValue(tag, i))
		}
	}
	r.dropAll(tag, "data-crumb-src")
	r.dropAll(tag, "data-src")
	for _, n := range optInAttrs {
		r.dropAll(tag, n)
	}
	return tagPlan{changed: true}
}

// planFrame decides an <iframe>, <frame>, <embed> or <object>.
func (r *HTMLRewriter) planFrame(tag []byte, id tagID) tagPlan {
	urlName := "src"
	if id == tagObject {
		urlName = "data"
	}
	i := r.findAttr(tag, urlName)
	if i < 0 {
		return r.planOptInElement(tag, id)
	}
	raw := r.rawValue(tag, i)
	url, host := r.resolve(raw)
	t, known := r.lookup(host)
	hidden := r.tinyOrHidden(tag)
	var cat classify.Category
	switch {
	case known:
		cat = t.Category
	default:
		bc, _, ok := r.cat.Beacon(r.beaconElement(tag, id, url, hidden))
		if !ok {
			if r.opts.Decide == nil {
				return tagPlan{}
			}
			r.element(ElementFrame, id, url, host)
			return r.applyFrame(tag, id, i, urlName, r.decide(ActionKeep))
		}
		cat = bc
	}
	kind, def := ElementFrame, ActionBlock
	if !known || hidden || r.inNoscript {
		kind, def = ElementBeacon, ActionRemove
	}
	if r.allowed(cat) {
		def = ActionKeep
	}
	if def == ActionKeep && r.opts.Decide == nil {
		return tagPlan{}
	}
	e := r.element(kind, id, url, host)
	e.Category, e.Known = cat, true
	if known {
		e.Provider = t.Provider
	}
	return r.applyFrame(tag, id, i, urlName, r.decide(def))
}

func (r *HTMLRewriter) applyFrame(tag []byte, id tagID, i int, urlName string, a Action) tagPlan {
	switch a {
	case ActionRemove:
		if id == tagIframe {
			return tagPlan{remove: true, dropTo: tagIframe}
		}
		return tagPlan{remove: true}
	case ActionBlock:
	default:
		return tagPlan{}
	}
	if r.opts.Placeholder != nil {
		r.place = r.opts.Placeholder(r.place[:0], &r.el)
	} else {
		r.place = appendPlaceholder(r.place[:0], &r.el)
	}
	r.pre = appendAttrString(r.pre, "data-crumb-category", r.el.Category.String())
	r.pre = appendAttr(r.pre, crumbAttr(urlName), r.rawValue(tag, i))
	r.dropAll(tag, urlName)
	return tagPlan{changed: true}
}

// crumbAttr names the attribute that keeps a blocked element's URL.
func crumbAttr(name string) string {
	if name == "data" {
		return "data-crumb-data"
	}
	return "data-crumb-src"
}

// appendPlaceholder writes the default placeholder for a blocked frame.
func appendPlaceholder(dst []byte, e *HTMLElement) []byte {
	cat := e.Category.String()
	dst = append(dst, `<span class="crumb-placeholder" role="note" data-crumb-category="`...)
	dst = append(dst, cat...)
	dst = append(dst, `" data-crumb-host="`...)
	dst = appendEscaped(dst, e.Host)
	dst = append(dst, `">Content from `...)
	if len(e.Host) > 0 {
		dst = appendEscaped(dst, e.Host)
	} else {
		dst = append(dst, "another site"...)
	}
	dst = append(dst, " is blocked until you accept "...)
	dst = append(dst, cat...)
	return append(dst, " cookies.</span>"...)
}

// appendEscaped appends b with the characters that matter in HTML text and
// attribute values escaped.
func appendEscaped(dst, b []byte) []byte {
	for len(b) > 0 {
		i := 0
		for i < len(b) && !htmlSpecial[b[i]] {
			i++
		}
		dst = append(dst, b[:i]...)
		if i == len(b) {
			break
		}
		switch c := b[i]; c {
		case '<':
			dst = append(dst, "&lt;"...)
		case '>':
			dst = append(dst, "&gt;"...)
		case '&':
			dst = append(dst, "&amp;"...)
		case '"':
			dst = append(dst, "&#34;"...)
		case '\'':
			dst = append(dst, "&#39;"...)
		}
		b = b[i+1:]
	}
	return dst
}

var htmlSpecial = [256]bool{'<': true, '>': true, '&': true, '"': true, '\'': true}

// planOptInElement handles an iframe or image without a URL that carries an
// opt-in category and a data-src.
func (r *HTMLRewriter) planOptInElement(tag []byte, id tagID) tagPlan {
	i, _ := r.firstAttr(tag, "data-crumb-src", "data-src")
	if i < 0 {
		return tagPlan{}
	}
	o := r.parseOptIn(tag)
	if !o.ok {
		return tagPlan{}
	}
	url, host := r.resolve(r.rawValue(tag, i))
	e := r.element(ElementOptIn, id, url, host)
	e.Category, e.Known = o.cat, true
	return r.applyOptIn(tag, id, r.decide(r.optInDefault(o, host, nil)))
}

// planImage decides an <img> (or SVG <image>) by classify's beacon rule.
func (r *HTMLRewriter) planImage(tag []byte, id tagID) tagPlan {
	i, urlName := r.firstAttr(tag, "src")
	if id == tagImage {
		i, urlName = r.firstAttr(tag, "href", "xlink:href")
	}
	if i < 0 {
		return r.planOptInElement(tag, id)
	}
	url, host := r.resolve(r.rawValue(tag, i))
	t, known := r.lookup(host)
	var cat classify.Category
	ok := false
	if known && t.Category != classify.Necessary && !r.hostFromBase {
		// Beacon would find the same host and decide by it alone.
		cat, ok = t.Category, true
	} else {
		cat, _, ok = r.cat.Beacon(r.beaconElement(tag, id, url, false))
	}
	if !ok || (r.allowed(cat) && r.opts.Decide == nil) {
		return tagPlan{}
	}
	def := ActionRemove
	if r.allowed(cat) {
		def = ActionKeep
	}
	e := r.element(ElementBeacon, id, url, host)
	e.Category, e.Known = cat, true
	if known {
		e.Provider = t.Provider
	}
	switch r.decide(def) {
	case ActionRemove:
		return tagPlan{remove: true}
	case ActionBlock:
		r.pre = appendAttrString(r.pre, "data-crumb-category", cat.String())
		r.pre = appendAttr(r.pre, crumbAttr(urlName), r.rawValue(tag, i))
		r.dropAll(tag, urlName)
		if j := r.findAttr(tag, "srcset"); j >= 0 {
			r.pre = appendAttr(r.pre, "data-crumb-srcset", r.rawValue(tag, j))
			r.dropAll(tag, "srcset")
		}
		return tagPlan{changed: true}
	}
	return tagPlan{}
}

// beaconElement describes an element for classify's beacon rule. Its
// strings view the tag and scratch buffers; Beacon does not keep them.
func (r *HTMLRewriter) beaconElement(tag []byte, id tagID, url []byte, hidden bool) classify.Element {
	return classify.Element{
		Tag:        id.String(),
		URL:        bstr(url),
		Width:      bstr(r.rawValue(tag, r.findAttr(tag, "width"))),
		Height:     bstr(r.rawValue(tag, r.findAttr(tag, "height"))),
		Style:      bstr(r.rawValue(tag, r.findAttr(tag, "style"))),
		Hidden:     hidden || r.findAttr(tag, "hidden") >= 0,
		InNoscript: r.inNoscript,
		PageHost:   r.opts.PageHost,
	}
}

// tinyOrHidden reports a frame sized 0 or 1 pixel, or hidden by attribute
// or inline style: the shape of a tracking frame, not of an embed.
func (r *HTMLRewriter) tinyOrHidden(tag []byte) bool {
	if r.findAttr(tag, "hidden") >= 0 {
		return true
	}
	for _, n := range [...]string{"width", "height"} {
		v := bytes.TrimSpace(r.rawValue(tag, r.findAttr(tag, n)))
		v = bytes.TrimSuffix(v, []byte("px"))
		if len(v) == 1 && (v[0] == '0' || v[0] == '1') {
			return true
		}
	}
	style := r.rawValue(tag, r.findAttr(tag, "style"))
	var buf [256]byte
	s := buf[:0]
	for _, c := range style {
		if isHTMLSpace(c) {
			continue
		}
		if len(s) == len(buf) {
			break
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		s = append(s, c)
	}
	return bytes.Contains(s, []byte("display:none")) || bytes.Contains(s, []byte("visibility:hidden"))
}

// hintRels are the link relations that make the browser contact a host
// before anything uses it.
var hintRels = [...]string{"preconnect", "dns-prefetch", "preload", "prefetch", "modulepreload", "prerender"}

// planLink removes resource hints to tracker hosts of refused categories.
func (r *HTMLRewriter) planLink(tag []byte) tagPlan {
	rel := r.rawValue(tag, r.findAttr(tag, "rel"))
	hi := r.findAttr(tag, "href")
	if len(rel) == 0 || hi < 0 {
		return tagPlan{}
	}
	if !hasHintRel(rel) {
		return tagPlan{}
	}
	url, host := r.resolve(r.rawValue(tag, hi))
	t, ok := r.lookup(host)
	if !ok || (r.allowed(t.Category) && r.opts.Decide == nil) {
		return tagPlan{}
	}
	def := ActionRemove
	if r.allowed(t.Category) {
		def = ActionKeep
	}
	e := r.element(ElementHint, tagLink, url, host)
	e.setTracker(t)
	if a := r.decide(def); a == ActionRemove || a == ActionBlock {
		return tagPlan{remove: true}
	}
	return tagPlan{}
}

// planPings drops ping and attributionsrc attributes that reach trackers of
// refused categories, and reports whether it dropped any.
func (r *HTMLRewriter) planPings(tag []byte, id tagID) bool {
	changed := false
	for i := range r.attrs {
		a := &r.attrs[i]
		name := tag[a.nameStart:a.nameEnd]
		if len(name) != len("ping") && len(name) != len("attributionsrc") {
			continue
		}
		if !equalFoldLower(name, "ping") && !equalFoldLower(name, "attributionsrc") {
			continue
		}
		if r.dropAttr[i] {
			continue
		}
		v := r.rawValue(tag, i)
		if len(bytes.TrimSpace(v)) == 0 {
			continue // an empty attributionsrc registers with the element's own URL, judged already
		}
		url := appendUnescaped(r.urlBuf[:0], v)
		r.urlBuf = url
		cat, _, ok := r.cat.PingBeacon(r.opts.PageHost, bstr(url))
		if !ok || (r.allowed(cat) && r.opts.Decide == nil) {
			continue
		}
		def := ActionRemove
		if r.allowed(cat) {
			def = ActionKeep
		}
		e := r.element(ElementPing, id, url, nil)
		e.Category, e.Known = cat, true
		if act := r.decide(def); act == ActionRemove || act == ActionBlock {
			r.dropAttr[i] = true
			changed = true
		}
	}
	return changed
}

// hasHintRel reports whether a rel value lists one of hintRels.
func hasHintRel(rel []byte) bool {
	for len(rel) > 0 {
		i := 0
		for i < len(rel) && isHTMLSpace(rel[i]) {
			i++
		}
		j := i
		for j < len(rel) && !isHTMLSpace(rel[j]) {
			j++
		}
		for _, h := range hintRels {
			if equalFoldLower(rel[i:j], h) {
				return true
			}
		}
		rel = rel[j:]
	}
	return false
}
