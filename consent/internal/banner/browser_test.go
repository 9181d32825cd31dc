package banner

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
)

// TestScriptInBrowser runs the progressive script in headless Chromium (when
// the machine has it) against a page marked up the way the HTML rewriter
// leaves it, and clicks a banner button from the page itself. (The fallback
// to a plain form post when the JSON answer fails is not covered here:
// headless Chromium does not dump the DOM after a navigation started from a
// fetch callback under a virtual time budget.)
func TestScriptInBrowser(t *testing.T) {
	chromium := browserChromium(t)

	tests := []struct {
		name      string
		click     string // value of the banner button clicked
		granted   []string
		want      []string // what the page reports after the click
		wantPosts []string
		// wantFetched lists the blocked images the browser loads once
		// their srcset is back (a poster is fetched lazily, and not waited for).
		wantFetched []string
	}{
		{
			name: "accept", click: "accept", granted: []string{"analytics", "marketing", "social"},
			want: []string{"banner=gone", "event=analytics,marketing,social", "frame=/embed.html", "gtag=granted", "placeholder=gone",
				"poster=/poster.gif", "source=/source.gif", "srcdoc=&lt;p&gt;inline&lt;/p&gt;", "srcset=/srcset.gif", "tracker=ran"},
			wantPosts:   []string{"json action=accept return=/page"},
			wantFetched: []string{"/source.gif", "/srcset.gif"},
		},
		{
			name: "reject", click: "reject", granted: []string{},
			want: []string{"banner=gone", "event=", "frame=none", "gtag=denied", "placeholder=kept",
				"poster=none", "source=none", "srcdoc=none", "srcset=none", "tracker=blocked"},
			wantPosts: []string{"json action=reject return=/page"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			opts.ScriptURL = "/crumb.js"
			r := newRenderer(t, opts)
			var mu sync.Mutex
			var posts, fetched []string
			mux := http.NewServeMux()
			for _, img := range []string{"/srcset.gif", "/source.gif", "/poster.gif", "/fallback.gif"} {
				mux.HandleFunc("GET "+img, func(w http.ResponseWriter, req *http.Request) {
					mu.Lock()
					if img != "/poster.gif" && img != "/fallback.gif" {
						fetched = append(fetched, img)
					}
					mu.Unlock()
					w.Header().Set("Content-Type", "image/gif")
					fmt.Fprint(w, pixelGIF)
				})
			}
			mux.HandleFunc("GET /crumb.js", func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/javascript")
				fmt.Fprint(w, Script())
			})
			mux.HandleFunc("GET /tracker.js", func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/javascript")
				fmt.Fprint(w, `document.documentElement.dataset.tracker="ran";`)
			})
			mux.HandleFunc("GET /embed.html", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "embed") })
			mux.HandleFunc("GET /after", func(w http.ResponseWriter, _ *http.Request) {
				fmt.Fprint(w, `<!doctype html><html><body><p id="report">page=after-redirect</p></body></html>`)
			})
			mux.HandleFunc("POST /consent/", func(w http.ResponseWriter, req *http.Request) {
				kind := "form"
				if strings.Contains(req.Header.Get("Accept"), "application/json") {
					kind = "json"
				}
				req.ParseForm()
				mu.Lock()
				posts = append(posts, fmt.Sprintf("%s action=%s return=%s", kind, req.PostForm.Get("action"), req.PostForm.Get("return")))
				mu.Unlock()
				if kind == "form" {
					http.Redirect(w, req, "/after", http.StatusSeeOther)
					return
				}
				mode := ConsentMode{AnalyticsStorage: len(tt.granted) > 0}
				m, _ := mode.MarshalJSON()
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"granted":[%s],"consentMode":%s}`, quoteAll(tt.granted), m)
			})
			mux.HandleFunc("GET /page", func(w http.ResponseWriter, _ *http.Request) {
				var banner bytes.Buffer
				r.Banner(&banner, View{Lang: language.English, ReturnTo: "/page"})
				fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>t</title>
<script>var gtagCalls=[];function gtag(){gtagCalls.push([].slice.call(arguments))}</script></head><body>
<script type="text/plain" data-crumb-category="analytics" data-crumb-src="/tracker.js"></script>
<span class="crumb-placeholder" role="note" data-crumb-category="social" data-crumb-host="video.example">blocked</span><iframe id="frame" data-crumb-category="social" data-crumb-src="/embed.html"></iframe>
<iframe id="doc" data-crumb-category="social" data-crumb-srcdoc="&lt;p&gt;inline&lt;/p&gt;"></iframe>
<img id="img" data-crumb-category="marketing" data-crumb-srcset="/srcset.gif 1x" alt="">
<picture><source id="source" data-crumb-category="marketing" data-crumb-srcset="/source.gif"><img src="/fallback.gif" alt=""></picture>
<video id="video" data-crumb-category="marketing" data-crumb-poster="/poster.gif"></video>
<p id="report"></p>
%s
<script>
var reported=false;
function report(){
    if(reported)return;
    reported=true;
    var h=document.documentElement.dataset, f=document.getElementById("frame"), g=gtagCalls[0],
      at=function(id,k){var v=document.getElementById(id).getAttribute(k);return v?v.split(" ")[0]:"none"};
    document.getElementById("report").textContent=[
      "banner="+(document.getElementById("crumb-banner")?"shown":"gone"),
      "event="+(h.event===undefined?"none":h.event),
      "frame="+(f.getAttribute("src")||"none"),
      "gtag="+(g?g[2].analytics_storage:"none"),
      "placeholder="+(document.querySelector(".crumb-placeholder")?"kept":"gone"),
      "poster="+at("video","poster"),
      "source="+at("source","srcset"),
      "srcdoc="+(document.getElementById("doc").getAttribute("srcdoc")||"none"),
      "srcset="+at("img","srcset"),
      "tracker="+(h.tracker||"blocked")].join(" ");
}
// The page reports a moment after the decision's event, by when the
// script has applied it, rather than at a fixed time after the click,
// which a loaded machine can outlast; without an event it reports late.
document.addEventListener("crumb:consent",function(e){
  document.documentElement.dataset.event=e.detail.granted.join(",");
  setTimeout(report,200);
});
addEventListener("load",function(){
  document.querySelector('#crumb-banner button[value=%s]').click();
  setTimeout(report,4000);
});
</script></body></html>`, banner.String(), tt.click)
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()

			if diff := cmp.Diff(tt.want, browserReport(t, chromium, srv.URL+"/page")); diff != "" {
				t.Errorf("page state (-want +got):\n%s", diff)
			}
			mu.Lock()
			defer mu.Unlock()
			if diff := cmp.Diff(tt.wantPosts, posts); diff != "" {
				t.Errorf("posts (-want +got):\n%s", diff)
			}
			slices.Sort(fetched)
			if diff := cmp.Diff(tt.wantFetched, fetched); diff != "" {
				t.Errorf("images fetched (-want +got):\n%s", diff)
			}
		})
	}
}

// pixelGIF is a transparent 1x1 GIF.
const pixelGIF = "GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"

func quoteAll(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = `"` + id + `"`
	}
	return strings.Join(q, ",")
}

// browserChromium returns the Chromium to run the browser tests with, or
// skips: they run only when CRUMB_BROWSER is set.
func browserChromium(t *testing.T) string {
	t.Helper()
	if os.Getenv("CRUMB_BROWSER") == "" {
		t.Skip("set CRUMB_BROWSER=1 to run the script in headless Chromium")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on PATH (apt-get install chromium)")
	return ""
}

// browserReport loads url in headless Chromium and returns the words of
// the page's <p id="report"> once its scripts have run.
func browserReport(t *testing.T, chromium, url string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom", url).Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	dom := string(out)
	_, report, ok := strings.Cut(dom, `<p id="report">`)
	report, _, closed := strings.Cut(report, "</p>")
	if !ok || !closed {
		t.Fatalf("no report in the DOM:\n%s", dom)
	}
	return strings.Fields(report)
}
