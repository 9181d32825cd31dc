package classify

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const duckDuckGoTrainJSON = "duckduckgo/extension-tds.train.json"

func TestLoadDuckDuckGoRealFile(t *testing.T) {
	data := readSharedData(t, duckDuckGoTrainJSON)
	cat, err := LoadDuckDuckGo(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}

	tests := []hostCase{
		// block; Analytics, Audience Measurement, Session Replay.
		{"script.hotjar.com", Tracker{Host: "hotjar.com", Category: Analytics, Provider: "Hotjar"}, true},
		// block; advertising tags.
		{"trc.taboola.com", Tracker{Host: "taboola.com", Category: Marketing, Provider: "Taboola"}, true},
		{"ib.adnxs.com", Tracker{Host: "adnxs.com", Category: Marketing, Provider: "Microsoft"}, true},
		// block with Embedded Content among advertising tags: the stricter wins.
		{"bat.bing.com", Tracker{Host: "bing.com", Category: Marketing, Provider: "Microsoft"}, true},
		// block with no tags at all: a cross-site tracker, so Marketing.
		{"analytics.tiktok.com", Tracker{Host: "tiktok.com", Category: Marketing, Provider: "ByteDance"}, true},
		// default "ignore": DuckDuckGo lets these load; so does the loader.
		{"cdnjs.cloudflare.com", Tracker{}, false},
		{"js.stripe.com", Tracker{}, false},
		{"www.facebook.com", Tracker{}, false},
		// A CNAME-cloaked first-party name pointing into dotomi.com (block).
		{"dtm.academy.com", Tracker{Host: "dtm.academy.com", Category: Marketing, Provider: "Conversant"}, true},
	}
	checkHosts(t, cat, tests)

	// Count independently: every "block" tracker is loaded, plus at most one
	// host per cname.
	// Consent tools and shared infrastructure (the exception list) are
	// not loaded.
	var doc struct {
		Trackers map[string]struct{ Default string }
		CNAMEs   map[string]string `json:"cnames"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	blocked := 0
	for host, tr := range doc.Trackers {
		if tr.Default == "block" && !excepted(host) {
			blocked++
		}
	}
	_, n := cat.Len()
	if n < blocked || n > blocked+len(doc.CNAMEs) {
		t.Errorf("loaded %d hosts; the file blocks %d trackers and has %d cnames", n, blocked, len(doc.CNAMEs))
	}
	if blocked < 1000 {
		t.Errorf("the file blocks only %d trackers: wrong file?", blocked)
	}
	t.Logf("%d blocked trackers + %d cloaked names -> %d tracker hosts", blocked, n-blocked, n)
}

func TestLoadDuckDuckGoMalformed(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"empty", "", "classify: duckduckgo tds.json: offset 0: unexpected end of JSON input"},
		{"truncated", `{"trackers": {"ads.example": {"default": "blo`,
			"classify: duckduckgo tds.json: offset 45: unexpected end of JSON input"},
		{"no trackers", `{"entities": {}}`,
			`classify: duckduckgo tds.json: field "trackers" missing or null`},
		{"trackers an array", `{"trackers": []}`,
			"classify: duckduckgo tds.json: field trackers at offset 14: JSON array where an object was expected"},
		{"categories a string", `{"trackers": {"ads.example": {"default": "block", "categories": "Advertising"}}}`,
			`classify: duckduckgo tds.json: field trackers["ads.example"].categories: JSON string where an array was expected`},
		{"owner a string", `{"trackers": {"ads.example": {"owner": "AdCo", "default": "block"}}}`,
			`classify: duckduckgo tds.json: field trackers["ads.example"].owner: JSON string where an object was expected`},
		{"bad tracker key", `{"trackers": {"ads example": {"default": "block"}}}`,
			`classify: duckduckgo tds.json: field trackers["ads example"]: key is not a host name`},
		{"bad cname target", `{"trackers": {}, "cnames": {"t.shop.example": "x/y"}}`,
			`classify: duckduckgo tds.json: field cnames["t.shop.example"]: "x/y" is not a host name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadDuckDuckGo(strings.NewReader(tt.input))
			if c != nil {
				t.Errorf("got a catalog, want nil")
			}
			if diff := cmp.Diff(tt.want, errText(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadDuckDuckGoEntries(t *testing.T) {
	input := `{
	  "readme": "for the test only",
	  "trackers": {
	    "ads.example": {"domain": "ads.example", "owner": {"name": "AdCo Ltd", "displayName": "AdCo"}, "default": "block",
	      "categories": ["Advertising", "Embedded Content"]},
	    "stats.example": {"owner": {"name": "Stats Inc"}, "default": "block", "categories": ["Audience Measurement", "Content Delivery"]},
	    "widgets.example": {"owner": {"displayName": "Widgets"}, "default": "block", "categories": ["Social - Share", "Brand New Tag"]},
	    "pay.example": {"owner": {"displayName": "Pay"}, "default": "block", "categories": ["Online Payment", "SSO"]},
	    "payads.example": {"owner": {"displayName": "PayAds"}, "default": "block", "categories": ["Online Payment", "Advertising"]},
	    "odd.example": {"owner": {"displayName": "Odd"}, "default": "block", "categories": ["Obscure Ownership"]},
	    "privacy-center.org": {"owner": {"displayName": "Didomi"}, "default": "block", "categories": []},
	    "cmp.osano.com": {"owner": {"displayName": "Osano"}, "default": "block"},
	    "cdn.example": {"owner": {"displayName": "CDN"}, "default": "ignore", "categories": ["Analytics"],
	      "rules": [{"rule": "cdn\\.example\\/pixel"}]},
	    "future.example": {"owner": {"displayName": "Future"}, "default": "redirect"},
	    "null.example": null
	  },
	  "cnames": {"m.shop.example": "edge.stats.example", "img.shop.example": "cdn.example"}
	}`
	c, err := LoadDuckDuckGo(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	want := []Tracker{
		{Host: "ads.example", Category: Marketing, Provider: "AdCo"},
		{Host: "odd.example", Category: Marketing, Provider: "Odd"},
		{Host: "payads.example", Category: Marketing, Provider: "PayAds"},
		{Host: "stats.example", Category: Analytics, Provider: "Stats Inc"},
		{Host: "widgets.example", Category: Social, Provider: "Widgets"},
		{Host: "m.shop.example", Category: Analytics, Provider: "Stats Inc"},
	}
	if diff := cmp.Diff(want, c.Trackers()); diff != "" {
		t.Errorf("trackers (-want +got):\n%s", diff)
	}
}

func BenchmarkLoadDuckDuckGo(b *testing.B) {
	data := readSharedData(b, duckDuckGoTrainJSON)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := LoadDuckDuckGo(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
