package main

import (
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// What counts as a live tracker in a page, judged the way a browser runs
// it: a script of a JavaScript type with a tracker src, or with a known
// loader in its text; an img or iframe with a tracker src, also inside
// <noscript> (which a browser without JavaScript parses as markup).

var trackerHosts = []string{
	"googletagmanager.com", "google-analytics.com", "facebook.net", "facebook.com",
	"youtube.com", "youtube-nocookie.com", "linkedin.com",
}

// inlineMarkers name the loaders an inline script may carry.
var inlineMarkers = []string{"gtag('config'", "googletagmanager.com/gtm.js", "fbevents.js"}

func trackerHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	for _, t := range trackerHosts {
		if h == t || strings.HasSuffix(h, "."+t) {
			return h
		}
	}
	return ""
}

func isJavaScriptType(t string) bool {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript":
		return true
	}
	return false
}

// liveTrackers lists, sorted, the trackers the page would run or load.
func liveTrackers(doc string) []string {
	var out []string
	z := html.NewTokenizer(strings.NewReader(doc))
	var inScript, inNoscript bool
	for {
		switch z.Next() {
		case html.ErrorToken:
			slices.Sort(out)
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			attr := func(name string) (string, bool) {
				for _, a := range t.Attr {
					if a.Key == name {
						return a.Val, true
					}
				}
				return "", false
			}
			switch t.Data {
			case "script":
				typ, _ := attr("type")
				inScript = isJavaScriptType(typ)
				if src, ok := attr("src"); ok && inScript {
					if h := trackerHost(src); h != "" {
						out = append(out, "script "+h)
					}
				}
			case "img", "iframe":
				if src, ok := attr("src"); ok {
					if h := trackerHost(src); h != "" {
						out = append(out, t.Data+" "+h)
					}
				}
			case "noscript":
				inNoscript = true
			}
		case html.EndTagToken:
			switch t, _ := z.TagName(); string(t) {
			case "script":
				inScript = false
			case "noscript":
				inNoscript = false
			}
		case html.TextToken:
			text := string(z.Text())
			switch {
			case inScript:
				for _, m := range inlineMarkers {
					if strings.Contains(text, m) {
						out = append(out, "inline "+m)
					}
				}
			case inNoscript:
				for _, t := range liveTrackers(text) {
					out = append(out, "noscript "+t)
				}
			}
		}
	}
}
