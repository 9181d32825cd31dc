package rewrite

import "bytes"

// Background requests: resource hints and the ping and attributionsrc
// attributes make the browser contact a host without showing anything.

// hintRels are the link relations that make the browser contact a host on
// their own: resource hints, before anything uses it, and the resources a
// link loads itself (a stylesheet sends the visitor's address and the
// page's URL as surely as a script does).
var hintRels = [...]string{"preconnect", "dns-prefetch", "preload", "prefetch", "modulepreload", "prerender",
	"stylesheet", "icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon", "manifest"}

// planLink removes resource hints and loading links to tracker hosts of
// refused categories, and image preloads with a refused candidate in their
// imagesrcset (which a browser fetches instead of href).
func (r *Rewriter) planLink(tag []byte) tagPlan {
	rel := r.decodedValue(tag, r.findAttr(attrRel))
	if len(rel) == 0 || !hasHintRel(rel) {
		return tagPlan{}
	}
	if hi := r.findAttr(attrHref); hi >= 0 && r.refusedHint(tag, hi) {
		return tagPlan{remove: true}
	}
	if r.first[attrImagesrcset] > 0 && r.refusedCandidate(tag, tagLink, attrImagesrcset, ElementHint, nil) {
		return tagPlan{remove: true}
	}
	return tagPlan{}
}

// refusedHint reports whether the link's href, attribute hi, reaches a
// tracker host that is not to be contacted.
func (r *Rewriter) refusedHint(tag []byte, hi int) bool {
	url, host := r.resolve(r.rawValue(tag, hi))
	return r.refusedFor(ElementHint, tagLink, url, host)
}

// planPings drops ping and attributionsrc attributes that reach trackers of
// refused categories, and reports whether it dropped any.
func (r *Rewriter) planPings(tag []byte, id tagID) bool {
	if id.decided() && r.first[attrPing] == 0 && r.first[attrAttributionsrc] == 0 {
		return false // indexAttrs found neither, as it does on most elements it indexes
	}
	changed := false
	for i := range r.attrs {
		a := &r.attrs[i]
		name := tag[a.nameStart:a.nameEnd]
		switch {
		case len(name) == len("ping") && name[0]|0x20 == 'p' && equalFoldLower(name, "ping"):
		case len(name) == len("attributionsrc") && name[0]|0x20 == 'a' && equalFoldLower(name, "attributionsrc"):
		default:
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
