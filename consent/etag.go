package consent

import (
	"encoding/binary"
	"hash"
	"hash/fnv"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"

	"github.com/crumbhq/crumb/consent/internal/banner"
	"github.com/crumbhq/crumb/middleware"
)

// The validators of rewritten pages.
//
// A rewritten page's ETag is the application's with a variant appended
// ("page1" becomes "page1-crumb-<16 hex digits>"). The variant must change
// whenever the rewritten bytes can change while the application's own tag
// stays: otherwise a client revalidating a copy gets a 304 and keeps bytes
// that are no longer what crumb would send (trackers live in a copy made in
// ReportOnly, or before a category was added). So the variant digests
//
//   - the visitor's consent state (choices, GPC, the decision and its
//     language, the policy revision);
//   - the configuration, digested once in New (etagSeed): enforcement or
//     ReportOnly, the categories with everything declared in them, the
//     catalog the rewriter uses, what the banner and placeholders inject
//     (language, texts, handler prefix, policy URL, Consent Mode), the
//     regime policies (each one's fingerprint and banner) and
//     crumb's own version, from the build information and the digests of
//     the banner's assets;
//   - which injections are installed (Config.BodyStart, Config.HeadStart, Handler),
//     read per request since they can change at any time. A custom
//     BannerFunc is code: a change to it needs a new Revision.
//
// On the request side the variant is taken off If-None-Match and If-Match
// (middleware.StripETagVariant), so the application's conditional logic
// sees its own tag and a page of the same state and configuration gets its
// 304. A document request (a GET or HEAD navigation,
// middleware.IsDocumentRequest) keeps only the tags that carry the
// current variant: any other one, including a plain tag cached before
// crumb was deployed, names a copy crumb did not issue under this
// configuration and must not be confirmed. Other requests keep plain
// tags, since most of them are for resources crumb passes through
// (images, scripts, JSON) whose plain tags are the right ones.

// etagScheme names this way of computing variants; a change to what the
// variant covers changes it, so that no old tag matches by accident.
const etagScheme = "crumb etag 2"

// etagSeed digests everything of cfg and m that can change a rewritten
// page's bytes while the application's ETag stays the same. New calls it
// once, after the categories and catalogs are built.
func etagSeed(cfg *Config, m *Manager) uint64 {
	d := digest{fnv.New64a()}
	d.str(etagScheme, crumbVersion(), banner.ScriptETag(), banner.StylesheetETag())
	d.bool(m.reportOnly, m.keepEncoding, m.treatDNTAsGPC, m.insecure, cfg.ManualBanner, cfg.NoConsentMode)
	d.str(m.cookieName, m.lang, m.policyURL, m.uiCfg.prefix, strconv.FormatUint(uint64(m.revision), 10))
	for _, c := range m.cats {
		d.str(c.Name, c.Class.String(), c.Title, c.Description)
		d.bool(c.saleOrShare)
		d.str(c.consentMode...)
		d.str(c.Hosts...)
		for _, k := range c.Cookies {
			d.str(k.Name, k.Domain, k.Provider, k.Purpose, k.Lifetime.String())
			d.str(k.Paths...)
		}
		d.str("") // end of category
	}
	for _, p := range m.policies {
		d.str(p.Name, strconv.FormatUint(uint64(p.fingerprint), 10), strconv.Itoa(int(p.banner)))
	}
	for _, t := range m.htmlCatalog.Trackers() {
		d.str(t.Host, t.Category.String(), t.Provider)
	}
	for _, c := range m.htmlCatalog.Cookies() {
		d.str(c.Pattern, c.Domain, c.Category.String(), c.Provider, c.Purpose, c.Retention)
	}
	langs := make([]string, 0, len(cfg.Strings))
	for lang := range cfg.Strings {
		langs = append(langs, lang)
	}
	slices.Sort(langs)
	for _, lang := range langs {
		texts := cfg.Strings[lang]
		keys := make([]string, 0, len(texts))
		for k := range texts {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		d.str(lang)
		for _, k := range keys {
			d.str(k, texts[k])
		}
	}
	return d.Sum64()
}

// crumbVersion returns what the build information says of crumb's module:
// its version and checksum when it is a dependency, or the VCS revision
// when it is the main module. A development build without either says
// only "(devel)"; the asset digests still tell its banners apart.
func crumbVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	const path = "github.com/crumbhq/crumb"
	if bi.Main.Path == path {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				v += " " + s.Value
			}
		}
		return v
	}
	for _, dep := range bi.Deps {
		if dep.Path == path {
			if dep.Replace != nil {
				dep = dep.Replace
			}
			return dep.Path + " " + dep.Version + " " + dep.Sum
		}
	}
	return ""
}

