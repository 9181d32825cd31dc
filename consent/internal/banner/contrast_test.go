package banner

import (
	"fmt"
	"maps"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// This test reads the stylesheet the way a reviewer would: it resolves the
// colour custom properties for the light and the dark scheme (the two
// arguments of light-dark()), with crumb's defaults and with a site's brand
// colour set in --crumb-accent alone, finds every
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
		case strings.HasPrefix(prelude, "@supports"):
			rules = append(rules, parseCSS(t, body, prelude)...)
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

var varRef = regexp.MustCompile(`var\(\s*(--[\w-]+)`)

// cssArgs splits the arguments of a CSS function call at its top-level
// commas. s starts after the opening parenthesis; the rest after the
// closing one is returned too.
func cssArgs(s string) (args []string, rest string, err error) {
	depth, last := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return append(args, strings.TrimSpace(s[last:i])), s[i+1:], nil
			}
			depth--
		case ',':
			if depth == 0 {
				args = append(args, strings.TrimSpace(s[last:i]))
				last = i + 1
			}
		}
	}
	return nil, "", fmt.Errorf("unclosed function in %q", s)
}

// resolve turns a colour value into a colour: var() with fallbacks (vars
// holds the stylesheet's own properties and what a site sets), light-dark()
// for the scheme, color-mix() in srgb, and hex colours.
func resolve(v string, vars map[string]string, dark bool) (rgb, error) {
	return resolveDepth(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "!important")), vars, dark, 0)
}

func resolveDepth(v string, vars map[string]string, dark bool, depth int) (rgb, error) {
	if depth > 10 {
		return rgb{}, fmt.Errorf("too deep: %q", v)
	}
	name, inner, ok := strings.Cut(v, "(")
	if !ok {
		return parseHex(v)
	}
	args, rest, err := cssArgs(inner)
	if err != nil {
		return rgb{}, err
	}
	if strings.TrimSpace(rest) != "" {
		return rgb{}, fmt.Errorf("more than one value in %q", v)
	}
	switch name {
	case "var":
		if def, ok := vars[args[0]]; ok {
			return resolveDepth(def, vars, dark, depth+1)
		}
		if len(args) < 2 {
			return rgb{}, fmt.Errorf("undefined %s", args[0])
		}
		return resolveDepth(strings.Join(args[1:], ","), vars, dark, depth+1)
	case "light-dark":
		if len(args) != 2 {
			return rgb{}, fmt.Errorf("light-dark with %d arguments", len(args))
		}
		if dark {
			return resolveDepth(args[1], vars, dark, depth+1)
		}
		return resolveDepth(args[0], vars, dark, depth+1)
	case "color-mix":
		if len(args) != 3 || args[0] != "in srgb" {
			return rgb{}, fmt.Errorf("unsupported color-mix(%s)", strings.Join(args, ","))
		}
		c1, p1, err := mixPart(args[1], vars, dark, depth)
		if err != nil {
			return rgb{}, err
		}
		c2, p2, err := mixPart(args[2], vars, dark, depth)
		if err != nil {
			return rgb{}, err
		}
		switch {
		case p1 < 0 && p2 < 0:
			p1, p2 = 50, 50
		case p2 < 0:
			p2 = 100 - p1
		case p1 < 0:
			p1 = 100 - p2
		}
		var out rgb
		for i := range out {
			out[i] = (c1[i]*p1 + c2[i]*p2) / (p1 + p2)
		}
		return out, nil
	}
	return rgb{}, fmt.Errorf("unsupported function %s()", name)
}

// mixPart reads "colour [percent]"; the percentage is -1 when absent.
func mixPart(s string, vars map[string]string, dark bool, depth int) (rgb, float64, error) {
	p := -1.0
	if i := strings.LastIndexByte(s, ' '); i > 0 && strings.HasSuffix(s, "%") && !strings.HasSuffix(s[:i], "(") {
		if f, err := strconv.ParseFloat(s[i+1:len(s)-1], 64); err == nil {
			p, s = f, s[:i]
		}
	}
	c, err := resolveDepth(strings.TrimSpace(s), vars, dark, depth+1)
	return c, p, err
}

