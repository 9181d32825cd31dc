package rewrite

import "encoding/binary"

// tagID names the elements the rewriter treats specially.
type tagID uint8

const (
	tagOther tagID = iota
	tagScript
	tagStyle
	tagXmp
	tagIframe
	tagNoembed
	tagNoframes
	tagNoscript
	tagTextarea
	tagTitle
	tagPlaintext
	tagImg
	tagImage
	tagLink
	tagFrame
	tagEmbed
	tagObject
	tagHead
	tagBody
	tagHTML
	tagBase
	tagSVG
	tagMath
	tagSource
	tagInput
	tagVideo
	tagAudio
	tagTrack
	tagMeta
	tagTableElem
	tagTd
	tagTh
	tagFeimage
	tagUse
	tagAnimate
	tagSet
)

var tagNames = [...]string{
	tagOther: "", tagScript: "script", tagStyle: "style", tagXmp: "xmp",
	tagIframe: "iframe", tagNoembed: "noembed", tagNoframes: "noframes",
	tagNoscript: "noscript", tagTextarea: "textarea", tagTitle: "title",
	tagPlaintext: "plaintext", tagImg: "img", tagImage: "image", tagLink: "link",
	tagFrame: "frame", tagEmbed: "embed", tagObject: "object", tagHead: "head",
	tagBody: "body", tagHTML: "html", tagBase: "base", tagSVG: "svg", tagMath: "math",
	tagSource: "source", tagInput: "input", tagVideo: "video",
	tagAudio: "audio", tagTrack: "track", tagMeta: "meta", tagTableElem: "table", tagTd: "td", tagTh: "th",
	tagFeimage: "feimage", tagUse: "use", tagAnimate: "animate", tagSet: "set",
}

func (id tagID) String() string { return tagNames[id] }

// rawText returns the end tag name that closes the RAWTEXT or RCDATA
// content of id, or "" when its content is markup. (script, noscript and
// plaintext are handled apart.)
func (id tagID) rawText() string {
	switch id {
	case tagStyle, tagXmp, tagIframe, tagNoembed, tagNoframes, tagTextarea, tagTitle:
		return tagNames[id]
	}
	return ""
}

// decided reports whether the rewriter reads the attributes of id to
// decide about it.
func (id tagID) decided() bool {
	switch id {
	case tagScript, tagBase, tagIframe, tagFrame, tagEmbed, tagObject, tagImg, tagImage, tagLink,
		tagSource, tagInput, tagVideo, tagAudio, tagTrack, tagMeta, tagBody, tagTableElem, tagTd, tagTh,
		tagFeimage, tagUse, tagAnimate, tagSet:
		return true
	}
	return false
}

// byImageURL reports whether id is decided only when it has an image URL
// attribute: src (input), srcset (source) or poster (video), besides the
// ping and attributionsrc that any element may have. Forms are full of
// inputs, and few of them are image buttons.
func (id tagID) byImageURL() bool {
	switch id {
	case tagInput, tagSource, tagVideo, tagAudio, tagTrack, tagMeta, tagTableElem, tagTd, tagTh,
		tagFeimage, tagUse, tagAnimate, tagSet:
		// Media and SVG loaders by their URLs, cells by background, a
		// <meta> by http-equiv (refresh), all common without them.
		return true
	}
	return false
}

// passesAllowAll reports whether a start tag of id needs no decision when
// the policy allows every category and nothing else decides (allowAll),
// unless it carries opt-in markup: what it loads is allowed, so only an
// opt-in category (data-crumb-*, data-consent, data-category,
// data-cookieconsent) can change it. The elements left out are those
// whose content is not markup, which mark insertion points (head, body,
// html), which set the document's base, or which start foreign content.
func (id tagID) passesAllowAll() bool {
	switch id {
	case tagImg, tagImage, tagLink, tagFrame, tagEmbed, tagObject, tagSource, tagInput,
		tagVideo, tagAudio, tagTrack, tagMeta, tagTableElem, tagTd, tagTh,
		tagFeimage, tagUse, tagAnimate, tagSet:
		return true
	}
	return false
}

// minSpecialTag and maxSpecialTag are the lengths of the shortest and the
// longest name in tagNames.
const (
	minSpecialTag = 2 // td, th
	maxSpecialTag = 9
)

// Tag names are looked up by a perfect hash of their first eight bytes
// with 0x20 or-ed into each: that folds the case of letters, and since the
// special names are letters only, a name whose folded bytes equal one of
// theirs is that name in some case. A lookup is a multiplication, a table
// read and a comparison; most names (div, span, li) miss at the comparison.
const tagHashBits = 7

type tagSlot struct {
	key  uint64
	id   tagID
	long bool // the name goes on past the eight bytes of key
}

type tagHashTable struct {
	mul   uint64
	slots [1 << tagHashBits]tagSlot
}

