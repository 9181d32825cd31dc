package classify

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxLoadBytes bounds what a loader reads. The public databases are a few
// megabytes; anything far larger is not one of them, and reading it whole
// would let a wrong file exhaust memory.
const maxLoadBytes = 32 << 20

// errTooLarge is reported, wrapped, when an input exceeds the loader's limit.
var errTooLarge = errors.New("input too large")

// limitedReader is io.LimitReader that fails instead of pretending the input
// ended, so a truncated read cannot pass for a complete (and smaller) list.
type limitedReader struct {
	r     io.Reader
	left  int64
	limit int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// Probe one byte: input of exactly the limit is fine.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w: more than %d bytes", errTooLarge, l.limit)
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

func limitReader(r io.Reader, limit int64) io.Reader {
	return &limitedReader{r: r, left: limit, limit: limit}
}

// loadTrackerList builds the catalog of a parsed tracker list, naming the
// list (prefix) in any error.
func loadTrackerList(prefix string, trackers []Tracker, err error) (*Catalog, error) {
	if err == nil {
		var c *Catalog
		if c, err = NewCatalog(nil, trackers); err == nil {
			return c, nil
		}
	}
	return nil, fmt.Errorf("%s: %w", prefix, err)
}

// readAllLimited reads r whole, up to limit bytes.
func readAllLimited(r io.Reader, limit int64) ([]byte, error) {
	return io.ReadAll(limitReader(r, limit))
}

// decodeJSON unmarshals data into v and turns the decoder's errors into ones
// that say where the input went wrong: a byte offset for syntax errors, the
// field path and offset for values of the wrong type.
func decodeJSON(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("offset %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(top level)"
		}
		return fmt.Errorf("field %s at offset %d: JSON %s where %s was expected", field, typ.Offset, typ.Value, jsonKind(typ.Type.Kind().String()))
	}
	return err
}

// decodeJSONAt unmarshals one already well-formed value found at path (for
// example `trackers["ads.example"]`) and names the field a wrong type sits
// in. Offsets within the value would mislead, so none are given.
func decodeJSONAt(raw []byte, v any, path string) error {
	err := json.Unmarshal(raw, v)
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		if typ.Field != "" {
			path += "." + typ.Field
		}
		return fmt.Errorf("field %s: JSON %s where %s was expected", path, typ.Value, jsonKind(typ.Type.Kind().String()))
	}
	if err != nil {
		return fmt.Errorf("field %s: %w", path, err)
	}
	return nil
}

// jsonKind names a Go kind the way the file's author thinks of it.
func jsonKind(k string) string {
	switch k {
	case "slice", "array":
		return "an array"
	case "map", "struct":
		return "an object"
	case "string":
		return "a string"
	case "float64", "int", "int64":
		return "a number"
	case "bool":
		return "a boolean"
	}
	return k
}

// stricter reports whether a needs more consent than b, in the order of
// Stricter: when a database lists a host or cookie under several
// categories, or twice, the loaders keep the strictest one, so an ambiguity
// never lets a tracker through on less consent than one of its listings
// asks for.
func stricter(a, b Category) bool { return rank(a) > rank(b) }

// trackerSet collects hosts in first-seen order, keeping for each host the
// strictest category it was listed under (and that listing's provider). A
// host of loaderExceptions is never added.
type trackerSet struct {
	list  []Tracker
	index map[string]int
}

func (s *trackerSet) add(t Tracker) {
	if excepted(t.Host) {
		return
	}
	if s.index == nil {
		s.index = make(map[string]int)
	}
	if i, ok := s.index[t.Host]; ok {
		if stricter(t.Category, s.list[i].Category) {
			s.list[i] = t
		}
		return
	}
	s.index[t.Host] = len(s.list)
	s.list = append(s.list, t)
}

func (s *trackerSet) lookup(host string) (Tracker, bool) {
	i, ok := s.index[host]
	if !ok {
		return Tracker{}, false
	}
	return s.list[i], true
}

// cookieSet is trackerSet for cookie rules, keyed by pattern and domain.
type cookieSet struct {
	list  []Cookie
	index map[[2]string]int
}

func (s *cookieSet) add(c Cookie) {
	if s.index == nil {
		s.index = make(map[[2]string]int)
	}
	k := [2]string{c.Pattern, c.Domain}
	if i, ok := s.index[k]; ok {
		if stricter(c.Category, s.list[i].Category) {
			s.list[i] = c
		}
		return
	}
	s.index[k] = len(s.list)
	s.list = append(s.list, c)
}

// listHost normalises a host name as the JSON lists write them: any case, an
// optional trailing dot. It reports false for anything that is not a plain
// DNS name (a path, a port, a wildcard, spaces, non-ASCII) and for a single
// label, which as a tracker entry would match a whole top-level domain.
func listHost(s string) (string, bool) {
	s = strings.TrimSpace(s)
	h, ok := normalHost(s)
	if !ok || strings.IndexByte(h, '.') < 0 {
		return "", false
	}
	return h, true
}
