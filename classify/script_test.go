package classify

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func scriptTestCatalog(t testing.TB) *Catalog {
	t.Helper()
	return MustCatalog(nil, []Tracker{
		{Host: "googletagmanager.com", Category: Analytics, Provider: "Google Tag Manager"},
		{Host: "clarity.ms", Category: Analytics, Provider: "Microsoft Clarity"},
		{Host: "hotjar.com", Category: Analytics, Provider: "Hotjar"},
		{Host: "connect.facebook.net", Category: Marketing, Provider: "Meta"},
		{Host: "snap.licdn.com", Category: Marketing, Provider: "LinkedIn"},
		{Host: "cdn.example-necessary.com", Category: Necessary, Provider: "CDN"},
	})
}

func TestScriptTracker(t *testing.T) {
	c := scriptTestCatalog(t)
	type result struct {
		Provider string
		Category Category
		Found    bool
	}
	tests := []struct {
		name string
		body string
		want result
	}{
		{"GTM loader by concatenation", `j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;`, result{"Google Tag Manager", Analytics, true}},
		{"GTM marker only", `w[l].push({'gtm.start': new Date().getTime(),event:'gtm.js'})`, result{"Google Tag Manager", Analytics, true}},
		{"gtag config without host", `gtag('config', 'G-TEST123');`, result{"Google Tag Manager", Analytics, true}},
		{"consent default alone is no tracker", `gtag('consent', 'default', {ad_storage: 'denied'});`, result{}},
		{"Meta Pixel", `t.src=v;}(window, document,'script','https://connect.facebook.net/en_US/fbevents.js'); fbq('init', '1');`, result{"Meta", Marketing, true}},
		{"fbq only", `fbq('track', 'PageView');`, result{"Meta", Marketing, true}},
		{"Clarity", `t.src="https://www.clarity.ms/tag/"+i;`, result{"Microsoft Clarity", Analytics, true}},
		{"Hotjar protocol-relative, upper case", `(window,document,'//STATIC.HOTJAR.COM/c/hotjar-','.js?sv=')`, result{"Hotjar", Analytics, true}},
		{"JSON-escaped slashes", `{"src":"https:\/\/snap.licdn.com\/li.lms-analytics\/insight.min.js"}`, result{"LinkedIn", Marketing, true}},
		{"LinkedIn partner id", `_linkedin_partner_id = "1";`, result{"LinkedIn", Marketing, true}},
		{"TikTok marker, host not in catalog", `w.TiktokAnalyticsObject=t;`, result{"TikTok Pixel", Marketing, true}},
		{"X marker", `twq('config','x');`, result{"X (Twitter) Pixel", Marketing, true}},
		{"Pinterest marker", `pintrk('load', '1');`, result{"Pinterest Tag", Marketing, true}},
		{"Matomo has no host", `_paq.push(['trackPageView']);`, result{"Matomo", Analytics, true}},
		{"necessary host is no tracker", `s.src="https://cdn.example-necessary.com/x.js"`, result{}},
		{"property chains are not hosts", `document.getElementsByTagName('script')[0].parentNode.insertBefore(a,b)`, result{}},
		{"a look-alike host", `fetch("https://notgoogletagmanager.com.example/x")`, result{}},
		{"two-label host", `s.src='//hotjar.com/x.js'`, result{"Hotjar", Analytics, true}},
		{"host after a property chain", `a.b.c = "clarity.ms";`, result{"Microsoft Clarity", Analytics, true}},
		{"trimmed to a single label", `x = __.hotjar_;`, result{}},
		{"host at the very start and end", `clarity.ms`, result{"Microsoft Clarity", Analytics, true}},
		{"empty", ``, result{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, ok := c.ScriptTracker([]byte(tt.body))
			got := result{tr.Provider, tr.Category, ok}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ScriptTracker(%q) (-want +got):\n%s", tt.body, diff)
			}
		})
	}
}

func TestScriptTrackerNilCatalog(t *testing.T) {
	var c *Catalog
	if tr, ok := c.ScriptTracker([]byte(`s.src="https://www.clarity.ms/tag/x"`)); ok {
		t.Errorf("nil catalog found %+v by host", tr)
	}
	if tr, ok := c.ScriptTracker([]byte(`fbq('init','1')`)); !ok || tr.Category != Marketing {
		t.Errorf("nil catalog: marker gave %+v, %v; want the built-in Marketing entry", tr, ok)
	}
}

func TestScriptTrackerDoesNotAllocate(t *testing.T) {
	c := scriptTestCatalog(t)
	body := []byte(`var a = window.location.hostname; (function(w,d){ var s = d.createElement('script'); s.src = "https://a-rather-long-subdomain.for-allocation.static.hotjar.com/c/x.js"; })(window, document); fbq('x');`)
	if n := testing.AllocsPerRun(100, func() { c.ScriptTracker(body) }); n != 0 {
		t.Errorf("ScriptTracker allocates %v times per call", n)
	}
}

