package consent

import (
	"hash/fnv"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/crumbhq/crumb/classify"
)

// The policy crumb adds to HTML documents hands the visitor's consent to
// the browser, the one place that sees every fetch a page makes, from
// markup or from script. The rewriter judges markup; this policy also
// stops what scripts load at run time (fetch, XHR, sendBeacon, new Image,
// created scripts, CSS url()), which no markup scanner can see.
//
// It only narrows. It is sent as a header of its own, and browsers enforce
// every policy they receive, so the application's policy, its nonces and
// 'strict-dynamic' keep their meaning; crumb never edits or drops the
// application's header. That is also why it allows inline script, eval
// and data: and blob: URLs: restricting those is the application's policy's
// job, and crumb's is only to say which hosts may be reached.
//
// One directive does it: every fetch directive (script, style, img, font,
// connect, media, object, frame, worker, manifest) falls back to
// default-src. Navigations are not fetches, so <meta http-equiv=refresh>
// and links stay with the rewriter.

const (
	// policyHeader and policyReportOnlyHeader name the header the policy
	// goes out in.
	policyHeader           = "Content-Security-Policy"
	policyReportOnlyHeader = "Content-Security-Policy-Report-Only"
	// policyEndpoint is the Reporting API endpoint name of the report-to
	// directive, declared in Reporting-Endpoints.
	policyEndpoint = "crumb-csp"
	// policySources are the sources every policy allows besides hosts.
	policySources = "default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob:"

	// maxLearnedHosts bounds the entries learned from the site's pages and
	// maxReportLearned those learned from violation reports, which keeps
	// the header small (about 60 bytes an entry, with its subdomains) and
	// an endless stream of forged reports from growing it.
	maxLearnedHosts  = 24
	maxReportLearned = 8
	// maxSeenHosts bounds the page hosts remembered as looked at.
	maxSeenHosts = 512
	// maxPolicyCache bounds the cached policies, one per combination of
	// granted categories.
	maxPolicyCache = 256
)

// contentPolicy builds the policy for each consent state. The hosts it
// lists are bounded by what the site is known to use, not by the catalog
// (thousands of hosts): the hosts the configuration declares, the
// infrastructure list, and the catalog-known hosts that the site's pages
// were seen reaching, at most maxLearnedHosts of them: those the rewriter
// met in the site's markup as pages went out, and those the browsers'
// violation reports name. A host that only the catalog knows, and that
// neither markup nor a report has shown, is not listed: the first page
// whose script needs it under a granted category gets it blocked once and
// reported, and the pages after it have it.
type contentPolicy struct {
	off        bool
	reportOnly bool
	header     string // policyHeader or policyReportOnlyHeader
	reportURL  string // "" when reports are off
	always     []string
	declared   [][]string // by category index: the host sources it declares

	mu             sync.Mutex                          // guards learned, the counts and writes to cache and seen
	learned        map[string]int                      // catalog or declaration entry host -> category index
	pageN, reportN int                                 // entries learned from pages, from reports
	pagesFull      atomic.Bool                         // pageN reached maxLearnedHosts
	seen           atomic.Pointer[map[string]struct{}] // hosts pages named, looked at already
	gen            atomic.Uint64                       // digest of learned, for ETag variants
	cache          atomic.Pointer[policyCache]
}

// policyCache maps a mask of granted categories to the header values of
// its policy. It is never changed once published: a new entry or a new
// learned host publishes a copy, so a lookup takes no lock and allocates
// nothing, and writes (one per consent combination, a few per site) pay.
type policyCache map[uint32]policyLines

// policyLines are the header values of one policy, as slices of capacity
// one that a response's header map can share: an append to them copies.
type policyLines struct {
	policy, endpoints []string
}

