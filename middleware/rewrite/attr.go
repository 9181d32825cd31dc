package rewrite

import "bytes"

// attrID names the attributes the rewriter reads or writes.
type attrID uint8

const (
	attrOther attrID = iota
	attrSrc
	attrHref
	attrXlinkHref
	attrType
	attrNonce
	attrData
	attrDataSrc
	attrDataType
	attrDataCrumbSrc
	attrDataCrumbType
	attrDataCrumbCategory
	attrDataConsent
	attrDataCategory
	attrDataCookieconsent
	attrWidth
	attrHeight
	attrStyle
	attrHidden
	attrSrcset
	attrRel
	attrPing
	attrAttributionsrc
	attrDataRocketSrc
	attrDataRocketType
	attrDataLazySrc
	attrSrcdoc
	attrDataCrumbSrcdoc
	attrPoster
	attrImagesrcset
	attrBackground
	attrHttpEquiv
	attrContent
	attrAttributeName
	attrTo
	attrFrom
	attrBy
	attrValues
	numAttrIDs
)

var attrNames = [numAttrIDs]string{
	attrSrc: "src", attrHref: "href", attrXlinkHref: "xlink:href", attrType: "type",
	attrNonce: "nonce", attrData: "data", attrDataSrc: "data-src", attrDataType: "data-type",
	attrDataCrumbSrc: "data-crumb-src", attrDataCrumbType: "data-crumb-type",
	attrDataCrumbCategory: "data-crumb-category", attrDataConsent: "data-consent",
	attrDataCategory: "data-category", attrDataCookieconsent: "data-cookieconsent",
	attrWidth: "width", attrHeight: "height", attrStyle: "style", attrHidden: "hidden",
	attrSrcset: "srcset", attrRel: "rel", attrPing: "ping", attrAttributionsrc: "attributionsrc",
	attrDataRocketSrc: "data-rocket-src", attrDataRocketType: "data-rocket-type",
	attrDataLazySrc: "data-lazy-src", attrSrcdoc: "srcdoc", attrDataCrumbSrcdoc: "data-crumb-srcdoc",
	attrPoster: "poster", attrImagesrcset: "imagesrcset",
	attrBackground: "background", attrHttpEquiv: "http-equiv", attrContent: "content",
	attrAttributeName: "attributename", attrTo: "to", attrFrom: "from", attrBy: "by", attrValues: "values",
}

// urlAttr flags the attributes by which a byImageURL element is decided;
// the fast path leaves an element with one of them to the general path.
var urlAttr = [numAttrIDs]bool{
	attrSrc: true, attrSrcset: true, attrPoster: true, attrHref: true, attrXlinkHref: true,
	attrBackground: true, attrHttpEquiv: true, attrAttributeName: true,
}

func (id attrID) String() string { return attrNames[id] }

// lookupAttrID finds the id of an attribute name in any case: the one
// candidate of that length and first letter, then a comparison.
func lookupAttrID(name []byte) attrID {
	if len(name) < 2 {
		return attrOther
	}
	var id attrID
	c := name[0] | 0x20
	switch len(name) {
	case 2:
		switch c {
		case 't':
			id = attrTo
		case 'b':
			id = attrBy
		}
	case 3:
		switch c {
		case 's':
			id = attrSrc
		case 'r':
			id = attrRel
		}
	case 4:
		switch c {
		case 'h':
			id = attrHref
		case 't':
			id = attrType
		case 'd':
			id = attrData
		case 'p':
			id = attrPing
		case 'f':
			id = attrFrom
		}
	case 5:
		switch c {
		case 'n':
			id = attrNonce
		case 'w':
			id = attrWidth
		case 's':
			id = attrStyle
		}
	case 6:
		switch c {
		case 'h':
			if name[1]|0x20 == 'e' {
				id = attrHeight
			} else {
				id = attrHidden
			}
		case 's':
			if name[3]|0x20 == 's' {
				id = attrSrcset
			} else {
				id = attrSrcdoc
			}
		case 'p':
			id = attrPoster
		case 'v':
			id = attrValues
		}
	case 7:
		id = attrContent
	case 8:
		id = attrDataSrc
	case 9:
		id = attrDataType
	case 10:
		switch c {
		case 'x':
			id = attrXlinkHref
		case 'b':
			id = attrBackground
		case 'h':
			id = attrHttpEquiv
		}
	case 11:
		id = attrImagesrcset
	case 12:
		id = attrDataConsent
	case 13:
		switch name[5] | 0x20 {
		case 'l':
			id = attrDataLazySrc
		case 'b':
			id = attrAttributeName
		default:
			id = attrDataCategory
		}
	case 14:
		switch c {
		case 'd':
			id = attrDataCrumbSrc
		case 'a':
			id = attrAttributionsrc
		}
	case 15:
		if name[5]|0x20 == 'r' {
			id = attrDataRocketSrc
		} else {
			id = attrDataCrumbType
		}
	case 16:
		id = attrDataRocketType
	case 17:
		id = attrDataCrumbSrcdoc
	case 18:
		id = attrDataCookieconsent
	case 19:
		id = attrDataCrumbCategory
	}
	if id != attrOther && equalFoldLower(name, attrNames[id]) {
		return id
	}
	return attrOther
}

// indexAttrs names the attributes of tag, so that finding one is an array
// read rather than a comparison with every attribute.
func (r *Rewriter) indexAttrs(tag []byte) {
	r.first = [numAttrIDs]int32{}
	r.attrIDs = r.attrIDs[:0]
	for i := range r.attrs {
		a := &r.attrs[i]
		id := lookupAttrID(tag[a.nameStart:a.nameEnd])
		r.attrIDs = append(r.attrIDs, id)
		if id != attrOther && r.first[id] == 0 {
			r.first[id] = int32(i + 1)
		}
	}
}

// findAttr returns the index of the first attribute id of the tag last
// indexed, or -1. Browsers use the first of duplicate attributes.
func (r *Rewriter) findAttr(id attrID) int { return int(r.first[id]) - 1 }

// firstAttr returns the first present attribute among ids and which it is.
func (r *Rewriter) firstAttr(ids ...attrID) (int, attrID) {
	for _, id := range ids {
		if i := r.first[id]; i > 0 {
			return int(i) - 1, id
		}
	}
	return -1, attrOther
}

// rawValue is the undecoded value of attribute i, or nil.
func (r *Rewriter) rawValue(tag []byte, i int) []byte {
	if i < 0 || !r.attrs[i].hasValue() {
		return nil
	}
	a := &r.attrs[i]
	return tag[a.valStart:a.valEnd]
}

// dropAll marks every attribute id for removal.
func (r *Rewriter) dropAll(id attrID) {
	if r.first[id] == 0 {
		return
	}
	for i, a := range r.attrIDs {
		if a == id {
			r.dropAttr[i] = true
		}
	}
}

// appendAttr appends ` name="value"` where value is raw attribute text
// (character references stay as they are) or plain text without '&'.
func appendAttr(dst []byte, name string, value []byte) []byte {
	dst = append(dst, ' ')
	dst = append(dst, name...)
	dst = append(dst, '=', '"')
	for {
		i := bytes.IndexByte(value, '"')
		if i < 0 {
			break
		}
		dst = append(dst, value[:i]...)
		dst = append(dst, "&quot;"...)
		value = value[i+1:]
	}
	dst = append(dst, value...)
	return append(dst, '"')
}

func appendAttrString(dst []byte, name, value string) []byte {
	dst = append(dst, ' ')
	dst = append(dst, name...)
	dst = append(dst, '=', '"')
	dst = append(dst, value...)
	return append(dst, '"')
}
