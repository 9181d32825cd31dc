package consent

import (
	"context"
	"encoding/hex"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"
)

// pathRecords is the visitor's own records page below the handler prefix.
const pathRecords = "records"

// lookupTimeout bounds a store look-up made for a page.
const lookupTimeout = 5 * time.Second

// maxShownRecords bounds the records a page lists, newest kept.
const maxShownRecords = 200

// recordsPage is the data of the visitor's and the operator's pages.
type recordsPage struct {
	Title, Stylesheet string
	ConsentID         string
	DecidedAt         string
	Choices           []RecordChoice
	Records           []Record
	Omitted           int
	HasStore          bool
	StoreError        string
	JSONHref          string
	Operator          bool
	Query             string
	Message           string
}

var recordsTmpl = template.Must(template.New("records").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{.Title}}</title>{{if .Stylesheet}}<link rel="stylesheet" href="{{.Stylesheet}}">{{end}}</head>
<body><main class="crumb-page"><h1>{{.Title}}</h1>
{{if .Operator}}<form method="get"><label>Consent ID <input name="id" value="{{.Query}}" size="34" maxlength="32" pattern="[0-9a-f]{32}" required></label> <button>Look up</button></form>{{end}}
{{with .Message}}<p>{{.}}</p>{{end}}
{{if .ConsentID}}<dl><dt>Consent ID</dt><dd><code>{{.ConsentID}}</code></dd>
{{with .DecidedAt}}<dt>Latest decision</dt><dd><time>{{.}}</time></dd>{{end}}</dl>
{{with .Choices}}<table><caption>Current choices</caption><thead><tr><th scope="col">Category</th><th scope="col">Choice</th></tr></thead><tbody>
{{range .}}<tr><td>{{.Category}}</td><td>{{.Choice}}</td></tr>{{end}}</tbody></table>{{end}}
{{if .HasStore}}{{with .StoreError}}<p>{{.}}</p>{{else}}<table><caption>Recorded decisions{{if .Omitted}} (the latest {{len .Records}}; {{.Omitted}} older not shown){{end}}</caption>
<thead><tr><th scope="col">Time (UTC)</th><th scope="col">Event</th><th scope="col">Method</th><th scope="col">Choices</th><th scope="col">Language</th><th scope="col">Policy revision</th><th scope="col">Record</th></tr></thead><tbody>
{{range .Records}}<tr><td><time>{{.Time.Format "2006-01-02 15:04:05"}}</time></td><td>{{.Kind}}</td><td>{{.Method}}</td><td>{{range $i, $c := .Choices}}{{if $i}}, {{end}}{{$c.Category}}: {{$c.Choice}}{{end}}</td><td>{{.Language}}</td><td>{{.Revision}}</td><td><code>{{.ID}}</code></td></tr>
{{else}}<tr><td colspan="7">None recorded.</td></tr>{{end}}</tbody></table>
{{with .JSONHref}}<p><a href="{{.}}" download>Download as JSON</a> (ISO/IEC TS 27560-style consent record)</p>{{end}}{{end}}{{end}}{{end}}
</main></body></html>
`))

// visitorID returns the consent ID of r's signed cookie, also when the
// decision expired or predates the revision (its signature still holds),
// and "" without a cookie that verifies.
func (m *Manager) visitorID(r *http.Request) (string, State) {
	st := m.stateOf(r)
	var zero [16]byte
	if st.rec.id == zero {
		return "", st
	}
	return hex.EncodeToString(st.rec.id[:]), st
}

// serveRecords answers GET records: the visitor's own consent ID, latest
// decision and recorded decisions, as a page or (?format=json) as a
// VisitorExport. The only key is the visitor's signed cookie: the page
// takes no ID, so nobody sees anyone else's records.
func (u *ui) serveRecords(w http.ResponseWriter, r *http.Request) {
	if !recordsRequest(w, r, "private, no-store") {
		return
	}
	h := w.Header()
	addVary(h, "Cookie")
	id, st := u.m.visitorID(r)
	asJSON := r.URL.Query().Get("format") == "json"
	p := recordsPage{Title: "Your consent records", Stylesheet: u.s.opts.StylesheetURL, ConsentID: id,
		HasStore: u.m.records != nil}
	if id == "" {
		if asJSON {
			writeJSON(w, http.StatusNotFound, struct {
				Error string `json:"error"`
			}{"no consent decision in this browser"})
			return
		}
		p.Message = "This browser holds no consent decision for this site."
		renderRecords(w, r, &p, u.s.logger)
		return
	}
	if t := st.DecidedAt(); !t.IsZero() {
		p.DecidedAt = t.Format(time.DateTime)
	}
	if st.valid {
		for _, c := range st.Choices() {
			p.Choices = append(p.Choices, RecordChoice{c.Category, c.Choice.String()})
		}
	} else {
		p.Message = "Your last decision has expired or the policy changed since: the site will ask again."
	}
	if !p.HasStore {
		if asJSON {
			http.Error(w, "this site keeps no consent records", http.StatusNotFound)
			return
		}
		renderRecords(w, r, &p, u.s.logger)
		return
	}
	recs, err := u.m.lookup(r.Context(), id)
	if asJSON {
		if err != nil {
			http.Error(w, "consent records unavailable", http.StatusServiceUnavailable)
			return
		}
		h.Set("Content-Disposition", `attachment; filename="consent-records.json"`)
		writeJSON(w, http.StatusOK, ExportVisitor(id, "", recs, u.m.now()))
		return
	}
	p.JSONHref = u.s.prefix + pathRecords + "?format=json"
	fillRecords(&p, recs, err, u.s.logger)
	renderRecords(w, r, &p, u.s.logger)
}

func fillRecords(p *recordsPage, recs []Record, err error, log *slog.Logger) {
	if err != nil {
		log.Warn("crumb: consent record look-up failed", "error", err.Error())
		p.StoreError = "The consent records are unavailable right now; please try again later."
		return
	}
	if len(recs) > maxShownRecords {
		p.Omitted = len(recs) - maxShownRecords
		recs = recs[p.Omitted:]
	}
	p.Records = recs
}

func (m *Manager) lookup(ctx context.Context, id string) ([]Record, error) {
	ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
	defer cancel()
	return m.records.store.Lookup(ctx, id)
}

// recordsRequest refuses methods other than GET and HEAD and sets the
// headers of both records pages: never cached, never sniffed, no
// Referer leaking a consent ID to the next site.
func recordsRequest(w http.ResponseWriter, r *http.Request, cache string) bool {
	h := w.Header()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return false
	}
	h.Set("Cache-Control", cache)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	return true
}

// renderRecords writes a records page.
func renderRecords(w http.ResponseWriter, r *http.Request, p *recordsPage, log *slog.Logger) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodHead {
		return
	}
	if err := recordsTmpl.Execute(w, p); err != nil {
		log.Warn("crumb: records page", "error", err.Error())
	}
}

// RecordsHandler returns the operator's look-up of consent records, for
// answering a visitor's access request or an auditor: GET ?id=<consent
// ID> lists one visitor's records as a page, with &format=json as a
// VisitorExport, and GET ?verify=1 checks the hash chains of the whole
// store (Verify over Export) and answers JSON. A malformed (forged) ID is
// refused with 400.
//
// crumb never mounts it: the application mounts it where it likes,
// behind its own authentication, since it shows anyone's records.
func (m *Manager) RecordsHandler() http.Handler {
	return http.HandlerFunc(m.serveOperator)
}

func (m *Manager) serveOperator(w http.ResponseWriter, r *http.Request) {
	if !recordsRequest(w, r, "no-store") {
		return
	}
	if m.records == nil {
		http.Error(w, "no consent record store configured (Config.Store)", http.StatusNotFound)
		return
	}
	q := r.URL.Query()
	if q.Get("verify") != "" {
		m.serveVerify(w, r)
		return
	}
	id := q.Get("id")
	asJSON := q.Get("format") == "json"
	p := recordsPage{Title: "Consent records", Stylesheet: m.uiCfg.opts.StylesheetURL, Operator: true,
		HasStore: true, Query: id}
	if id == "" {
		renderRecords(w, r, &p, m.uiCfg.logger)
		return
	}
	if err := CheckConsentID(id); err != nil {
		if asJSON {
			writeJSON(w, http.StatusBadRequest, struct {
				Error string `json:"error"`
			}{err.Error()})
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		p.Message = "Not a consent ID: crumb's are 32 lower-case hex digits."
		p.Query = ""
		renderRecords(w, r, &p, m.uiCfg.logger)
		return
	}
	recs, err := m.lookup(r.Context(), id)
	if asJSON {
		if err != nil {
			http.Error(w, "look-up failed: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, http.StatusOK, ExportVisitor(id, "", recs, m.now()))
		return
	}
	p.ConsentID = id
	p.JSONHref = "?format=json&id=" + id
	if len(recs) > 0 {
		last := recs[len(recs)-1]
		p.DecidedAt = last.Time.UTC().Format(time.DateTime)
		p.Choices = last.Choices
	}
	fillRecords(&p, recs, err, m.uiCfg.logger)
	renderRecords(w, r, &p, m.uiCfg.logger)
}

// verifyAnswer is the JSON answer of ?verify=1.
type verifyAnswer struct {
	Records  int      `json:"records"`
	OK       bool     `json:"ok"`
	Problems []string `json:"problems"`
	Error    string   `json:"error,omitempty"`
}

// maxVerify bounds the records one verification holds in memory.
const maxVerify = 5_000_000

func (m *Manager) serveVerify(w http.ResponseWriter, r *http.Request) {
	var all []Record
	errTooMany := errors.New("too many records to verify in one request")
	err := m.records.store.Export(r.Context(), func(rec Record) error {
		if len(all) == maxVerify {
			return errTooMany
		}
		all = append(all, rec)
		return nil
	})
	a := verifyAnswer{Records: len(all), Problems: []string{}}
	if err != nil {
		a.Error = err.Error()
		writeJSON(w, http.StatusServiceUnavailable, a)
		return
	}
	if verr := Verify(all); verr != nil {
		var ve *VerifyError
		if errors.As(verr, &ve) {
			for _, p := range ve.Problems {
				a.Problems = append(a.Problems, p.String())
			}
		}
	}
	a.OK = len(a.Problems) == 0
	writeJSON(w, http.StatusOK, a)
}
