package rewrite

import "github.com/crumbhq/crumb/classify"

// The parts of a Rewriter's state, one per concern. A tag's path through
// the rewriter reads them in this order: scan finds the tag, foreign says
// what the browser's parser would make of it there, planning holds its
// attributes and the rewrite being built, judging asks the catalog, held
// keeps an inline script until its body is judged, inserts and docBase
// remember what the document has shown so far, and output writes the
// result. Each part resets itself; the buffers it has grown are kept.

// config is what ResetOptions derives from the Options.
type config struct {
	opts      Options
	cat       *classify.Catalog
	policy    Policy
	maxTag    int
	maxScript int
	allowAll  bool // Policy allows every category and Decide is nil
}

// output is where the rewritten bytes go: see keep and emit.
type output struct {
	dst     []byte // dst of the current Transform call
	nDst    int
	kept    []byte // input passed through, not yet copied to dst[keptAt:]
	keptAt  int
	pending []byte // what did not fit in dst
}

func (o *output) reset() {
	o.dst, o.nDst = nil, 0
	o.kept, o.keptAt = nil, 0
	o.pending = o.pending[:0]
}

// scan is the tokenizer's state: the mode it reads the input in, the tag
// being read, and input offsets.
type scan struct {
	mode    scanMode
	rawName string // the element whose raw text is being read
	ss      scriptState
	cs      commentScan
	inTag   bool
	ts      tagScan
	skipID  tagID // the over-limit tag being passed through
	// skipDrop: the over-limit tag is dropped, not passed (tooLongLoads)
	skipDrop bool

	consumed  int64 // input bytes consumed by earlier Transform calls
	base      int64 // input offset of the current step's b[0]
	skipStart int64
}

func (s *scan) reset() {
	*s = scan{mode: modeData, ss: ssData, skipID: tagOther}
}

// foreign is where the tag sits for the browser's tree builder: in
// foreign content or a region read both as markup and as text (see
// foreign.go).
type foreign struct {
	inNoscript bool   // in a <noscript> read as HTML (also a dual region)
	dualEnd    string // in a dual region until "</dualEnd"
	fSVG       uint16 // open <svg> elements of the foreign content the scanner is in
	fMath      uint16 // open <math> elements
}

// planning is the tag being decided: its attributes, indexed, and the
// rewrite being built for it.
type planning struct {
	attrs    []htmlAttr
	attrIDs  []attrID          // by indexAttrs, for the tags it decides
	first    [numAttrIDs]int32 // index+1 of the first attribute of each id; 0 when absent
	dropAttr []bool
	out      []byte  // scratch for a rebuilt tag
	pre      []byte  // attributes to write after the tag name
	place    []byte  // markup to write before the tag
	el       Element // the element Decide is asked about
}

func (p *planning) reset() {
	p.attrs = p.attrs[:0]
	p.el = Element{}
}

// held is an inline script held back for classification; offsets are
// from its '<'.
type held struct {
	holding  bool
	holdBody int
	holdPos  int
	heldOpt  optIn
	// heldStyle: the element held is a <style>, judged by its URLs
	heldStyle bool
	// rescan: after judging the held script, read its body again as
	// markup (in foreign content and dual regions, where a browser may).
	rescan bool
}

// inserts says which insertions are still to be written, and the nonce
// they carry.
type inserts struct {
	headPending   bool // inside <head>, HeadStart not yet written
	headSeen      bool
	headStartDone bool
	headEndDone   bool
	bodyStartDone bool
	bodyEndDone   bool
	ended         bool
	nonce         []byte
	nonceSeen     bool
}

func (in *inserts) reset(opts *Options) {
	*in = inserts{
		headStartDone: len(opts.HeadStart) == 0,
		headEndDone:   len(opts.HeadEnd) == 0,
		bodyStartDone: len(opts.BodyStart) == 0,
		bodyEndDone:   len(opts.BodyEnd) == 0,
		nonce:         append(in.nonce[:0], opts.Nonce...),
		nonceSeen:     opts.Nonce != "",
	}
}

// docBase is the host of the document's first <base href>, which relative
// URLs reach.
type docBase struct {
	baseHost []byte
	baseSeen bool
}

func (d *docBase) reset() {
	d.baseHost = d.baseHost[:0]
	d.baseSeen = false
}

// judging is what asking the catalog about a URL needs: scratch for URLs
// and attribute values, what the last resolve found, the host memo, and
// the state of srcdoc documents being looked into.
type judging struct {
	urlBuf       []byte
	hostBuf      []byte
	setBuf       []byte // a srcset with its character references decoded
	valBuf       []byte // a keyword attribute with its references decoded
	cssBuf       []byte // CSS with refused URLs made about:invalid
	cssDec       []byte // one CSS URL with its escapes decoded
	hostFromBase bool   // the last resolve gave a relative URL the <base> host
	hostQuick    bool   // the last resolve read the host by quickHost
	memo         hostMemo
	srcdoc       srcdocState
}
