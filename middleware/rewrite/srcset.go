package rewrite

import "bytes"

// Image candidates: a browser fetches an image from more than src. An
// <img> picks one URL of its srcset (src is only the fallback), a
// <picture>'s <source srcset> wins over the <img> inside, a <video> shows
// its poster, and a preload link fetches a candidate of its imagesrcset.
// Which candidate a browser picks depends on the screen, so every one is
// judged, the way the element's src would be: for an <img> its width,
// height and style count; a <source> comes before the <img> whose size it
// shares, and a poster is as large as its video, so those are judged by
// host and endpoint alone.
//
// One refused candidate is enough: the attribute moves to
// data-crumb-srcset (data-crumb-poster, for a poster) and the element gets
// a data-crumb-category, so the banner's script can put it back. The
// element stays: its src, if any, was judged on its own. Block and Remove
// both do that, as they both drop a ping. A preload link is a hint, and is
// removed like one.

// crumbCandidateAttr names the attribute that keeps refused candidates.
func crumbCandidateAttr(name attrID) string {
	switch name {
	case attrPoster:
		return "data-crumb-poster"
	case attrImagesrcset:
		return "data-crumb-imagesrcset"
	}
	return "data-crumb-srcset"
}

// isImageInput reports whether an <input> is an image button, the only
// kind that loads its src. The keyword is matched without case, untrimmed.
func (r *Rewriter) isImageInput(tag []byte) bool {
	return equalFoldLower(r.rawValue(tag, r.findAttr(attrType)), "image")
}

// planCandidateElement decides a <source> by its srcset and a <video> by
// its poster.
func (r *Rewriter) planCandidateElement(tag []byte, id tagID) tagPlan {
	name := attrSrcset
	if id == tagVideo {
		name = attrPoster
	}
	if r.planCandidates(tag, id, name, nil) {
		return tagPlan{changed: true}
	}
	return tagPlan{}
}

// planCandidates moves attribute name of tag (srcset or poster) to its
// data-crumb- attribute when it holds a refused image URL, and reports
// whether it did. A candidate equal to judged, the element's src as
// written, was judged with it: a srcset often repeats the src as its 1x.
func (r *Rewriter) planCandidates(tag []byte, id tagID, name attrID, judged []byte) bool {
	i := r.findAttr(name)
	if i < 0 || r.dropAttr[i] || !r.refusedCandidate(tag, id, name, ElementBeacon, judged) {
		return false
	}
	if !bytes.Contains(r.pre, []byte(" data-crumb-category=")) {
		r.pre = appendAttrString(r.pre, "data-crumb-category", r.el.mark())
	}
	r.pre = appendAttr(r.pre, crumbCandidateAttr(name), r.rawValue(tag, i))
	r.dropAll(name)
	return true
}

// refusedCandidate reports whether attribute name of tag holds an image URL
// that is not to load: one the beacon rule calls tracking, of a refused
// category, that Options.Decide blocks or removes. It leaves that
// element in r.el. A poster is one URL; srcset and imagesrcset are lists.
// A candidate equal to judged is skipped.
func (r *Rewriter) refusedCandidate(tag []byte, id tagID, name attrID, kind ElementKind, judged []byte) bool {
	raw := r.rawValue(tag, r.findAttr(name))
	if name == attrPoster {
		url, host := r.resolve(raw)
		return r.refusedImageURL(tag, id, kind, url, host)
	}
	set := raw
	if bytes.IndexByte(raw, '&') >= 0 {
		// A reference can stand for a comma or a space: split what the
		// browser splits, the decoded value.
		set = appendUnescaped(r.setBuf[:0], raw)
		r.setBuf = set
	}
	for {
		u, rest, ok := nextCandidate(set)
		if !ok {
			return false
		}
		set = rest
		if u = trimC0(u); len(u) == 0 || (len(judged) > 0 && bytes.Equal(u, judged)) {
			continue
		}
		url, host := r.resolveClean(u)
		if r.refusedImageURL(tag, id, kind, url, host) {
			return true
		}
	}
}

// refusedImageURL judges one image URL of tag, resolved, and reports
// whether it is not to load.
func (r *Rewriter) refusedImageURL(tag []byte, id tagID, kind ElementKind, url, host []byte) bool {
	if len(url) == 0 {
		return false
	}
	a, _ := r.decideImage(tag, id, kind, url, host)
	return a == ActionRemove || a == ActionBlock
}

// nextCandidate returns the URL of the first image candidate in set, a
// srcset value with its references decoded, and the rest of set; ok is
// false when no candidate is left. It follows the HTML standard's parser:
// candidates are separated by commas, a URL runs to the first whitespace
// (so it may hold commas) less any commas that end it, and descriptors run
// to the next comma outside parentheses.
func nextCandidate(set []byte) (url, rest []byte, ok bool) {
	i := 0
	for i < len(set) && (isHTMLSpace(set[i]) || set[i] == ',') {
		i++
	}
	if i == len(set) {
		return nil, nil, false
	}
	j := i
	for j < len(set) && !isHTMLSpace(set[j]) {
		j++
	}
	url = set[i:j]
	if url[len(url)-1] == ',' {
		// A trailing comma ends the candidate, without descriptors.
		return bytes.TrimRight(url, ","), set[j:], true
	}
	paren := false
	for ; j < len(set); j++ {
		switch set[j] {
		case '(':
			paren = true
		case ')':
			paren = false
		case ',':
			if !paren {
				return url, set[j+1:], true
			}
		}
	}
	return url, nil, true
}

// trimC0 trims what the URL parser trims: C0 controls and spaces.
func trimC0(u []byte) []byte {
	for len(u) > 0 && u[0] <= ' ' {
		u = u[1:]
	}
	for len(u) > 0 && u[len(u)-1] <= ' ' {
		u = u[:len(u)-1]
	}
	return u
}
