package middleware

import (
	"bufio"
	"net"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Writer shapes for capabilities: each embeds a base writer and adds one
// optional method, so every combination is a distinct dynamic type.
type (
	capsBase           struct{ h http.Header }
	capsFlush          struct{ capsBase }
	capsFlushErr       struct{ capsBase }
	capsHijack         struct{ capsBase }
	capsFlushErrHijack struct{ capsHijack }
	capsFlushHijack    struct{ capsHijack }
	capsUnwrap         struct {
		capsBase
		inner http.ResponseWriter
	}
	capsFlushUnwrap  struct{ capsUnwrap }
	capsHijackUnwrap struct{ capsUnwrap }
)

func (w capsBase) Header() http.Header           { return w.h }
func (capsBase) Write(p []byte) (int, error)     { return len(p), nil }
func (capsBase) WriteHeader(int)                 {}
func (capsFlush) Flush()                         {}
func (capsFlushErr) FlushError() error           { return nil }
func (capsFlushErrHijack) FlushError() error     { return nil }
func (capsFlushHijack) Flush()                   {}
func (capsFlushUnwrap) Flush()                   {}
func (w capsUnwrap) Unwrap() http.ResponseWriter { return w.inner }
func (capsHijack) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return nil, nil, http.ErrNotSupported
}
func (capsHijackUnwrap) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return nil, nil, http.ErrNotSupported
}

// capsCycle unwraps to itself forever.
type capsCycle struct{ capsBase }

func (w *capsCycle) Unwrap() http.ResponseWriter { return w }

func TestCapabilities(t *testing.T) {
	type caps struct{ Flush, Hijack bool }
	unwrap := func(w http.ResponseWriter) capsUnwrap { return capsUnwrap{inner: w} }
	for _, tt := range []struct {
		name string
		w    http.ResponseWriter
		want caps
	}{
		{"bare", capsBase{}, caps{}},
		{"Flush", capsFlush{}, caps{Flush: true}},
		{"FlushError", capsFlushErr{}, caps{Flush: true}},
		{"Hijack", capsHijack{}, caps{Hijack: true}},
		{"Flush+Hijack", capsFlushHijack{}, caps{true, true}},
		{"FlushError+Hijack", capsFlushErrHijack{}, caps{true, true}},
		{"Unwrap to bare", unwrap(capsBase{}), caps{}},
		{"Unwrap to Flush+Hijack", unwrap(capsFlushHijack{}), caps{true, true}},
		{"Unwrap twice to Hijack", unwrap(unwrap(capsHijack{})), caps{Hijack: true}},
		{"Flush, Unwrap to Hijack", capsFlushUnwrap{unwrap(capsHijack{})}, caps{true, true}},
		{"Hijack, Unwrap to FlushError", capsHijackUnwrap{unwrap(capsFlushErr{})}, caps{true, true}},
		{"Flush, Unwrap to bare", capsFlushUnwrap{unwrap(capsBase{})}, caps{Flush: true}},
		{"Unwrap to nil", unwrap(nil), caps{}},
		{"Unwrap cycle", &capsCycle{}, caps{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got caps
			got.Flush, got.Hijack = capabilities(tt.w)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("capabilities (-want +got):\n%s", diff)
			}
		})
	}
}
