package classify

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// mechNow is the frozen clock of the lifetime tests: after the past dates
// and before the future ones of the http-state suite (2007, 2019, 2027).
var mechNow = time.Date(2012, time.March, 4, 5, 6, 7, 0, time.UTC)

func TestSetCookieLifetime(t *testing.T) {
	now := mechNow
	at := func(d time.Duration) time.Time { return now.Add(d) }
	session := Lifetime{}
	persist := func(d time.Duration) Lifetime {
		return Lifetime{Persistent: true, Expires: at(d), MaxAge: d}
	}
	deleted := Lifetime{Persistent: true, Deletion: true, Expires: now}
	future := "Sun, 21 Oct 2012 07:28:00 GMT"
	futureT := time.Date(2012, 10, 21, 7, 28, 0, 0, time.UTC)
	past := "Thu, 01 Jan 1970 00:00:00 GMT"
	pastT := time.Unix(0, 0).UTC()

	tests := []struct {
		line string
		want Lifetime
	}{
		{"sid=1", session},
		{"sid=1; Path=/; HttpOnly; Secure; SameSite=Lax", session},
		{"sid=1; Max-Age=3600", persist(time.Hour)},
		{"sid=1;max-age=3600", persist(time.Hour)},
		{"sid=1; MAX-AGE = 3600 ", persist(time.Hour)},
		{"sid=1; Max-Age=\t60\t; Path=/", persist(time.Minute)},
		{"sid=1; expire\u017f=" + future, session}, // a long s is no 's' to a browser
		{"sid=1; Domain=x; Path=/; SameSite=Lax; Max-Age=60", persist(time.Minute)},
		{"sid=1; Expires=" + future, persist(futureT.Sub(now))},
		{"sid=1; expires=Sunday, 21-Oct-12 07:28:00 GMT", persist(futureT.Sub(now))},
		{"sid=1; Expires=Sun Oct 21 07:28:00 2012", persist(futureT.Sub(now))}, // Go's parser rejects this one
		// Max-Age wins over Expires, whichever comes first.
		{"sid=1; Expires=" + future + "; Max-Age=60", persist(time.Minute)},
		{"sid=1; Max-Age=60; Expires=" + future, persist(time.Minute)},
		{"sid=1; Max-Age=60; Expires=" + past, persist(time.Minute)},
		{"sid=1; Max-Age=0; Expires=" + future, deleted},
		// The last valid attribute of a name counts; invalid ones are ignored.
		{"sid=1; Max-Age=60; Max-Age=120", persist(2 * time.Minute)},
		{"sid=1; Max-Age=60; Max-Age=abc", persist(time.Minute)},
		{"sid=1; Max-Age=60; Max-Age=", persist(time.Minute)},
		{"sid=1; Expires=" + past + "; Expires=" + future, persist(futureT.Sub(now))},
		{"sid=1; Expires=" + future + "; Expires=never", persist(futureT.Sub(now))},
		// Invalid Max-Age values alone leave a session cookie.
		{"sid=1; Max-Age=abc", session},
		{"sid=1; Max-Age=1.5", session},
		{"sid=1; Max-Age=+60", session},
		{"sid=1; Max-Age=60s", session},
		{"sid=1; Max-Age=-", session},
		{"sid=1; Max-Age=\"60\"", session},
		{"sid=1; Max-Age=50,399", session},
		{"sid=1; Max-Age", session},
		{"sid=1; Expires=tomorrow", session},
		{"sid=1; Expires=", session},
		// Deletions.
		{"sid=; Max-Age=0", deleted},
		{"sid=; Max-Age=-1", deleted},
		{"sid=; Max-Age=-99999999999999999999999", deleted},
		{"sid=; Max-Age=000", deleted},
		{"sid=; Expires=" + past, Lifetime{Persistent: true, Deletion: true, Expires: pastT, MaxAge: pastT.Sub(now)}},
		{"sid=; Expires=" + now.Format(http.TimeFormat), Lifetime{Persistent: true, Deletion: true, Expires: now}},
		// The 400-day cap.
		{"sid=1; Max-Age=34560000", persist(MaxLifetime)},
		{"sid=1; Max-Age=34560001", Lifetime{Persistent: true, Capped: true, Expires: at(MaxLifetime), MaxAge: MaxLifetime}},
		{"sid=1; Max-Age=99999999999999999999999999", Lifetime{Persistent: true, Capped: true, Expires: at(MaxLifetime), MaxAge: MaxLifetime}},
		{"sid=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT", Lifetime{Persistent: true, Capped: true, Expires: at(MaxLifetime), MaxAge: MaxLifetime}},
		// An attribute value over 1024 bytes is ignored.
		{"sid=1; Max-Age=" + strings.Repeat("0", 1023) + "60", session},
		{"sid=1; Max-Age=" + strings.Repeat("0", 1022) + "60", persist(time.Minute)},
		// Attribute-looking text inside the name-value pair is not an attribute.
		{"max-age=60", session},
		{"sid=max-age=60", session},
		{"", session},
		{";;;", session},
	}
	for _, tt := range tests {
		got := SetCookieLifetime(tt.line, now)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("SetCookieLifetime(%.80q) (-want +got):\n%s", tt.line, diff)
		}
	}
}

