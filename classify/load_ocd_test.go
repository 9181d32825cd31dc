package classify

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const ocdTrainCSV = "open-cookie-database/open-cookie-database.train.csv"

const ocdHeader = "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n"

func TestLoadOpenCookieDatabaseRealFile(t *testing.T) {
	data := readSharedData(t, ocdTrainCSV)
	cat, err := LoadOpenCookieDatabase(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}

	// Known rows of the file, looked up as a site would see the cookies.
	tests := []struct {
		name string
		want Cookie
	}{
		{"_ga", Cookie{Pattern: "_ga", Category: Analytics, Provider: "Google Analytics", Purpose: "ID used to identify users", Retention: "2 years"}},
		// "_ga_" is a wildcard row: it becomes a prefix rule.
		{"_ga_ABC123XYZ", Cookie{Pattern: "_ga_*", Category: Analytics, Provider: "Google Analytics", Purpose: "ID used to identify users", Retention: "2 years"}},
		{"CookieConsent", Cookie{Pattern: "CookieConsent", Category: Necessary, Provider: "Cookiebot", Purpose: "Stores the user's cookie consent state for the current domain", Retention: "1 year"}},
		{"sidebarPinned", Cookie{Pattern: "sidebarPinned", Category: Preferences, Provider: "Salesforce", Purpose: "Controls the state of the Salesforce Classic sidebar.", Retention: "10 years"}},
		// The Domain column ("hubspot.com") documents the vendor; the rule
		// still matches the cookie on the site that runs HubSpot's script.
		{"__hstc", Cookie{Pattern: "__hstc", Category: Marketing, Provider: "Hubspot", Purpose: "The main cookie for tracking visitors.", Retention: "13 months"}},
	}
	for _, tt := range tests {
		got, ok := cat.LookupCookie(tt.name, "shop.example.com")
		if !ok {
			t.Errorf("LookupCookie(%q) found nothing", tt.name)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("LookupCookie(%q) (-want +got):\n%s", tt.name, diff)
		}
	}

	// "chk" is listed by PubMatic as Functional and by Mediarithmics as
	// Marketing: the stricter listing wins.
	if got, _ := cat.LookupCookie("chk", ""); got.Category != Marketing || got.Provider != "Mediarithmics" {
		t.Errorf(`LookupCookie("chk") = %v from %q, want marketing from Mediarithmics`, got.Category, got.Provider)
	}
	// A storage key with a space cannot be a cookie name and is not loaded.
	if got, ok := cat.LookupCookie("Site History", ""); ok {
		t.Errorf(`LookupCookie("Site History") = %+v, want no rule`, got)
	}

	// Check every row against the catalog, reading the file independently:
	// an exact name must come back with its own category or, if the name is
	// listed more than once (also as "__Secure-name"), the strictest of its
	// listings.
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows = rows[1:]
	label := map[string]Category{"Functional": Necessary, "Security": Necessary, "Necessary": Necessary, "Personalization": Preferences, "Analytics": Analytics, "Marketing": Marketing}
	strictest := map[string]Category{}
	for _, r := range rows {
		name := strings.TrimSpace(r[3])
		for _, p := range []string{"__Host-", "__Secure-"} {
			if len(name) > len(p) && strings.EqualFold(name[:len(p)], p) {
				name = name[len(p):]
			}
		}
		if r[9] == "1" || strings.Contains(name, "*") {
			continue
		}
		c, ok := label[r[2]]
		if !ok {
			t.Fatalf("row %s: category %q", r[0], r[2])
		}
		if stricter(c, strictest[name]) {
			strictest[name] = c
		}
	}
	checked := 0
	for name, want := range strictest {
		if strings.ContainsAny(name, " ;,=") {
			continue
		}
		got, ok := cat.LookupCookie(name, "")
		if !ok || got.Category != want {
			t.Errorf("LookupCookie(%q) = %v, %v; want %v", name, got.Category, ok, want)
		}
		checked++
	}
	if checked < 1500 {
		t.Errorf("checked only %d exact names", checked)
	}

	// Every row becomes a rule, save the duplicates and unusable names.
	cookies, trackers := cat.Len()
	if trackers != 0 {
		t.Errorf("loaded %d trackers from a cookie database", trackers)
	}
	if cookies > len(rows) || cookies < len(rows)*98/100 {
		t.Errorf("loaded %d cookie rules from %d rows", cookies, len(rows))
	}
	t.Logf("%d rows -> %d cookie rules", len(rows), cookies)
}

