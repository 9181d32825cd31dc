package middleware

import (
	"math/bits"
	"net/http"
	"strings"
)

const setCookie = "Set-Cookie"

// commit is the single point where the final status and headers leave.
// typedKnown says that ic.typed tells whether a Content-Type is set.
func (ic *interceptor) commit(typedKnown bool) {
	ic.committed = true
	ic.sniffing = false
	h := ic.hdr
	trailerKeys, known := ic.filterCookies(h, typedKnown, ic.typed)
	b := ic.hooks.Commit(ic.req, ic.status, h)
	if ic.shownType {
		// The hook has seen what the browser will sniff; the response
		// keeps what the handler gave (an explicit nil sends no type).
		if v := h["Content-Type"]; len(v) > int(ic.givenTypes) {
			if ic.givenTypes == 0 {
				h["Content-Type"] = nil
			} else {
				h["Content-Type"] = v[:ic.givenTypes:ic.givenTypes]
			}
		}
		ic.shownType = false
	}
	if b.Transformer != nil {
		switch ic.decideBody(h, &b) {
		case bodyTransform:
			ic.transforming = true
			ic.tw = twPool.Get().(*transformWriter)
			ic.tw.init(ic.inner, b.Transformer, b.MaxPending)
		case bodyDiscard:
			ic.discarding = true
		}
	} else if b.Variant != "" && ic.status == http.StatusNotModified {
		adjustETag(h, b.Variant)
		delete(h, "Last-Modified")
	}
	if len(h[setCookie]) > 0 {
		known |= keySetCookie
	} else {
		known &^= keySetCookie
	}
	// The hook may have removed or added either: the bits say what h
	// holds now, since publishKnown copies by them.
	if _, ok := h["Content-Type"]; ok {
		known |= keyContentType
	} else {
		known &^= keyContentType
	}
	if len(h) == bits.OnesCount8(known) {
		// Probably these keys and no other; afterCommit checks.
		ic.knownKeys = known
	}
	inner := ic.inner.Header()
	if ic.knownKeys != 0 && len(inner) == 0 && known&keyTrailer == 0 {
		publishKnown(inner, h, known, ic.vals[:])
	} else {
		publish(inner, h, false, ic.vals[:])
	}
	// Remembered, so that lines replaced after the commit can be told from
	// those judged (or added by the hook) now: the inner map's copies are
	// ours, and hdr's values are never the same slices.
	ic.sent, ic.sentType = inner[setCookie], inner["Content-Type"]
	ic.commitCookies = int32(len(ic.sent))
	ic.commitKeys = int32(len(h) - trailerKeys)
	if len(h) > 1 && len(h["Trailer"]) > 0 {
		for k := range h {
			if declaredTrailer(h, k) {
				ic.commitKeys--
			}
		}
	}
	ic.inner.WriteHeader(ic.status)
}

// publish makes dst, the inner writer's header map, hold what src holds,
// with every value in new slices, so that nothing done to src afterwards
// reaches dst; the slices come from store when it is large enough. Without
// cookies (for a 1xx) every Set-Cookie field is left out; it returns how
// many lines that left out.
func publish(dst, src http.Header, withoutCookies bool, store []string) (left int) {
	if len(dst) > 0 { // net/http's map starts empty; outer layers may have set some
		for k := range dst {
			if _, ok := src[k]; !ok {
				delete(dst, k)
			}
		}
	}
	all := store[:0] // when append outgrows it, earlier slices keep the old array
	for k, v := range src {
		if withoutCookies && isCookieKey(k) {
			left += len(v)
			delete(dst, k)
			continue
		}
		if v == nil {
			dst[k] = nil // net/http: do not send or sniff this field
			continue
		}
		start := len(all)
		all = append(all, v...)
		dst[k] = all[start:len(all):len(all)]
	}
	return left
}

// publishKnown is publish into an empty dst for a src that holds exactly
// the keys of known, Content-Type and Set-Cookie: it copies them by name,
// saving the walk over the map, which for the usual response of one or two
// fields costs more than the copies.
func publishKnown(dst, src http.Header, known uint8, store []string) {
	all := store[:0]
	copyKey := func(k string) {
		v := src[k]
		if v == nil {
			dst[k] = nil
			return
		}
		start := len(all)
		all = append(all, v...)
		dst[k] = all[start:len(all):len(all)]
	}
	if known&keyContentType != 0 {
		copyKey("Content-Type")
	}
	if known&keySetCookie != 0 {
		copyKey(setCookie)
	}
}

// The keys filterCookies looks up by name, as bits.
const (
	keyContentType uint8 = 1 << iota
	keySetCookie
	keyTrailer
)

