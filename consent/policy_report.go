package consent

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// The violation-report endpoint turns the browser's reports of what the
// policy blocked into HostBlocked events, so that an owner learns which
// hosts the site's pages reach and can declare them, and into the learned
// hosts of later policies (see contentPolicy). Anyone can post to it, so it
// is trusted for nothing but that: a report can make a host known to the
// catalog allowed only for visitors who granted the host's category, and a
// host no category claims is only ever reported, never allowed.
//
// Its cost is bounded whatever is posted: bodies of at most
// maxPolicyReportBody bytes, at most maxReportsPerBody reports in one,
// maxReportsPerClient reports per client and window, a bounded table of
// clients, and a bounded set of remembered hosts.
const (
	pathPolicyReport       = "csp-report"
	maxPolicyReportBody    = 32 << 10
	maxReportsPerBody      = 32
	maxReportsPerClient    = 120 // per reportWindow
	maxReportClients       = 4096
	maxReportedHosts       = 1024
	reportWindow           = time.Minute
	reportContentTypeCSP   = "application/csp-report"
	reportContentTypeAPI   = "application/reports+json"
	reportContentTypeJSON  = "application/json"
	errReportMediaTypeText = "a report is application/csp-report or application/reports+json"
)

var errReportMalformed = errors.New("malformed violation report")

// policyReports is the endpoint's memory.
type policyReports struct {
	mu          sync.Mutex
	windowStart time.Time
	clients     map[string]int // client IP -> reports in this window
	hosts       map[string]struct{}
}

// violation is one report, from either format, as the endpoint uses it.
type violation struct {
	blocked, document, directive string
}

// legacyReport is the body report-uri sends.
type legacyReport struct {
	Report struct {
		DocumentURI        string `json:"document-uri"`
		BlockedURI         string `json:"blocked-uri"`
		EffectiveDirective string `json:"effective-directive"`
		ViolatedDirective  string `json:"violated-directive"`
	} `json:"csp-report"`
}

// apiReport is one entry of the Reporting API's list.
type apiReport struct {
	Type string `json:"type"`
	URL  string `json:"url"`
	Body struct {
		DocumentURL        string `json:"documentURL"`
		BlockedURL         string `json:"blockedURL"`
		EffectiveDirective string `json:"effectiveDirective"`
	} `json:"body"`
}

// parseViolations reads a report body of content type ct.
func parseViolations(ct string, body []byte) ([]violation, error) {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil, errMediaType
	}
	switch mt {
	case reportContentTypeCSP, reportContentTypeJSON:
		if mt == reportContentTypeJSON && len(body) > 0 && body[0] == '[' {
			break // some agents send the Reporting API list as plain JSON
		}
		var r legacyReport
		if err := json.Unmarshal(body, &r); err != nil {
			return nil, errReportMalformed
		}
		d := r.Report.EffectiveDirective
		if d == "" {
			d, _, _ = strings.Cut(r.Report.ViolatedDirective, " ")
		}
		return []violation{{r.Report.BlockedURI, r.Report.DocumentURI, d}}, nil
	case reportContentTypeAPI:
	default:
		return nil, errMediaType
	}
	var list []apiReport
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, errReportMalformed
	}
	if len(list) > maxReportsPerBody {
		return nil, errReportMalformed
	}
	out := make([]violation, 0, len(list))
	for _, r := range list {
		if r.Type != "csp-violation" {
			continue
		}
		doc := r.Body.DocumentURL
		if doc == "" {
			doc = r.URL
		}
		out = append(out, violation{r.Body.BlockedURL, doc, r.Body.EffectiveDirective})
	}
	return out, nil
}

// blockedHost returns the host of a report's blocked URL, "" when it names
// none: 'inline', 'eval', data: and the like, which are the application's
// business, not consent's.
func blockedHost(blocked string) string {
	if !strings.Contains(blocked, "://") {
		return ""
	}
	u, err := url.Parse(blocked)
	if err != nil {
		return ""
	}
	switch u.Scheme {
	case "http", "https", "ws", "wss":
	default:
		return ""
	}
	h := strings.ToLower(u.Hostname())
	if !validReportedHost(h) {
		return ""
	}
	return h
}

