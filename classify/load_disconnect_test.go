package classify

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const disconnectTrainJSON = "disconnect/services.train.json"

func TestLoadDisconnectRealFile(t *testing.T) {
	data := readSharedData(t, disconnectTrainJSON)
	cat, err := LoadDisconnect(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}

	tests := []hostCase{
		// Listed under Analytics only.
		{"static.hotjar.com", Tracker{Host: "hotjar.com", Category: Analytics, Provider: "ContentSquare"}, true},
		// Listed under Social only.
		{"s7.addthis.com", Tracker{Host: "addthis.com", Category: Social, Provider: "Oracle"}, true},
		{"platform.twitter.com", Tracker{Host: "twitter.com", Category: Social, Provider: "Twitter"}, true},
		// Social and Advertising: the stricter wins.
		{"analytics.tiktok.com", Tracker{Host: "tiktok.com", Category: Marketing, Provider: "Bytedance"}, true},
		// Social and FingerprintingGeneral.
		{"www.facebook.com", Tracker{Host: "facebook.com", Category: Marketing, Provider: "Meta"}, true},
		// Content (skipped) and EmailAggressive.
		{"adobe.com", Tracker{Host: "adobe.com", Category: Marketing, Provider: "Adobe"}, true},
		// Content only: what the visitor came for.
		{"fonts.googleapis.com", Tracker{}, false},
		{"d1a2b3c4.cloudfront.net", Tracker{}, false},
		{"i0.wp.com", Tracker{}, false},
		{"cdnjs.cloudflare.com", Tracker{}, false},
		// Anti-fraud and ConsentManagers are not trackers: skipped.
		{"client-api.arkoselabs.com", Tracker{}, false},
		{"static.axept.io", Tracker{}, false},
		// google.com is listed under Content, and is shared infrastructure
		// (crumb's exception list); the Advertising entry
		// "google.com/pagead/1p-user-list" is a URL prefix and must not make
		// the whole host Marketing either.
		{"www.google.com", Tracker{}, false},
	}
	checkHosts(t, cat, tests)

	// Count the file's host entries independently: distinct domains (not
	// URL prefixes) in the categories that describe tracking.
	var doc struct {
		Categories map[string][]map[string]map[string]any
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	hosts := map[string]bool{}
	for name, services := range doc.Categories {
		if name == "Anti-fraud" || name == "ConsentManagers" || name == "Content" {
			continue
		}
		for _, s := range services {
			for _, props := range s {
				for _, v := range props {
					list, _ := v.([]any)
					for _, d := range list {
						if d := strings.ToLower(d.(string)); !strings.Contains(d, "/") && !excepted(d) {
							hosts[d] = true
						}
					}
				}
			}
		}
	}
	_, n := cat.Len()
	if n != len(hosts) {
		t.Errorf("loaded %d hosts, the file lists %d", n, len(hosts))
	}
	if n < 3000 {
		t.Errorf("loaded only %d hosts", n)
	}
	t.Logf("%d tracker hosts", n)
}

func TestLoadDisconnectMalformed(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"empty", "", "classify: disconnect services.json: offset 0: unexpected end of JSON input"},
		{"truncated", `{"categories": {"Advertising": [{"Acme": {"https://acme.example/": ["acme.exa`,
			"classify: disconnect services.json: offset 77: unexpected end of JSON input"},
		{"syntax", `{"categories": {"Advertising": [}}`,
			"classify: disconnect services.json: offset 33: invalid character '}' looking for beginning of value"},
		{"no categories", `{"license": "x"}`,
			`classify: disconnect services.json: field "categories" missing or null`},
		{"top level array", `[]`,
			"classify: disconnect services.json: field (top level) at offset 1: JSON array where an object was expected"},
		{"category not a list", `{"categories": {"Advertising": {"Acme": {}}}}`,
			`classify: disconnect services.json: field categories["Advertising"]: JSON object where an array was expected`},
		{"domains not strings", `{"categories": {"Analytics": [{"Acme": {"https://acme.example/": [1, 2]}}]}}`,
			`classify: disconnect services.json: field categories["Analytics"][0]["Acme"]["https://acme.example/"]: want a list of domains or a string`},
		{"property a number", `{"categories": {"Analytics": [{"Acme": {"performance": 7}}]}}`,
			`classify: disconnect services.json: field categories["Analytics"][0]["Acme"]["performance"]: want a list of domains or a string`},
		{"bad host", `{"categories": {"Social": [{"Acme": {"https://acme.example/": ["acme.example", "ac me.example"]}}]}}`,
			`classify: disconnect services.json: field categories["Social"][0]["Acme"]["https://acme.example/"][1]: "ac me.example" is not a host name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadDisconnect(strings.NewReader(tt.input))
			if c != nil {
				t.Errorf("got a catalog, want nil")
			}
			if diff := cmp.Diff(tt.want, errText(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadDisconnectEntries(t *testing.T) {
	input := `{
	  "license": "for the test only",
	  "categories": {
	    "Advertising": [
	      {"AdCo": {"https://adco.example/": ["adco.example", "AdCo-CDN.example."], "performance": "true"}},
	      {"Both": {"https://both.example/": ["both.example"]}},
	      {"Google": {"https://google.example/": ["google.com", "adservice.google.com", "fonts.gstatic.com"]}},
	      {"CMP": {"https://cmp.example/": ["cdn.cookielaw.org"]}}
	    ],
	    "Analytics": [{"Both": {"https://both.example/": ["both.example", "both.example/collect"]}}],
	    "Content": [{"Videos": {"https://videos.example/": ["videos.example"]}}],
	    "ConsentManagers": [{"CMP": {"https://cmp.example/": ["cmp.example"]}}],
	    "SomethingNew": [{"New": {"https://new.example/": ["new.example"]}}]
	  }
	}`
	c, err := LoadDisconnect(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	want := []Tracker{
		{Host: "adco.example", Category: Marketing, Provider: "AdCo"},
		{Host: "adco-cdn.example", Category: Marketing, Provider: "AdCo"},
		{Host: "both.example", Category: Marketing, Provider: "Both"},
		// google.com (exactly) is excepted, its ad subdomain is not; a
		// subdomain of an exact exception is not excepted either; a consent
		// tool's domain is excepted with all its subdomains.
		{Host: "adservice.google.com", Category: Marketing, Provider: "Google"},
		{Host: "fonts.gstatic.com", Category: Marketing, Provider: "Google"},
		// Content (videos.example) is skipped.
	}
	if diff := cmp.Diff(want, c.Trackers()); diff != "" {
		t.Errorf("trackers (-want +got):\n%s", diff)
	}
}

func BenchmarkLoadDisconnect(b *testing.B) {
	data := readSharedData(b, disconnectTrainJSON)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := LoadDisconnect(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
