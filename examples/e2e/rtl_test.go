package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// acceptLanguage makes every later request of the tab ask for lang.
func (b *browser) acceptLanguage(lang string) {
	b.t.Helper()
	_, err := chromedp.Call(b.ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"Accept-Language": lang},
	})
	if err != nil {
		b.t.Fatalf("setting Accept-Language %s: %v", lang, err)
	}
}

// rtlLayout is what a right-to-left check reads from the page.
type rtlLayout struct {
	Lang, Dir, Direction  string  // the element's lang and dir attributes, its computed direction
	FirstRight, NextRight float64 // right edges of its first two buttons, when on one row
	SameRow               bool
	TextAlign             string // computed text-align of its first paragraph
}

// readRTL reports the language, direction and button order of the first
// element sel matches.
func (b *browser) readRTL(sel string) rtlLayout {
	b.t.Helper()
	return eval[rtlLayout](b, `(() => {
		const el = document.querySelector('`+sel+`');
		if (!el) return {};
		const bs = [...el.querySelectorAll('button, a.crumb-btn')].filter(x => x.getBoundingClientRect().width > 0);
		const [a, c] = bs, ra = a ? a.getBoundingClientRect() : null, rc = c ? c.getBoundingClientRect() : null;
		const p = el.querySelector('p');
		return {Lang: el.lang, Dir: el.dir, Direction: getComputedStyle(el).direction,
			FirstRight: ra ? ra.right : 0, NextRight: rc ? rc.right : 0,
			SameRow: !!(ra && rc && Math.abs(ra.top - rc.top) < 2),
			TextAlign: p ? getComputedStyle(p).textAlign : ''};
	})()`)
}

// TestRightToLeft serves the shop to Arabic and Hebrew readers: the banner
// (on the shop's English page), the embed placeholder, the preferences page
// and the cookie declaration carry lang and dir="rtl", lay out from the
// right (the first button is the rightmost), pass axe-core's WCAG rules,
// and are written to artifacts/ as screenshots at 1280 and 375 px.
func TestRightToLeft(t *testing.T) {
	axe := requireAxe(t)
	b := newBrowser(t)
	for _, lang := range []string{"ar", "he"} {
		t.Run(lang, func(t *testing.T) {
			defer b.use(t)()
			b.acceptLanguage(lang)
			b.open("/")
			b.waitBanner()
			prefs := b.preferencesPath()
			decl := "/consent/declaration"

			check := func(what, sel string, buttons bool) {
				t.Helper()
				got := b.readRTL(sel)
				if got.Lang != lang || got.Dir != "rtl" || got.Direction != "rtl" {
					t.Errorf("%s: lang=%q dir=%q direction %q, want %s, rtl, rtl", what, got.Lang, got.Dir, got.Direction, lang)
				}
				if buttons && got.SameRow && got.FirstRight <= got.NextRight {
					t.Errorf("%s: the first button ends at %v px, left of the next one (%v px): laid out left to right", what, got.FirstRight, got.NextRight)
				}
				if got.TextAlign == "left" {
					t.Errorf("%s: paragraphs are aligned left", what)
				}
			}
			runAxe := func(what, sel string) {
				t.Helper()
				b.waitJS("animations to finish", `document.getAnimations().every(a => a.playState !== 'running')`)
				violations, passed := b.axe(axe, sel)
				if passed == 0 {
					t.Fatalf("axe-core passed no rule on the %s: it checked nothing", what)
				}
				for _, v := range violations {
					t.Errorf("axe-core, %s: %v", what, v)
				}
			}

			check("banner", bannerSel, true)
			runAxe("banner", bannerSel)
			b.open("/product/starter")
			b.waitJS("the embed placeholder", `document.querySelector('.crumb-placeholder')`)
			check("placeholder", ".crumb-placeholder", false)
			runAxe("placeholder", ".crumb-placeholder")
			b.open(prefs)
			check("preferences page", "html", false)
			runAxe("preferences page", "")
			b.open(decl)
			check("declaration", "html", false)
			runAxe("declaration", "")

			for _, l := range layouts {
				b.viewport(l.width, l.height, l.scale, l.mobile)
				name := fmt.Sprintf("%s-%s", lang, l.name)
				b.open("/")
				b.waitBanner()
				b.screenshot("rtl-banner-"+name, false)
				b.open("/product/starter")
				eval[bool](b, `(el => (el.scrollIntoView({block: 'start'}), true))(document.querySelector('.crumb-placeholder'))`)
				b.screenshot("rtl-placeholder-"+name, false)
				b.open(prefs)
				b.screenshot("rtl-preferences-"+name, true)
				if w := eval[float64](b, `document.documentElement.scrollWidth`); w > float64(l.width) {
					t.Errorf("%s preferences page is %v px wide on a %d px screen", lang, w, l.width)
				}
				b.open(decl)
				b.screenshot("rtl-declaration-"+name, true)
			}
			b.viewport(layouts[0].width, layouts[0].height, layouts[0].scale, layouts[0].mobile)
		})
	}
}
