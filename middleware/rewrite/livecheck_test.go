package rewrite

// What a browser would load from rewritten markup, judged on the tree
// x/net/html's parser builds (html.Parse), not on its Tokenizer: the parser
// implements foreign content (SVG and MathML), breakout tags and
// integration points, which the Tokenizer alone, and so the invariant
// tests' oracle, cannot see. The tests that use it pin markup that, after
// rewriting with the strict options (everything but Necessary refused),
// once still made a browser contact a tracker host of the catalog; the
// comment above each says what a browser does with the markup and how
// likely it is on a real page.

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/crumbhq/crumb/classify"
)

// liveOptions are htmlStrictOptions without insertions, so that what is
// compared is the rewriting alone.
func liveOptions(t testing.TB) Options {
	o := htmlStrictOptions(t)
	o.HeadStart, o.HeadEnd, o.BodyStart, o.BodyEnd = nil, nil, nil, nil
	return o
}

// liveRewrite rewrites page in one piece with opts.
func liveRewrite(t testing.TB, opts Options, page string) string {
	t.Helper()
	return string(htmlOnce(t, New(opts), []byte(page)))
}

// liveHost is the host a browser contacts for raw, a decoded attribute
// value, read the way the URL standard reads http(s) and protocol-relative
// URLs: tabs and newlines dropped, backslashes as slashes, userinfo and
// port cut, the host percent-decoded (the host parser decodes before it
// checks the name), lower case, a trailing dot dropped. It is "" for a
// relative URL and for other schemes. It shares no code with the rewriter.
func liveHost(raw string) string {
	v := htmlOracleURL(raw)
	v = strings.ReplaceAll(v, `\`, "/")
	low := strings.ToLower(v)
	switch {
	case strings.HasPrefix(low, "//"):
		v = v[2:]
	case strings.HasPrefix(low, "https:"):
		v = v[len("https:"):]
	case strings.HasPrefix(low, "http:"):
		v = v[len("http:"):]
	default:
		return ""
	}
	v = strings.TrimLeft(v, "/")
	if i := strings.IndexAny(v, "/?#"); i >= 0 {
		v = v[:i]
	}
	if i := strings.LastIndexByte(v, '@'); i >= 0 {
		v = v[i+1:]
	}
	if strings.HasPrefix(v, "[") {
		return "" // an IP literal: no catalog lists one
	}
	if i := strings.IndexByte(v, ':'); i >= 0 {
		v = v[:i]
	}
	if d, err := url.PathUnescape(v); err == nil {
		v = d
	}
	return strings.TrimSuffix(strings.ToLower(v), ".")
}

// liveElements parses page as a browser with scripting on does and calls
// f for every HTML element of the tree, in document order.
func liveElements(t testing.TB, page string, f func(n *html.Node)) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Namespace == "" {
			f(n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// liveIsRelative reports whether raw has neither a scheme nor an
// authority, so that it resolves against the document's base URL.
func liveIsRelative(raw string) bool {
	v := strings.ReplaceAll(htmlOracleURL(raw), `\`, "/")
	if strings.HasPrefix(v, "//") {
		return false
	}
	if i := strings.IndexByte(v, ':'); i > 0 {
		scheme := v[:i]
		ok := true
		for k, c := range scheme {
			ok = ok && ('a' <= c|0x20 && c|0x20 <= 'z' || k > 0 && strings.ContainsRune("0123456789+-.", c))
		}
		return !ok
	}
	return true
}

// liveDOM finds what a page's DOM loads from refused trackers, as a
// browser with scripting on builds that DOM.
type liveDOM struct {
	cat      *classify.Catalog
	pol      Policy
	pageHost string
	base     string // host of the document's base URL, from the first <base href>
	baseSet  bool
	problems []string
}

func liveLiveTrackers(t testing.TB, cat *classify.Catalog, page string) []string {
	t.Helper()
	d := &liveDOM{cat: cat, pol: strictPolicy{}, pageHost: "www.example.com"}
	d.document(t, page, "")
	return d.problems
}

func (d *liveDOM) document(t testing.TB, page, where string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("html.Parse: %v", err)
	}
	d.walk(t, doc, where)
}

func liveAttr(n *html.Node, ns, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == ns && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// host resolves raw against the base URL.
func (d *liveDOM) host(raw string) string {
	if h := liveHost(raw); h != "" {
		return h
	}
	if d.base != "" && liveIsRelative(raw) {
		return d.base
	}
	return ""
}

func (d *liveDOM) refused(raw string) (string, bool) {
	h := d.host(raw)
	if t, ok := d.cat.LookupHost(h); ok && !d.pol.Allowed(t.Category) {
		return h, true
	}
	return h, false
}

func (d *liveDOM) add(where, format string, args ...any) {
	d.problems = append(d.problems, where+fmt.Sprintf(format, args...))
}

func (d *liveDOM) walk(t testing.TB, n *html.Node, where string) {
	t.Helper()
	if n.Type == html.ElementNode {
		htmlNS := n.Namespace == ""
		switch {
		case htmlNS && n.Data == "template":
			return // template content is inert
		case htmlNS && n.Data == "base":
			if v, ok := liveAttr(n, "", "href"); ok && !d.baseSet {
				d.baseSet = true
				d.base = liveHost(v)
			}
		case n.Data == "script" && (htmlNS || n.Namespace == "svg"):
			d.script(n, where)
		case htmlNS && (n.Data == "iframe" || n.Data == "frame" || n.Data == "embed" || n.Data == "object"):
			key := "src"
			if n.Data == "object" {
				key = "data"
			}
			if v, ok := liveAttr(n, "", key); ok {
				if h, bad := d.refused(v); bad {
					d.add(where, "<%s %s> loads %s", n.Data, key, h)
				}
			}
			if v, ok := liveAttr(n, "", "srcdoc"); ok && n.Data == "iframe" {
				// The frame shows srcdoc, whatever its src, and the
				// document in it has the page's base URL.
				sub := &liveDOM{cat: d.cat, pol: d.pol, pageHost: d.pageHost, base: d.base, baseSet: d.baseSet}
				sub.document(t, v, where+"srcdoc: ")
				d.problems = append(d.problems, sub.problems...)
			}
		case (htmlNS && n.Data == "img") || (n.Namespace == "svg" && n.Data == "image"):
			v, ok := liveAttr(n, "", "src")
			if !htmlNS {
				if v, ok = liveAttr(n, "", "href"); !ok {
					v, ok = liveAttr(n, "xlink", "href")
				}
			}
			if !ok {
				break
			}
			w, _ := liveAttr(n, "", "width")
			h, _ := liveAttr(n, "", "height")
			st, _ := liveAttr(n, "", "style")
			_, hidden := liveAttr(n, "", "hidden")
			e := classify.Element{Tag: n.Data, URL: htmlOracleURL(v), Host: d.host(v), Width: w, Height: h, Style: st, Hidden: hidden, PageHost: d.pageHost}
			if c, _, beacon := d.cat.Beacon(e); beacon && !d.pol.Allowed(c) {
				d.add(where, "<%s> beacon to %s", n.Data, e.Host)
			}
		case htmlNS && n.Data == "link":
			rel, _ := liveAttr(n, "", "rel")
			if v, ok := liveAttr(n, "", "href"); ok && hasHintRel([]byte(rel)) {
				if h, bad := d.refused(v); bad {
					d.add(where, "<link rel=%s> to %s", rel, h)
				}
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		d.walk(t, c, where)
	}
}

func (d *liveDOM) script(n *html.Node, where string) {
	typ, _ := liveAttr(n, "", "type")
	if classifyScriptType([]byte(typ)) != typeCode {
		return
	}
	var src string
	var ok bool
	if n.Namespace == "" {
		src, ok = liveAttr(n, "", "src")
	} else if src, ok = liveAttr(n, "", "href"); !ok {
		src, ok = liveAttr(n, "xlink", "href")
	}
	if ok {
		if h, bad := d.refused(src); bad {
			d.add(where, "<script> from %s", h)
		}
		return
	}
	var body strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			body.WriteString(c.Data)
		}
	}
	if tr, ok := d.cat.ScriptTracker([]byte(body.String())); ok && !d.pol.Allowed(tr.Category) {
		d.add(where, "inline <script> loads %s", tr.Provider)
	}
}

// liveCase is a page that loads a refused tracker.
type liveCase struct {
	name string
	page string
}

// liveCheck rewrites each page with opts and reports what the output
// still loads from refused trackers. It first checks that the input does
// load something, so that a case cannot pass for want of a tracker.
func liveCheck(t *testing.T, opts Options, cases []liveCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if len(liveLiveTrackers(t, opts.Catalog, tc.page)) == 0 {
				t.Fatalf("the input loads no refused tracker; the case proves nothing:\n%s", tc.page)
			}
			out := liveRewrite(t, opts, tc.page)
			if diff := cmp.Diff([]string(nil), liveLiveTrackers(t, opts.Catalog, out)); diff != "" {
				t.Errorf("the rewritten page still loads refused trackers (-want +got):\n%s\nin:  %s\nout: %s", diff, tc.page, out)
			}
		})
	}
}
