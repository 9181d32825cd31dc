package middleware

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"golang.org/x/text/transform"
)

// icptHoldAll consumes nothing until EOF, like a rewriter waiting for the end
// of a very long tag.
type icptHoldAll struct{ transform.NopResetter }

func (icptHoldAll) Transform(dst, src []byte, atEOF bool) (int, int, error) {
	if !atEOF {
		return 0, 0, transform.ErrShortSrc
	}
	n := copy(dst, src)
	if n < len(src) {
		return n, n, transform.ErrShortDst
	}
	return n, n, nil
}

// icptExpand writes every byte ten times, so output outgrows any buffer.
type icptExpand struct{ transform.NopResetter }

func (icptExpand) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		if len(dst)-nDst < 10 {
			return nDst, nSrc, transform.ErrShortDst
		}
		for range 10 {
			dst[nDst] = src[nSrc]
			nDst++
		}
		nSrc++
	}
	return nDst, nSrc, nil
}

var icptInputs = []string{
	"",
	"world",
	"hello world, wor",
	"wwworldworlwoworld",
	strings.Repeat("the world is wide ", 600),
}

func icptTransformers() map[string]func() transform.Transformer {
	return map[string]func() transform.Transformer{
		"replace": icptReplacer("world", "everyone!"),
		"shrink":  icptReplacer("world", ""),
		"expand":  func() transform.Transformer { return icptExpand{} },
		"hold":    func() transform.Transformer { return icptHoldAll{} },
		"nop":     func() transform.Transformer { return transform.Nop },
	}
}

// The output must not depend on how the input is split across writes.
func TestTransformWriterSplitInvariance(t *testing.T) {
	for name, mk := range icptTransformers() {
		for _, in := range icptInputs {
			want, _, err := transform.String(mk(), in)
			if err != nil {
				t.Fatalf("%s: reference: %v", name, err)
			}
			step := 1
			if len(in) > 64 {
				step = 331
			}
			for i := 0; i <= len(in); i += step {
				for j := i; j <= len(in); j += step {
					var out bytes.Buffer
					var tw transformWriter
					tw.init(&out, mk(), 0)
					for _, part := range []string{in[:i], in[i:j], in[j:]} {
						if n, err := tw.Write([]byte(part)); err != nil || n != len(part) {
							t.Fatalf("%s %q split %d,%d: Write = %d, %v", name, in, i, j, n, err)
						}
					}
					if err := tw.close(); err != nil {
						t.Fatalf("%s split %d,%d: close: %v", name, i, j, err)
					}
					if out.String() != want {
						t.Fatalf("%s %.30q split %d,%d: got %.60q, want %.60q", name, in, i, j, out.String(), want)
					}
				}
			}
		}
	}
}

// A transformer may hold back more than transform.Writer's fixed 4 KiB, up to
// MaxPending; beyond it the stream fails clearly instead of looping.
func TestTransformWriterPendingLimit(t *testing.T) {
	in := bytes.Repeat([]byte("x"), 6000)

	// transform.Writer gives up on this input.
	tw0 := transform.NewWriter(io.Discard, icptHoldAll{})
	_, err0 := tw0.Write(in)
	if err0 == nil {
		err0 = tw0.Close()
	}
	if err0 == nil {
		t.Log("note: transform.Writer accepted a 6000-byte hold")
	}

	var out bytes.Buffer
	var tw transformWriter
	tw.init(&out, icptHoldAll{}, 8<<10)
	if _, err := tw.Write(in); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := tw.close(); err != nil || !bytes.Equal(out.Bytes(), in) {
		t.Fatalf("close: %v, %d bytes out", err, out.Len())
	}

	tw.init(io.Discard, icptHoldAll{}, 8<<10)
	_, err := tw.Write(in)
	if err == nil {
		_, err = tw.Write(in)
	}
	if !errors.Is(err, ErrTransformStalled) {
		t.Fatalf("over the limit: %v, want ErrTransformStalled", err)
	}
	if _, err := tw.Write([]byte("more")); !errors.Is(err, ErrTransformStalled) {
		t.Errorf("error not sticky: %v", err)
	}
	tw.release()
}