// initPolicy sets up the policy from cfg, after the categories are
// indexed.
func (m *Manager) initPolicy(cfg *Config) {
	p := &m.csp
	p.off = cfg.NoContentPolicy
	p.reportOnly = cfg.ReportOnly || cfg.ContentPolicyReportOnly
	p.header = policyHeader
	if p.reportOnly {
		p.header = policyReportOnlyHeader
	}
	if !cfg.NoPolicyReports {
		p.reportURL = m.uiCfg.prefix + pathPolicyReport
	}
	if !cfg.NoInfrastructureHosts {
		p.always = append(p.always, infrastructureHosts...)
	}
	p.declared = make([][]string, len(m.cats))
	// The declared hosts as New normalised them (lower case, no trailing
	// dot); build sorts, so the map's order does not show.
	for h, i := range m.hostIdx {
		// A declared host matches itself and its subdomains, on any
		// port: consent is given to a host, not to a port.
		srcs := []string{h + ":*", "*." + h + ":*"}
		if i == 0 {
			p.always = append(p.always, srcs...)
		} else {
			p.declared[i] = append(p.declared[i], srcs...)
		}
	}
	p.learned = map[string]int{}
	p.seen.Store(&map[string]struct{}{})
	p.cache.Store(&policyCache{})
}

// grantMask returns the categories st grants, bit i for category i > 0,
// and whether every optional one is.
func (m *Manager) grantMask(st *State) (mask uint32, all bool) {
	all = true
	for i := 1; i < len(m.cats); i++ {
		if st.grantedAt(i) {
			mask |= 1 << i
		} else {
			all = false
		}
	}
	return mask, all
}

// policyFor returns the policy for st, "" when none is sent: the policy
// is off, or the visitor granted every optional category, which allows
// unknown hosts too (as unknown cookies), so there is nothing left to
// refuse.
func (m *Manager) contentPolicyFor(st *State) string {
	l, ok := m.contentPolicyLines(st)
	if !ok {
		return ""
	}
	return l.policy[0]
}