// validReportedHost accepts a DNS name of letters, digits, '-' and '.',
// the only bytes that may enter a policy header.
func validReportedHost(h string) bool {
	if h == "" || len(h) > 253 || h[0] == '.' || h[0] == '-' || !strings.Contains(h, ".") {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// documentPath returns the path of a report's document URL, without its
// query: reports are about pages, and queries may carry personal data.
func documentPath(doc string) string {
	u, err := url.Parse(doc)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// admit counts n reports from client against its budget in this window.
func (pr *policyReports) admit(client string, n int, now time.Time) bool {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.clients == nil || now.Sub(pr.windowStart) >= reportWindow || now.Before(pr.windowStart) {
		pr.clients = map[string]int{}
		pr.windowStart = now
	}
	seen, ok := pr.clients[client]
	if !ok && len(pr.clients) >= maxReportClients {
		return false // a flood from many addresses: wait for the next window
	}
	if seen+n > maxReportsPerClient {
		return false
	}
	pr.clients[client] = seen + n
	return true
}

// firstReport reports whether host is reported for the first time, within
// the bound of remembered hosts (past it, nothing is reported again).
func (pr *policyReports) firstReport(host string) bool {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.hosts == nil {
		pr.hosts = map[string]struct{}{}
	}
	if _, seen := pr.hosts[host]; seen || len(pr.hosts) >= maxReportedHosts {
		return false
	}
	pr.hosts[host] = struct{}{}
	return true
}

// servePolicyReport answers POST csp-report: 204 for reports taken, 4xx for
// anything else, with bounded work either way.
func (u *ui) servePolicyReport(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPolicyReportBody))
	if err != nil {
		http.Error(w, "report too large", http.StatusRequestEntityTooLarge)
		return
	}
	m := u.m
	client, now := clientIP(r), m.now()
	// Every body counts before it is parsed, so a client gets no more
	// parsing than its budget of reports.
	if !m.cspReports.admit(client, 1, now) {
		w.Header().Set("Retry-After", "60")
		http.Error(w, "too many reports", http.StatusTooManyRequests)
		return
	}
	vs, err := parseViolations(r.Header.Get("Content-Type"), body)
	switch {
	case errors.Is(err, errMediaType):
		http.Error(w, errReportMediaTypeText, http.StatusUnsupportedMediaType)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if len(vs) > 1 && !m.cspReports.admit(client, len(vs)-1, now) {
		w.Header().Set("Retry-After", "60")
		http.Error(w, "too many reports", http.StatusTooManyRequests)
		return
	}
	for _, v := range vs {
		host := blockedHost(v.blocked)
		if host == "" || host == requestHost(r) {
			continue
		}
		entry, i, declared := m.hostEntry(host)
		if !declared {
			m.csp.learn(entry, i, true)
		}
		if !m.cspReports.firstReport(host) {
			continue
		}
		e := HostEvent{Host: host, Path: documentPath(v.document), Directive: v.directive, ReportOnly: m.csp.reportOnly}
		if i > 0 {
			e.Category = m.cats[i].Name
		}
		e.Suggestion = suggestDeclaration(e.Category, host)
		m.hooks.HostBlocked(r.Context(), e)
	}
	w.WriteHeader(http.StatusNoContent)
}

// suggestDeclaration tells an owner how to declare host.
func suggestDeclaration(category, host string) string {
	if category == "" {
		return `no category claims it, so it loads only when the visitor grants every category: declare it in the Hosts of its consent.Category (the "necessary" one if the site cannot work without it): Hosts: []string{"` + host + `"}`
	}
	return `the catalog puts it in "` + category + `", so it loads once that is granted; if the site needs it before any choice, declare it in the "necessary" category: Hosts: []string{"` + host + `"}`
}

// clientIP is the address the report came from, the rate limit's key.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
