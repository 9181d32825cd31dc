package banner

import (
	"html"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// A placeholder stands in for an embed the HTML rewriter blocked (a video,
// a map, a post): it says, in the visitor's language, where the content
// comes from and which category it needs, and offers two choices:
//
//   - "Load once" loads just this embed, for this page view, and stores
//     nothing. With the script it activates the embed in place; without
//     it, it is a plain link to the embed's own address (offered only for
//     an http or https URL).
//   - "Always allow" posts a small form that grants the category, which is
//     stored like any other decision; the note under the buttons says so.
//
//	<span class="crumb crumb-placeholder" role="note" lang="de"
//	      data-crumb-category="social" data-crumb-host="www.youtube.com">
//	  <span class="crumb-ph-text">Inhalte von www.youtube.com sind blockiert, … : Soziale Medien.</span>
//	  <form class="crumb crumb-ph-form" method="post" action="/consent/decide"
//	        data-crumb-form data-crumb-category="social">
//	    <input type="hidden" name="c" value="social">
//	    <input type="hidden" name="c" value="analytics">  (already granted)
//	    <input type="hidden" name="return" value="/page">
//	    <input type="hidden" name="lang" value="de">
//	    <span class="crumb-actions">
//	      <a class="crumb-btn" href="https://www.youtube.com/embed/x" rel="noopener" data-crumb-once>Einmal laden</a>
//	      <button class="crumb-btn crumb-btn2" type="submit" name="action" value="save" …>Immer erlauben</button>
//	    </span>
//	    <span class="crumb-ph-note">„Immer erlauben“ speichert Ihre Wahl, …</span>
//	  </form>
//	</span>
//
// The span keeps the class and data attributes of the rewriter's default
// placeholder, which the script removes once the category is granted. The
// form carries the same marks because an HTML parser moves a <form> out of
// an enclosing <p>: wherever it lands, the script finds and removes it too.
// Its button names the action URL again (formaction) so that, inside a
// page's own form, where the parser drops the nested <form> tag, it still
// posts to the consent endpoint.
//
// Everything but the host, the marks, the granted categories and the return
// path is rendered once per language and category when the Renderer is
// built, so a placeholder costs a handful of appends and no allocation.

// PlaceholderView is what changes from one placeholder to the next.
type PlaceholderView struct {
	// Lang is the language to render, normally the result of Negotiate.
	Lang language.Tag
	// Host is the blocked content's host, as the HTML rewriter reports it.
	// It is escaped, never interpreted.
	Host []byte
	// URL is the blocked content's address, as the HTML rewriter reports
	// it: without JavaScript, "Load once" is a link to it. Only an
	// absolute http or https URL (or a scheme-relative one) gets the link.
	URL []byte
	// Category is the ID of the category whose consent loads the content.
	// Empty or unknown, the placeholder names every optional category and
	// its form accepts them all.
	Category string
	// Mark is the data-crumb-category value the rewriter wrote on the
	// blocked element, which the script compares with the categories just
	// granted. Empty means Category.
	Mark string
	// ReturnTo is the same-origin path the decision goes back to. The caller
	// must have validated it; it is escaped, never interpreted.
	ReturnTo string
	// Granted lists the IDs of the categories the visitor has granted
	// already; the form posts them again so that saving keeps them.
	Granted []string
	// Stylesheet and Script put the stylesheet link and the progressive
	// script (Options.StylesheetURL, Options.ScriptURL) before the
	// placeholder: set them on the first placeholder of a page that does
	// not carry the banner, which brings both.
	Stylesheet, Script bool
	// Nonce is the page's CSP nonce for the script and an inline style.
	Nonce string
}

// embedLang is one language's pre-rendered placeholder markup.
type embedLang struct {
	open      string // the span up to its data-crumb-category value
	formOpen  string // closes the text and opens the form up to its data-crumb-category value
	onceOpen  string // the "load once" link up to its href value
	onceClose string // the rest of the "load once" link
	cats      map[string]*embedCat
	all       *embedCat // for content no single category loads
}

// embedCat is the part of a placeholder that depends on its category.
type embedCat struct {
	// text is the escaped sentence cut where the host goes: text[0], host,
	// text[1], and so on.
	text []string
	own  string // the category's own hidden c field; "" when accepting all
	mid  string // the end of the return field, the lang field, the start of the buttons
	tail string // the "always allow" button, the note, the end of the form and span
}

// embedAssets is the markup that brings the stylesheet and the script to a
// page without the banner.
type embedAssets struct {
	style       string // <link rel="stylesheet"> or the start of an inline <style>
	styleInline bool   // style is "<style" and needs the nonce and the CSS
	script      string // `<script src="…" defer`; "" without a ScriptURL
}

// hostMark stands for the host while the sentence is formatted. Neither
// overrides nor category texts may contain the sentinel prefix.
const hostMark = sentinelPrefix + "HOSTz"

func newEmbedAssets(opts *Options) embedAssets {
	var a embedAssets
	if opts.StylesheetURL != "" {
		a.style = `<link rel="stylesheet" href="` + html.EscapeString(placeholderURL(opts, opts.StylesheetURL)) + `">`
	} else {
		a.style, a.styleInline = "<style", true
	}
	if opts.ScriptURL != "" {
		a.script = `<script src="` + html.EscapeString(placeholderURL(opts, opts.ScriptURL)) + `" defer`
	}
	return a
}

// placeholderURL is one of crumb's URLs as a placeholder writes it: after
// Options.PlaceholderOrigin when it is path-absolute.
func placeholderURL(opts *Options, u string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return opts.PlaceholderOrigin + u
	}
	return u
}

