package middleware

import (
	"io"
	"sync"

	"golang.org/x/text/transform"
)

// transform.Writer and transform.Reader carry at most 4 KiB of unconsumed
// input, fail when a transformer makes no progress within it, and allocate
// 8 KiB each. A streaming HTML rewriter legitimately holds back an unfinished
// tag that can be longer than that, and we serve many small responses, so we
// drive the Transformer ourselves with pooled buffers that grow up to a
// configurable bound.

const (
	bufSize           = 4 << 10
	outSize           = 32 << 10
	defaultMaxPending = 64 << 10
)

// bufPool holds bufSize-byte buffers; grown buffers are left to the GC so the
// pool stays uniform.
var bufPool = sync.Pool{New: func() any {
	b := make([]byte, bufSize)
	return &b
}}

// outPool holds the outSize-byte output buffers of transformWriters. Output
// is collected there and written when it is full (or flushed, or done), so
// that a transformed page reaches the inner writer in as few writes as the
// handler's own: 4 KiB at a time, net/http sends every write as a chunk of
// its own, each a write system call.
var outPool = sync.Pool{New: func() any {
	b := make([]byte, outSize)
	return &b
}}

func getOut() *[]byte { return outPool.Get().(*[]byte) }

func putOut(b *[]byte) {
	if b != nil && cap(*b) == outSize {
		*b = (*b)[:outSize]
		outPool.Put(b)
	}
}

// twPool holds transformWriters, so that the interceptor, which most
// responses pass through untransformed, does not carry one inline.
var twPool = sync.Pool{New: func() any { return new(transformWriter) }}

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

func putBuf(b *[]byte) {
	if b != nil && cap(*b) == bufSize {
		*b = (*b)[:bufSize]
		bufPool.Put(b)
	}
}

// grow returns a buffer holding b's first keep bytes with room for at least
// need bytes, or false when need exceeds limit.
func grow(b *[]byte, keep, need, limit int) (*[]byte, bool) {
	if need <= len(*b) {
		return b, true
	}
	if need > limit {
		return b, false
	}
	size := 2 * len(*b)
	for size < need {
		size *= 2
	}
	size = min(size, limit)
	nb := make([]byte, size)
	copy(nb, (*b)[:keep])
	putBuf(b)
	return &nb, true
}

// transformWriter feeds written bytes through a Transformer and collects
// the output in dst, writing it to w when the Transformer cannot go on
// without more room, on flush and on close. It keeps only the input tail
// the Transformer could not consume yet. The zero value is unused; init
// starts a stream and close or release ends it.
type transformWriter struct {
	w       io.Writer
	t       transform.Transformer
	dst     *[]byte // dst[:nd] is output not written yet
	nd      int
	src     *[]byte // src[:pending] is input waiting for more
	pending int
	max     int
	err     error
}

func (tw *transformWriter) init(w io.Writer, t transform.Transformer, maxPending int) {
	if maxPending <= 0 {
		maxPending = defaultMaxPending
	}
	*tw = transformWriter{w: w, t: t, dst: getOut(), max: max(maxPending, bufSize)}
}

// flush writes the collected output.
func (tw *transformWriter) flush() error {
	if tw.err != nil {
		return tw.err
	}
	if tw.nd == 0 {
		return nil
	}
	n := tw.nd
	tw.nd = 0
	if _, err := tw.w.Write((*tw.dst)[:n]); err != nil {
		tw.err = err
		return err
	}
	return nil
}

// feed transforms src, collecting what comes out, and returns how much of
// src was consumed. A tail left by ErrShortSrc is the caller's to keep.
func (tw *transformWriter) feed(src []byte, atEOF bool) (int, error) {
	consumed := 0
	for {
		nDst, nSrc, err := tw.t.Transform((*tw.dst)[tw.nd:], src[consumed:], atEOF)
		consumed += nSrc
		tw.nd += nDst
		switch err {
		case nil:
			if consumed == len(src) {
				return consumed, nil
			}
			if nDst == 0 && nSrc == 0 {
				return consumed, ErrTransformStalled
			}
		case transform.ErrShortDst:
			if nDst == 0 && nSrc == 0 {
				if tw.nd > 0 {
					// The buffer is full: send it and go on.
					if err := tw.flush(); err != nil {
						return consumed, err
					}
					continue
				}
				// Not even one unit of output fits: give it more room,
				// up to the pending limit.
				var ok bool
				if tw.dst, ok = grow(tw.dst, 0, len(*tw.dst)+1, tw.max); !ok {
					return consumed, ErrTransformStalled
				}
			}
		case transform.ErrShortSrc:
			if atEOF {
				return consumed, io.ErrUnexpectedEOF
			}
			return consumed, nil
		default:
			return consumed, err
		}
	}
}

