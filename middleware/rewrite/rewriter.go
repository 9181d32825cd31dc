package rewrite

import (
	"unsafe"

	"golang.org/x/text/transform"

	"github.com/crumbhq/crumb/classify"
)

// Rewriter is a streaming HTML rewriter that keeps tracking the visitor
// has not allowed from reaching the browser in executable form. It is a
// transform.Transformer: text passes through as soon as it is seen, and only
// an unfinished tag (up to MaxTag bytes) or an inline script being classified
// (up to MaxScript bytes) is held back. It starts no goroutine and, once its
// buffers have grown, allocates nothing per response. An Rewriter is not
// safe for concurrent use; keep one per response, or pool them and call
// ResetOptions.
//
// For every element it recognises it chooses an Action from the catalog and
// the Policy, lets Options.Decide override it, and applies it. When
// everything is kept and nothing is inserted, the output is the input, byte
// for byte.
//
// # Blocked markup
//
// A blocked element keeps all its attributes except those named below, so
// the banner's script can bring it back without a reload:
//
//	<script type="text/plain" data-crumb-category="analytics" data-crumb-src="https://…" async>
//
// is a script that had src="https://…" (or href, in SVG). Its original type,
// if it had one, is in data-crumb-type; without data-crumb-src it is an
// inline script whose body is unchanged. To re-activate it, create a new
// script element with the same attributes minus the data-crumb-* ones, type
// set from data-crumb-type (or none) and src from data-crumb-src, and put it
// in place of the old one.
//
//	<span class="crumb-placeholder" role="note" data-crumb-category="social" data-crumb-host="www.youtube.com">…</span><iframe data-crumb-category="social" data-crumb-src="https://…" width="560" …></iframe>
//
// is a frame (iframe, frame, embed) that had src="https://…" (an <object>
// had data="https://…", kept in data-crumb-data), preceded by a placeholder
// that names the host and the category. An iframe's srcdoc, which wins over
// its src, is kept in data-crumb-srcdoc (an iframe whose srcdoc loads a
// refused tracker is blocked for it, without data-crumb-src if it had no
// src). To re-activate it, set src from data-crumb-src and srcdoc from
// data-crumb-srcdoc, and remove the placeholder just before it. Outside
// HTML content (inside <svg> or <math>) no placeholder is written.
//
// URLs that a lazy loader moves to src later count as src: a script's
// data-rocket-src or data-src (WP Rocket, LiteSpeed Cache), a frame's
// data-lazy-src, data-rocket-src or data-src (lazysizes and most others).
// Such a URL is kept in data-crumb-src too, and a delayed script's
// data-crumb-type is the type its loader would have given it.
//
// Tracking pixels (<img>, <input type=image> and hidden frames that
// classify.Catalog.Beacon calls beacons), resource hints to tracker hosts
// (a preload's imagesrcset counts), and ping or attributionsrc attributes
// that reach trackers are removed, not blocked: there is nothing a visitor
// would miss.
//
// An image URL outside src is judged as src is: the candidates of an
// <img>'s or a <picture> <source>'s srcset, and a <video>'s poster. One
// refused URL moves the attribute, and only it, to data-crumb-srcset or
// data-crumb-poster, with a data-crumb-category on the element; to
// re-activate it, move it back. Media and other loaders are treated the
// same way: a refused src of <video>, <audio>, <source> or <track> moves
// to data-crumb-src, a background attribute to data-crumb-background, an
// SVG loader's href or xlink:href to data-crumb-href. A style attribute
// with a refused url(), @import or image-set() URL keeps its CSS with that
// URL made about:invalid, its original in data-crumb-style. What cannot be
// put back usefully is removed or rewritten for good: a refresh, an SVG
// animation of href, a URL in a <style> element.
//
// # Opt-in markup
//
// Markup a site wrote to load only with consent is activated on the server
// when its category is allowed, and left inert otherwise:
//
//	<script type="text/plain" data-consent="analytics" src="…">
//	<script type="text/plain" data-category="analytics" data-src="…">   (cookieconsent)
//	<script type="text/plain" data-cookieconsent="statistics">          (Cookiebot)
//	<iframe data-category="social" data-src="…">
//
// Activation sets type back from data-type or data-crumb-type (or removes
// it) and moves data-src or data-crumb-src to src. A category written
// "!analytics" (cookieconsent's convention) activates when analytics is
// refused. The rewriter's own blocked markup is opt-in markup too, so a page
// rewritten twice comes out right. Category names are crumb's (necessary,
// preferences, analytics, marketing, social) plus common synonyms
// (statistics, performance, functional, advertising, targeting, media).
type Rewriter struct {
	config   // what ResetOptions set: the same for every document
	output   // where the output goes: dst, the kept run, pending
	scan     // the tokenizer: where in the markup the input is
	foreign  // <svg>, <math>, <noscript> and dual regions around the tag
	planning // the tag being decided: its attributes and what to write
	held     // an inline script held back for classification
	inserts  // HeadStart, BodyStart...: which are written, and the nonce
	docBase  // the document's <base href>
	judging  // URL scratch and the host memo, to ask the catalog

	// drop is the element whose content and end tag are being removed.
	drop tagID

	// onTag, set by tests only, sees the input offsets of every tag and
	// comment, to compare them with x/net/html's Tokenizer.
	onTag  func(start, end int64)
	noFast bool // set by tests only: the general path alone, to compare with
}