func (m *Manager) contentPolicyLines(st *State) (policyLines, bool) {
	p := &m.csp
	if p.off {
		return policyLines{}, false
	}
	mask, all := m.grantMask(st)
	if all {
		return policyLines{}, false
	}
	if l, ok := (*p.cache.Load())[mask]; ok {
		return l, true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	c := *p.cache.Load()
	if l, ok := c[mask]; ok {
		return l, true
	}
	v := p.build(mask)
	l := policyLines{policy: []string{v}}
	if p.reportURL != "" {
		l.endpoints = []string{policyEndpoint + `="` + p.reportURL + `"`}
	}
	if len(c) < maxPolicyCache {
		next := make(policyCache, len(c)+1)
		for k, v := range c {
			next[k] = v
		}
		next[mask] = l
		p.cache.Store(&next)
	}
	return l, true
}

// build writes the policy allowing the hosts of the categories in mask.
// The caller holds p.mu.
func (p *contentPolicy) build(mask uint32) string {
	hosts := slices.Clone(p.always)
	for i, srcs := range p.declared {
		if mask&(1<<i) != 0 {
			hosts = append(hosts, srcs...)
		}
	}
	for h, i := range p.learned {
		if i == 0 || mask&(1<<i) != 0 {
			hosts = append(hosts, h+":*", "*."+h+":*")
		}
	}
	// Sorted, so that equal states give equal bytes whatever the map
	// order: caches and the ETag variant see one policy, not many.
	slices.Sort(hosts)
	hosts = slices.Compact(hosts)
	var b strings.Builder
	b.Grow(len(policySources) + 64 + 24*len(hosts))
	b.WriteString(policySources)
	for _, h := range hosts {
		b.WriteByte(' ')
		b.WriteString(h)
	}
	if p.reportURL != "" {
		b.WriteString("; report-uri ")
		b.WriteString(p.reportURL)
		b.WriteString("; report-to " + policyEndpoint)
	}
	return b.String()
}

// learn adds the catalog or declaration entry host (the one LookupHost
// matched, which covers its subdomains) of category i (0 for necessary,
// allowed to everyone), so that later policies allow it to visitors who
// granted i. Pages and reports have budgets of their own, so that forged
// reports can neither crowd out the hosts the site's own markup names nor
// grow the header past maxReportLearned entries. It reports whether the
// entry is new.
func (p *contentPolicy) learn(entry string, i int, fromReport bool) bool {
	if p.off || i < 0 || !validReportedHost(entry) {
		return false // no category claims it, or no host to put in a header
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.learned[entry]; ok {
		return false
	}
	if fromReport {
		if p.reportN >= maxReportLearned {
			return false
		}
		p.reportN++
	} else {
		if p.pageN >= maxLearnedHosts {
			return false
		}
		p.pageN++
		p.pagesFull.Store(p.pageN >= maxLearnedHosts)
	}
	p.learned[entry] = i
	// An order-free digest of what was learned, so that replicas that
	// learned the same hosts in any order give pages the same validator.
	h := fnv.New64a()
	h.Write([]byte(entry))
	h.Write([]byte{byte(i)})
	p.gen.Store(p.gen.Load() ^ h.Sum64())
	p.cache.Store(&policyCache{})
	return true
}

// learning reports whether pages can still teach the policy hosts: once
// their budget is spent, or enough hosts were looked at, the rewriter
// needs no Decide callback for it.
func (p *contentPolicy) learning() bool {
	return !p.off && !p.pagesFull.Load() && len(*p.seen.Load()) < maxSeenHosts
}

// learnFromPage learns the entry of a host the rewriter met in a page,
// judged by the host itself (declarations, then the catalog), never by
// what the element claims: opt-in markup names its own category, and a
// URL may be judged by its path, neither of which may allow a host. Hosts
// already looked at are remembered (at most maxSeenHosts), so the common
// case takes no lock and allocates nothing.
func (m *Manager) learnFromPage(host []byte) {
	p := &m.csp
	if p.off {
		return
	}
	seen := *p.seen.Load()
	if _, ok := seen[string(host)]; ok || len(seen) >= maxSeenHosts {
		return
	}
	h := string(host)
	if entry, i, declared := m.hostEntry(h); !declared {
		p.learn(entry, i, false)
	}
	p.mu.Lock()
	cur := *p.seen.Load()
	if _, ok := cur[h]; !ok && len(cur) < maxSeenHosts {
		next := make(map[string]struct{}, len(cur)+1)
		for k := range cur {
			next[k] = struct{}{}
		}
		next[h] = struct{}{}
		p.seen.Store(&next)
	}
	p.mu.Unlock()
}

// hostEntry returns the declared or catalog entry host that host matches
// and the index of its category, or "", -1 when neither knows it;
// declared says the entry is a declaration's, which the policy lists
// already and learning must leave alone (the declaration's category wins
// over the catalog's).
func (m *Manager) hostEntry(host string) (entry string, i int, declared bool) {
	if t, ok := m.declared.LookupHost(host); ok {
		if i, ok := m.hostIdx[t.Host]; ok {
			return t.Host, i, true
		}
	}
	entry, i = m.catalogEntry(host)
	return entry, i, false
}

func (m *Manager) catalogEntry(host string) (string, int) {
	if t, ok := m.catalog.LookupHost(host); ok && t.Category <= classify.Social {
		if i := int(m.byClass[t.Category]); i >= 0 {
			return t.Host, i
		}
	}
	return "", -1
}

// addPolicy adds the policy for rs's state to an HTML response's header,
// beside any policy of the application's, which it leaves alone.
func (rs *requestState) addPolicy(h http.Header) {
	l, ok := rs.m.contentPolicyLines(&rs.state)
	if !ok {
		return
	}
	addShared(h, rs.m.csp.header, l.policy)
	if l.endpoints != nil {
		addShared(h, "Reporting-Endpoints", l.endpoints)
	}
}

// addShared adds the one value of lines to h[key], sharing the slice when
// the key is new: lines has capacity one, so whoever appends to it copies.
func addShared(h http.Header, key string, lines []string) {
	if old, ok := h[key]; ok {
		h[key] = append(old[:len(old):len(old)], lines[0])
		return
	}
	h[key] = lines[:1:1]
}

// policyChanged reports whether a decision from before to after changes
// the policy pages get, so that the banner's script reloads the page: a
// host granted now cannot load under the page's old policy, and one
// withdrawn must stop.
func (m *Manager) contentPolicyChanged(before, after *State) bool {
	if m.csp.off || m.csp.reportOnly {
		return false
	}
	return m.contentPolicyFor(before) != m.contentPolicyFor(after)
}
