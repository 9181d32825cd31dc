package classify

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// checkLoaded is what every loader fuzz target asserts: a failed load
// returns no catalog and an error saying it comes from classify; a
// successful one answers lookups for every entry it holds.
func checkLoaded(t *testing.T, c *Catalog, err error) {
	t.Helper()
	if err != nil {
		if c != nil {
			t.Fatalf("error %v came with a catalog", err)
		}
		if !strings.HasPrefix(err.Error(), "classify: ") {
			t.Fatalf("error %q lacks the classify prefix", err)
		}
		return
	}
	if c == nil {
		t.Fatal("no error and no catalog")
	}
	for _, ck := range c.Cookies() {
		if !validCategory(ck.Category) {
			t.Fatalf("cookie %q has category %d", ck.Pattern, ck.Category)
		}
		name := ck.Pattern
		switch {
		case strings.IndexByte(name, '*') < 0:
		case isPrefix(name):
			name = name[:len(name)-1] + "x"
		default:
			continue // a pattern: any name may match a more specific rule
		}
		got, ok := c.LookupCookie(name, ck.Domain)
		if !ok {
			t.Fatalf("LookupCookie(%q) found nothing, though the catalog holds %q", name, ck.Pattern)
		}
		if name == ck.Pattern && got != ck {
			t.Fatalf("LookupCookie(%q) = %+v, want %+v", name, got, ck)
		}
	}
	for _, tr := range c.Trackers() {
		if !validCategory(tr.Category) {
			t.Fatalf("tracker %q has category %d", tr.Host, tr.Category)
		}
		got, ok := c.LookupHost("sub." + tr.Host)
		if !ok {
			t.Fatalf("LookupHost(sub.%s) found nothing", tr.Host)
		}
		if got.Host != tr.Host && !strings.HasSuffix(tr.Host, "."+got.Host) {
			t.Fatalf("LookupHost(sub.%s) = %q, want it or a parent", tr.Host, got.Host)
		}
		if got, _ := c.LookupHost(tr.Host); got != tr {
			t.Fatalf("LookupHost(%q) = %+v, want %+v", tr.Host, got, tr)
		}
	}
	// The loaded table must also merge over the built-in one.
	merged := Builtin().Merge(c)
	if a, b := merged.Len(); a < len(c.Cookies()) || b < len(c.Trackers()) {
		t.Fatalf("merge lost entries: %d cookies, %d trackers", a, b)
	}
}

func fuzzLoader(f *testing.F, load func(io.Reader) (*Catalog, error), seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := load(bytes.NewReader(data))
		checkLoaded(t, c, err)
	})
}

func FuzzLoadOpenCookieDatabase(f *testing.F) {
	fuzzLoader(f, LoadOpenCookieDatabase,
		ocdHeader+"1,Acme,Analytics,acme_id,,Counts visits,1 year,Acme,,0\n",
		ocdHeader+"1,Acme,Marketing,acme_,,Ads,90 days,Acme,,1\n2,Acme,Security,__Host-csrf,,CSRF,session,Acme,,0\n",
		ocdHeader+"1,Acme,Functional,\"a,b\",,x,,,,0\n",
		"",
	)
}

func FuzzLoadDisconnect(f *testing.F) {
	fuzzLoader(f, LoadDisconnect,
		`{"categories":{"Advertising":[{"AdCo":{"https://adco.example/":["adco.example"],"performance":"true"}}]}}`,
		`{"categories":{"Social":[{"S":{"u":["s.example","s.example/p"]}}],"Analytics":[{"S":{"u":["s.example"]}}]}}`,
		`{"categories":null}`,
	)
}

func FuzzLoadDuckDuckGo(f *testing.F) {
	fuzzLoader(f, LoadDuckDuckGo,
		`{"trackers":{"ads.example":{"owner":{"displayName":"AdCo"},"default":"block","categories":["Advertising"]}},"cnames":{"t.shop.example":"x.ads.example"}}`,
		`{"trackers":{"cdn.example":{"default":"ignore","categories":["Analytics"]},"n.example":null}}`,
		`{"trackers":{}}`,
	)
}

func FuzzLoadThirdPartyWeb(f *testing.F) {
	fuzzLoader(f, LoadThirdPartyWeb,
		`[{"name":"AdCo","category":"ad","domains":["*.adco.example","pixel.adco.example"]}]`,
		`[{"name":"Libs","category":"cdn","domains":["*.libs.example"]},{"name":"V","category":"video","domains":["v.example."]}]`,
		`[]`,
	)
}
