package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// What a site page or crumb's own pages can be switched to before a check:
// the page's own declarations, never the operating system's setting alone.
const (
	// declareDark makes the page declare a dark colour scheme, as a site
	// with a dark theme does on its root element.
	declareDark = `document.documentElement.style.colorScheme = 'dark'`
	// makeRTL lays the page and every crumb element out right to left, as
	// a page in Arabic or Hebrew is.
	makeRTL = `document.documentElement.dir = 'rtl';
		document.querySelectorAll('.crumb').forEach(e => e.dir = 'rtl')`
)

// crumbParts selects everything crumb puts into a site's page.
const crumbParts = `#crumb-banner, .crumb-placeholder, .crumb-ph-form, [data-crumb-settings]`

// TestKeyboardBannerFirst: on a page the visitor has not answered, the
// first Tab stop is in the banner; Escape minimises the banner to its
// "Cookie settings" link and moves focus there; and the banner traps
// nothing: Tab goes on into the page.
func TestKeyboardBannerFirst(t *testing.T) {
	b := newBrowser(t)
	b.open("/product/starter")
	b.waitBanner()

	b.do("press Tab", chromedp.KeyEvent(kb.Tab))
	first := eval[string](b, `(e => e && e.closest('#crumb-banner') ? 'banner' : (e ? e.outerHTML.slice(0, 80) : 'none'))(document.activeElement)`)
	if first != "banner" {
		t.Fatalf("the first Tab stop is %s, want an element of the banner", first)
	}

	// Tab on: focus must leave the banner after its own controls.
	controls := eval[int](b, `document.querySelectorAll('#crumb-banner a:not([hidden]), #crumb-banner button').length`)
	left := false
	for range controls + 1 {
		b.do("press Tab", chromedp.KeyEvent(kb.Tab))
		if eval[bool](b, `!!document.activeElement && !document.activeElement.closest('#crumb-banner')`) {
			left = true
			break
		}
	}
	if !left {
		t.Fatalf("%d presses of Tab after the first never left the banner's %d controls: focus is trapped", controls+1, controls)
	}

	// Back into the banner, then Escape.
	b.do("focus the banner's first control", chromedp.Focus(chromedp.CSS(acceptSel)))
	b.do("press Escape", chromedp.KeyEvent(kb.Escape))
	got := eval[struct {
		FormHidden, LinkFocused bool
		Height                  float64
		Link                    string
	}](b, `(() => {
		const b = document.querySelector('#crumb-banner'), m = b.querySelector('[data-crumb-mini]');
		return {FormHidden: b.querySelector('form').hidden, LinkFocused: document.activeElement === m,
			Height: b.getBoundingClientRect().height, Link: m.hidden ? '' : m.textContent};
	})()`)
	if !got.FormHidden || !got.LinkFocused || got.Link == "" {
		t.Errorf("after Escape: form hidden %v, settings link %q focused %v; want the banner minimised to a focused settings link", got.FormHidden, got.Link, got.LinkFocused)
	}
	if got.Height > 60 {
		t.Errorf("the minimised banner is %.0f px tall, want a single line", got.Height)
	}
	b.screenshot("banner-minimised", false)
}

// TestLayoutNothingCovered checks the banner on a 375 px phone: it takes far less
// than 40% of the screen, and at every scroll position, no embed
// placeholder's button is covered by it (or by anything else): the element
// at the centre of each button on screen is that button. On a laptop the
// footer's "Cookie settings" link is never covered either.
func TestLayoutNothingCovered(t *testing.T) {
	b := newBrowser(t)
	for _, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			defer b.use(t)()
			b.viewport(l.width, l.height, l.scale, l.mobile)
			b.open("/product/starter")
			b.waitBanner()
			share := eval[float64](b, `document.querySelector('#crumb-banner').getBoundingClientRect().height / innerHeight`)
			t.Logf("the banner takes %.0f%% of a %dx%d screen", share*100, l.width, l.height)
			if share > 0.3 {
				t.Errorf("the banner takes %.0f%% of the screen, want well under 40%%", share*100)
			}
			res := eval[struct {
				Checked int
				Covered []string
			}](b, `(async () => {
				const out = [], max = document.documentElement.scrollHeight - innerHeight;
				const targets = [...document.querySelectorAll('.crumb-placeholder .crumb-btn, .crumb-ph-form .crumb-btn, [data-crumb-settings]')];
				let checked = 0;
				for (let y = 0; y <= max + 20; y += 20) {
					scrollTo(0, Math.min(y, max));
					await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
					for (const el of targets) {
						const r = el.getBoundingClientRect(), x = r.left + r.width / 2, c = r.top + r.height / 2;
						if (c < 0 || c > innerHeight) continue;
						checked++;
						const hit = document.elementFromPoint(x, c);
						if (!el.contains(hit)) out.push(el.textContent.trim() + ' at scroll ' + scrollY + ' under ' + (hit ? hit.outerHTML.slice(0, 60) : 'nothing'));
					}
				}
				scrollTo(0, 0);
				return {Checked: checked, Covered: out};
			})()`, chromedp.EvalAwaitPromise)
			if res.Checked == 0 {
				t.Fatal("no placeholder button or settings link was ever on screen: the check saw nothing")
			}
			for _, c := range res.Covered {
				t.Errorf("covered: %s", c)
			}
			t.Logf("%d on-screen positions of placeholder buttons and the settings link checked", res.Checked)
		})
	}
}

