package banner

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

func TestConsentModeDefault(t *testing.T) {
	tests := []struct {
		name  string
		mode  ConsentMode
		nonce string
		want  string
	}{
		{
			name: "zero value denies everything",
			want: `<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('consent','default',{"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied","analytics_storage":"denied","functionality_storage":"denied","personalization_storage":"denied","security_storage":"denied"});</script>`,
		},
		{
			name:  "analytics and security granted, nonce, wait",
			mode:  ConsentMode{AnalyticsStorage: true, SecurityStorage: true, WaitForUpdate: 500 * time.Millisecond},
			nonce: "r4nd0m",
			want:  `<script nonce="r4nd0m">window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('consent','default',{"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied","analytics_storage":"granted","functionality_storage":"denied","personalization_storage":"denied","security_storage":"granted","wait_for_update":500});</script>`,
		},
		{
			name:  "hostile nonce stays inside its attribute",
			mode:  ConsentMode{AdStorage: true, AdUserData: true, AdPersonalization: true, FunctionalityStorage: true, PersonalizationStorage: true},
			nonce: `"><img src=x onerror=alert(1)>`,
			want:  `<script nonce="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;">window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('consent','default',{"ad_storage":"granted","ad_user_data":"granted","ad_personalization":"granted","analytics_storage":"denied","functionality_storage":"granted","personalization_storage":"granted","security_storage":"denied"});</script>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(ConsentModeDefault(tt.mode, tt.nonce))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// One element, nothing injected around it.
			doc, err := html.Parse(strings.NewReader(got))
			if err != nil {
				t.Fatal(err)
			}
			if n := len(findAll(doc, func(*html.Node) bool { return true })); n != 4 { // html, head, script, body
				t.Errorf("%d elements, want 4", n)
			}
		})
	}
}

func TestConsentModeJSON(t *testing.T) {
	b, err := json.Marshal(struct {
		Granted     []string    `json:"granted"`
		ConsentMode ConsentMode `json:"consentMode"`
	}{[]string{"analytics"}, ConsentMode{AnalyticsStorage: true, WaitForUpdate: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		ConsentMode map[string]string `json:"consentMode"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"ad_storage": "denied", "ad_user_data": "denied", "ad_personalization": "denied",
		"analytics_storage": "granted", "functionality_storage": "denied",
		"personalization_storage": "denied", "security_storage": "denied",
	}
	if diff := cmp.Diff(want, got.ConsentMode); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Region codes go into a script: anything but letters, digits and '-' is
// left out, so a code cannot close the string or the element.
func TestConsentModeRegionDefaults(t *testing.T) {
	got := string(ConsentModeRegionDefaults([]RegionDefault{
		{},
		{Mode: ConsentMode{AnalyticsStorage: true}, Regions: []string{"US-CA", `"]});alert(1)//`, "</script>", "DE"}},
	}, `n"1`))
	want := `<script nonce="n&#34;1">window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}` +
		`gtag('consent','default',{"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied","analytics_storage":"denied","functionality_storage":"denied","personalization_storage":"denied","security_storage":"denied"});` +
		`gtag('consent','default',{"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied","analytics_storage":"granted","functionality_storage":"denied","personalization_storage":"denied","security_storage":"denied","region":["US-CA","DE"]});</script>`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
