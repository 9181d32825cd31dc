// Package e2e holds crumb's real-browser tests: they build and run the demo
// shop (examples/demo), drive a headless Chromium against it with chromedp,
// and send every third-party host the shop embeds to a local fake tracker
// server, so that what consent lets through can be observed from the
// outside: requests that reach the trackers and cookies in the browser.
//
// The package itself only holds that fake server, [Trackers]; the tests
// are the point. See README.md for how to run them.
package e2e