// TestSettingsLinkContrast: the injected "Cookie settings" link brings its
// own colours, so that a site's link colours, even a hostile pale one,
// cannot make it unreadable.
func TestSettingsLinkContrast(t *testing.T) {
	b := newBrowser(t)
	b.open("/")
	b.waitBanner()
	for _, site := range []struct{ name, css string }{
		{"the demo's own styles", ""},
		{"pale footer links", `footer a, a:link, a:visited { color: #f1f1f1; background: #fff; }`},
		{"dark footer", `footer { background: #111; color: #eee } footer a { color: #222 }`},
	} {
		t.Run(site.name, func(t *testing.T) {
			defer b.use(t)()
			if site.css != "" {
				q := fmt.Sprintf("%q", site.css)
				eval[chromedp.Void](b, `(s => { const e = document.createElement('style'); e.textContent = s; document.head.append(e) })(`+q+`)`)
			}
			c := eval[float64](b, contrastOf(settingsSel))
			t.Logf("contrast %.2f:1", c)
			if c < 4.5 {
				t.Errorf("the settings link's contrast is %.2f:1, want at least 4.5:1", c)
			}
		})
	}
}

// contrastOf is a script computing the WCAG contrast of an element's text
// against its own background (which crumb's elements always paint).
func contrastOf(sel string) string {
	return `(() => {
		const el = document.querySelector('` + sel + `'), s = getComputedStyle(el);
		const lum = c => { const v = c.match(/[\d.]+/g).slice(0, 3).map(x => x / 255)
			.map(x => x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4);
			return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
		const a = lum(s.color), b = lum(s.backgroundColor);
		return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
	})()`
}

// TestDarkOnlyWhenDeclared: the operating system's dark preference alone
// leaves the banner light on a light-only site; the page declaring a dark
// scheme (CSS color-scheme or the color-scheme meta tag) or opting in with
// data-crumb-theme turns it dark.
func TestDarkOnlyWhenDeclared(t *testing.T) {
	b := newBrowser(t)
	bg := func() string {
		return eval[string](b, `getComputedStyle(document.querySelector('#crumb-banner')).backgroundColor`)
	}
	b.colorScheme("light")
	b.open("/")
	b.waitBanner()
	light := bg()

	b.colorScheme("dark")
	b.open("/")
	b.waitBanner()
	if got := bg(); got != light {
		t.Errorf("with only the system set to dark, the banner's background is %s, want the light %s", got, light)
	}
	for _, c := range []struct{ name, script string }{
		{"color-scheme on the root", declareDark},
		{"color-scheme meta tag", `(m => { m.name = 'color-scheme'; m.content = 'dark'; document.head.append(m) })(document.createElement('meta'))`},
		{"data-crumb-theme opt-in", `document.documentElement.dataset.crumbTheme = 'dark'`},
	} {
		b.open("/")
		b.waitBanner()
		eval[chromedp.Void](b, c.script)
		if got := bg(); got == light {
			t.Errorf("%s: the banner stays light (%s)", c.name, got)
		}
	}
	// A site that is dark but wants crumb light says so.
	b.open("/")
	eval[chromedp.Void](b, declareDark+`; document.documentElement.dataset.crumbTheme = 'light'`)
	if got := bg(); got != light {
		t.Errorf("data-crumb-theme=light on a dark page: background %s, want %s", got, light)
	}
}

// TestPreferencesReturn: with the script on, Save and Reject on the
// preferences page lead back to the page it was opened from, as the plain
// form does.
func TestPreferencesReturn(t *testing.T) {
	b := newBrowser(t)
	for _, action := range []string{"save", "reject"} {
		b.open("/consent/?return=/product/cloche")
		b.waitJS("the script", `document.crumbJS === 1`)
		b.do("click "+action, chromedp.Click(chromedp.CSS(`button[name="action"][value="`+action+`"]`)))
		b.waitJS("the shop page the preferences were opened from", `location.pathname === '/product/cloche'`)
	}
	// Opened without a return path, the page stays and confirms.
	b.open("/consent/")
	b.waitJS("the script", `document.crumbJS === 1`)
	b.do("click save", chromedp.Click(chromedp.CSS(`button[name="action"][value="save"]`)))
	b.waitJS("the confirmation", `document.querySelector('[data-crumb-status]').textContent !== ''`)
	if p := eval[string](b, `location.pathname`); p != "/consent/" {
		t.Errorf("without a return path the page went to %s", p)
	}
}

