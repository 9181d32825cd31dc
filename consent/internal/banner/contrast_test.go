package banner

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// This test reads the stylesheet the way a reviewer would: it resolves the
// colour custom properties for the light and the dark scheme, finds every
// rule that sets a text colour (paired with the background the same rule
// sets, or the card background) and every focus outline or filled control
// (paired with the card background), and computes the WCAG 2.2 contrast
// ratio of each pair: 4.5:1 for text, 3:1 for non-text (SC 1.4.3, 1.4.11).

type cssRule struct {
	selector, media string
	decls           map[string]string
}

func parseCSS(t *testing.T, s, media string) []cssRule {
	t.Helper()
	s = regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(s, "")
	var rules []cssRule
	for {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			if strings.TrimSpace(s) != "" {
				t.Fatalf("trailing CSS: %q", s)
			}
			return rules
		}
		prelude := strings.TrimSpace(s[:open])
		depth, end := 0, -1
		for i := open; i < len(s); i++ {
			switch s[i] {
			case '{':
				depth++
			case '}':
				depth--
			}
			if depth == 0 {
				end = i
				break
			}
		}
		if end < 0 {
			t.Fatalf("unbalanced braces after %q", prelude)
		}
		body := s[open+1 : end]
		s = s[end+1:]
		switch {
		case strings.HasPrefix(prelude, "@media"):
			rules = append(rules, parseCSS(t, body, strings.TrimSpace(strings.TrimPrefix(prelude, "@media")))...)
		case strings.HasPrefix(prelude, "@keyframes"):
		default:
			decls := map[string]string{}
			for _, d := range strings.Split(body, ";") {
				k, v, ok := strings.Cut(d, ":")
				if ok {
					decls[strings.TrimSpace(k)] = strings.TrimSpace(v)
				}
			}
			rules = append(rules, cssRule{selector: prelude, media: media, decls: decls})
		}
	}
}

type rgb [3]float64

func parseHex(s string) (rgb, error) {
	s = strings.TrimPrefix(s, "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	if len(s) != 6 {
		return rgb{}, fmt.Errorf("not a #rgb or #rrggbb colour: %q", s)
	}
	var c rgb
	for i := range 3 {
		v, err := strconv.ParseUint(s[2*i:2*i+2], 16, 8)
		if err != nil {
			return rgb{}, err
		}
		c[i] = float64(v) / 255
	}
	return c, nil
}

// luminance is WCAG's relative luminance.
func luminance(c rgb) float64 {
	var l [3]float64
	for i, v := range c {
		if v <= 0.04045 {
			l[i] = v / 12.92
		} else {
			l[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

func contrast(a, b rgb) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestContrastFormula(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"#000", "#fff", 21},
		{"#fff", "#fff", 1},
		{"#777", "#fff", 4.48},
		{"#767676", "#fff", 4.54},
	}
	for _, tt := range tests {
		a, _ := parseHex(tt.a)
		b, _ := parseHex(tt.b)
		if got := contrast(a, b); math.Abs(got-tt.want) > 0.01 {
			t.Errorf("contrast(%s, %s) = %.3f, want %.2f", tt.a, tt.b, got, tt.want)
		}
	}
}

var varRef = regexp.MustCompile(`var\(\s*(--[\w-]+)\s*(?:,\s*([^)]+))?\)`)

// resolve turns a colour value into a colour under one scheme's variables.
func resolve(v string, vars map[string]string) (rgb, error) {
	for range 5 {
		m := varRef.FindStringSubmatch(v)
		if m == nil {
			break
		}
		if def, ok := vars[m[1]]; ok {
			v = def
		} else if m[2] != "" {
			v = m[2]
		} else {
			return rgb{}, fmt.Errorf("undefined %s", m[1])
		}
	}
	return parseHex(strings.TrimSpace(v))
}

func TestStylesheetContrast(t *testing.T) {
	rules := parseCSS(t, Stylesheet(), "")
	schemes := map[string]map[string]string{"light": {}, "dark": {}}
	for _, r := range rules {
		if r.selector != ".crumb" {
			continue
		}
		scheme := "light"
		if strings.Contains(r.media, "prefers-color-scheme:dark") {
			scheme = "dark"
		} else if r.media != "" {
			continue
		}
		for k, v := range r.decls {
			if strings.HasPrefix(k, "--") {
				schemes[scheme][k] = v
			}
		}
	}
	if len(schemes["dark"]) < 5 {
		t.Fatalf("dark scheme defines %d colours; the stylesheet must define a dark scheme", len(schemes["dark"]))
	}
	// The dark scheme starts from the light variables it does not redefine.
	for k, v := range schemes["light"] {
		if _, ok := schemes["dark"][k]; !ok {
			schemes["dark"][k] = v
		}
	}

	type pair struct{ selector, fg, bg string }
	var text, nontext []pair
	for _, r := range rules {
		if strings.Contains(r.media, "prefers-color-scheme") {
			continue // variable definitions, checked through the pairs
		}
		bg, hasBG := r.decls["background"]
		if !hasBG {
			bg, hasBG = r.decls["background-color"]
		}
		if fg, ok := r.decls["color"]; ok {
			if !hasBG {
				bg = "var(--b)"
			}
			text = append(text, pair{r.selector, fg, bg})
		} else if hasBG && bg != "var(--b)" && !strings.Contains(r.selector, "::before") {
			nontext = append(nontext, pair{r.selector, bg, "var(--b)"})
		}
		if o, ok := r.decls["outline"]; ok {
			if m := varRef.FindString(o); m != "" {
				nontext = append(nontext, pair{r.selector + " (outline)", m, "var(--b)"})
			}
		}
	}
	// The rules this checks must exist, or the test would pass on nothing.
	for _, sel := range []string{".crumb", ".crumb a", ".crumb .crumb-btn", ".crumb-req,.crumb-note,.crumb-status", ".crumb summary"} {
		found := false
		for _, p := range text {
			found = found || p.selector == sel
		}
		if !found {
			t.Errorf("no text colour pair for %q", sel)
		}
	}
	if len(nontext) < 3 {
		t.Errorf("only %d non-text pairs found (focus outline, switch track on and off expected)", len(nontext))
	}

	for _, scheme := range []string{"light", "dark"} {
		vars := schemes[scheme]
		check := func(p pair, min float64) {
			fg, err := resolve(p.fg, vars)
			if err != nil {
				t.Errorf("%s %s: colour %s: %v", scheme, p.selector, p.fg, err)
				return
			}
			bg, err := resolve(p.bg, vars)
			if err != nil {
				t.Errorf("%s %s: background %s: %v", scheme, p.selector, p.bg, err)
				return
			}
			c := contrast(fg, bg)
			t.Logf("%-5s %-40s %-10s on %-10s %5.2f:1", scheme, p.selector, p.fg, p.bg, c)
			if c < min {
				t.Errorf("%s %s: %s on %s has contrast %.2f:1, need %.1f:1", scheme, p.selector, p.fg, p.bg, c, min)
			}
		}
		for _, p := range text {
			check(p, 4.5)
		}
		for _, p := range nontext {
			check(p, 3)
		}
	}
}