// renderEmbeds pre-renders the placeholders of one language.
func renderEmbeds(opts *Options, s map[string]string, p *message.Printer, tag language.Tag, sep string) *embedLang {
	lang := html.EscapeString(tag.String())
	// The direction is always written: a placeholder sits inside the
	// site's own markup, whose direction may differ from the visitor's
	// language.
	dir := ` dir="` + Dir(tag) + `"`
	l := &embedLang{
		open: `<span class="crumb crumb-placeholder" role="note" lang="` + lang + `"` + dir + ` data-crumb-category="`,
		formOpen: `<form class="crumb crumb-ph-form" method="post" action="` + html.EscapeString(placeholderURL(opts, opts.ActionURL)) +
			`" data-crumb-form data-crumb-category="`,
		cats: make(map[string]*embedCat, len(opts.Categories)),
	}
	l.onceOpen = `<a class="crumb-btn" href="`
	l.onceClose = `" rel="noopener" data-crumb-once>` + html.EscapeString(s[KeyEmbedOnce]) + `</a>`
	mid := `"><input type="hidden" name="lang" value="` + lang + `"><span class="crumb-actions">`
	button := `<button class="crumb-btn crumb-btn2" type="submit" name="action" value="`
	formAction := `" formaction="` + html.EscapeString(placeholderURL(opts, opts.ActionURL)) + `" formmethod="post">`
	always := html.EscapeString(s[KeyEmbedAlways]) + `</button></span><span class="crumb-ph-note">` +
		html.EscapeString(s[KeyEmbedStored]) + `</span></form></span>`
	var optional []string
	for _, c := range opts.Categories {
		if c.Required {
			continue
		}
		title := s[categoryKey(c.ID, keyTitleSuffix)]
		optional = append(optional, title)
		l.cats[c.ID] = &embedCat{
			text: cutHost(p.Sprintf(KeyEmbedText, hostMark, title)),
			own:  `<input type="hidden" name="c" value="` + html.EscapeString(c.ID) + `">`,
			mid:  mid,
			tail: button + actionSave + formAction + always,
		}
	}
	l.all = &embedCat{
		text: cutHost(p.Sprintf(KeyEmbedText, hostMark, strings.Join(optional, sep))),
		mid:  mid,
		tail: button + actionAccept + formAction + always,
	}
	return l
}