// The reader side gives the same output as transform.String whatever the
// read sizes of the source and of the caller.
func TestTransformReader(t *testing.T) {
	readers := map[string]func(io.Reader) io.Reader{
		"whole":    func(r io.Reader) io.Reader { return r },
		"one byte": iotest.OneByteReader,
		"half":     iotest.HalfReader,
		"data+EOF": iotest.DataErrReader,
	}
	for name, mk := range icptTransformers() {
		for _, in := range icptInputs {
			want, _, _ := transform.String(mk(), in)
			for rname, wrap := range readers {
				tr := newTransformReader(io.NopCloser(wrap(strings.NewReader(in))), mk(), 0)
				got, err := io.ReadAll(iotest.OneByteReader(tr))
				if err != nil || string(got) != want {
					t.Fatalf("%s/%s %.30q: got %.60q, %v; want %.60q", name, rname, in, got, err, want)
				}
				if err := tr.Close(); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

func TestTransformReaderErrors(t *testing.T) {
	tr := newTransformReader(io.NopCloser(strings.NewReader(strings.Repeat("x", 10000))), icptHoldAll{}, 4096)
	if _, err := io.ReadAll(tr); !errors.Is(err, ErrTransformStalled) {
		t.Errorf("over the limit: %v", err)
	}
	tr.Close()

	boom := errors.New("upstream broke")
	tr = newTransformReader(io.NopCloser(iotest.ErrReader(boom)), transform.Nop, 0)
	if _, err := io.ReadAll(tr); !errors.Is(err, boom) {
		t.Errorf("upstream error: %v", err)
	}
	tr.Close()
	if _, err := tr.Read(make([]byte, 4)); err == nil {
		t.Error("Read after Close succeeded")
	}
}

// icptCountingWriter counts the writes it gets.
type icptCountingWriter struct {
	bytes.Buffer
	writes int
}

func (w *icptCountingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}

// Output is collected and written outSize bytes at a time (or at close), so
// a page written in small pieces reaches the inner writer, and net/http's
// chunking, in as few writes as if the handler had written it whole.
func TestTransformWriterCollectsOutput(t *testing.T) {
	for _, size := range []int{30 << 10, 100 << 10} {
		in := bytes.Repeat([]byte("abcdefgh"), size/8)
		var out icptCountingWriter
		var tw transformWriter
		tw.init(&out, icptUpper{}, 0)
		for p := in; len(p) > 0; {
			n := min(len(p), 4096)
			if _, err := tw.Write(p[:n]); err != nil {
				t.Fatal(err)
			}
			p = p[n:]
		}
		beforeClose := out.writes
		if err := tw.close(); err != nil {
			t.Fatal(err)
		}
		if want := (size + outSize - 1) / outSize; out.writes != want || beforeClose != want-1 {
			t.Errorf("%d bytes: %d writes (%d before close), want %d (%d)", size, out.writes, beforeClose, want, want-1)
		}
		if !bytes.Equal(out.Bytes(), bytes.ToUpper(in)) {
			t.Errorf("%d bytes: output differs", size)
		}
	}
}

// A Flush still sends what was transformed so far: the client reads it
// while the handler waits.
func TestInterceptFlushSendsCollectedOutput(t *testing.T) {
	hooks := &icptHooks{body: icptHTML(func() transform.Transformer { return icptUpper{} }, "v")}
	read := make(chan struct{})
	srv := icptServer(t, hooks, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<p>first</p>")
		w.(http.Flusher).Flush()
		select {
		case <-read:
		case <-time.After(5 * time.Second):
		}
		io.WriteString(w, "<p>second</p>")
	})
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	first := make([]byte, len("<P>FIRST</P>"))
	if _, err := io.ReadFull(res.Body, first); err != nil || string(first) != "<P>FIRST</P>" {
		t.Fatalf("before the handler went on: %q, %v", first, err)
	}
	close(read)
	rest, _ := io.ReadAll(res.Body)
	if string(rest) != "<P>SECOND</P>" {
		t.Errorf("rest %q", rest)
	}
}
