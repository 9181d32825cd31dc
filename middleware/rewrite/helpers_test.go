package rewrite

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"golang.org/x/text/transform"

	"github.com/crumbhq/crumb/classify"
)

// htmlTrackers is the catalog the HTML tests use: every host the fixture
// pages embed, with the category a real catalog gives it. The tests do not
// depend on the builtin catalog's contents.
var htmlTrackers = []classify.Tracker{
	{Host: "googletagmanager.com", Category: classify.Analytics, Provider: "Google Tag Manager"},
	{Host: "google-analytics.com", Category: classify.Analytics, Provider: "Google Analytics"},
	{Host: "clarity.ms", Category: classify.Analytics, Provider: "Microsoft Clarity"},
	{Host: "hotjar.com", Category: classify.Analytics, Provider: "Hotjar"},
	{Host: "facebook.net", Category: classify.Marketing, Provider: "Meta"},
	{Host: "facebook.com", Category: classify.Marketing, Provider: "Meta"},
	{Host: "licdn.com", Category: classify.Marketing, Provider: "LinkedIn"},
	{Host: "ads.linkedin.com", Category: classify.Marketing, Provider: "LinkedIn"},
	{Host: "analytics.tiktok.com", Category: classify.Marketing, Provider: "TikTok"},
	{Host: "ads-twitter.com", Category: classify.Marketing, Provider: "X"},
	{Host: "analytics.twitter.com", Category: classify.Marketing, Provider: "X"},
	{Host: "platform.twitter.com", Category: classify.Social, Provider: "X"},
	{Host: "pinimg.com", Category: classify.Marketing, Provider: "Pinterest"},
	{Host: "ct.pinterest.com", Category: classify.Marketing, Provider: "Pinterest"},
	{Host: "bat.bing.com", Category: classify.Marketing, Provider: "Microsoft Advertising"},
	{Host: "doubleclick.net", Category: classify.Marketing, Provider: "Google Ads"},
	{Host: "googleadservices.com", Category: classify.Marketing, Provider: "Google Ads"},
	{Host: "alb.reddit.com", Category: classify.Marketing, Provider: "Reddit"},
	{Host: "youtube.com", Category: classify.Social, Provider: "YouTube"},
	{Host: "youtube-nocookie.com", Category: classify.Social, Provider: "YouTube"},
	{Host: "vimeo.com", Category: classify.Social, Provider: "Vimeo"},
	{Host: "apis.google.com", Category: classify.Social, Provider: "Google"},
	{Host: "maps.google.com", Category: classify.Social, Provider: "Google Maps"},
	{Host: "widget.intercom.io", Category: classify.Preferences, Provider: "Intercom"},
	{Host: "cdn.example-necessary.com", Category: classify.Necessary, Provider: "CDN"},
}

func htmlTestCatalog(t testing.TB) *classify.Catalog {
	t.Helper()
	c, err := classify.NewCatalog(nil, htmlTrackers)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// htmlAllow returns a Policy allowing Necessary and the given categories.
func htmlAllow(cats ...classify.Category) Policy {
	return PolicyFunc(func(c classify.Category) bool {
		return c == classify.Necessary || slices.Contains(cats, c)
	})
}

// htmlRun drives r like a streaming writer: the input arrives in pieces
// split at the given offsets, unconsumed input is kept and presented again
// with the next piece, and output goes through a dst of dstSize bytes.
func htmlRun(t testing.TB, r transform.Transformer, in []byte, splits []int, dstSize int) []byte {
	t.Helper()
	r.Reset()
	var out, pending []byte
	dst := make([]byte, dstSize)
	feed := func(atEOF bool) {
		for {
			nDst, nSrc, err := r.Transform(dst, pending, atEOF)
			out = append(out, dst[:nDst]...)
			pending = pending[nSrc:]
			switch {
			case err == nil:
				if atEOF && len(pending) > 0 {
					t.Fatalf("Transform returned nil at EOF with %d bytes unconsumed", len(pending))
				}
				return
			case errors.Is(err, transform.ErrShortDst):
				if nDst == 0 && nSrc == 0 {
					t.Fatalf("Transform made no progress with ErrShortDst (dst %d bytes)", dstSize)
				}
			case errors.Is(err, transform.ErrShortSrc):
				if atEOF {
					t.Fatalf("Transform returned ErrShortSrc at EOF")
				}
				pending = slices.Clone(pending) // the next piece is appended
				return
			default:
				t.Fatalf("Transform: %v", err)
			}
		}
	}
	prev := 0
	for _, s := range splits {
		if s < prev || s > len(in) {
			continue
		}
		pending = append(pending, in[prev:s]...)
		prev = s
		feed(false)
	}
	pending = append(pending, in[prev:]...)
	feed(true)
	return out
}

// htmlOnce rewrites in as one piece through a roomy dst.
func htmlOnce(t testing.TB, r transform.Transformer, in []byte) []byte {
	t.Helper()
	return htmlRun(t, r, in, nil, len(in)*2+4096)
}

type htmlFixture struct {
	name string
	data []byte
}

// htmlOwnFixtures reads crumb's own fixture pages in testdata/html.
func htmlOwnFixtures(t testing.TB) []htmlFixture {
	t.Helper()
	return htmlReadDir(t, filepath.Join("..", "..", "testdata", "html"), "")
}

// htmlSharedFixtures reads the saved public pages in ../shared/data/html,
// or returns nil when that folder is absent (a plain clone).
func htmlSharedFixtures(t testing.TB) []htmlFixture {
	t.Helper()
	root := filepath.Join("..", "..", "..", "shared", "data", "html")
	if _, err := os.Stat(root); err != nil {
		return nil
	}
	var all []htmlFixture
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if d.IsDir() {
			all = append(all, htmlReadDir(t, filepath.Join(root, d.Name()), d.Name()+"/")...)
		}
	}
	return all
}

func htmlReadDir(t testing.TB, dir, prefix string) []htmlFixture {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var fs []htmlFixture
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".html") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, htmlFixture{prefix + e.Name(), b})
	}
	return fs
}

// htmlAllFixtures is ours plus the shared pages, logging when the latter
// are missing.
func htmlAllFixtures(t testing.TB) []htmlFixture {
	t.Helper()
	own := htmlOwnFixtures(t)
	if len(own) == 0 {
		t.Fatal("no fixture pages in testdata/html")
	}
	shared := htmlSharedFixtures(t)
	if shared == nil {
		t.Log("../shared/data/html is absent: testing crumb's own fixture pages only")
	}
	return append(own, shared...)
}

// htmlWant rewrites in with r in one piece and then a byte at a time
// through a dst of dstSize bytes, and checks that both give want.
func htmlWant(t *testing.T, r *Rewriter, in, want string, dstSize int) {
	t.Helper()
	got := string(htmlOnce(t, r, []byte(in)))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	got1 := string(htmlRun(t, r, []byte(in), htmlEvery(len(in)), dstSize))
	if diff := cmp.Diff(got, got1); diff != "" {
		t.Errorf("byte-at-a-time output differs (-whole +pieces):\n%s", diff)
	}
}
