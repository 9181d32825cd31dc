package e2e

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

// axeViolation is the part of an axe-core result a failure message needs.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		fmt.Fprintf(&sb, "\n    at %v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", "\n      "))
	}
	return sb.String()
}

// axeTags are the WCAG 2.x level A and AA rule sets.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axe injects axe-core into the page and runs it on the elements that
// selector matches (the whole document when it is ""). It returns the
// violations, and how many rules passed, so that a caller can tell a clean
// run from one that checked nothing.
func (b *browser) axe(src, selector string) (violations []axeViolation, passed int) {
	b.t.Helper()
	eval[chromedp.Void](b, src)
	target := "document"
	if selector != "" {
		q, _ := json.Marshal(selector)
		target = "{include: [" + string(q) + "]}"
	}
	tags, _ := json.Marshal(axeTags)
	script := fmt.Sprintf(`axe.run(%s, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})
		.then(r => ({violations: r.violations, passes: r.passes.length}))`, target, tags)
	res := eval[struct {
		Violations []axeViolation `json:"violations"`
		Passes     int            `json:"passes"`
	}](b, script, chromedp.EvalAwaitPromise)
	return res.Violations, res.Passes
}
