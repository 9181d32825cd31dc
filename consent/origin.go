package consent

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// crumb writes its own URLs into pages path-absolute ("/consent/decide"),
// which a <base href> naming another host would send to that host: two
// requests for crumb's assets before consent, and the visitor's decision
// posted to a stranger. So the URLs of the markup the middleware inserts
// (the banner, the placeholders) carry rewrite.OriginMark, which the
// rewriter turns into the page's origin on exactly the pages whose <base>
// names another host, and removes everywhere else. The origin is
// Config.Origin when set, since a proxy in front of the application may
// rewrite the Host header; otherwise the request's.

// checkOrigin validates Config.Origin: a scheme (http or https) and a host,
// nothing else.
func checkOrigin(o string) (string, error) {
	if o == "" {
		return "", nil
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil || !validHostPort(u.Host) {
		return "", fmt.Errorf("consent: Origin %q is not an origin such as https://shop.example", o)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

// origin returns the origin r's page is served from: Config.Origin, or
// else the request's Host with https, except over plain HTTP when Insecure
// is set or the host is a loopback name (local development). The consent
// cookie is Secure unless Insecure is set, so a site that keeps consent is
// served over TLS, even when a proxy in front of it terminates TLS and
// r.TLS is nil. It returns "" for a Host header that is not a host name or
// address and port, and crumb's URLs then stay path-absolute.
//
// Every HTML response asks, and a site is nearly always served under one
// host, so the last answer is kept and reused without allocating.
func (m *Manager) origin(r *http.Request) string {
	if m.siteOrigin != "" {
		return m.siteOrigin
	}
	host, tls := r.Host, r.TLS != nil
	if last := m.lastOrigin.Load(); last != nil && last.host == host && last.tls == tls {
		return last.origin
	}
	if !validHostPort(host) {
		return ""
	}
	o := "https://" + host
	if !tls && (m.insecure || isLoopback(host)) {
		o = "http://" + host
	}
	m.lastOrigin.Store(&originMemo{host: host, tls: tls, origin: o})
	return o
}

// originMemo is the last origin Manager.origin worked out.
type originMemo struct {
	host   string
	tls    bool
	origin string
}

// validHostPort accepts the bytes of a host name or address with a port.
func validHostPort(host string) bool {
	if host == "" || len(host) > 261 {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == ':' || c == '[' || c == ']') {
			return false
		}
	}
	return true
}

func isLoopback(hostport string) bool {
	h := hostport
	if hh, _, err := net.SplitHostPort(hostport); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	if strings.EqualFold(h, "localhost") || strings.HasSuffix(strings.ToLower(h), ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