// sameKeys reports whether h holds exactly the keys of the known bits, no
// other, with as many Set-Cookie lines as at the commit: then nothing was
// added since.
func (ic *interceptor) sameKeys(h http.Header) bool {
	known := ic.knownKeys
	if known == 0 || len(h) != bits.OnesCount8(known) {
		return false
	}
	if known&keyContentType != 0 {
		if v, ok := h["Content-Type"]; !ok || !sameValues(v, ic.sentType) {
			return false
		}
	}
	if known&keySetCookie != 0 {
		if v, ok := h[setCookie]; !ok || !ic.sameLines(v) {
			return false
		}
	}
	if known&keyTrailer != 0 {
		if _, ok := h["Trailer"]; !ok {
			return false
		}
	}
	return true
}

// filterCookies makes h safe to send: Set-Cookie fields under odd-case keys
// are folded into the canonical key (net/http writes keys as stored), every
// line goes through KeepCookie, Set-Cookie trailers are filtered and a
// Set-Cookie trailer declaration is withdrawn. It returns the number of
// http.TrailerPrefix keys, which commit uses to notice late changes, and
// which of the keys it knows by name are left (keyContentType and so on).
// When typedKnown is set, typed tells whether h has a Content-Type, which
// saves a lookup.
func (ic *interceptor) filterCookies(h http.Header, typedKnown, typed bool) (trailerKeys int, known uint8) {
	ic.trailerCookies = false
	// Finding odd-case keys takes a walk over the map; skip it when every
	// key is one we look up anyway. Most responses have a Content-Type,
	// often nothing else we know of: then no other lookup is needed.
	if !typedKnown && len(h) > 0 {
		_, typed = h["Content-Type"]
	}
	var lines []string
	hasSC, hasTrailer := false, false
	if n := b2i(typed); len(h) > n {
		lines, hasSC = h[setCookie]
		n += b2i(hasSC)
		if len(h) > n {
			_, hasTrailer = h["Trailer"]
			n += b2i(hasTrailer)
		}
		if len(h) > n {
			odd, oddType := false, false
			for k := range h {
				if rest, ok := strings.CutPrefix(k, http.TrailerPrefix); ok {
					trailerKeys++
					if strings.EqualFold(rest, setCookie) {
						ic.trailerCookies = true
					}
				} else if len(k) == len(setCookie) && k != setCookie && strings.EqualFold(k, setCookie) {
					odd = true
				} else if len(k) == len("Content-Type") && k != "Content-Type" && strings.EqualFold(k, "Content-Type") {
					oddType = true
				}
			}
			if odd {
				foldKeys(h, setCookie)
				lines, hasSC = h[setCookie]
			}
			if oddType {
				foldKeys(h, "Content-Type")
				typed = true
			}
		}
	}
	if len(lines) > 0 {
		if kept, removed := ic.keep(lines); removed > 0 {
			if len(kept) == 0 {
				delete(h, setCookie)
				hasSC = false
			} else {
				h[setCookie] = kept
			}
		}
	}
	if ic.trailerCookies {
		ic.filterTrailerCookies(h)
	}
	if hasTrailer {
		if rest, changed := withoutSetCookie(h["Trailer"]); changed {
			if len(rest) == 0 {
				delete(h, "Trailer")
			} else {
				h["Trailer"] = rest
			}
			ic.event(Event{Kind: EventTrailerCookie, Status: ic.status, Detail: "declaration withdrawn"})
		}
	}
	if typed {
		known |= keyContentType
	}
	if hasSC {
		known |= keySetCookie
	}
	if hasTrailer {
		if _, ok := h["Trailer"]; ok { // not withdrawn entirely
			known |= keyTrailer
		}
	}
	return trailerKeys, known
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// countCookies returns how many Set-Cookie lines h holds under any key.
func countCookies(h http.Header) int {
	n := 0
	for k, v := range h {
		if isCookieKey(k) {
			n += len(v)
		}
	}
	return n
}

// filterAllCookies is filterCookies for paths that do not commit (panic,
// hijack); it returns how many lines were removed.
func (ic *interceptor) filterAllCookies(h http.Header) int {
	before := countCookies(h)
	ic.filterCookies(h, false, false)
	return before - countCookies(h)
}

// keep returns the lines KeepCookie accepts. v itself is never modified: a
// handler may share one slice between responses.
func (ic *interceptor) keep(v []string) (kept []string, removed int) {
	first := -1
	for i, line := range v {
		if !ic.hooks.KeepCookie(ic.req, line) {
			first = i
			break
		}
	}
	if first < 0 {
		return v, 0
	}
	kept = make([]string, first, len(v)-1)
	copy(kept, v[:first])
	removed = 1
	for _, line := range v[first+1:] {
		if ic.hooks.KeepCookie(ic.req, line) {
			kept = append(kept, line)
		} else {
			removed++
		}
	}
	return kept, removed
}

// filterTrailerCookies filters Set-Cookie trailers set through
// http.TrailerPrefix, returning how many lines were removed.
func (ic *interceptor) filterTrailerCookies(h http.Header) int {
	removed := 0
	for k, v := range h {
		rest, ok := strings.CutPrefix(k, http.TrailerPrefix)
		if !ok || !strings.EqualFold(rest, setCookie) {
			continue
		}
		kept, n := ic.keep(v)
		if n == 0 {
			continue
		}
		removed += n
		if len(kept) == 0 {
			delete(h, k)
		} else {
			h[k] = kept
		}
	}
	if removed > 0 {
		ic.event(Event{Kind: EventTrailerCookie, Status: ic.status, Count: removed})
	}
	return removed
}

// afterCommit runs when the handler has returned. Headers changed since the
// commit stay in the handler's map and reach no one, through net/http or an
// outer layer that sends the inner map late; they are reported. Trailers
// are the exception: declared ones and http.TrailerPrefix keys are copied
// into the inner map, Set-Cookie trailers filtered with KeepCookie. The map
// is walked unless it holds only keys known at the commit: a handler that
// deletes one field and adds a Set-Cookie trailer leaves the number of keys
// as it was.
func (ic *interceptor) afterCommit() {
	h := ic.hdr
	if ic.sameKeys(h) {
		return
	}
	if len(h) == 0 {
		if ic.commitKeys != 0 {
			ic.event(Event{Kind: EventHeaderAfterCommit, Status: ic.status})
		}
		return
	}
	inner := ic.inner.Header()
	keys, late, trailers := int32(0), int32(0), false
	declared := len(inner["Trailer"]) > 0 // as committed: what net/http reads
	for k, v := range h {
		if rest, ok := strings.CutPrefix(k, http.TrailerPrefix); ok {
			trailers = true
			if strings.EqualFold(rest, setCookie) {
				ic.trailerCookies = true
			}
			continue
		}
		switch {
		case k == setCookie:
		case len(k) == len(setCookie) && strings.EqualFold(k, setCookie):
			late += int32(len(v)) // never sent: not judged
		case declared && declaredTrailer(inner, k):
			trailers = true
			continue // set late on purpose: it is sent as a trailer
		}
		keys++
	}
	if ic.trailerCookies {
		ic.filterTrailerCookies(h)
	}
	if trailers {
		for k, v := range h {
			if strings.HasPrefix(k, http.TrailerPrefix) || (declared && !isCookieKey(k) && declaredTrailer(inner, k)) {
				inner[k] = v
			}
		}
	}
	gone := int32(0)
	if v := h[setCookie]; !ic.sameLines(v) {
		changed := int32(ic.countChanged(v))
		late += changed
		gone = ic.commitCookies - int32(len(v)) + changed
	}
	retyped := !sameValues(h["Content-Type"], ic.sentType)
	if keys != ic.commitKeys || late != 0 || gone != 0 || retyped {
		e := Event{Kind: EventHeaderAfterCommit, Status: ic.status, Count: int(late)}
		if retyped {
			// The body was judged by the committed type, which is
			// the one sent; the new one is not.
			e.Detail = "Content-Type changed to " + strings.Join(h["Content-Type"], ", ")
		}
		ic.event(e)
	}
}

// sameValues reports whether a and b hold the same strings.
func sameValues(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sameLines reports whether v holds exactly the Set-Cookie lines of the
// commit. Strings compare by pointer first, so unchanged lines cost
// little.
func (ic *interceptor) sameLines(v []string) bool {
	return sameValues(v, ic.sent)
}

// countChanged returns how many lines of v were not among the committed
// ones: added, or put in place of one.
func (ic *interceptor) countChanged(v []string) int {
	var usedStore [16]bool
	var used []bool // committed lines already matched
	if len(ic.sent) > len(usedStore) {
		used = make([]bool, len(ic.sent))
	} else {
		used = usedStore[:len(ic.sent)]
	}
	changed := 0
	for _, line := range v {
		if j := matchSent(ic.sent, used, line); j >= 0 {
			used[j] = true
		} else {
			changed++
		}
	}
	return changed
}

// matchSent returns the index of a committed line equal to line and not
// matched yet, or -1.
func matchSent(sent []string, used []bool, line string) int {
	for j, s := range sent {
		if !used[j] && s == line {
			return j
		}
	}
	return -1
}

// filterChanged judges the Set-Cookie lines of h that were not there at
// the commit: added, or put in place of a committed line (Header().Set,
// a write into the slice). Lines that were there are left alone, judged
// or added by the hook then. It returns how many lines were new and how
// many of those were removed; the slice in h is replaced, never written to.
func (ic *interceptor) filterChanged(h http.Header) (changed, removed int) {
	v := h[setCookie]
	sent := ic.sent
	var usedStore [16]bool
	var used []bool // committed lines already matched
	if len(sent) > len(usedStore) {
		used = make([]bool, len(sent))
	} else {
		used = usedStore[:len(sent)]
	}
	var kept []string
	for i, line := range v {
		old := matchSent(sent, used, line)
		keep := true
		if old >= 0 {
			used[old] = true
		} else {
			changed++
			keep = ic.hooks.KeepCookie(ic.req, line)
		}
		if !keep && kept == nil {
			kept = append(make([]string, 0, len(v)-1), v[:i]...)
		}
		if !keep {
			removed++
		} else if kept != nil {
			kept = append(kept, line)
		}
	}
	if removed > 0 {
		if len(kept) == 0 {
			delete(h, setCookie)
		} else {
			h[setCookie] = kept
		}
	}
	return changed, removed
}

type bodyMode uint8

const (
	bodyPass      bodyMode = iota // untouched
	bodyTransform                 // through the Transformer
	bodyDiscard                   // HEAD: net/http must not count the untransformed bytes
)

// decideBody prepares the headers for a Transformer chosen by the Commit
// hook and says what becomes of the body.
func (ic *interceptor) decideBody(h http.Header, b *Body) bodyMode {
	if ce := h["Content-Encoding"]; len(ce) > 0 && !isIdentity(ce) && !ic.outerEncoding(ce) {
		ic.event(Event{Kind: EventNotEnforced, Status: ic.status, Detail: ce[0]})
		return bodyPass
	}
	if ic.status == http.StatusPartialContent || len(h["Content-Range"]) > 0 {
		ic.event(Event{Kind: EventNotEnforced, Status: ic.status, Detail: "range"})
		return bodyPass
	}
	// From here the representation depends on the transformation, also for
	// HEAD and 304, which must describe what the matching GET would get.
	// Only the ETag can name the variant: a date cannot, so Last-Modified
	// goes, lest If-Modified-Since confirm a copy of another variant.
	adjustETag(h, b.Variant)
	delete(h, "Accept-Ranges")
	delete(h, "Last-Modified")
	if !bodyAllowedForStatus(ic.status) {
		return bodyPass
	}
	delete(h, "Content-Length")
	if ic.req != nil && ic.req.Method == http.MethodHead {
		// net/http would derive a Content-Length from the untransformed
		// bytes a HEAD handler writes.
		return bodyDiscard
	}
	return bodyTransform
}

// outerEncoding reports whether ce is the Content-Encoding that was already
// set when the request reached us. An outer compressor sets it up front
// (go.dev/issue/66343) and encodes what we write, so our bytes are identity.
func (ic *interceptor) outerEncoding(ce []string) bool {
	return ic.entryEncoding != "" && len(ce) == 1 && ce[0] == ic.entryEncoding
}

// declaredTrailer reports whether h's Trailer declaration names k.
func declaredTrailer(h http.Header, k string) bool {
	for _, v := range h["Trailer"] {
		for name := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(name), k) {
				return true
			}
		}
	}
	return false
}

func isIdentity(ce []string) bool {
	for _, v := range ce {
		if v = strings.TrimSpace(v); v != "" && !strings.EqualFold(v, "identity") {
			return false
		}
	}
	return true
}

// isCookieKey reports whether a header key carries Set-Cookie lines on the
// wire: any case, directly or as a http.TrailerPrefix trailer.
func isCookieKey(k string) bool {
	if rest, ok := strings.CutPrefix(k, http.TrailerPrefix); ok {
		k = rest
	}
	return len(k) == len(setCookie) && strings.EqualFold(k, setCookie)
}

// withoutSetCookie returns a Trailer declaration without Set-Cookie, and
// whether it had to change.
func withoutSetCookie(values []string) ([]string, bool) {
	found := false
	for _, v := range values {
		if containsFold(v, setCookie) {
			found = true
			break
		}
	}
	if !found {
		return values, false
	}
	var out []string
	for _, v := range values {
		var names []string
		for name := range strings.SplitSeq(v, ",") {
			name = strings.TrimSpace(name)
			if name != "" && !strings.EqualFold(name, setCookie) {
				names = append(names, name)
			}
		}
		if len(names) > 0 {
			out = append(out, strings.Join(names, ", "))
		}
	}
	return out, true
}

func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
