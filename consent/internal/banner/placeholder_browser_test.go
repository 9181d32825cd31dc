package banner

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
)

// TestPlaceholderScriptInBrowser clicks a placeholder's button in headless
// Chromium (CRUMB_BROWSER=1): the script must post its form as JSON and
// activate the embed in place, removing the placeholder, its form (which
// the parser moved out of the paragraph) and the banner. When the answer
// does not cover the placeholder's mark, the page is loaded again.
func TestPlaceholderScriptInBrowser(t *testing.T) {
	chromium := browserChromium(t)
	tests := []struct {
		name      string
		granted   []string
		want      []string
		wantPosts []string
		wantLoads int
	}{
		{
			name: "activates in place", granted: []string{"necessary", "analytics", "social"},
			want:      []string{"banner=gone", "form=gone", "frame=/embed.html", "placeholder=gone"},
			wantPosts: []string{"json action=save c=social,analytics return=/page"},
			wantLoads: 1,
		},
		{
			name: "reloads when the mark is not granted", granted: []string{"necessary", "analytics", "video"},
			// The report is from the second load, before any click.
			want:      []string{"banner=shown", "form=kept", "frame=none", "placeholder=kept"},
			wantPosts: []string{"json action=save c=social,analytics return=/page"},
			wantLoads: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			opts.ScriptURL = "/crumb.js"
			opts.StylesheetURL = "/crumb.css"
			r := newRenderer(t, opts)
			var mu sync.Mutex
			var posts []string
			loads := 0
			mux := http.NewServeMux()
			mux.HandleFunc("GET /crumb.js", func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/javascript")
				fmt.Fprint(w, Script())
			})
			mux.HandleFunc("GET /crumb.css", func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/css")
				fmt.Fprint(w, Stylesheet())
			})
			mux.HandleFunc("GET /embed.html", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "embed") })
			mux.HandleFunc("POST /consent/", func(w http.ResponseWriter, req *http.Request) {
				kind := "form"
				if strings.Contains(req.Header.Get("Accept"), "application/json") {
					kind = "json"
				}
				req.ParseForm()
				mu.Lock()
				posts = append(posts, fmt.Sprintf("%s action=%s c=%s return=%s", kind, req.PostForm.Get("action"),
					strings.Join(req.PostForm["c"], ","), req.PostForm.Get("return")))
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"granted":[%s],"consentMode":{}}`, quoteAll(tt.granted))
			})
			mux.HandleFunc("GET /page", func(w http.ResponseWriter, _ *http.Request) {
				mu.Lock()
				loads++
				first := loads == 1
				mu.Unlock()
				var banner bytes.Buffer
				r.Banner(&banner, View{Lang: language.English, ReturnTo: "/page"})
				ph := r.AppendPlaceholder(nil, &PlaceholderView{Lang: language.English, Host: []byte("video.example"),
					Category: "social", ReturnTo: "/page", Granted: []string{"analytics"}, Stylesheet: true, Script: true})
				click := ""
				if first {
					click = `document.querySelector('.crumb-ph-form button').click();`
				}
				fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>t</title></head><body>
<p>%s<iframe id="frame" data-crumb-category="social" data-crumb-src="/embed.html"></iframe></p>
<p id="report"></p>
%s
<script>
addEventListener("load",function(){
  %s
  setTimeout(function(){
    var f=document.getElementById("frame");
    document.getElementById("report").textContent=[
      "banner="+(document.getElementById("crumb-banner")?"shown":"gone"),
      "form="+(document.querySelector(".crumb-ph-form")?"kept":"gone"),
      "frame="+(f.getAttribute("src")||"none"),
      "placeholder="+(document.querySelector(".crumb-placeholder")?"kept":"gone")].join(" ");
  },500);
});
</script></body></html>`, ph, banner.String(), click)
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
			if loads != tt.wantLoads {
				t.Errorf("page loaded %d times, want %d", loads, tt.wantLoads)
			}
		})
	}
}
