package consent

import (
	"encoding/binary"
	"errors"
)

// record is the decision carried by the consent cookie, except for the
// choices, which a State keeps resolved to its categories.
type record struct {
	id                  [16]byte
	first, last, issued int64 // Unix seconds: first and latest decision, cookie written
	revision            uint32
	method              Method
	gpc                 bool // Sec-GPC was present at the latest decision
	lang                string
	policy              uint32 // fingerprint of the policy decided under; 0 in version 1 (regime_state.go)
}

// wireRecord is a record with its choices as the cookie stores them.
type wireRecord struct {
	record
	n    int                   // used entries of cats
	cats [maxCategories]uint32 // tag<<2 | choice
}

// The compact encoding of a record, version 1. It is not gob or JSON: a
// fixed layout keeps the cookie under 200 bytes and decoding free of
// reflection.
//
//	byte    version (1)
//	[16]    consent ID
//	uvarint latest decision, seconds since codecEpoch
//	uvarint latest - first decision, seconds
//	uvarint issued - latest decision, seconds
//	uvarint revision
//	byte    method | gpc<<3
//	byte    len(lang), then lang (at most maxLang bytes of [A-Za-z0-9-])
//	byte    n categories (at most maxCategories), then n × 3 bytes:
//	        big-endian 22-bit name tag << 2 | choice (1 granted, 2 refused)
//
// Version 2 is version 1 with the version byte 2 and, at the end, the
// fingerprint of the policy the decision was made under (4 bytes,
// big-endian, never 0). A record without a policy fingerprint (a Manager
// without Config.Policies) is still written as version 1, so such
// cookies are byte for byte what they were; a version 1 cookie reads as
// fingerprint 0, which only that implicit strict policy has.
const (
	codecVersion  = 1
	codecVersion2 = 2
	codecEpoch    = 1704067200 // 2024-01-01T00:00:00Z
	maxLang       = 35
	flagGPC       = 1 << 3
)

var errCodec = errors.New("consent: malformed consent record")

// appendRecord appends the encoding of r to b.
func appendRecord(b []byte, r *wireRecord) ([]byte, error) {
	if r.first < codecEpoch || r.last < r.first || r.issued < r.last || len(r.lang) > maxLang || r.n > maxCategories {
		return nil, errCodec
	}
	if r.policy == 0 {
		b = append(b, codecVersion)
	} else {
		b = append(b, codecVersion2)
	}
	b = append(b, r.id[:]...)
	b = binary.AppendUvarint(b, uint64(r.last-codecEpoch))
	b = binary.AppendUvarint(b, uint64(r.last-r.first))
	b = binary.AppendUvarint(b, uint64(r.issued-r.last))
	b = binary.AppendUvarint(b, uint64(r.revision))
	flags := byte(r.method)
	if r.gpc {
		flags |= flagGPC
	}
	b = append(b, flags, byte(len(r.lang)))
	b = append(b, r.lang...)
	b = append(b, byte(r.n))
	for _, c := range r.cats[:r.n] {
		b = append(b, byte(c>>16), byte(c>>8), byte(c))
	}
	if r.policy != 0 {
		b = binary.BigEndian.AppendUint32(b, r.policy)
	}
	return b, nil
}

// decodeRecord parses b into r. It accepts exactly what appendRecord
// writes and nothing else: trailing bytes, unknown versions, methods,
// choices or out-of-range times are errors. intern, when it equals the
// decoded language, is used instead of allocating a new string.
func decodeRecord(b []byte, r *wireRecord, intern string) error {
	if len(b) < 1+16 || b[0] != codecVersion && b[0] != codecVersion2 {
		return errCodec
	}
	tail := 0 // the policy fingerprint's bytes
	if b[0] == codecVersion2 {
		tail = 4
	}
	copy(r.id[:], b[1:17])
	b = b[17:]
	var v [4]uint64
	for i := range v {
		x, n := binary.Uvarint(b)
		if n <= 0 || x > 1<<40 {
			return errCodec
		}
		v[i] = x
		b = b[n:]
	}
	r.last = codecEpoch + int64(v[0])
	r.first = r.last - int64(v[1])
	r.issued = r.last + int64(v[2])
	if r.first < codecEpoch || v[3] > 1<<32-1 {
		return errCodec
	}
	r.revision = uint32(v[3])
	if len(b) < 2 {
		return errCodec
	}
	flags := b[0]
	r.method = Method(flags & 7)
	r.gpc = flags&flagGPC != 0
	if flags&^(7|flagGPC) != 0 || r.method == MethodNone || r.method > maxMethod {
		return errCodec
	}
	ll := int(b[1])
	b = b[2:]
	if ll > maxLang || len(b) < ll+1 {
		return errCodec
	}
	lang := b[:ll]
	for _, c := range lang {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return errCodec
		}
	}
	if string(lang) == intern {
		r.lang = intern
	} else {
		r.lang = string(lang)
	}
	b = b[ll:]
	r.n = int(b[0])
	b = b[1:]
	if r.n > maxCategories || len(b) != 3*r.n+tail {
		return errCodec
	}
	r.policy = 0
	if tail > 0 {
		if r.policy = binary.BigEndian.Uint32(b[3*r.n:]); r.policy == 0 {
			return errCodec
		}
	}
	for i := 0; i < r.n; i++ {
		c := uint32(b[3*i])<<16 | uint32(b[3*i+1])<<8 | uint32(b[3*i+2])
		if ch := Choice(c & 3); ch != Granted && ch != Refused {
			return errCodec
		}
		r.cats[i] = c
	}
	return nil
}

// serializer plugs the compact encoding into securecookie, which otherwise
// uses gob (slow and large).
type serializer struct{}

func (serializer) Serialize(src any) ([]byte, error) {
	switch r := src.(type) {
	case *wireRecord:
		return appendRecord(make([]byte, 0, 64), r)
	case *record: // no choices, as in New's probe of the keys
		return appendRecord(make([]byte, 0, 64), &wireRecord{record: *r})
	}
	return nil, errCodec
}

func (serializer) Deserialize(src []byte, dst any) error {
	d, ok := dst.(*decodeTarget)
	if !ok {
		return errCodec
	}
	return decodeRecord(src, &d.rec, d.intern)
}

// decodeTarget carries the interned language into Deserialize.
type decodeTarget struct {
	rec    wireRecord
	intern string
}