// New returns a rewriter configured with opts.
func New(opts Options) *Rewriter {
	r := &Rewriter{}
	r.ResetOptions(opts)
	return r
}

// ResetOptions prepares r for a new response with new options, keeping the
// buffers it has grown. It does not allocate.
func (r *Rewriter) ResetOptions(opts Options) {
	r.opts = opts
	r.srcdoc.forget()
	cat := opts.Catalog
	if cat == nil {
		cat = classify.Builtin()
	}
	if cat != r.cat {
		r.memo.reset()
		r.cat = cat
	}
	r.policy = opts.Policy
	if r.policy == nil {
		r.policy = strictPolicy{}
	}
	r.maxTag = opts.MaxTag
	if r.maxTag <= 0 {
		r.maxTag = DefaultMaxTag
	}
	r.maxScript = opts.MaxScript
	if r.maxScript <= 0 {
		r.maxScript = DefaultMaxScript
	}
	r.allowAll = opts.Decide == nil
	for c := classify.Unknown; c <= classify.Social && r.allowAll; c++ {
		r.allowAll = r.policy.Allowed(c)
	}
	r.Reset()
}

// Reset implements transform.Transformer: it starts a new document with the
// same options.
func (r *Rewriter) Reset() {
	r.output.reset()
	r.scan.reset()
	r.foreign = foreign{}
	r.held = held{}
	r.planning.reset()
	r.inserts.reset(&r.opts)
	r.docBase.reset()
	r.drop = tagOther
}

// Transform implements transform.Transformer.
func (r *Rewriter) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	r.dst, r.nDst = dst, 0
	defer func() {
		r.copyKept() // before the caller reads dst
		r.dst = nil
	}()
	if !r.flush() {
		return r.nDst, 0, transform.ErrShortDst
	}
	p := 0
	defer func() { r.consumed += int64(nSrc) }()
	for p < len(src) {
		r.base = r.consumed + int64(p)
		n, st := r.step(src[p:], atEOF)
		p += n
		if len(r.pending) > 0 || st == stepFull {
			return r.nDst, p, transform.ErrShortDst
		}
		if st == stepMore {
			return r.nDst, p, transform.ErrShortSrc
		}
	}
	if atEOF && !r.ended {
		r.ended = true
		if r.mode == modeComment && r.onTag != nil {
			r.onTag(r.skipStart, r.consumed+int64(p)) // x/net/html ends a comment at EOF too
		}
		r.insertRest()
		if !r.flush() {
			return r.nDst, p, transform.ErrShortDst
		}
	}
	return r.nDst, p, nil
}

