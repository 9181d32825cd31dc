package consent

import (
	"sync"

	"github.com/crumbhq/crumb/middleware/rewrite"
)

// htmlJob is what rewriting one HTML response needs besides the
// requestState: the rewriter, the callbacks it is given, the placeholders'
// state and the buffers the banner and the Consent Mode default are
// rendered into. It is pooled, so a page costs no allocation for any of
// them; the callbacks are bound once, when the job is made, and reach the
// request through j.rs. Only the requestState holds a job, from its
// Commit to the end of the response (release), and the rewriter that
// reads the buffers is reset with it, so nothing of one response is
// visible to the next.
type htmlJob struct {
	rs *requestState
	rw *rewrite.Rewriter
	ph embedPlaceholders

	event  func(rewrite.Event)
	decide func(*rewrite.Element, rewrite.Action) rewrite.Action
	place  func([]byte, *rewrite.Element) []byte

	head, body appendBuf // rendered injections, reused
}

// maxJobBuffer bounds what a pooled job keeps of its buffers: a banner is a
// few KiB; a buffer grown past this by an unusual rendering is dropped.
const maxJobBuffer = 32 << 10

var htmlJobPool = sync.Pool{New: func() any { return newHTMLJob() }}

func newHTMLJob() *htmlJob {
	j := &htmlJob{rw: rewrite.New(rewrite.Options{})}
	j.event = func(e rewrite.Event) { j.rs.htmlEvent(e) }
	j.decide = func(e *rewrite.Element, def rewrite.Action) rewrite.Action { return j.rs.decideElement(e, def) }
	j.place = j.ph.render
	return j
}

// release forgets the response, keeping the buffers for the next one. The
// rewriter keeps its catalog: changing it empties the rewriter's memo of
// host lookups, which each response would then pay for twice.
func (j *htmlJob) release() {
	j.rw.ResetOptions(rewrite.Options{Catalog: j.rs.m.htmlCatalog})
	j.rs = nil
	j.ph = embedPlaceholders{}
	if cap(j.head) > maxJobBuffer {
		j.head = nil
	}
	if cap(j.body) > maxJobBuffer {
		j.body = nil
	}
	j.head, j.body = j.head[:0], j.body[:0]
}

// appendBuf is an io.Writer that appends to a byte slice, for renderers
// that write to an io.Writer.
type appendBuf []byte

func (b *appendBuf) Write(p []byte) (int, error) {
	*b = append(*b, p...)
	return len(p), nil
}

func (b *appendBuf) WriteString(s string) (int, error) {
	*b = append(*b, s...)
	return len(s), nil
}