// digest feeds strings and flags to a hash, each string terminated so that
// ("ab", "c") and ("a", "bc") differ.
type digest struct{ hash.Hash64 }

func (d digest) str(ss ...string) {
	for _, s := range ss {
		d.Write([]byte(s))
		d.Write([]byte{0})
	}
}

func (d digest) bool(bs ...bool) {
	for _, b := range bs {
		d.Write([]byte{b2u8(b)})
	}
}

// variant names the HTML rewrite of this request's consent state under
// this configuration, for the ETag of rewritten pages; see the comment at
// the top of this file.
func (rs *requestState) variant() string {
	s := &rs.state
	const offset, prime = 14695981039346656037, 1099511628211
	x := uint64(offset)
	mix := func(b byte) { x = (x ^ uint64(b)) * prime }
	var seed [8]byte
	binary.LittleEndian.PutUint64(seed[:], rs.m.etagSeed)
	for _, b := range seed {
		mix(b)
	}
	var installed byte
	if in := rs.m.inject.Load(); in != nil {
		installed = b2u8(in.headStart != nil || in.headAppend != nil) | b2u8(in.bodyStart != nil || in.bodyAppend != nil)<<1 | b2u8(in.ui != nil)<<2
	}
	mix(installed)
	if s.valid {
		mix(1)
		for _, b := range s.rec.id {
			mix(b)
		}
		for i := 0; i < 8; i++ {
			mix(byte(s.rec.last >> (8 * i)))
		}
		for i := 0; i < len(s.rec.lang); i++ {
			mix(s.rec.lang[i])
		}
	}
	// The content policy's learned hosts: a page cached under an older
	// policy must not be confirmed by a 304, which carries no policy.
	for g, i := rs.m.csp.gen.Load(), 0; i < 8; i++ {
		mix(byte(g >> (8 * i)))
	}
	mix(s.pol)                // the policy: its banner and defaults
	mix(b2u8(s.GPCHonored())) // the banner's GPC note
	mix(byte(s.m.revision))
	mix(byte(s.m.revision >> 8))
	for i := range s.m.cats {
		mix(byte(s.choices[i]))
		mix(b2u8(s.grantedAt(i)))
	}
	const hexDigits = "0123456789abcdef"
	var out [len("crumb-") + 16]byte
	copy(out[:], "crumb-")
	for i := range 16 {
		out[len("crumb-")+i] = hexDigits[(x>>(60-4*i))&15]
	}
	return string(out[:])
}

func b2u8(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// validators returns the request header h as the application should see
// it, with our variant taken off the validators, and whether it changed
// anything; rs.etagStripped records whether a tag carried the variant.
// A document request keeps only the tags of the current variant (see the
// top of this file).
func (rs *requestState) validators(r *http.Request, h http.Header) (http.Header, bool) {
	v := rs.variant()
	changed := false
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && middleware.IsDocumentRequest(h) {
		h, changed = middleware.KeepETagVariant(h, v)
	}
	if stripped, ok := middleware.StripETagVariant(h, v); ok {
		h, rs.etagStripped, changed = stripped, true, true
	}
	return h, changed
}

// notModified is the body decision for a response that is not HTML: on a
// 304 that confirms a rewritten page, the variant goes back on the tag.
func (rs *requestState) notModified(status int) middleware.Body {
	if status != http.StatusNotModified || !rs.etagStripped {
		return middleware.Body{}
	}
	// The client holds the page rewritten for this state; keep that in
	// its cached tag. After a Decide in this request the 304 confirms a
	// page of the old state: drop the tag rather than vouch for it.
	if rs.decided {
		return middleware.Body{Variant: dropETag}
	}
	return middleware.Body{Variant: rs.variant()}
}

// dropETag is not a valid variant: returned on a 304, it removes the ETag.
const dropETag = "/"
