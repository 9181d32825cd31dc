package rewrite

import (
	"bytes"

	"github.com/crumbhq/crumb/classify"
)

// Embedded content: frames, objects and images are decided by their host
// and, for what no catalog lists, by classify's beacon rule.

// planFrame decides an <iframe>, <frame>, <embed> or <object>.
func (r *Rewriter) planFrame(tag []byte, id tagID) tagPlan {
	urlName := attrSrc
	if id == tagObject {
		urlName = attrData
	}
	i := r.findAttr(urlName)
	if d, dn := r.deferredFrameURL(tag, id); d >= 0 && (i < 0 || !r.refusedHost(tag, i)) && r.refusedHost(tag, d) {
		// The URL a lazy loader will set is the one that loads.
		i, urlName = d, dn
	}
	if id == tagIframe && r.first[attrSrcdoc] > 0 && (i < 0 || !r.refusedHost(tag, i)) {
		if cat, bad := r.srcdocRefused(tag, r.findAttr(attrSrcdoc)); bad {
			var url, host []byte
			if i >= 0 {
				url, host = r.resolve(r.rawValue(tag, i))
			}
			e := r.element(ElementFrame, id, url, host)
			e.Category, e.Known = cat, true
			return r.applyFrame(tag, id, i, urlName, r.decide(ActionBlock))
		}
	}
	if i < 0 {
		return r.planOptInElement(tag, id)
	}
	raw := r.rawValue(tag, i)
	url, host := r.resolve(raw)
	t, known, rc, rok := r.judge(url, host)
	hidden := r.tinyOrHidden(tag)
	var cat classify.Category
	switch {
	case rok:
		cat = rc
		// A host listed as necessary that serves a collection endpoint
		// serves a beacon, not an embed.
		known = known && t.Category != classify.Necessary
	case known:
		cat = t.Category
	default:
		bc, _, ok := r.cat.Beacon(r.beaconElement(tag, id, url, host, hidden))
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

// deferredFrameURL finds the attribute a lazy loader moves to src later:
// data-lazy-src and data-rocket-src (WP Rocket), data-src (lazysizes and
// most others; with an opt-in category it is the site's own consent
// markup, handled as such).
func (r *Rewriter) deferredFrameURL(tag []byte, id tagID) (int, attrID) {
	if id != tagIframe && id != tagFrame {
		return -1, attrOther
	}
	d, dn := r.firstAttr(attrDataLazySrc, attrDataRocketSrc, attrDataSrc)
	if dn == attrDataSrc && r.parseOptIn(tag).ok {
		return -1, attrOther
	}
	return d, dn
}

func (r *Rewriter) applyFrame(tag []byte, id tagID, i int, urlName attrID, a Action) tagPlan {
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
	switch {
	case r.inForeign() || (r.inDual() && !r.inNoscript):
		// Inside SVG or MathML a frame shows nothing, and the placeholder's
		// HTML would end foreign content where the page did not.
		r.place = r.place[:0]
	case r.opts.Placeholder != nil:
		r.place = r.opts.Placeholder(r.place[:0], &r.el)
	default:
		r.place = appendPlaceholder(r.place[:0], &r.el)
	}
	r.pre = appendAttrString(r.pre, "data-crumb-category", r.el.mark())
	if i >= 0 {
		r.pre = appendAttr(r.pre, crumbAttr(urlName), r.rawValue(tag, i))
		r.dropAll(urlName)
	}
	if j := r.findAttr(attrSrcdoc); j >= 0 && id == tagIframe {
		// srcdoc wins over src: a blocked frame loses it too.
		r.pre = appendAttr(r.pre, "data-crumb-srcdoc", r.rawValue(tag, j))
		r.dropAll(attrSrcdoc)
	}
	return tagPlan{changed: true}
}

// crumbAttr names the attribute that keeps a blocked element's URL.
func crumbAttr(name attrID) string {
	if name == attrData {
		return "data-crumb-data"
	}
	return "data-crumb-src"
}

// appendPlaceholder writes the default placeholder for a blocked frame.
func appendPlaceholder(dst []byte, e *Element) []byte {
	cat := e.mark()
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

// planImage decides an <img>, an SVG <image> or an <input type=image> by
// classify's beacon rule, from its URL and, for an <img>, the candidates
// of its srcset.
func (r *Rewriter) planImage(tag []byte, id tagID) tagPlan {
	if id == tagInput && !r.isImageInput(tag) {
		return tagPlan{} // only an image button loads its src
	}
	i, urlName := r.firstAttr(attrSrc)
	if id == tagImage && r.inForeign() {
		i, urlName = r.firstAttr(attrHref, attrXlinkHref)
	}
	var p tagPlan
	if i < 0 {
		p = r.planOptInElement(tag, id)
	} else {
		p = r.planImageURL(tag, id, i, urlName)
	}
	if (id == tagImg || id == tagImage && !r.inForeign()) && !p.remove && r.first[attrSrcset] > 0 {
		var judged []byte
		if v := r.rawValue(tag, i); !urlNeedsCleaning(v) && bytes.IndexByte(v, '&') < 0 {
			judged = v // read as written: the candidates are decoded
		}
		if r.planCandidates(tag, id, attrSrcset, judged) {
			p.changed = true
		}
	}
	return p
}

// planImageURL decides an image by its URL, attribute i.
func (r *Rewriter) planImageURL(tag []byte, id tagID, i int, urlName attrID) tagPlan {
	url, host := r.resolve(r.rawValue(tag, i))
	a, e := r.decideImage(tag, id, ElementBeacon, url, host)
	switch a {
	case ActionRemove:
		return tagPlan{remove: true}
	case ActionBlock:
		r.pre = appendAttrString(r.pre, "data-crumb-category", e.mark())
		r.pre = appendAttr(r.pre, crumbAttr(urlName), r.rawValue(tag, i))
		r.dropAll(urlName)
		if j := r.findAttr(attrSrcset); j >= 0 {
			r.pre = appendAttr(r.pre, "data-crumb-srcset", r.rawValue(tag, j))
			r.dropAll(attrSrcset)
		}
		return tagPlan{changed: true}
	}
	return tagPlan{}
}

// decideImage judges one image URL of tag, resolved, and lets Decide have
// its say: ActionKeep (and a nil element) when it loads no refused
// tracking and Decide need not be asked.
func (r *Rewriter) decideImage(tag []byte, id tagID, kind ElementKind, url, host []byte) (Action, *Element) {
	t, known, cat, ok := r.imageCategory(tag, id, url, host)
	if !ok || (r.allowed(cat) && r.opts.Decide == nil) {
		return ActionKeep, nil
	}
	def := ActionRemove
	if r.allowed(cat) {
		def = ActionKeep
	}
	e := r.element(kind, id, url, host)
	e.Category, e.Known = cat, true
	if known {
		e.Provider = t.Provider
	}
	return r.decide(def), e
}

// imageCategory judges an image URL of tag: ok when it loads tracking,
// with the category, and the catalog's tracker when it knows the host.
func (r *Rewriter) imageCategory(tag []byte, id tagID, url, host []byte) (t classify.Tracker, known bool, cat classify.Category, ok bool) {
	if t, known = r.lookup(host); known {
		// The host is listed: ResolveURL's answer, host and endpoint (a
		// necessary host is no beacon unless the endpoint makes it one).
		cat, ok = classify.ResolveKnownCategory(t, known, bstr(host), bstr(url))
		return t, known, cat, ok
	}
	if len(host) == 0 && isPathURL(url) {
		// A path on the page's own site, the most common image: Beacon's
		// size and visibility heuristics need a host, so only the endpoint
		// can name tracking, and the element need not be described.
		cat, ok = classify.ResolveKnownCategory(classify.Tracker{}, false, "", bstr(url))
		return t, known, cat, ok
	}
	// Beacon resolves the endpoint as ResolveURL does, then applies its
	// size and visibility heuristics to what neither names.
	cat, _, ok = r.cat.Beacon(r.beaconElement(tag, id, url, host, false))
	return t, known, cat, ok
}

// beaconElement describes an element for classify's beacon rule. Its
// strings view the tag and scratch buffers; Beacon does not keep them.
func (r *Rewriter) beaconElement(tag []byte, id tagID, url, host []byte, hidden bool) classify.Element {
	if !r.hostQuick {
		host = nil // Beacon reads the URL itself: see resolve
	}
	return classify.Element{
		Host:       bstr(host),
		Tag:        id.String(),
		URL:        bstr(url),
		Width:      bstr(r.rawValue(tag, r.findAttr(attrWidth))),
		Height:     bstr(r.rawValue(tag, r.findAttr(attrHeight))),
		Style:      bstr(r.rawValue(tag, r.findAttr(attrStyle))),
		Hidden:     hidden || r.findAttr(attrHidden) >= 0,
		InNoscript: r.inNoscript,
		PageHost:   r.opts.PageHost,
	}
}

// tinyOrHidden reports a frame sized 0 or 1 pixel, or hidden by attribute
// or inline style: the shape of a tracking frame, not of an embed.
func (r *Rewriter) tinyOrHidden(tag []byte) bool {
	if r.findAttr(attrHidden) >= 0 {
		return true
	}
	for _, id := range [...]attrID{attrWidth, attrHeight} {
		v := bytes.TrimSpace(r.rawValue(tag, r.findAttr(id)))
		v = bytes.TrimSuffix(v, []byte("px"))
		if len(v) == 1 && (v[0] == '0' || v[0] == '1') {
			return true
		}
	}
	style := r.rawValue(tag, r.findAttr(attrStyle))
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