// Write transforms p. It reports len(p) when every byte was either
// transformed or kept as pending input.
func (tw *transformWriter) Write(p []byte) (int, error) {
	if tw.err != nil {
		return 0, tw.err
	}
	n := 0
	for n < len(p) {
		if tw.pending == 0 {
			// Fast path: transform straight from p, copy only the tail.
			m, err := tw.feed(p[n:], false)
			n += m
			if err != nil {
				tw.err = err
				return n, err
			}
			if tail := p[n:]; len(tail) > 0 {
				if err := tw.hold(tail); err != nil {
					tw.err = err
					return n, err
				}
			}
			return len(p), nil
		}
		// Top the pending tail up with as much of p as fits and retry.
		if tw.pending == len(*tw.src) {
			var ok bool
			if tw.src, ok = grow(tw.src, tw.pending, tw.pending+1, tw.max); !ok {
				tw.err = ErrTransformStalled
				return n, tw.err
			}
		}
		buf := *tw.src
		k := copy(buf[tw.pending:], p[n:])
		tw.pending += k
		n += k
		m, err := tw.feed(buf[:tw.pending], false)
		if err != nil {
			tw.err = err
			return n, err
		}
		tw.pending = copy(buf, buf[m:tw.pending])
	}
	return n, nil
}

func (tw *transformWriter) hold(tail []byte) error {
	if tw.src == nil {
		tw.src = getBuf()
	}
	var ok bool
	if tw.src, ok = grow(tw.src, 0, len(tail), tw.max); !ok {
		return ErrTransformStalled
	}
	tw.pending = copy(*tw.src, tail)
	return nil
}

// close transforms the pending input with atEOF set, writes the output
// and releases the buffers.
func (tw *transformWriter) close() error {
	err := tw.err
	if err == nil {
		var src []byte
		if tw.src != nil {
			src = (*tw.src)[:tw.pending]
		}
		var m int
		m, err = tw.feed(src, true)
		if err == nil && m < len(src) {
			err = ErrTransformStalled
		}
		if err == nil {
			err = tw.flush()
		}
	}
	tw.release()
	return err
}

// release returns the buffers without finishing the stream; collected
// output is dropped.
func (tw *transformWriter) release() {
	putOut(tw.dst)
	putBuf(tw.src)
	*tw = transformWriter{}
}

// transformReader is the read-side twin of transformWriter, for bodies we do
// not write ourselves (httputil.ReverseProxy responses).
type transformReader struct {
	r      io.Reader
	c      io.Closer
	t      transform.Transformer
	src    *[]byte
	s0, s1 int // unconsumed input is src[s0:s1]
	dst    *[]byte
	d0, d1 int // undelivered output is dst[d0:d1]
	max    int
	eof    bool // r is exhausted
	err    error
}

func newTransformReader(rc io.ReadCloser, t transform.Transformer, maxPending int) *transformReader {
	if maxPending <= 0 {
		maxPending = defaultMaxPending
	}
	return &transformReader{r: rc, c: rc, t: t, src: getBuf(), dst: getBuf(), max: max(maxPending, bufSize)}
}

func (tr *transformReader) Read(p []byte) (int, error) {
	for {
		if tr.d0 < tr.d1 {
			n := copy(p, (*tr.dst)[tr.d0:tr.d1])
			tr.d0 += n
			return n, nil
		}
		if tr.err != nil {
			return 0, tr.err
		}
		if tr.s0 < tr.s1 || tr.eof {
			nDst, nSrc, err := tr.t.Transform(*tr.dst, (*tr.src)[tr.s0:tr.s1], tr.eof)
			tr.s0 += nSrc
			tr.d0, tr.d1 = 0, nDst
			switch err {
			case nil:
				if tr.eof && tr.s0 == tr.s1 {
					tr.err = io.EOF
				}
			case transform.ErrShortDst:
				if nDst == 0 && nSrc == 0 {
					var ok bool
					if tr.dst, ok = grow(tr.dst, 0, 2*len(*tr.dst), tr.max); !ok {
						tr.err = ErrTransformStalled
					}
				}
				continue
			case transform.ErrShortSrc:
				if tr.eof {
					tr.err = io.ErrUnexpectedEOF
				}
			default:
				tr.err = err
			}
			if nDst > 0 || tr.err != nil || (err == nil && tr.s0 < tr.s1 && nSrc > 0) {
				continue
			}
		}
		if tr.eof {
			// Transform consumed nothing at EOF and produced nothing.
			tr.err = ErrTransformStalled
			continue
		}
		tr.fill()
	}
}

// fill reads more input, compacting and growing the buffer as needed.
func (tr *transformReader) fill() {
	if tr.s0 > 0 {
		tr.s1 = copy(*tr.src, (*tr.src)[tr.s0:tr.s1])
		tr.s0 = 0
	}
	if tr.s1 == len(*tr.src) {
		var ok bool
		if tr.src, ok = grow(tr.src, tr.s1, tr.s1+1, tr.max); !ok {
			tr.err = ErrTransformStalled
			return
		}
	}
	n, err := tr.r.Read((*tr.src)[tr.s1:])
	tr.s1 += n
	if err == io.EOF {
		tr.eof = true
	} else if err != nil {
		tr.err = err
	}
}

func (tr *transformReader) Close() error {
	putBuf(tr.src)
	putBuf(tr.dst)
	tr.src, tr.dst = nil, nil
	tr.d0, tr.d1 = 0, 0
	if tr.err == nil {
		tr.err = io.ErrClosedPipe
	}
	return tr.c.Close()
}
