package consent

import "net/http"

// GPCHandler serves /.well-known/gpc.json, the Global Privacy Control
// support resource, stating that the site honours GPC:
//
//	{"gpc":true,"lastUpdate":"2026-03-01"}
//
// with Config.GPCLastUpdate as the date. Mount it at that path:
//
//	mux.Handle("/.well-known/gpc.json", m.GPCHandler())
//
// Without Config.GPCLastUpdate it answers 404 Not Found: the statement is
// one the operator makes, not one crumb makes by default. Handler serves
// the same resource when requests for that path reach it.
func (m *Manager) GPCHandler() http.Handler { return http.HandlerFunc(m.serveGPC) }

func (m *Manager) serveGPC(w http.ResponseWriter, r *http.Request) {
	date := m.uiCfg.gpcDate
	if date == "" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "public, max-age=86400")
	// Browser extensions and crawlers read it from other origins.
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodHead {
		return
	}
	w.Write([]byte(`{"gpc":true,"lastUpdate":"` + date + `"}` + "\n"))
}