func TestLoadOpenCookieDatabaseMalformed(t *testing.T) {
	row := func(category, name, wildcard string) string {
		return "id-1,Acme," + category + "," + name + ",acme.example,Does things,1 year,Acme Inc,https://acme.example/privacy," + wildcard + "\n"
	}
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"empty", "", "classify: open cookie database: empty input, want a header line"},
		{"unknown category", ocdHeader + row("Marketing", "a", "0") + row("Foo", "b", "0"),
			`classify: open cookie database line 3: unknown category "Foo"`},
		{"too few fields", ocdHeader + row("Analytics", "a", "0") + "id-2,Acme,Analytics,b\n",
			"classify: open cookie database line 3: wrong number of fields"},
		{"too many fields", ocdHeader + "id-2,Acme,Analytics,b,,,,,,0,extra\n",
			"classify: open cookie database line 2: wrong number of fields"},
		{"bare quote", ocdHeader + `id-2,Acme,Analytics,b"c,,,,,,0` + "\n",
			`classify: open cookie database line 2: bare " in non-quoted-field`},
		{"unterminated quote", ocdHeader + row("Analytics", "a", "0") + `id-2,Acme,Analytics,"b,,,,,,0` + "\n",
			`classify: open cookie database line 3: extraneous or missing " in quoted-field`},
		{"missing column", "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period\n",
			`classify: open cookie database line 1: header lacks column "Wildcard match"`},
		{"empty name", ocdHeader + row("Analytics", " ", "0"),
			"classify: open cookie database line 2: empty cookie name"},
		{"bad wildcard", ocdHeader + row("Analytics", "a", "yes"),
			`classify: open cookie database line 2: wildcard match "yes", want 0 or 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadOpenCookieDatabase(strings.NewReader(tt.input))
			if c != nil {
				t.Errorf("got a catalog, want nil")
			}
			if diff := cmp.Diff(tt.want, errText(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadOpenCookieDatabaseRows(t *testing.T) {
	input := ocdHeader +
		// Columns may hold quoted commas and stray spaces.
		"1,Acme Shop, Functional ,cart_id,,\"Keeps the basket, across pages\",session,Acme,,0\n" +
		"2,Acme Ads,Marketing,acme_ad_,ads.acme.example (3rd party),Ad targeting,90 days,Acme,,1\n" +
		"3,Acme Ads,marketing,acme_seg*,,Segments,1 year,Acme,,1\n" +
		"4,Acme Prefs,Personalization,theme,,Colour theme,1 year,Acme,,\n" +
		"5,Acme Local,Analytics,local key,,A storage key,,Acme,,0\n" +
		"6,Acme Sec,Security,csrf,,Stops forged requests,session,Acme,,0\n" +
		"7,Other,Necessary,theme,,Also a theme,1 year,Other,,0\n"
	c, err := LoadOpenCookieDatabase(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	want := []Cookie{
		{Pattern: "cart_id", Category: Necessary, Provider: "Acme Shop", Purpose: "Keeps the basket, across pages", Retention: "session"},
		{Pattern: "acme_ad_*", Category: Marketing, Provider: "Acme Ads", Purpose: "Ad targeting", Retention: "90 days"},
		{Pattern: "acme_seg*", Category: Marketing, Provider: "Acme Ads", Purpose: "Segments", Retention: "1 year"},
		{Pattern: "theme", Category: Preferences, Provider: "Acme Prefs", Purpose: "Colour theme", Retention: "1 year"},
		{Pattern: "csrf", Category: Necessary, Provider: "Acme Sec", Purpose: "Stops forged requests", Retention: "session"},
	}
	if diff := cmp.Diff(want, c.Cookies()); diff != "" {
		t.Errorf("cookies (-want +got):\n%s", diff)
	}
}

func BenchmarkLoadOpenCookieDatabase(b *testing.B) {
	data := readSharedData(b, ocdTrainCSV)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := LoadOpenCookieDatabase(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