// TestLoadOnce: "Load once" activates the one embed in the page, stores no
// decision, and the next page view has the placeholder again.
func TestLoadOnce(t *testing.T) {
	b := newBrowser(t)
	b.open("/product/starter")
	b.waitBanner()
	b.do("click Load once", chromedp.Click(chromedp.CSS(`[data-crumb-once]`)))
	b.waitJS("the player to load", `(f => f && f.getAttribute('src') && f.src.includes('youtube'))(document.querySelector('.video iframe'))`)
	if n := eval[int](b, `document.querySelectorAll('.crumb-placeholder').length`); n != 0 {
		t.Errorf("%d placeholders left after Load once", n)
	}
	if !eval[bool](b, bannerVisible) {
		t.Errorf("Load once answered the banner: it decides nothing")
	}
	if _, ok := b.consentState(); ok {
		t.Errorf("Load once stored a consent cookie")
	}
	b.open("/product/starter")
	if n := eval[int](b, `document.querySelectorAll('.crumb-placeholder').length`); n != 1 {
		t.Errorf("the next page view has %d placeholders, want the one again", n)
	}
}

// axeTarget is one thing axe-core checks: a page, the parts of it to
// check (all of it when sel is empty) and how crumb's pages are told to be
// dark (they declare "light dark", so they follow the system).
type axeTarget struct{ name, path, sel string }

var axeTargets = []axeTarget{
	{"banner, placeholder and settings link", "/product/starter", crumbParts},
	{"preferences", "/consent/?return=/", ""},
	{"declaration", "/consent/declaration?return=/", ""},
}

// TestAccessibilityEverywhere runs axe-core's WCAG 2.x A and AA rules on
// every crumb page and every element crumb injects, light, dark (the page
// declares it) and right to left.
func TestAccessibilityEverywhere(t *testing.T) {
	axe := requireAxe(t)
	b := newBrowser(t)
	for _, target := range axeTargets {
		for _, mode := range []string{"light", "dark", "rtl"} {
			t.Run(target.name+"/"+mode, func(t *testing.T) {
				defer b.use(t)()
				b.colorScheme(map[bool]string{true: "dark", false: "light"}[mode == "dark"])
				b.open(target.path)
				switch mode {
				case "dark":
					eval[chromedp.Void](b, declareDark)
				case "rtl":
					eval[chromedp.Void](b, makeRTL)
				}
				b.waitJS("animations to finish", `document.getAnimations().every(a => a.playState !== 'running')`)
				if mode == "rtl" {
					b.screenshot("rtl-"+strings.Trim(strings.Fields(target.name)[0], ","), true)
				}
				violations, passed := b.axe(axe, target.sel)
				if passed == 0 {
					t.Fatalf("axe-core passed no rule on %s: it checked nothing", target.path)
				}
				for _, v := range violations {
					t.Errorf("axe-core: %v", v)
				}
				t.Logf("%d rules passed, %d violated", passed, len(violations))
			})
		}
	}
}

// TestDocScreenshots writes the README's screenshots: the banner, the
// preferences page, an embed placeholder and the cookie declaration, on a
// laptop and on a phone, to $CRUMB_DOCS (the repository's docs/ when
// regenerating them) or artifacts/docs.
func TestDocScreenshots(t *testing.T) {
	dir := docsDir()
	b := newBrowser(t)
	for _, l := range []struct {
		width, height int64
		scale         float64
		mobile        bool
	}{{1280, 800, 1, false}, {375, 740, 2, true}} {
		t.Run(fmt.Sprint(l.width), func(t *testing.T) {
			defer b.use(t)()
			b.viewport(l.width, l.height, l.scale, l.mobile)
			b.colorScheme("light")
			suffix := fmt.Sprintf("-%d", l.width)

			b.open("/")
			b.waitBanner()
			b.screenshotTo(dir, "banner"+suffix, false)

			b.open("/product/starter")
			b.waitBanner()
			if l.mobile {
				eval[chromedp.Void](b, `document.querySelector('.crumb-placeholder').scrollIntoView({block: 'center'})`)
			}
			b.screenshotTo(dir, "placeholder"+suffix, false)

			b.open("/consent/?return=/")
			b.do("switch analytics on", chromedp.Click(chromedp.CSS(`input.crumb-switch[value="analytics"]`)))
			b.screenshotTo(dir, "preferences"+suffix, !l.mobile)

			b.open("/consent/declaration?return=/")
			if l.mobile {
				eval[chromedp.Void](b, `document.querySelectorAll('.crumb-cat')[2].scrollIntoView({block: 'start'})`)
			}
			b.screenshotTo(dir, "declaration"+suffix, false)
			if w := eval[float64](b, `document.documentElement.scrollWidth`); w > float64(l.width) {
				t.Errorf("the declaration is %v px wide on a %d px screen", w, l.width)
			}
			clipped := eval[[]string](b, `[...document.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent)`)
			if len(clipped) > 0 {
				t.Errorf("declaration cells cut off: %s", strings.Join(clipped, ", "))
			}
		})
	}
}
