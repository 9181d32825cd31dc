package rewrite

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"

	"github.com/crumbhq/crumb/classify"
)

// The test oracle: what a browser would fetch from a page, found with
// x/net/html's Tokenizer and net/url, apart from the rewriter's own code.

// htmlExecutableTrackers lists the references in page that make a browser
// contact a refused tracker, read the way x/net/html's Tokenizer reads the
// page (with scripting on), plus the images and frames inside <noscript>
// that a browser with scripting off would load.
func htmlExecutableTrackers(cat *classify.Catalog, pol Policy, pageHost string, page []byte) []string {
	var problems []string
	var base string
	refusedHost := func(raw string) (string, bool) {
		h := htmlOracleHost(raw)
		if h == "" && base != "" && !strings.Contains(raw, ":") && !strings.HasPrefix(strings.TrimSpace(raw), "//") {
			h = base
		}
		if t, ok := cat.LookupHost(h); ok && !pol.Allowed(t.Category) {
			return h, true
		}
		return h, false
	}
	var check func(z *html.Tokenizer, scriptingOff bool)
	check = func(z *html.Tokenizer, scriptingOff bool) {
		prevScriptExec := false
		prev := ""
		for {
			tt := z.Next()
			switch tt {
			case html.ErrorToken:
				return
			case html.TextToken:
				switch {
				case prev == "script" && prevScriptExec && !scriptingOff:
					if tr, ok := cat.ScriptTracker(z.Raw()); ok && !pol.Allowed(tr.Category) {
						problems = append(problems, fmt.Sprintf("inline script loads %s (%s)", tr.Provider, tr.Category))
					}
				case prev == "noscript" && !scriptingOff:
					check(html.NewTokenizer(bytes.NewReader(z.Raw())), true)
				}
				prev = ""
				continue
			case html.StartTagToken, html.SelfClosingTagToken:
			default:
				prev = ""
				continue
			}
			tok := z.Token()
			prev = tok.Data
			attr := func(name string) (string, bool) {
				for _, a := range tok.Attr {
					if a.Namespace == "" && a.Key == name {
						return a.Val, true
					}
				}
				return "", false
			}
			for _, a := range tok.Attr {
				if a.Key == "ping" || (a.Key == "attributionsrc" && strings.TrimSpace(a.Val) != "") {
					if c, _, ok := cat.PingBeacon(pageHost, a.Val); ok && !pol.Allowed(c) {
						problems = append(problems, fmt.Sprintf("<%s %s=%q>", tok.Data, a.Key, a.Val))
					}
				}
			}
			switch tok.Data {
			case "base":
				if v, ok := attr("href"); ok && base == "" {
					base = htmlOracleHost(v)
				}
			case "script":
				typ, _ := attr("type")
				prevScriptExec = classifyScriptType([]byte(typ)) == typeCode
				if scriptingOff || !prevScriptExec {
					continue
				}
				for _, n := range []string{"src", "href", "xlink:href"} {
					if v, ok := attr(n); ok {
						if n == "src" {
							// A script with a src, even an empty one,
							// never runs its inline text (HTML "prepare
							// the script element"). href counts only in
							// SVG, which the Tokenizer cannot tell apart.
							prevScriptExec = false
						}
						if h, bad := refusedHost(v); bad {
							problems = append(problems, fmt.Sprintf("<script %s> to %s", n, h))
						}
						break
					}
				}
			case "iframe", "frame", "embed", "object":
				n := "src"
				if tok.Data == "object" {
					n = "data"
				}
				if v, ok := attr(n); ok {
					if h, bad := refusedHost(v); bad {
						problems = append(problems, fmt.Sprintf("<%s> to %s", tok.Data, h))
					}
				}
			case "img", "image", "input", "source", "video":
				w, _ := attr("width")
				hgt, _ := attr("height")
				st, _ := attr("style")
				_, hidden := attr("hidden")
				beacon := func(n, u string) {
					e := classify.Element{Tag: tok.Data, URL: htmlOracleURL(u), Width: w, Height: hgt, Style: st, Hidden: hidden, InNoscript: scriptingOff, PageHost: pageHost}
					if c, _, isB := cat.Beacon(e); isB && !pol.Allowed(c) {
						problems = append(problems, fmt.Sprintf("<%s %s> beacon %s", tok.Data, n, u))
					}
				}
				var n string
				switch tok.Data {
				case "img", "input":
					n = "src"
				case "image":
					n = "href"
				case "video":
					n = "poster"
				}
				if typ, _ := attr("type"); tok.Data == "input" && !strings.EqualFold(typ, "image") {
					continue
				}
				if v, ok := attr(n); ok && n != "" {
					beacon(n, v)
				}
				if v, ok := attr("srcset"); ok && (tok.Data == "img" || tok.Data == "source") {
					for _, u := range htmlOracleCandidates(v) {
						beacon("srcset", u)
					}
				}
			case "link":
				rel, _ := attr("rel")
				if !hasHintRel([]byte(rel)) {
					continue
				}
				if v, ok := attr("href"); ok {
					if h, bad := refusedHost(v); bad {
						problems = append(problems, fmt.Sprintf("<link rel=%s> to %s", rel, h))
					}
				}
				if v, ok := attr("imagesrcset"); ok {
					for _, u := range htmlOracleCandidates(v) {
						if c, _, isB := cat.Beacon(classify.Element{Tag: "link", URL: htmlOracleURL(u), PageHost: pageHost}); isB && !pol.Allowed(c) {
							problems = append(problems, fmt.Sprintf("<link imagesrcset> beacon %s", u))
						}
					}
				}
			}
		}
	}
	check(html.NewTokenizer(bytes.NewReader(page)), false)
	return problems
}

// htmlOracleCandidates lists the URLs of a decoded srcset value, read
// field by field: the first field of a candidate is its URL (less the
// commas around it, a trailing one ending the candidate), and a comma
// outside parentheses in a descriptor field ends it, what follows in that
// field starting the next.
func htmlOracleCandidates(v string) []string {
	var urls []string
	wantURL, inParen := true, false
	fields := strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(" \t\n\f\r", r) })
	for len(fields) > 0 {
		f := fields[0]
		fields = fields[1:]
		if wantURL {
			if f = strings.TrimLeft(f, ","); f != "" {
				u := strings.TrimRight(f, ",")
				urls = append(urls, u)
				wantURL = u != f
			}
			continue
		}
		for i, r := range f {
			switch {
			case r == '(':
				inParen = true
			case r == ')':
				inParen = false
			case r == ',' && !inParen:
				wantURL, inParen = true, false
				if rest := f[i+1:]; rest != "" {
					fields = append([]string{rest}, fields...)
				}
			}
			if wantURL {
				break
			}
		}
	}
	return urls
}

// htmlOracleURL cleans a decoded attribute value as the URL parser does.
func htmlOracleURL(v string) string {
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, v)
	return strings.TrimFunc(v, func(r rune) bool { return r <= ' ' })
}

// htmlOracleHost finds the host of a decoded attribute value with net/url,
// independently of the rewriter's own code.
func htmlOracleHost(v string) string {
	v = htmlOracleURL(v)
	v = strings.ReplaceAll(v, `\`, "/")
	if strings.HasPrefix(v, "//") {
		v = "https:" + v
	}
	if u, err := url.Parse(v); err == nil {
		if strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "https") {
			if u.Host == "" && u.Opaque != "" {
				return strings.ToLower(strings.TrimLeft(u.Opaque, "/"))
			}
			return strings.ToLower(u.Hostname())
		}
		return ""
	}
	return classify.HostOf(v)
}
