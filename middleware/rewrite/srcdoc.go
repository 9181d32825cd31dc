package rewrite

import (
	"golang.org/x/text/transform"

	"github.com/crumbhq/crumb/classify"
)

// An <iframe srcdoc> shows the document in srcdoc whatever its src, in the
// page's own origin and with the page's base URL. A blocked frame loses it
// (kept in data-crumb-srcdoc for re-activation); a frame whose srcdoc loads
// a refused tracker is blocked for that. What srcdoc loads is found by
// rewriting it with a second rewriter, kept for the next frame, and seeing
// whether that one changes anything.

// maxSrcdocDepth bounds the srcdoc inside srcdoc the rewriter looks into;
// one deeper is taken for refused.
const maxSrcdocDepth = 3

// srcdocState is what a rewriter keeps to look into srcdoc documents.
type srcdocState struct {
	depth   int       // how deep in srcdoc documents this rewriter reads
	sub     *Rewriter // reads the srcdoc documents of this one's frames
	doc     []byte    // the decoded srcdoc
	dst     []byte    // discarded output of sub
	event   func(Event)
	refused bool // an element was blocked or removed by this rewriter as sub
	cat     classify.Category
}

// srcdocRefused reports whether the document in attribute j of tag loads
// something refused, and the category of the first such thing.
func (r *Rewriter) srcdocRefused(tag []byte, j int) (classify.Category, bool) {
	if r.srcdoc.depth+1 >= maxSrcdocDepth {
		return classify.Unknown, true
	}
	sd := &r.srcdoc
	sd.doc = appendUnescaped(sd.doc[:0], r.rawValue(tag, j))
	if sd.sub == nil {
		sub := &Rewriter{}
		sub.srcdoc.depth = sd.depth + 1
		sub.srcdoc.event = func(e Event) {
			if e.Kind == ElementChanged && (e.Action == ActionBlock || e.Action == ActionRemove) && !sub.srcdoc.refused {
				sub.srcdoc.refused, sub.srcdoc.cat = true, e.Category
			}
		}
		sd.sub = sub
		sd.dst = make([]byte, 4<<10)
	}
	sub := sd.sub
	o := r.opts
	o.HeadStart, o.HeadEnd, o.BodyStart, o.BodyEnd, o.Placeholder = nil, nil, nil, nil, nil
	o.Event = sub.srcdoc.event
	o.Catalog = r.cat
	sub.ResetOptions(o)
	sub.srcdoc.refused = false
	sub.baseHost = append(sub.baseHost[:0], r.baseHost...)
	src := sd.doc
	for {
		_, n, err := sub.Transform(sd.dst, src, true)
		src = src[n:]
		if err != transform.ErrShortDst {
			break
		}
	}
	return sub.srcdoc.cat, sub.srcdoc.refused
}

// forget drops the options the srcdoc rewriters were last given, so that a
// pooled rewriter keeps nothing of the response it served (a Policy holding
// a request, a Decide closure, a nonce).
func (s *srcdocState) forget() {
	for sub := s.sub; sub != nil; sub = sub.srcdoc.sub {
		sub.opts = Options{Catalog: sub.cat}
		sub.policy = strictPolicy{}
	}
}
