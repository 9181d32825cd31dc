package e2e

import (
	"os"
	"path/filepath"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// colorScheme emulates prefers-color-scheme ("light" or "dark").
func (b *browser) colorScheme(scheme string) {
	b.t.Helper()
	_, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
	if err != nil {
		b.t.Fatalf("emulating %s colour scheme: %v", scheme, err)
	}
}

// viewport sets the page's viewport; mobile turns on the phone behaviours
// (viewport meta tag, overlay scrollbars).
func (b *browser) viewport(width, height int64, scale float64, mobile bool) {
	b.t.Helper()
	_, err := chromedp.Call(b.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: width, Height: height, DeviceScaleFactor: scale, Mobile: mobile,
	})
	if err != nil {
		b.t.Fatalf("setting the viewport to %dx%d: %v", width, height, err)
	}
}

// screenshot writes a PNG of the viewport, or of the whole page when full,
// to artifacts/name.png and returns its path.
func (b *browser) screenshot(name string, full bool) string {
	b.t.Helper()
	return b.screenshotTo(artifactDir, name, full)
}

// docsEnv names the directory TestDocScreenshots writes to: set it to the
// repository's docs/ to regenerate the README's screenshots.
const docsEnv = "CRUMB_DOCS"

func docsDir() string {
	if d := os.Getenv(docsEnv); d != "" {
		return d
	}
	return filepath.Join(artifactDir, "docs")
}

// screenshotTo is screenshot into dir.
func (b *browser) screenshotTo(dir, name string, full bool) string {
	b.t.Helper()
	// Screenshots must show the page at rest, not halfway through a
	// transition the banner may run when it appears.
	b.waitJS("animations to finish", `document.getAnimations().every(a => a.playState !== 'running')`)
	var img []byte
	var err error
	if full {
		img, err = chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	} else {
		img, err = chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	}
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, img, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("wrote %s", p)
	return p
}
