package rewrite

import (
	"bytes"

	"github.com/crumbhq/crumb/classify"
)

// The default decisions: the catalog says what an element would load, the
// Policy whether that may load, Options.Decide has the last word.

func (r *Rewriter) allowed(c classify.Category) bool { return r.policy.Allowed(c) }

// lookup finds host in the catalog; an empty host (relative URL) is never a
// tracker.
func (r *Rewriter) lookup(host []byte) (classify.Tracker, bool) {
	if len(host) == 0 {
		return classify.Tracker{}, false
	}
	return r.memo.lookup(r.cat, host)
}

// judge is the rewriter's one resolution of a URL, classify's
// (classify.Catalog.ResolveURL): url, which reaches host (the <base> host
// for a relative URL), loads tracking of category cat when ok, from the
// host's catalog entry, the collection endpoint its path and query name, or
// the stricter of both. t and known are the host's catalog entry, which
// the memo remembers per host; the endpoint is read from url each time, as
// it depends on the path and query.
func (r *Rewriter) judge(url, host []byte) (t classify.Tracker, known bool, cat classify.Category, ok bool) {
	t, known = r.lookup(host)
	cat, ok = classify.ResolveKnownCategory(t, known, bstr(host), bstr(url))
	return t, known, cat, ok
}

// refusedURL reports whether url, reaching host, loads tracking of a
// refused category.
func (r *Rewriter) refusedURL(url, host []byte) bool {
	_, _, cat, ok := r.judge(url, host)
	return ok && !r.allowed(cat)
}

// element starts describing the element being decided.
func (r *Rewriter) element(kind ElementKind, id tagID, url, host []byte) *Element {
	r.el = Element{Kind: kind, Tag: id.String(), URL: url, Host: host, InNoscript: r.inNoscript}
	return &r.el
}

func (e *Element) setTracker(t classify.Tracker) {
	e.Category, e.Known, e.Provider = t.Category, true, t.Provider
}

// decide lets Options.Decide override def for r.el and reports a
// change.
func (r *Rewriter) decide(def Action) Action {
	a := def
	if r.opts.Decide != nil {
		a = r.opts.Decide(&r.el, def)
		if a > ActionActivate {
			a = def
		}
	}
	if a == ActionActivate && r.el.Kind != ElementOptIn {
		a = ActionKeep
	}
	if a != ActionKeep {
		r.event(Event{Kind: ElementChanged, Tag: r.el.Tag, Element: r.el.Kind, Action: a, Category: r.el.Category})
	}
	return a
}

// optIn is a consent-category marker on an element.
type optIn struct {
	ok     bool
	cat    classify.Category
	negate bool // "!category": load when the category is refused
}

var optInAttrs = [...]attrID{attrDataCrumbCategory, attrDataConsent, attrDataCategory, attrDataCookieconsent}

func (r *Rewriter) parseOptIn(tag []byte) optIn {
	for _, id := range optInAttrs {
		v := bytes.TrimSpace(r.rawValue(tag, r.findAttr(id)))
		if len(v) == 0 {
			continue
		}
		o := optIn{}
		if v[0] == '!' {
			o.negate = true
			v = bytes.TrimSpace(v[1:])
		}
		if c, ok := categoryName(v); ok {
			o.ok, o.cat = true, c
			return o
		}
	}
	return optIn{}
}

// categoryName reads a category as crumb and the common consent tools
// write it.
func categoryName(v []byte) (classify.Category, bool) {
	var buf [24]byte
	if len(v) > len(buf) {
		return classify.Unknown, false
	}
	low := buf[:len(v)]
	for i, c := range v {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == '_' || c == ' ' {
			c = '-'
		}
		low[i] = c
	}
	switch string(low) {
	case "necessary", "essential", "required", "strictly-necessary", "functionality-necessary":
		return classify.Necessary, true
	case "preferences", "preference", "functional", "functionality", "personalization", "personalisation":
		return classify.Preferences, true
	case "analytics", "statistics", "performance", "measurement":
		return classify.Analytics, true
	case "marketing", "advertising", "ads", "targeting":
		return classify.Marketing, true
	case "social", "social-media", "media", "external-media", "embeds":
		return classify.Social, true
	}
	return classify.Unknown, false
}

// optInDefault decides opt-in markup: it activates when its declared
// category is allowed (refused, for "!category") and what it would load is
// not a tracker of a refused category.
func (r *Rewriter) optInDefault(o optIn, url, host, body []byte) Action {
	if r.allowed(o.cat) == o.negate {
		return ActionKeep
	}
	if url != nil && r.refusedURL(url, host) {
		return ActionKeep
	}
	if body != nil {
		if t, ok := r.cat.ScriptTracker(body); ok && !r.allowed(t.Category) {
			return ActionKeep
		}
	}
	return ActionActivate
}

// applyOptIn carries out a for opt-in markup: activation moves the URL and
// type back and drops the markers; removal drops it; anything else leaves it
// inert as written.
func (r *Rewriter) applyOptIn(tag []byte, id tagID, a Action) tagPlan {
	switch a {
	case ActionRemove:
		if id == tagScript || id == tagIframe {
			return tagPlan{remove: true, dropTo: id}
		}
		return tagPlan{remove: true}
	case ActionActivate:
	default:
		return tagPlan{}
	}
	if id == tagScript {
		if i, _ := r.firstAttr(attrDataCrumbType, attrDataType); i >= 0 {
			if v := r.rawValue(tag, i); len(bytes.TrimSpace(v)) > 0 {
				r.pre = appendAttr(r.pre, "type", v)
			}
		}
		r.dropAll(attrType)
		r.dropAll(attrDataType)
		r.dropAll(attrDataCrumbType)
	}
	if r.findAttr(attrSrc) < 0 {
		if i, _ := r.firstAttr(attrDataCrumbSrc, attrDataSrc); i >= 0 {
			r.pre = appendAttr(r.pre, "src", r.rawValue(tag, i))
		}
	}
	if i := r.findAttr(attrDataCrumbSrcdoc); i >= 0 && id == tagIframe && r.findAttr(attrSrcdoc) < 0 {
		r.pre = appendAttr(r.pre, "srcdoc", r.rawValue(tag, i))
	}
	r.dropAll(attrDataCrumbSrcdoc)
	r.dropAll(attrDataCrumbSrc)
	r.dropAll(attrDataSrc)
	for _, id := range optInAttrs {
		r.dropAll(id)
	}
	return tagPlan{changed: true}
}

// planOptInElement handles an iframe or image without a URL that carries an
// opt-in category and a data-src (or, for an iframe the rewriter blocked
// for its srcdoc, a data-crumb-srcdoc).
func (r *Rewriter) planOptInElement(tag []byte, id tagID) tagPlan {
	i, _ := r.firstAttr(attrDataCrumbSrc, attrDataSrc)
	if i < 0 && (id != tagIframe || r.findAttr(attrDataCrumbSrcdoc) < 0) {
		return tagPlan{}
	}
	o := r.parseOptIn(tag)
	if !o.ok {
		return tagPlan{}
	}
	var url, host []byte
	if i >= 0 {
		url, host = r.resolve(r.rawValue(tag, i))
	}
	r.optInElement(id, url, host, o)
	return r.applyOptIn(tag, id, r.decide(r.optInDefault(o, url, host, nil)))
}

// optInElement starts describing opt-in markup o.
func (r *Rewriter) optInElement(id tagID, url, host []byte, o optIn) *Element {
	e := r.element(ElementOptIn, id, url, host)
	e.Category, e.Known, e.Negated = o.cat, true, o.negate
	return e
}
