package consent_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crumbhq/crumb/consent"
	"github.com/crumbhq/crumb/consent/storetest"
	"github.com/google/go-cmp/cmp"
)

// quiet discards the log lines of decisions and queue.
var quiet = slog.New(slog.DiscardHandler)

// site is a Manager with a FileStore, its handler and an application
// behind the middleware.
type site struct {
	m     *consent.Manager
	store *consent.FileStore
	h     http.Handler
	now   atomic.Int64 // the clock, Unix seconds
}

func newSite(t *testing.T, edit func(*consent.Config)) *site {
	t.Helper()
	s := &site{store: openFileStore(t, t.TempDir())}
	s.now.Store(storetest.Base.Unix())
	cfg := consent.Config{Keys: []consent.Key{{Hash: demoKey}}, Insecure: true, Store: s.store, Logger: quiet,
		Now: func() time.Time { return time.Unix(s.now.Load(), 0) }}
	if edit != nil {
		edit(&cfg)
	}
	m, err := consent.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close(context.Background()) })
	s.m = m
	mux := http.NewServeMux()
	mux.Handle("/consent/", m.Handler())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<p>shop</p>")) })
	s.h = m.Middleware(mux)
	return s
}

// decide posts a decision with the cookie line given and returns the new
// cookie line ("name=value").
func (s *site) decide(t *testing.T, cookie, form string, hdr ...string) string {
	t.Helper()
	r := httptest.NewRequest("POST", "http://shop.test/consent/decide", strings.NewReader(form))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != "" {
		r.Header.Set("Cookie", cookie)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("decide %q: %d %s", form, w.Code, w.Body)
	}
	for _, line := range w.Result().Cookies() {
		if line.Name == s.m.CookieName() {
			return line.Name + "=" + line.Value
		}
	}
	t.Fatalf("decide %q set no consent cookie", form)
	return ""
}

