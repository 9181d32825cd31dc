package classify

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const thirdPartyWebTrainJSON = "third-party-web/entities.train.json"

func TestLoadThirdPartyWebRealFile(t *testing.T) {
	data := readSharedData(t, thirdPartyWebTrainJSON)
	cat, err := LoadThirdPartyWeb(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}

	tests := []hostCase{
		// "*.googlesyndication.com" of the ad entity: "*." is stripped and
		// the host matches its subdomains.
		{"pagead2.googlesyndication.com", Tracker{Host: "googlesyndication.com", Category: Marketing, Provider: "Google/Doubleclick Ads"}, true},
		{"googlesyndication.com", Tracker{Host: "googlesyndication.com", Category: Marketing, Provider: "Google/Doubleclick Ads"}, true},
		// A plain domain stays as written.
		{"analytics.google.com", Tracker{Host: "analytics.google.com", Category: Analytics, Provider: "Google Analytics"}, true},
		{"static.hotjar.com", Tracker{Host: "hotjar.com", Category: Analytics, Provider: "Hotjar"}, true},
		{"www.facebook.com", Tracker{Host: "facebook.com", Category: Social, Provider: "Facebook"}, true},
		// video and customer-success are third-party content: Social.
		{"www.youtube-nocookie.com", Tracker{Host: "youtube-nocookie.com", Category: Social, Provider: "YouTube"}, true},
		{"widget.intercom.io", Tracker{Host: "intercom.io", Category: Social, Provider: "Intercom"}, true},
		// tag-manager waits for analytics consent.
		{"tags.tiqcdn.com", Tracker{}, false},
		{"collect.tealiumiq.com", Tracker{Host: "tealiumiq.com", Category: Analytics, Provider: "Tealium"}, true},
		// cdn, hosting, utility and consent-provider are skipped, not made
		// necessary.
		{"cdnjs.cloudflare.com", Tracker{}, false},
		{"cdn.jsdelivr.net", Tracker{}, false},
		{"fonts.googleapis.com", Tracker{}, false},
		{"s0.wp.com", Tracker{}, false},
		{"consent.cookiebot.com", Tracker{}, false},
		{"accounts.google.com", Tracker{}, false},
	}
	checkHosts(t, cat, tests)

	// Count independently: distinct domains, "*." stripped, of entities in
	// the tracking categories.
	var entities []struct {
		Category string
		Domains  []string
	}
	if err := json.Unmarshal(data, &entities); err != nil {
		t.Fatal(err)
	}
	tracking := map[string]bool{"ad": true, "marketing": true, "analytics": true, "tag-manager": true, "social": true, "video": true, "content": true, "customer-success": true}
	hosts := map[string]bool{}
	all := 0
	for _, e := range entities {
		all += len(e.Domains)
		if !tracking[e.Category] {
			continue
		}
		for _, d := range e.Domains {
			hosts[strings.ToLower(strings.TrimPrefix(d, "*."))] = true
		}
	}
	_, n := cat.Len()
	if n != len(hosts) {
		t.Errorf("loaded %d hosts, the file lists %d in tracking categories", n, len(hosts))
	}
	if n < all/2 {
		t.Errorf("loaded %d of %d domains", n, all)
	}
	t.Logf("%d domain patterns -> %d tracker hosts", all, n)
}

func TestLoadThirdPartyWebMalformed(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"empty", "", "classify: third-party-web entities: offset 0: unexpected end of JSON input"},
		{"truncated", `[{"name": "AdCo", "category": "ad", "domains": ["*.adco.exa`,
			"classify: third-party-web entities: offset 59: unexpected end of JSON input"},
		{"trailing garbage", `[] []`,
			"classify: third-party-web entities: offset 4: invalid character '[' after top-level value"},
		{"object", `{"name": "AdCo"}`,
			"classify: third-party-web entities: field (top level) at offset 1: JSON object where an array was expected"},
		{"null", `null`,
			"classify: third-party-web entities: top level is null, want an array of entities"},
		{"null entity", `[{"name": "AdCo", "category": "ad", "domains": []}, null]`,
			"classify: third-party-web entities: field [1]: null, want an entity"},
		{"domains a string", `[{"name": "AdCo", "category": "ad", "domains": "adco.example"}]`,
			"classify: third-party-web entities: field [0].domains: JSON string where an array was expected"},
		{"category a number", `[{"name": "AdCo", "category": 3, "domains": []}]`,
			"classify: third-party-web entities: field [0].category: JSON number where a string was expected"},
		{"inner wildcard", `[{"name": "AdCo", "category": "ad", "domains": ["adco.example", "cdn.*.adco.example"]}]`,
			`classify: third-party-web entities: field [0].domains[1]: "cdn.*.adco.example" is not a host name or *.host`},
		{"bare wildcard", `[{"name": "AdCo", "category": "analytics", "domains": ["*"]}]`,
			`classify: third-party-web entities: field [0].domains[0]: "*" is not a host name or *.host`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadThirdPartyWeb(strings.NewReader(tt.input))
			if c != nil {
				t.Errorf("got a catalog, want nil")
			}
			if diff := cmp.Diff(tt.want, errText(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadThirdPartyWebEntries(t *testing.T) {
	input := `[
	  {"name": "AdCo", "company": "AdCo Inc", "category": "ad", "domains": ["*.adco.example", "pixel.adco-cdn.example"]},
	  {"name": "Chat", "category": "customer-success", "domains": ["*.chat.example", "*.adco.example"]},
	  {"name": "Libs", "category": "cdn", "domains": ["*.libs.example"]},
	  {"name": "Shiny", "category": "shiny-new-category", "domains": ["*.shiny.example"]},
	  {"name": "Tags", "category": "tag-manager", "domains": ["TAGS.example"], "examples": ["tags.example/t.js"]}
	]`
	c, err := LoadThirdPartyWeb(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	want := []Tracker{
		{Host: "adco.example", Category: Marketing, Provider: "AdCo"},
		{Host: "pixel.adco-cdn.example", Category: Marketing, Provider: "AdCo"},
		{Host: "chat.example", Category: Social, Provider: "Chat"},
		{Host: "tags.example", Category: Analytics, Provider: "Tags"},
	}
	if diff := cmp.Diff(want, c.Trackers()); diff != "" {
		t.Errorf("trackers (-want +got):\n%s", diff)
	}
}

func BenchmarkLoadThirdPartyWeb(b *testing.B) {
	data := readSharedData(b, thirdPartyWebTrainJSON)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := LoadThirdPartyWeb(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