// The decision actions the placeholder's form posts.
const (
	actionSave   = "save"
	actionAccept = "accept"
)

// cutHost escapes a formatted sentence and cuts it where the host goes.
func cutHost(sentence string) []string {
	parts := strings.Split(sentence, hostMark)
	for i, p := range parts {
		parts[i] = html.EscapeString(p)
	}
	return parts
}

// AppendPlaceholder appends the placeholder for one blocked embed to dst
// and returns the extended slice. It allocates only to grow dst.
func (r *Renderer) AppendPlaceholder(dst []byte, v *PlaceholderView) []byte {
	e := r.lookup(v.Lang).embed
	c := e.cats[v.Category]
	if c == nil {
		c = e.all
	}
	mark := v.Mark
	if mark == "" {
		mark = v.Category
	}
	if v.Stylesheet {
		dst = append(dst, r.assets.style...)
		if r.assets.styleInline {
			dst = appendNonce(dst, v.Nonce)
			dst = append(dst, '>')
			dst = append(dst, stylesheet...)
			dst = append(dst, "</style>"...)
		}
	}
	if v.Script && r.assets.script != "" {
		dst = append(dst, r.assets.script...)
		dst = appendNonce(dst, v.Nonce)
		dst = append(dst, "></script>"...)
	}
	dst = append(dst, e.open...)
	dst = appendHTML(dst, mark)
	dst = append(dst, `" data-crumb-host="`...)
	dst = appendHTML(dst, v.Host)
	dst = append(dst, `"><span class="crumb-ph-text">`...)
	for i, t := range c.text {
		if i > 0 {
			if len(v.Host) > 0 {
				dst = appendHTML(dst, v.Host)
			} else {
				dst = append(dst, "…"...)
			}
		}
		dst = append(dst, t...)
	}
	dst = append(dst, "</span> "...)
	dst = append(dst, e.formOpen...)
	dst = appendHTML(dst, mark)
	dst = append(dst, `">`...)
	dst = append(dst, c.own...)
	if c.own != "" {
		for _, id := range v.Granted {
			if id == v.Category || !r.optional[id] {
				continue
			}
			dst = append(dst, `<input type="hidden" name="c" value="`...)
			dst = appendHTML(dst, id)
			dst = append(dst, `">`...)
		}
	}
	dst = append(dst, `<input type="hidden" name="return" value="`...)
	dst = appendHTML(dst, v.ReturnTo)
	dst = append(dst, c.mid...)
	if loadable(v.URL) {
		dst = append(dst, e.onceOpen...)
		dst = appendHTML(dst, v.URL)
		dst = append(dst, e.onceClose...)
	}
	return append(dst, c.tail...)
}

// loadable reports whether u is an address a "load once" link may lead
// to: absolute http or https, or scheme-relative, with no character a
// browser would strip or read as the end of the scheme first.
func loadable(u []byte) bool {
	for _, c := range u {
		if c <= ' ' || c == 0x7f {
			return false
		}
	}
	switch {
	case len(u) > 2 && u[0] == '/' && u[1] == '/':
		return true
	case len(u) > 8 && strings.EqualFold(string(u[:8]), "https://"):
		return true
	case len(u) > 7 && strings.EqualFold(string(u[:7]), "http://"):
		return true
	}
	return false
}

func appendNonce(dst []byte, nonce string) []byte {
	if nonce == "" {
		return dst
	}
	dst = append(dst, ` nonce="`...)
	dst = appendHTML(dst, nonce)
	return append(dst, '"')
}

// appendHTML appends s escaped for HTML text and quoted attribute values.
// NUL becomes U+FFFD, as a parser would read it.
func appendHTML[S ~string | ~[]byte](dst []byte, s S) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		if esc := htmlEscape(s[i]); esc != "" {
			dst = append(dst, s[last:i]...)
			dst = append(dst, esc...)
			last = i + 1
		}
	}
	return append(dst, s[last:]...)
}
