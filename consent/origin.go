package consent

import "net/http"

// origin returns the origin r was sent to ("https://shop.example"), for
// the URLs crumb writes into pages: written absolute, they resolve to the
// site whatever <base href> the page carries, so a base element pointing
// at another host can neither load crumb's script from it nor post the
// visitor's decision to it. It returns "" when the Host header holds
// anything but a host name or address and a port, and the URLs then stay
// path-absolute.
//
// The scheme is https unless Config.Insecure is set and the request came
// over plain HTTP: the consent cookie is Secure unless Insecure is set, so
// a site that keeps consent at all is served over TLS, even when a proxy
// in front of it terminates TLS and r.TLS is nil.
func (m *Manager) origin(r *http.Request) string {
	host := r.Host
	if host == "" || len(host) > 261 {
		return ""
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == ':' || c == '[' || c == ']') {
			return ""
		}
	}
	if m.insecure && r.TLS == nil {
		return "http://" + host
	}
	return "https://" + host
}
