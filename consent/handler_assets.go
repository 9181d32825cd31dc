package consent

import (
	"net/http"
	"strings"
	"time"
)

// assetVersion turns an ETag into the v= parameter of an asset URL: the
// pages link the script and stylesheet with it, so a new crumb release
// changes the URL and the asset can be cached for a year.
func assetVersion(etag string) string {
	v := strings.Trim(etag, `"`)
	return v[:min(len(v), 16)]
}

// serveAsset serves the script or the stylesheet with its ETag, answering
// If-None-Match with 304. A URL carrying the current version is cached as
// immutable; any other URL is revalidated on every use.
func serveAsset(w http.ResponseWriter, r *http.Request, body, etag, contentType string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("ETag", etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if v := pageQueryValue(r.URL.RawQuery, "v"); v != "" && v == assetVersion(etag) {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, no-cache")
	}
	http.ServeContent(w, r, "", time.Time{}, strings.NewReader(body))
}

// pageQueryValue returns the raw value of key in a query string, "" when
// absent.
func pageQueryValue(raw, key string) string {
	for raw != "" {
		var kv string
		kv, raw, _ = cut2(raw, '&', ';')
		if k, v, _ := cut2(kv, '=', 0); k == key {
			return v
		}
	}
	return ""
}
