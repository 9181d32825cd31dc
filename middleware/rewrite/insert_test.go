package rewrite

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestNextMark checks the one-pass search for inserted markup's marks
// against the plain one: the first of bytes.Index for either mark.
func TestNextMark(t *testing.T) {
	ref := func(m []byte) (int, int, bool) {
		o, n := bytes.Index(m, []byte(OriginMark)), bytes.Index(m, []byte(nonceMark))
		switch {
		case o < 0 && n < 0:
			return -1, 0, false
		case n < 0 || o >= 0 && o < n:
			return o, len(OriginMark), true
		}
		return n, len(nonceMark), false
	}
	cases := []string{
		"",
		"-",
		"crumb-",
		OriginMark,
		nonceMark,
		"data-crumb-nonce", // no leading space: not the placeholder
		" data-crumb-nonc", // cut short
		"crumb-origin",     // no colon
		"xcrumb-origin:/a", // a mark inside a longer word is still a mark
		`<a href="crumb-origin:/consent/">` + nonceMark,
		`<script` + nonceMark + ` src="crumb-origin:/consent/crumb.js"></script>`,
		` data- data-crumb-nonce`,
		`--crumb--crumb-origin:`,
		`<section class="crumb crumb-banner" id="crumb-banner"><a class="crumb-btn" href="/x">`,
	}
	// Random markup made of the marks' pieces, where a near miss is likely.
	pieces := []string{"crumb", "-", " ", "data", "origin", ":", "nonce", "x", OriginMark, nonceMark}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		var b []byte
		for range rng.IntN(12) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		gi, gn, go_ := nextMark([]byte(c))
		wi, wn, wo := ref([]byte(c))
		if gi != wi || gn != wn || go_ != wo {
			t.Errorf("nextMark(%q) = %d, %d, %v; want %d, %d, %v", c, gi, gn, go_, wi, wn, wo)
		}
	}
}