func TestResolve(t *testing.T) {
	vars := map[string]string{"--a": "light-dark(var(--crumb-accent,#000),var(--crumb-dark-accent,color-mix(in srgb,var(--crumb-accent,#000) 40%,#fff)))"}
	for _, tt := range []struct {
		v    string
		dark bool
		site string
		want string
	}{
		{"var(--a)", false, "", "#000000"},
		{"var(--a)", true, "", "#999999"},
		{"var(--a)", false, "#ff0000", "#ff0000"},
		{"var(--a)", true, "#ff0000", "#ff9999"},
		{"color-mix(in srgb,#000,#fff)", false, "", "#808080"},
		{"var(--x,#123456) !important", false, "", "#123456"},
	} {
		v := maps.Clone(vars)
		if tt.site != "" {
			v["--crumb-accent"] = tt.site
		}
		got, err := resolve(tt.v, v, tt.dark)
		if err != nil {
			t.Errorf("resolve(%q): %v", tt.v, err)
			continue
		}
		if h := fmt.Sprintf("#%02x%02x%02x", int(math.Round(got[0]*255)), int(math.Round(got[1]*255)), int(math.Round(got[2]*255))); h != tt.want {
			t.Errorf("resolve(%q, dark %v, accent %q) = %s, want %s", tt.v, tt.dark, tt.site, h, tt.want)
		}
	}
}

// brands are accents a site might set in --crumb-accent alone: crumb's
// default, a burnt orange, a teal and a purple, each dark enough for white
// text and links on white, as the README asks.
var brands = []string{"", "#9a3412", "#0f766e", "#6d28d9"}

func TestStylesheetContrast(t *testing.T) {
	rules := parseCSS(t, Stylesheet(), "")
	own := map[string]string{}
	for _, r := range rules {
		if r.selector == ".crumb" && r.media == "" {
			for k, v := range r.decls {
				if strings.HasPrefix(k, "--") {
					own[k] = v
				}
			}
		}
	}
	if len(own) < 6 {
		t.Fatalf("the .crumb rule defines %d colour properties, want the six of the palette", len(own))
	}
	// Light and dark must differ, or the dark scheme would be a no-op.
	lb, err1 := resolve("var(--b)", own, false)
	db, err2 := resolve("var(--b)", own, true)
	if err1 != nil || err2 != nil || lb == db {
		t.Fatalf("background light %v (%v), dark %v (%v): the schemes must differ", lb, err1, db, err2)
	}

	type pair struct{ selector, fg, bg string }
	var text, nontext []pair
	for _, r := range rules {
		if strings.HasPrefix(r.media, "@supports") {
			continue // the fallback for browsers without light-dark(): the light scheme again
		}
		bg, hasBG := r.decls["background"]
		if !hasBG {
			bg, hasBG = r.decls["background-color"]
		}
		if bg == "none" || bg == "transparent" {
			hasBG = false
		}
		if fg, ok := r.decls["color"]; ok {
			if !hasBG {
				bg = "var(--b)"
			}
			text = append(text, pair{r.selector, fg, bg})
		} else if hasBG && strings.TrimSuffix(bg, "!important") != "var(--b)" && !strings.Contains(r.selector, "::before") {
			nontext = append(nontext, pair{r.selector, bg, "var(--b)"})
		}
		if o, ok := r.decls["outline"]; ok {
			if m := varRef.FindString(o); m != "" {
				nontext = append(nontext, pair{r.selector + " (outline)", m + ")", "var(--b)"})
			}
		}
	}
	// The rules this checks must exist, or the test would pass on nothing.
	for _, sel := range []string{".crumb", ".crumb a", ".crumb .crumb-btn", ".crumb .crumb-btn2", ".crumb-settings:is(a)",
		".crumb-req,.crumb-note,.crumb-status,.crumb-st", ".crumb summary"} {
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

	for _, brand := range brands {
		vars := maps.Clone(own)
		if brand != "" {
			vars["--crumb-accent"] = brand
		}
		for _, dark := range []bool{false, true} {
			scheme := "light"
			if dark {
				scheme = "dark"
			}
			check := func(p pair, min float64) {
				fg, err := resolve(p.fg, vars, dark)
				if err != nil {
					t.Errorf("%s %s: colour %s: %v", scheme, p.selector, p.fg, err)
					return
				}
				bg, err := resolve(p.bg, vars, dark)
				if err != nil {
					t.Errorf("%s %s: background %s: %v", scheme, p.selector, p.bg, err)
					return
				}
				c := contrast(fg, bg)
				if c < min {
					t.Errorf("accent %q, %s %s: %s on %s has contrast %.2f:1, need %.1f:1", brand, scheme, p.selector, p.fg, p.bg, c, min)
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
}