func (s *site) get(t *testing.T, h http.Handler, target, cookie string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", target, nil)
	if cookie != "" {
		r.Header.Set("Cookie", cookie)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func (s *site) flush(t *testing.T) {
	t.Helper()
	if err := s.m.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Each decision becomes a record of the right kind, carrying the text
// digest of the language shown, the page and the choices, and no IP.
func TestStoreRecordsDecisions(t *testing.T) {
	s := newSite(t, nil)
	c1 := s.decide(t, "", "action=accept&return=/shop%3Fq%3Dsecret&lang=de")
	s.now.Add(60)
	c2 := s.decide(t, c1, "action=save&c=analytics&return=/shop")
	s.now.Add(int64(consent.DefaultLifetime/time.Second) + 60) // expired: the banner asks again
	s.decide(t, c2, "action=save&c=analytics&return=/", "Sec-GPC", "1")
	s.flush(t)

	all := exportAll(t, s.store)
	if len(all) != 3 {
		t.Fatalf("%d records, want 3", len(all))
	}
	id := all[0].ConsentID
	type brief struct {
		Kind           consent.EventKind
		Lang, Page     string
		Analytics, Mkt string
		GPC            bool
	}
	var got []brief
	for _, r := range all {
		if r.ConsentID != id {
			t.Errorf("record %s has consent ID %s, want %s throughout", r.ID, r.ConsentID, id)
		}
		if r.TextDigest != s.m.TextDigest(r.Language) || r.TextDigest == "" || r.TextDigest == r.BannerHash {
			t.Errorf("record %s: text digest %q, want Manager.TextDigest(%s)", r.ID, r.TextDigest, r.Language)
		}
		got = append(got, brief{r.Kind, r.Language, r.Page, r.Choices[2].Choice, r.Choices[3].Choice, r.GPC})
	}
	want := []brief{
		{consent.KindBanner, "de", "/shop", "granted", "granted", false},
		{consent.KindWithdrawal, "de", "/shop", "granted", "refused", false},
		{consent.KindRenewal, "en", "/", "granted", "refused", true}, // an expired cookie's language no longer counts
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if s.m.TextDigest("de") == s.m.TextDigest("fr") {
		t.Error("German and French text share a digest")
	}
	if err := consent.Verify(all); err != nil {
		t.Error(err)
	}
	b, _ := os.ReadFile(s.store.Path())
	for _, leak := range []string{"192.0.2.1", "secret", "Cookie"} { // httptest's RemoteAddr, the query
		if strings.Contains(string(b), leak) {
			t.Errorf("the record file holds %q", leak)
		}
	}
}

func TestStoreAPIDecision(t *testing.T) {
	s := newSite(t, nil)
	w := httptest.NewRecorder()
	r := httptest.NewRequest("POST", "http://shop.test/account/privacy?x=1", nil)
	rec, err := s.m.Decide(w, r, consent.Decision{Grant: []string{"analytics"}, Method: consent.MethodAPI})
	if err != nil {
		t.Fatal(err)
	}
	s.flush(t)
	got, err := s.store.Lookup(context.Background(), rec.ID)
	if err != nil || len(got) != 1 {
		t.Fatalf("Lookup: %d records, %v", len(got), err)
	}
	if g := got[0]; g.Kind != consent.KindAPI || g.Method != "api" || g.Page != "/account/privacy" || g.TextDigest != "" {
		t.Errorf("API record %+v", g)
	}
}

// Without a Store nothing changes: Close is a no-op, the visitor page
// shows the cookie's state, the operator handler says there is no store.
func TestNoStore(t *testing.T) {
	m, err := consent.New(consent.Config{Keys: []consent.Key{{Hash: demoKey}}, Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := m.RecordStats(); ok {
		t.Error("RecordStats without a store")
	}
	w := httptest.NewRecorder()
	m.RecordsHandler().ServeHTTP(w, httptest.NewRequest("GET", "/admin/records?id="+storetest.NewID(), nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("operator handler without a store: %d", w.Code)
	}
	if _, err := consent.New(consent.Config{Keys: []consent.Key{{Hash: demoKey}},
		StoreOptions: consent.StoreOptions{Retention: time.Hour}}); err == nil {
		t.Error("Retention without a Store accepted")
	}
}

// The visitor page shows the visitor their own records, found by their
// signed cookie only.
func TestVisitorRecordsPage(t *testing.T) {
	s := newSite(t, nil)
	mine := s.decide(t, "", "action=accept&return=/")
	theirs := s.decide(t, "", "action=reject&return=/")
	s.flush(t)
	all := exportAll(t, s.store)
	myID, theirID := all[0].ConsentID, all[1].ConsentID

	w := s.get(t, s.h, "http://shop.test/consent/records?id="+theirID, mine)
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, myID) || strings.Contains(body, theirID) ||
		!strings.Contains(body, all[0].ID) || w.Header().Get("Cache-Control") != "private, no-store" {
		t.Errorf("visitor page: %d %s\n%s", w.Code, w.Header(), body)
	}
	for _, cookie := range []string{"", s.m.CookieName() + "=forged" + theirs[len(theirs)-10:]} {
		w = s.get(t, s.h, "http://shop.test/consent/records", cookie)
		if w.Code != 200 || strings.Contains(w.Body.String(), myID) || strings.Contains(w.Body.String(), theirID) {
			t.Errorf("visitor page with cookie %q shows an ID:\n%s", cookie, w.Body)
		}
	}
	r := httptest.NewRequest("POST", "http://shop.test/consent/records", nil)
	w = httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST records: %d", w.Code)
	}
	w = s.get(t, s.h, "http://shop.test/consent/records?format=json", mine)
	var ex consent.VisitorExport
	if err := json.Unmarshal(w.Body.Bytes(), &ex); err != nil || w.Code != 200 {
		t.Fatalf("JSON export: %d %v", w.Code, err)
	}
	if ex.PIIPrincipalID != myID || len(ex.Events) != 1 || !ex.Events[0].DigestValid || ex.ConsentStatus != "given" ||
		len(ex.Notices) != 1 || ex.Notices[0].TextDigest != s.m.TextDigest("en") {
		t.Errorf("export %+v", ex)
	}
	// An expired decision's cookie still leads the visitor to their records.
	s.now.Add(int64(consent.DefaultLifetime/time.Second) + 1)
	w = s.get(t, s.h, "http://shop.test/consent/records", mine)
	if body := w.Body.String(); !strings.Contains(body, myID) || !strings.Contains(body, "expired") || !strings.Contains(body, all[0].ID) {
		t.Errorf("records page after expiry:\n%s", body)
	}
}

func TestOperatorHandler(t *testing.T) {
	s := newSite(t, nil)
	s.decide(t, "", "action=accept&return=/")
	s.flush(t)
	all := exportAll(t, s.store)
	h := s.m.RecordsHandler()
	for _, tc := range []struct {
		target string
		code   int
		has    string
	}{
		{"/admin/records", 200, "<form"},
		{"/admin/records?id=" + all[0].ConsentID, 200, all[0].ID},
		{"/admin/records?format=json&id=" + all[0].ConsentID, 200, `"record_sha256_valid":true`},
		{"/admin/records?id=%27%20OR%201%3D1", 400, "Not a consent ID"},
		{"/admin/records?format=json&id=ABC", 400, "not a consent ID"},
		{"/admin/records?verify=1", 200, `"ok":true`},
	} {
		w := s.get(t, h, tc.target, "")
		if w.Code != tc.code || !strings.Contains(w.Body.String(), tc.has) {
			t.Errorf("GET %s: %d, want %d with %q:\n%s", tc.target, w.Code, tc.code, tc.has, w.Body)
		}
	}
	// Edit the file behind the store's back: verification says so.
	b, _ := os.ReadFile(s.store.Path())
	os.WriteFile(s.store.Path(), []byte(strings.Replace(string(b), `"choice":"granted"}]`, `"choice":"refused"}]`, 1)), 0o600)
	if w := s.get(t, h, "/admin/records?verify=1", ""); !strings.Contains(w.Body.String(), "edited") {
		t.Errorf("verify after an edit: %s", w.Body)
	}
}

// The retention job purges what is older than the configured age.
func TestRetention(t *testing.T) {
	dir := t.TempDir()
	fs := openFileStore(t, dir)
	old := storetest.Records(5, storetest.NewID()) // at Base
	if err := fs.Append(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	m, err := consent.New(consent.Config{Keys: []consent.Key{{Hash: demoKey}}, Store: fs, Logger: quiet,
		StoreOptions: consent.StoreOptions{Retention: 30 * 24 * time.Hour},
		Now:          func() time.Time { return storetest.Base.Add(31 * 24 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close(context.Background())
	deadline := time.Now().Add(10 * time.Second)
	for fs.Len() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d old records left after the retention job", fs.Len())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