// flush moves pending output into dst and reports whether all of it fit.
func (r *Rewriter) flush() bool {
	if len(r.pending) == 0 {
		return true
	}
	n := copy(r.dst[r.nDst:], r.pending)
	r.nDst += n
	if n < len(r.pending) {
		r.pending = r.pending[:copy(r.pending, r.pending[n:])]
		return false
	}
	r.pending = r.pending[:0]
	return true
}

// Output is written three ways. Bytes of the input that pass through
// unchanged (text and most tags) are only recorded: kept is a run of the
// input whose place in dst, dst[keptAt:nDst], is reserved but not yet
// filled, and a run that goes on where the last one ended grows it. Most
// of a page is one run, copied once when it is broken or when Transform
// returns, rather than once per text and tag. Anything else (rebuilt tags,
// insertions) is copied to dst at once, after the reserved run. What does
// not fit in dst waits in pending.

// copyKept fills the reserved run of dst from the input.
func (r *Rewriter) copyKept() {
	if len(r.kept) > 0 {
		copy(r.dst[r.keptAt:], r.kept)
	}
	r.kept = nil
}

// keep passes input bytes b, which fit in dst, through unchanged.
func (r *Rewriter) keep(b []byte) {
	if len(b) == 0 {
		return
	}
	k := len(r.kept)
	// b continues the run when nothing was written to dst since and b
	// starts where the run ends, in the same array (the capacity check
	// keeps an adjacent allocation out).
	if k > 0 && r.keptAt+k == r.nDst && k+len(b) <= cap(r.kept) &&
		uintptr(unsafe.Pointer(unsafe.SliceData(r.kept)))+uintptr(k) == uintptr(unsafe.Pointer(unsafe.SliceData(b))) {
		r.kept = r.kept[:k+len(b)]
	} else {
		r.copyKept()
		r.kept, r.keptAt = b, r.nDst
	}
	r.nDst += len(b)
}

// emit writes input bytes b to dst, or to pending once dst is full;
// Transform then stops at the end of the current construct, so pending
// holds at most one construct's output. b must be part of the src of the
// current Transform call: see emitCopy for anything else.
func (r *Rewriter) emit(b []byte) {
	if r.drop != tagOther {
		return
	}
	if len(r.pending) == 0 {
		n := min(len(b), len(r.dst)-r.nDst)
		r.keep(b[:n])
		b = b[n:]
	}
	if len(b) > 0 {
		r.pending = append(r.pending, b...)
	}
}

// emitCopy is emit for bytes that are not input: rebuilt tags, scratch
// buffers, constants.
func (r *Rewriter) emitCopy(b []byte) {
	if r.drop != tagOther {
		return
	}
	r.emitAlways(b)
}

// emitAlways is emitCopy even inside a dropped element, for insertions.
func (r *Rewriter) emitAlways(b []byte) {
	if len(r.pending) == 0 {
		n := copy(r.dst[r.nDst:], b)
		r.nDst += n
		b = b[n:]
	}
	if len(b) > 0 {
		r.pending = append(r.pending, b...)
	}
}

// text passes as much of input b through as fits in dst and returns how
// much it took. Text is never queued: the caller resumes after the part
// that fit.
func (r *Rewriter) text(b []byte) int {
	if r.drop != tagOther {
		return len(b)
	}
	if len(r.pending) > 0 {
		return 0
	}
	n := min(len(b), len(r.dst)-r.nDst)
	r.keep(b[:n])
	return n
}

// room is how many bytes of text can be copied now.
func (r *Rewriter) room() int {
	if r.drop != tagOther {
		return 1 << 30
	}
	if len(r.pending) > 0 {
		return 0
	}
	return len(r.dst) - r.nDst
}

func textStatus(n, want int) (int, stepStatus) {
	if n < want {
		return n, stepFull
	}
	return n, stepOK
}

func (r *Rewriter) event(e Event) {
	if r.opts.Event != nil {
		r.opts.Event(e)
	}
}
