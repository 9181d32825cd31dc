package middleware

import "bytes"

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
)

var tagNames = [...]string{
	tagOther: "", tagScript: "script", tagStyle: "style", tagXmp: "xmp",
	tagIframe: "iframe", tagNoembed: "noembed", tagNoframes: "noframes",
	tagNoscript: "noscript", tagTextarea: "textarea", tagTitle: "title",
	tagPlaintext: "plaintext", tagImg: "img", tagImage: "image", tagLink: "link",
	tagFrame: "frame", tagEmbed: "embed", tagObject: "object", tagHead: "head",
	tagBody: "body", tagHTML: "html", tagBase: "base",
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
	case tagScript, tagBase, tagIframe, tagFrame, tagEmbed, tagObject, tagImg, tagImage, tagLink:
		return true
	}
	return false
}

// minSpecialTag is the length of the shortest name in tagNames.
const minSpecialTag = 3

// lookupTagID finds the id of a tag name in any case. It picks the one
// candidate by length and first letter, then compares: most tags are p,
// div, a, span and meet one mismatching candidate or none.
func lookupTagID(name []byte) tagID {
	if len(name) == 0 {
		return tagOther
	}
	var id tagID
	switch c := name[0] | 0x20; len(name) {
	case 3:
		switch c {
		case 'x':
			id = tagXmp
		case 'i':
			id = tagImg
		}
	case 4:
		switch c {
		case 'l':
			id = tagLink
		case 'h':
			if name[1]|0x20 == 'e' {
				id = tagHead
			} else {
				id = tagHTML
			}
		case 'b':
			if name[1]|0x20 == 'o' {
				id = tagBody
			} else {
				id = tagBase
			}
		}
	case 5:
		switch c {
		case 's':
			id = tagStyle
		case 't':
			id = tagTitle
		case 'i':
			id = tagImage
		case 'f':
			id = tagFrame
		case 'e':
			id = tagEmbed
		}
	case 6:
		switch c {
		case 's':
			id = tagScript
		case 'i':
			id = tagIframe
		case 'o':
			id = tagObject
		}
	case 7:
		if c == 'n' {
			id = tagNoembed
		}
	case 8:
		switch c {
		case 'n':
			if name[2]|0x20 == 's' {
				id = tagNoscript
			} else {
				id = tagNoframes
			}
		case 't':
			id = tagTextarea
		}
	case 9:
		if c == 'p' {
			id = tagPlaintext
		}
	}
	if id != tagOther && equalFoldLower(name, tagNames[id]) {
		return id
	}
	return tagOther
}

// hasNoscriptEnd reports whether b holds "</noscript" in any case.
func hasNoscriptEnd(b []byte) bool {
	const s = "</noscript"
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return false
		}
		i += j
		if len(b)-i < len(s) {
			return false
		}
		if equalFoldLower(b[i:i+len(s)], s) {
			return true
		}
		i++
	}
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

func (r *HTMLRewriter) resetPlan() {
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
func (r *HTMLRewriter) emitPlanned(tag []byte, p tagPlan) {
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
		r.emit(r.place)
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
	r.emit(out)
}

// startTag handles a complete start tag.
func (r *HTMLRewriter) startTag(tag []byte) (int, stepStatus) {
	id := r.ts.id
	if r.inNoscript && hasNoscriptEnd(tag[1:]) {
		// The browser's <noscript> ends inside this "tag": read on from the
		// byte after '<' as it does.
		return textStatus(r.text(tag[:1]), 1)
	}
	if r.drop != tagOther {
		r.enterContent(id)
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
		if !r.baseSeen {
			r.baseSeen = true
			if i := r.findAttr(attrHref); i >= 0 {
				_, host := r.resolve(r.rawValue(tag, i))
				r.baseHost = append(r.baseHost[:0], host...)
			}
		}
	}
	if !r.inNoscript {
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
		if hold {
			r.holding = true
			r.holdBody, r.holdPos = len(tag), len(tag)
			r.mode = modeScript
			r.ss = ssData
			return 0, stepOK
		}
	case tagIframe, tagFrame, tagEmbed, tagObject:
		p = r.planFrame(tag, id)
	case tagImg, tagImage:
		p = r.planImage(tag, id)
	case tagLink:
		p = r.planLink(tag)
	}
	if !p.remove && len(r.attrs) > 0 {
		if r.planPings(tag, id) {
			p.changed = true
		}
	}
	if p == (tagPlan{}) {
		r.emit(tag) // most tags
	} else {
		r.emitPlanned(tag, p)
	}
	if p.remove && p.dropTo == tagOther {
		return len(tag), stepOK // a void element: nothing follows
	}
	r.enterContent(id)
	return len(tag), stepOK
}

// endTag handles a complete end tag.
func (r *HTMLRewriter) endTag(tag []byte) (int, stepStatus) {
	id := r.ts.id
	if r.inNoscript {
		if id == tagNoscript {
			r.inNoscript = false
			if r.drop != tagOther {
				r.drop = tagOther // never drop past the <noscript> a drop began in
			}
		} else if hasNoscriptEnd(tag[2:]) {
			return textStatus(r.text(tag[:1]), 1)
		}
	}
	if r.drop != tagOther {
		if r.drop == id {
			r.drop = tagOther
		}
		return len(tag), stepOK
	}
	if !r.inNoscript {
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