// TestSetCookieLifetimeClockZone checks that the result does not depend on
// the location or monotonic reading of now.
func TestSetCookieLifetimeClockZone(t *testing.T) {
	loc := time.FixedZone("UTC+5", 5*3600)
	for _, now := range []time.Time{mechNow.In(loc), time.Now(), time.Now().In(loc)} {
		got := SetCookieLifetime("a=b; Max-Age=60", now)
		want := Lifetime{Persistent: true, Expires: now.UTC().Add(time.Minute).Round(0), MaxAge: time.Minute}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("now=%v (-want +got):\n%s", now, diff)
		}
		if got.Expires.Location() != time.UTC {
			t.Errorf("Expires location = %v, want UTC", got.Expires.Location())
		}
	}
}

func TestCookieLifetime(t *testing.T) {
	now := mechNow
	tests := []struct {
		name string
		c    *http.Cookie
		want Lifetime
	}{
		{"nil", nil, Lifetime{}},
		{"session", &http.Cookie{Name: "a", Value: "b"}, Lifetime{}},
		{"max-age", &http.Cookie{Name: "a", MaxAge: 60}, Lifetime{Persistent: true, Expires: now.Add(time.Minute), MaxAge: time.Minute}},
		{"go delete idiom", &http.Cookie{Name: "a", MaxAge: -1}, Lifetime{Persistent: true, Deletion: true, Expires: now}},
		{"expires", &http.Cookie{Name: "a", Expires: now.Add(time.Hour)}, Lifetime{Persistent: true, Expires: now.Add(time.Hour), MaxAge: time.Hour}},
		{"expires epoch", &http.Cookie{Name: "a", Expires: time.Unix(0, 0)}, Lifetime{Persistent: true, Deletion: true, Expires: time.Unix(0, 0).UTC(), MaxAge: time.Unix(0, 0).Sub(now)}},
		{"max-age beats expires", &http.Cookie{Name: "a", MaxAge: 60, Expires: time.Unix(0, 0)}, Lifetime{Persistent: true, Expires: now.Add(time.Minute), MaxAge: time.Minute}},
		{"raw expires Go cannot parse", &http.Cookie{Name: "a", RawExpires: "Tue Dec 18 22:50:12 2012 GMT"},
			Lifetime{Persistent: true, Expires: time.Date(2012, 12, 18, 22, 50, 12, 0, time.UTC), MaxAge: time.Date(2012, 12, 18, 22, 50, 12, 0, time.UTC).Sub(now)}},
		{"raw expires unparseable", &http.Cookie{Name: "a", RawExpires: "soon"}, Lifetime{}},
		{"capped", &http.Cookie{Name: "a", MaxAge: 1 << 30}, Lifetime{Persistent: true, Capped: true, Expires: now.Add(MaxLifetime), MaxAge: MaxLifetime}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, CookieLifetime(tt.c, now)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestCookieLifetimeAgreesWithLine checks that a line and its parse by
// http.ParseSetCookie have the same lifetime wherever Go parses the line.
func TestCookieLifetimeAgreesWithLine(t *testing.T) {
	for _, line := range []string{
		"a=b",
		"a=b; Max-Age=60",
		"a=b; Max-Age=0",
		"a=b; Max-Age=-5",
		"a=b; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
		"a=b; Expires=Wed, 21-Oct-2015 07:28:00 GMT",
		"a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
		"a=b; Expires=Wed Oct 21 07:28:00 2015",
		"a=b; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
	} {
		c, err := http.ParseSetCookie(line)
		if err != nil {
			t.Fatalf("ParseSetCookie(%q): %v", line, err)
		}
		if diff := cmp.Diff(SetCookieLifetime(line, mechNow), CookieLifetime(c, mechNow)); diff != "" {
			t.Errorf("%q: line vs *http.Cookie (-line +cookie):\n%s", line, diff)
		}
	}
}

func TestCookieName(t *testing.T) {
	tests := []struct{ line, want string }{
		{"sid=1", "sid"},
		{"sid=1; Path=/", "sid"},
		{"  sid \t= 1", "sid"},
		{"sid=", "sid"},
		{"sid==x", "sid"},
		{"=value", ""},
		{"novalue", ""},      // rfc6265bis: a nameless cookie
		{"novalue; a=b", ""}, // the '=' after ';' is an attribute's
		{"__Host-sid=1", "__Host-sid"},
		{"a b=1", "a b"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := SetCookieName(tt.line); got != tt.want {
			t.Errorf("SetCookieName(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestTrimCookiePrefix(t *testing.T) {
	tests := []struct{ in, want string }{
		{"__Host-sid", "sid"},
		{"__host-sid", "sid"},
		{"__HOST-sid", "sid"},
		{"__Secure-sid", "sid"},
		{"__SECURE-sid", "sid"},
		{"__Http-sid", "sid"},
		{"__Host-Http-sid", "sid"},
		{"__host-http-sid", "sid"},
		{"__Secure-__Host-sid", "__Host-sid"}, // one prefix only, as browsers check one
		{"__Host-", "__Host-"},                // nothing left to classify: keep the name
		{"__Host", "__Host"},
		{"__utma", "__utma"},
		{"_Host-sid", "_Host-sid"},
		{"sid", "sid"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := TrimCookiePrefix(tt.in); got != tt.want {
			t.Errorf("TrimCookiePrefix(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestLifetimeHTTPStateParser replays the http-state parser cases that carry
// Max-Age or Expires through a minimal cookie store: a line whose lifetime is
// a Deletion removes its name, any other line stores it. The names the store
// ends with must be those the case's -expected file sends back. Cases whose
// outcome turns on Domain or Path are left out: that is not lifetime.
func TestLifetimeHTTPStateParser(t *testing.T) {
	dir := mechSharedData(t, "http-state", "parser")
	tests, err := filepath.Glob(filepath.Join(dir, "*-test"))
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, testFile := range tests {
		raw, err := os.ReadFile(testFile)
		if err != nil {
			t.Fatal(err)
		}
		lower := strings.ToLower(string(raw))
		if !strings.Contains(lower, "max-age") && !strings.Contains(lower, "expires") {
			continue
		}
		if strings.Contains(lower, "domain=") || strings.Contains(lower, "path=/foo") {
			continue
		}
		want, err := os.ReadFile(strings.TrimSuffix(testFile, "-test") + "-expected")
		if err != nil {
			t.Fatal(err)
		}
		var jar []string // names, in insertion order
		for _, line := range strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n") {
			v, ok := cutHeader(line, "Set-Cookie")
			if !ok {
				continue
			}
			name := SetCookieName(v)
			if name == "" && !strings.Contains(strings.SplitN(v, ";", 2)[0], "=") {
				continue // the suite follows RFC 6265 and ignores nameless lines
			}
			jar = slices.DeleteFunc(jar, func(n string) bool { return n == name })
			if !SetCookieLifetime(v, mechNow).Deletion {
				jar = append(jar, name)
			}
		}
		var wantNames []string
		if v, ok := cutHeader(strings.TrimSpace(string(want)), "Cookie"); ok {
			for pair := range strings.SplitSeq(v, ";") {
				name, _, _ := strings.Cut(pair, "=")
				wantNames = append(wantNames, strings.TrimSpace(name))
			}
		}
		slices.Sort(jar)
		slices.Sort(wantNames)
		if diff := cmp.Diff(wantNames, jar, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: surviving cookies (-want +got):\n%s", filepath.Base(testFile), diff)
		}
		ran++
	}
	if ran < 15 {
		t.Fatalf("only %d lifetime cases found in %s", ran, dir)
	}
	t.Logf("%d http-state parser cases bear on lifetime", ran)
}

func cutHeader(line, name string) (string, bool) {
	k, v, ok := strings.Cut(line, ":")
	if !ok || !strings.EqualFold(strings.TrimSpace(k), name) {
		return "", false
	}
	return strings.TrimLeft(v, " \t"), true
}

// TestSetCookieCorpusCurl runs the Set-Cookie lines of curl's test suite:
// none may panic, and wherever Go's http.ParseSetCookie accepts a line,
// SetCookieName must read the same name and CookieLifetime of Go's parse must
// agree with SetCookieLifetime on whether the line stores or deletes.
func TestSetCookieCorpusCurl(t *testing.T) {
	f, err := os.Open(mechSharedData(t, "curl", "set-cookie-lines.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	lines, compared := 0, 0
	for sc.Scan() {
		var rec struct {
			Test   string `json:"test"`
			Header string `json:"header"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %d: %v", lines+1, err)
		}
		lines++
		v, ok := cutHeader(rec.Header, "Set-Cookie")
		if !ok {
			t.Errorf("%s: not a Set-Cookie header: %q", rec.Test, rec.Header)
			continue
		}
		name := SetCookieName(v)
		l := SetCookieLifetime(v, mechNow)
		if l.Deletion && !l.Persistent {
			t.Errorf("%s: %q: deletion without expiry", rec.Test, v)
		}
		c, err := http.ParseSetCookie(v)
		if err != nil {
			continue
		}
		compared++
		if name != c.Name {
			t.Errorf("%s: SetCookieName(%q) = %q, http.ParseSetCookie says %q", rec.Test, v, name, c.Name)
		}
		if goL := CookieLifetime(c, mechNow); goL.Deletion != l.Deletion {
			t.Errorf("%s: %q: Deletion from line = %v, from *http.Cookie = %v", rec.Test, v, l.Deletion, goL.Deletion)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if lines < 300 || compared < lines/2 {
		t.Fatalf("corpus too small: %d lines, %d parsed by Go", lines, compared)
	}
	t.Logf("%d lines, %d also parsed by http.ParseSetCookie", lines, compared)
}
