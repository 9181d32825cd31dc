package middleware

import (
	"errors"
	"strconv"
)

// ErrWriterClosed is returned by an intercepted ResponseWriter used after the
// request it was made for has been served.
var ErrWriterClosed = errors.New("middleware: ResponseWriter used after its request was served")

// ErrTransformStalled is returned when a body Transformer keeps more input
// pending than Body.MaxPending allows.
var ErrTransformStalled = errors.New("middleware: transformer made no progress within its pending limit")

// EventKind says what an Event reports.
type EventKind uint8

const (
	// EventNotEnforced: the Commit hook chose a Transformer but the body
	// passed through untouched because it was already encoded
	// (Detail holds the Content-Encoding) or was a range (Detail "range").
	// Headers, cookies included, were still filtered.
	EventNotEnforced EventKind = iota + 1

	// EventSuperfluousWriteHeader: a WriteHeader after the final status was
	// dropped. Status holds the dropped code.
	EventSuperfluousWriteHeader

	// EventHeaderAfterCommit: the handler changed its header map after the
	// commit point. The change reaches no one: the next writer's map holds
	// what was committed, also for an outer layer that sends it late.
	// Count is the number of Set-Cookie lines added or replaced late, none
	// of them sent; Detail names a Content-Type changed late (the body
	// was judged, and sent, by the committed one).
	EventHeaderAfterCommit

	// EventHijacked: the handler took over the connection. The header map
	// was filtered with KeepCookie first; bytes written to the hijacked
	// connection are outside enforcement.
	EventHijacked

	// EventInformationalCookie: Set-Cookie fields were taken out of a 1xx
	// response (Status). Count is the number of lines withheld; they stay
	// in the map for the final response.
	EventInformationalCookie

	// EventTrailerCookie: Count Set-Cookie trailer lines were refused by
	// KeepCookie, or a Trailer declaration of Set-Cookie was withdrawn.
	EventTrailerCookie

	// EventPanic: the handler panicked. Buffered output was discarded and
	// Count Set-Cookie lines were removed from the header map left behind.
	EventPanic

	// EventTransformError: the body Transformer failed; Detail holds the
	// error. The response is cut short.
	EventTransformError
)

var eventNames = [...]string{
	EventNotEnforced:            "not-enforced",
	EventSuperfluousWriteHeader: "superfluous-writeheader",
	EventHeaderAfterCommit:      "header-after-commit",
	EventHijacked:               "hijacked",
	EventInformationalCookie:    "informational-cookie",
	EventTrailerCookie:          "trailer-cookie",
	EventPanic:                  "panic",
	EventTransformError:         "transform-error",
}

// String returns a short, stable name for k, suitable for logs and metrics.
func (k EventKind) String() string {
	if int(k) < len(eventNames) && eventNames[k] != "" {
		return eventNames[k]
	}
	return "event-" + strconv.Itoa(int(k))
}

// Event is reported through Hooks.Event.
type Event struct {
	Kind   EventKind
	Status int    // the status concerned, when there is one
	Count  int    // how many lines were affected, when that applies
	Detail string // a short explanation, when there is one
}
