package main

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
)

// adminPath is where the demo mounts crumb's operator look-up of consent
// records.
const adminPath = "/admin/records"

// defaultDataDir is where the demo keeps its consent records without
// -data: crumb-demo under the user's cache directory, so that `go run`
// from a checkout does not leave a data directory in the source tree and
// the records outlive a restart. A demo's records are disposable, which a
// cache directory's may be; a real site points Store at durable storage
// that is backed up. Without a cache directory (no $HOME), ./crumb-data.
func defaultDataDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "crumb-demo")
	}
	return "crumb-data"
}

// newAdminToken returns the random password of the demo's admin page,
// printed at start-up: the page shows every visitor's records, so it is
// never open to the public.
func newAdminToken() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// adminGuard lets through requests with HTTP Basic credentials admin and
// token, and asks for them otherwise.
func adminGuard(token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		good := subtle.ConstantTimeCompare([]byte(pass), []byte(token)) == 1
		if !ok || user != "admin" || !good || token == "" {
			w.Header().Set("WWW-Authenticate", `Basic realm="crumb consent records", charset="UTF-8"`)
			http.Error(w, "sign in as admin with the token the demo printed at start-up", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
