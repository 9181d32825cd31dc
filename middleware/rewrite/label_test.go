package rewrite

import (
	"strings"
	"testing"

	"github.com/crumbhq/crumb/classify"
	"github.com/google/go-cmp/cmp"
)

// A Label set by Decide marks blocked markup and the default placeholder
// instead of the category's name; a label that is not a plain name is
// ignored, so Decide cannot break out of the attribute.
func TestLabel(t *testing.T) {
	const page = `<script src="https://www.google-analytics.com/analytics.js"></script>` +
		`<iframe src="https://www.youtube.com/embed/x"></iframe>` +
		`<img src="https://www.facebook.com/tr?id=1&ev=PageView" width="1" height="1">`
	for _, tt := range []struct {
		label string
		want  []string
	}{
		{"video", []string{"video", "video", "video", "video"}},
		{"", []string{"analytics", "social", "social", "marketing"}},
		{`x" onload="alert(1)`, []string{"analytics", "social", "social", "marketing"}},
		{"Video", []string{"analytics", "social", "social", "marketing"}},
	} {
		t.Run(tt.label, func(t *testing.T) {
			opts := htmlStrictOptions(t)
			opts.HeadStart, opts.HeadEnd, opts.BodyStart, opts.BodyEnd = nil, nil, nil, nil
			opts.Policy = PolicyFunc(func(c classify.Category) bool { return false })
			opts.Decide = func(e *Element, def Action) Action {
				e.Label = tt.label
				return ActionBlock
			}
			out := string(htmlRun(t, New(opts), []byte(page), nil, 4096))
			var got []string
			for rest := out; ; {
				_, after, ok := strings.Cut(rest, `data-crumb-category="`)
				if !ok {
					break
				}
				v, _, _ := strings.Cut(after, `"`)
				got = append(got, v)
				rest = after
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("data-crumb-category values (-want +got):\n%s\n%s", diff, out)
			}
		})
	}
}