// tagTable is built once, when the package is initialised, and never
// changes: it tries multipliers until the names fall in distinct slots
// (for the thirty-five names, one in a few hundred does).
var tagTable = func() (t tagHashTable) {
	mul := uint64(0x9e3779b97f4a7c15)
	for range 1 << 20 {
		mul += 0x6a09e667f3bcc909 << 1
		t = tagHashTable{mul: mul | 1}
		ok := true
		for id := tagScript; int(id) < len(tagNames) && ok; id++ {
			k := foldKey([]byte(tagNames[id]))
			s := &t.slots[t.hash(k)]
			ok = s.id == tagOther
			*s = tagSlot{key: k, id: id, long: len(tagNames[id]) > 8}
		}
		if ok {
			return t
		}
	}
	panic("middleware: no perfect hash for tagNames") // only if a name were added twice
}()

func (t *tagHashTable) hash(key uint64) uint64 { return key * t.mul >> (64 - tagHashBits) }

// foldKey packs the first eight bytes of name, little-endian, each or-ed
// with 0x20; shorter names are padded with zeros, which no folded byte is.
func foldKey(name []byte) uint64 {
	if len(name) >= 8 {
		return binary.LittleEndian.Uint64(name) | 0x2020202020202020
	}
	var k uint64
	for i := len(name) - 1; i >= 0; i-- {
		k = k<<8 | uint64(name[i]|0x20)
	}
	return k
}

// lookupTagID finds the id of a tag name in any case.
func lookupTagID(name []byte) tagID {
	if len(name) < minSpecialTag || len(name) > maxSpecialTag {
		return tagOther
	}
	return tagByKey(foldKey(name), name)
}

// tagIDAt is lookupTagID(b[s:e]), reading the name with one load when b
// holds eight bytes from s.
func tagIDAt(b []byte, s, e int) tagID {
	n := e - s
	if n < minSpecialTag || n > 8 || s+8 > len(b) {
		return lookupTagID(b[s:e])
	}
	k := (binary.LittleEndian.Uint64(b[s:]) | 0x2020202020202020) & (1<<(8*n) - 1)
	if sl := &tagTable.slots[tagTable.hash(k)]; sl.key == k && !sl.long {
		return sl.id
	}
	return tagOther
}

// tagByKey finds the id whose folded key is k, for name.
func tagByKey(k uint64, name []byte) tagID {
	sl := &tagTable.slots[tagTable.hash(k)]
	if sl.key != k || sl.id == tagOther {
		return tagOther
	}
	if len(name) > 8 || sl.long {
		if len(name) != len(tagNames[sl.id]) || !equalFoldLower(name[8:], tagNames[sl.id][8:]) {
			return tagOther
		}
	}
	return sl.id
}

