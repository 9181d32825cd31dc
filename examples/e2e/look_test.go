package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// layouts are the screens the banner and the preferences page are checked
// on: a laptop and a 375 px wide phone.
var layouts = []struct {
	name          string
	width, height int64
	scale         float64
	mobile        bool
}{
	{"desktop", 1280, 800, 1, false},
	{"phone", 375, 740, 2, true},
}

var schemes = []string{"light", "dark"}

// TestScreenshots writes the banner and the preferences page, in light and
// dark colour schemes, on a laptop and on a phone, to artifacts/ for a
// person to look at. It checks what a screenshot cannot be trusted to show:
// nothing is wider than the screen, the banner's buttons fit, and a page
// that declares a dark scheme gets a dark banner.
func TestScreenshots(t *testing.T) {
	b := newBrowser(t)
	b.open("/")
	b.waitBanner()
	prefs := b.preferencesPath()

	background := map[string]string{}
	for _, l := range layouts {
		for _, scheme := range schemes {
			name := fmt.Sprintf("%s-%s", scheme, l.name)
			t.Run(name, func(t *testing.T) {
				defer b.use(t)()
				b.viewport(l.width, l.height, l.scale, l.mobile)
				b.colorScheme(scheme)

				b.open("/")
				b.waitBanner()
				if scheme == "dark" {
					eval[chromedp.Void](b, declareDark)
				}
				b.screenshot("banner-"+name, false)
				fit := eval[struct {
					PageWidth, ViewWidth    float64
					BannerLeft, BannerRight float64
					Clipped                 []string
					Background              string
				}](b, `(() => {
					const el = document.querySelector('`+bannerSel+`'), r = el.getBoundingClientRect();
					const clipped = [...el.querySelectorAll('button, a')].filter(x => {
						const q = x.getBoundingClientRect();
						return q.left < 0 || q.right > innerWidth || x.scrollWidth > x.clientWidth + 1;
					}).map(x => x.textContent.trim());
					return {PageWidth: document.documentElement.scrollWidth, ViewWidth: innerWidth,
						BannerLeft: r.left, BannerRight: r.right, Clipped: clipped,
						Background: getComputedStyle(el).backgroundColor};
				})()`)
				if fit.ViewWidth != float64(l.width) {
					t.Errorf("viewport is %v px wide, want %d", fit.ViewWidth, l.width)
				}
				if fit.BannerLeft < 0 || fit.BannerRight > fit.ViewWidth {
					t.Errorf("banner spans %v..%v px on a %v px screen", fit.BannerLeft, fit.BannerRight, fit.ViewWidth)
				}
				if len(fit.Clipped) > 0 {
					t.Errorf("banner controls cut off or overflowing: %q", fit.Clipped)
				}
				background[name] = fit.Background

				b.open(prefs)
				b.screenshot("preferences-"+name, true)
				width := eval[float64](b, `document.documentElement.scrollWidth`)
				if width > float64(l.width) {
					t.Errorf("preferences page is %v px wide on a %d px screen: it scrolls sideways", width, l.width)
				}
			})
		}
		if bg := background["light-"+l.name]; bg != "" && bg == background["dark-"+l.name] {
			t.Errorf("%s: the banner has the same background (%s) in light and dark schemes", l.name, bg)
		}
	}
}
