package rewrite

import "bytes"

// Loaders that show or play something, or change the page, from a URL
// attribute other than an image's or frame's src: media elements and
// their tracks, the legacy background attribute, SVG's own loaders and a
// <meta http-equiv=refresh>. Each URL is judged by classify's one
// resolution, host and endpoint (see judge). A refused one is moved aside
// the way an image candidate is, to data-crumb-<attribute> with a
// data-crumb-category on the element, which the banner's script puts back;
// what cannot be put back usefully (a refresh, an SVG animation of href) is
// removed.

// crumbNames are the attributes that keep a moved URL: data-crumb-src for
// src, data-crumb-href for href and xlink:href (the banner's script sets
// href, which SVG 2 reads as xlink:href was read).
var crumbNames = func() (n [numAttrIDs]string) {
	for id := range numAttrIDs {
		n[id] = "data-crumb-" + attrNames[id]
	}
	n[attrXlinkHref] = "data-crumb-href"
	return n
}()

// refusedFor judges url, reaching host, for an element of kind and lets
// Decide have its say; it reports whether the URL is not to load and
// leaves the element in r.el.
func (r *Rewriter) refusedFor(kind ElementKind, id tagID, url, host []byte) bool {
	if len(url) == 0 {
		return false
	}
	t, known, cat, ok := r.judge(url, host)
	if !ok || (r.allowed(cat) && r.opts.Decide == nil) {
		return false
	}
	def := ActionRemove
	if r.allowed(cat) {
		def = ActionKeep
	}
	e := r.element(kind, id, url, host)
	if known {
		e.Provider = t.Provider
	}
	e.Category, e.Known = cat, true
	a := r.decide(def)
	return a == ActionRemove || a == ActionBlock
}

// moveRefused moves attribute name of tag to its data-crumb- attribute
// when it holds a URL that is not to load, and reports whether it did.
func (r *Rewriter) moveRefused(tag []byte, id tagID, name attrID, kind ElementKind) bool {
	i := r.findAttr(name)
	if i < 0 || r.dropAttr[i] {
		return false
	}
	url, host := r.resolve(r.rawValue(tag, i))
	if !r.refusedFor(kind, id, url, host) {
		return false
	}
	r.moveAside(tag, i, name)
	return true
}

// moveAside writes attribute i, named name, as its data-crumb- attribute,
// with the element's category once, and drops it.
func (r *Rewriter) moveAside(tag []byte, i int, name attrID) {
	if !bytes.Contains(r.pre, []byte(" data-crumb-category=")) {
		r.pre = appendAttrString(r.pre, "data-crumb-category", r.el.mark())
	}
	r.pre = appendAttr(r.pre, crumbNames[name], r.rawValue(tag, i))
	r.dropAll(name)
}

// planMedia decides <video> (src, poster), <audio> (src), <source> (src
// in a media element, srcset in a <picture>) and <track> (src).
func (r *Rewriter) planMedia(tag []byte, id tagID) tagPlan {
	changed := false
	if id == tagVideo || id == tagSource {
		changed = r.planCandidateElement(tag, id).changed
	}
	if r.moveRefused(tag, id, attrSrc, ElementMedia) {
		changed = true
	}
	return tagPlan{changed: changed}
}

// planBackground decides the legacy background attribute, an image URL on
// <body>, <table>, <td> and <th>. A second <body> tag's attributes are
// merged into the first by the parser, so each is judged.
func (r *Rewriter) planBackground(tag []byte, id tagID) tagPlan {
	return tagPlan{changed: r.moveRefused(tag, id, attrBackground, ElementStyle)}
}

// planSVGLoader decides SVG's loaders besides <image> and <script>: an
// <feImage> filter input and a <use> of an external document by href or
// xlink:href, and an <animate> or <set> that changes href to a refused URL
// (removed: its target would load the URL at run time).
func (r *Rewriter) planSVGLoader(tag []byte, id tagID) tagPlan {
	switch id {
	case tagAnimate, tagSet:
		an := bytes.TrimSpace(r.decodedValue(tag, r.findAttr(attrAttributeName)))
		if !equalFoldLower(an, "href") && !equalFoldLower(an, "xlink:href") {
			return tagPlan{}
		}
		for _, name := range [...]attrID{attrTo, attrFrom, attrBy, attrValues} {
			i := r.findAttr(name)
			if i < 0 {
				continue
			}
			for v := range bytes.SplitSeq(r.rawValue(tag, i), []byte(";")) {
				if url, host := r.resolve(v); r.refusedFor(ElementMedia, id, url, host) {
					return tagPlan{remove: true}
				}
			}
		}
		return tagPlan{}
	}
	changed := r.moveRefused(tag, id, attrHref, ElementMedia)
	if r.moveRefused(tag, id, attrXlinkHref, ElementMedia) {
		changed = true
	}
	return tagPlan{changed: changed}
}

// planMeta removes a <meta http-equiv=refresh> whose URL is refused: the
// browser would navigate there (or to a tracker's redirect) unasked.
func (r *Rewriter) planMeta(tag []byte) tagPlan {
	if !equalFoldLower(bytes.TrimSpace(r.decodedValue(tag, r.findAttr(attrHttpEquiv))), "refresh") {
		return tagPlan{}
	}
	u := refreshURL(r.decodedValue(tag, r.findAttr(attrContent)))
	if len(u) == 0 {
		return tagPlan{}
	}
	url, host := r.resolve(u)
	if r.refusedFor(ElementRefresh, tagMeta, url, host) {
		return tagPlan{remove: true}
	}
	return tagPlan{}
}

// refreshURL returns the URL of a refresh's content, decoded, as the HTML
// standard's "shared declarative refresh steps" read it: a delay of
// digits and dots, then an optional ';' or ',', spaces, an optional
// "url=", and the URL, quotes removed. nil when there is none.
func refreshURL(c []byte) []byte {
	c = bytes.TrimLeft(c, " \t\n\f\r")
	i := 0
	for i < len(c) && ('0' <= c[i] && c[i] <= '9' || c[i] == '.') {
		i++
	}
	c = bytes.TrimLeft(c[i:], " \t\n\f\r")
	if len(c) > 0 && (c[0] == ';' || c[0] == ',') {
		c = c[1:]
	}
	c = bytes.TrimLeft(c, " \t\n\f\r")
	if len(c) >= 3 && equalFoldLower(c[:3], "url") {
		rest := bytes.TrimLeft(c[3:], " \t\n\f\r")
		if len(rest) > 0 && rest[0] == '=' {
			c = bytes.TrimLeft(rest[1:], " \t\n\f\r")
		}
	}
	if len(c) > 0 && (c[0] == '"' || c[0] == '\'') {
		q := c[0]
		c = c[1:]
		if j := bytes.IndexByte(c, q); j >= 0 {
			c = c[:j]
		}
	}
	if len(c) == 0 {
		return nil
	}
	return c
}

// decodedValue is attribute i's value with its character references
// decoded, for a keyword the browser compares after decoding (rel,
// http-equiv, attributeName); it views the tag or r.valBuf.
func (r *Rewriter) decodedValue(tag []byte, i int) []byte {
	v := r.rawValue(tag, i)
	if bytes.IndexByte(v, '&') < 0 {
		return v
	}
	r.valBuf = appendUnescaped(r.valBuf[:0], v)
	return r.valBuf
}