// markersNaive is findMarkers as one bytes.Contains per marker: the
// reference for the anchored search.
func markersNaive(body []byte) markerSet {
	var s markerSet
	for i, m := range scriptMarkers {
		if bytes.Contains(body, []byte(m.text)) {
			s |= 1 << i
		}
	}
	return s
}

// allMarkers is every marker body holds: the anchored passes and, with
// no catalog to stop it at a host, the dot pass.
func allMarkers(body []byte) markerSet {
	_, _, dots := (*Catalog)(nil).scriptHost(body)
	return dots | findMarkers(body)
}

func TestFindMarkers(t *testing.T) {
	var all []byte
	for _, m := range scriptMarkers {
		all = append(all, m.text...)
		all = append(all, ' ')
	}
	tests := []struct {
		name string
		body string
	}{
		{"every marker", string(all)},
		{"markers at both ends", `fbq(x);window.uetq`},
		{"anchor before the marker could start", `q.push;k;(`},
		{"marker cut at the end", `gtag('confi`},
		{"overlapping anchors", `twq(fbq(ttq.load(`},
		{"dot markers inside a run", `a.gtm.start x.window.uetq.y w._paq.push( b.ttq.load(`},
		{"case matters", `FBQ( GTM.START _HJSETTINGS`},
		{"nothing", `var a = b.c(d);`},
		{"empty", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(markersNaive([]byte(tt.body)), allMarkers([]byte(tt.body))); diff != "" {
				t.Errorf("findMarkers(%q) (-naive +got):\n%s", tt.body, diff)
			}
		})
	}
	if got, want := allMarkers(all), markerSet(1<<len(scriptMarkers)-1); got != want {
		t.Errorf("findMarkers(every marker) = %b, want %b", got, want)
	}
}

// TestMarkerAnchors checks the table: every marker holds its anchor, and
// the set has room for every marker.
func TestMarkerAnchors(t *testing.T) {
	if len(scriptMarkers) > 32 {
		t.Fatalf("%d markers do not fit a markerSet", len(scriptMarkers))
	}
	n := 0
	for _, a := range markerAnchors {
		for _, am := range a.ms {
			n++
			if m := scriptMarkers[am.i]; am.at < 0 || m.text[am.at] != a.b {
				t.Errorf("marker %q: anchor %q at %d", m.text, a.b, am.at)
			}
		}
	}
	if len(dotMarkers) > 8 {
		t.Errorf("%d markers anchored at a dot do not fit afterDot", len(dotMarkers))
	}
	for _, am := range dotMarkers {
		n++
		if m := scriptMarkers[am.i]; am.at < 0 || int(am.at)+1 >= len(m.text) || m.text[am.at] != '.' {
			t.Errorf("marker %q: dot anchor at %d", m.text, am.at)
		}
	}
	if n != len(scriptMarkers) {
		t.Errorf("anchors list %d markers, want %d", n, len(scriptMarkers))
	}
}

// scriptHostReference is scriptHost as first written: every run of host
// bytes around a dot, trimmed, looked up when its last label is letters.
func scriptHostReference(c *Catalog, body []byte) (Tracker, bool) {
	for i := 0; i < len(body); {
		d := bytes.IndexByte(body[i:], '.')
		if d < 0 {
			break
		}
		start, end := i+d, i+d+1
		for start > 0 && hostByte[body[start-1]] {
			start--
		}
		for end < len(body) && hostByte[body[end]] {
			end++
		}
		i = end
		run := bytes.Trim(body[start:end], ".-_")
		if len(run) < 4 || len(run) > maxHostLen {
			continue
		}
		if _, ok := plausibleTLD(run); !ok {
			continue
		}
		if t, ok := c.LookupHost(string(run)); ok && t.Category != Necessary {
			return t, true
		}
	}
	return Tracker{}, false
}

func FuzzScriptTracker(f *testing.F) {
	f.Add([]byte(`j.src='https://www.googletagmanager.com/gtm.js?id='+i`))
	f.Add([]byte(`....a.b.cc..`))
	f.Add([]byte(`fbq(`))
	f.Add([]byte(`_hjSettings window.uetq "clarity", "script"`))
	f.Add([]byte(`x = __.hotjar_.com; y = "-.clarity.ms-"; z=a.b.hotjar.com.`))
	c := scriptTestCatalog(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		tr, ok := c.ScriptTracker(body)
		if ok && tr.Category == Necessary {
			t.Errorf("ScriptTracker returned a Necessary entry %+v", tr)
		}
		gotT, gotOK, _ := c.scriptHost(body)
		wantT, wantOK := scriptHostReference(c, body)
		if gotT != wantT || gotOK != wantOK {
			t.Errorf("scriptHost(%q) = %+v, %v; reference %+v, %v", body, gotT, gotOK, wantT, wantOK)
		}
		if got, want := allMarkers(body), markersNaive(body); got != want {
			t.Errorf("findMarkers(%q) = %b, want %b", body, got, want)
		}
	})
}