// equalFoldLower compares b with the lower-case ASCII string s ignoring the
// case of b.
func equalFoldLower(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	if string(b) == s {
		return true // markup is lower case nearly always
	}
	for i := range len(b) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// tagPlan is what to do with the tag being handled: emit it unchanged, drop
// it (and maybe its content), or rebuild it from r.pre (attributes written
// after the name), r.dropAttr and r.place (markup written before it).
type tagPlan struct {
	changed bool
	remove  bool
	dropTo  tagID // with remove: drop content up to this end tag
}

func (r *Rewriter) resetPlan() {
	n := len(r.attrs)
	if cap(r.dropAttr) < n {
		r.dropAttr = make([]bool, n, n+8)
	}
	r.dropAttr = r.dropAttr[:n]
	clear(r.dropAttr)
	r.pre = r.pre[:0]
	r.place = r.place[:0]
}

// emitPlanned writes tag according to p.
func (r *Rewriter) emitPlanned(tag []byte, p tagPlan) {
	if p.remove {
		if p.dropTo != tagOther {
			r.drop = p.dropTo
		}
		return
	}
	if !p.changed {
		r.emit(tag)
		return
	}
	if len(r.place) > 0 {
		r.insert(r.place) // no element is being dropped here
	}
	nameEnd := int(r.ts.nameEnd)
	out := append(r.out[:0], tag[:nameEnd]...)
	out = append(out, r.pre...)
	last := nameEnd
	for i, d := range r.dropAttr {
		if d {
			a := &r.attrs[i]
			out = append(out, tag[last:a.pre]...)
			last = int(a.end)
		}
	}
	out = append(out, tag[last:]...)
	r.out = out
	r.emitCopy(out)
}

// startTag handles a complete start tag.
func (r *Rewriter) startTag(tag []byte) (int, stepStatus) {
	id := r.ts.id
	if r.inDual() && hasEndTagOf(tag[1:], r.dualEnd) {
		// The dual region (a <noscript> read as raw text, say) ends inside
		// this "tag": read on from the byte after '<' as a browser does.
		return textStatus(r.text(tag[:1]), 1)
	}
	name := tag[1:r.ts.nameEnd]
	if r.drop != tagOther {
		r.enterContent(id, name, r.ts.selfClosing, tag)
		return len(tag), stepOK
	}
	if id.decided() {
		r.indexAttrs(tag)
	}
	switch id {
	case tagScript:
		if !r.nonceSeen {
			if v := r.rawValue(tag, r.findAttr(attrNonce)); len(v) > 0 && len(v) <= 256 {
				r.nonce = append(r.nonce[:0], v...)
				r.nonceSeen = true
			}
		}
	case tagBase:
		// The document's base URL comes from the first <base> with an
		// href, and one in <noscript> or in SVG content is none.
		if i := r.findAttr(attrHref); i >= 0 && !r.baseSeen && !r.inDual() && !r.inForeign() {
			r.baseSeen = true
			_, host := r.resolve(r.rawValue(tag, i))
			r.baseHost = append(r.baseHost[:0], host...)
		}
	}
	if !r.inDual() {
		if r.headPending || (!r.headSeen && (id == tagScript || id == tagBody)) {
			r.insertHeadStart()
		}
		if id == tagBody {
			r.insertHeadStart()
			r.insertHeadEnd()
		}
		if id == tagHead && !r.headSeen {
			r.headSeen = true
			r.headPending = !r.headStartDone
		}
	}

	r.resetPlan()
	var p tagPlan
	switch id {
	case tagScript:
		var hold bool
		p, hold = r.planScript(tag)
		switch {
		case r.inNoscript:
			hold = false // never runs: text with scripting on, inert without
		case r.inForeign() && !r.inDual() && r.ts.selfClosing:
			hold = false // an empty SVG script, closed at once
		}
		if hold {
			// Judged as script data; in foreign content or a dual region,
			// where a browser may read the body as markup, the body is
			// then read again as markup.
			r.rescan = r.inForeign() || r.inDual()
			r.holding = true
			r.holdBody, r.holdPos = len(tag), len(tag)
			r.mode = modeScript
			r.ss = ssData
			return 0, stepOK
		}
	case tagIframe, tagFrame, tagEmbed, tagObject:
		p = r.planFrame(tag, id)
	case tagImg, tagImage, tagInput:
		p = r.planImage(tag, id)
	case tagSource, tagVideo, tagAudio, tagTrack:
		p = r.planMedia(tag, id)
	case tagBody, tagTableElem, tagTd, tagTh:
		p = r.planBackground(tag, id)
	case tagFeimage, tagUse, tagAnimate, tagSet:
		p = r.planSVGLoader(tag, id)
	case tagMeta:
		p = r.planMeta(tag)
	case tagLink:
		p = r.planLink(tag)
	case tagStyle:
		if r.holdStyle() {
			r.holding, r.heldStyle = true, true
			r.holdBody, r.holdPos = len(tag), len(tag)
			return 0, stepOK
		}
	}
	// With everything allowed no ping or style URL is refused.
	if !p.remove && len(r.attrs) > 0 && !r.allowAll {
		if r.planPings(tag, id) {
			p.changed = true
		}
		if r.planStyleAttr(tag, id) {
			p.changed = true
		}
	}
	if p == (tagPlan{}) {
		r.emit(tag) // most tags
	} else {
		r.emitPlanned(tag, p)
	}
	if id == tagBody && !r.inDual() {
		r.insertBodyStart()
	}
	if p.remove && p.dropTo == tagOther {
		// A void element: nothing follows, and a browser does not see it
		// (not even as a tag that ends foreign content).
		return len(tag), stepOK
	}
	r.enterContent(id, name, r.ts.selfClosing, tag)
	return len(tag), stepOK
}

// endTag handles a complete end tag.
func (r *Rewriter) endTag(tag []byte) (int, stepStatus) {
	id := r.ts.id
	if r.inDual() {
		if equalFoldLower(tag[2:r.ts.nameEnd], r.dualEnd) {
			r.dualEnd = ""
			r.inNoscript = false
			if r.drop != tagOther {
				r.drop = tagOther // never drop past the region a drop began in
			}
		} else if hasEndTagOf(tag[2:], r.dualEnd) {
			return textStatus(r.text(tag[:1]), 1)
		}
	} else if r.inForeign() {
		r.foreignEnd(id)
	}
	if r.drop != tagOther {
		if r.drop == id {
			r.drop = tagOther
		}
		return len(tag), stepOK
	}
	if !r.inDual() {
		if r.headPending {
			r.insertHeadStart()
		}
		switch id {
		case tagHead:
			r.insertHeadStart()
			r.insertHeadEnd()
		case tagBody, tagHTML:
			r.insertHeadStart()
			r.insertHeadEnd()
			r.insertBodyEnd()
		}
	}
	r.emit(tag)
	return len(tag), stepOK
}
