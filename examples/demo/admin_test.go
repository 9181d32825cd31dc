package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/crumbhq/crumb/consent"
)

// A decision in the shop becomes a record that the operator page shows,
// behind the token only; the visitor sees their own on the handler's
// records page.
func TestAdminRecords(t *testing.T) {
	store, err := consent.OpenFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	const token = "0123456789abcdef0123456789abcdef"
	d, err := newDemo(demoConfig{Keys: [][]byte{testKey}, Store: store, AdminToken: token})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(d)
	defer srv.Close()
	v := newVisitor(t, srv.URL)
	v.post("/consent/decide", url.Values{"action": {"accept"}, "return": {"/"}})
	if err := d.consent.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	var id string
	store.Export(context.Background(), func(r consent.Record) error { id = r.ConsentID; return nil })
	if id == "" {
		t.Fatal("the decision left no record")
	}
	if r := v.get("/consent/records"); r.Status != 200 || !strings.Contains(r.Body, id) {
		t.Errorf("visitor's records page: %d\n%s", r.Status, r.Body)
	}
	for _, tc := range []struct {
		user, pass string
		code       int
	}{{"", "", 401}, {"admin", "wrong", 401}, {"root", token, 401}, {"admin", token, 200}} {
		req, _ := http.NewRequest("GET", srv.URL+adminPath+"?id="+id, nil)
		if tc.user != "" {
			req.SetBasicAuth(tc.user, tc.pass)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		resp.Write(&b)
		resp.Body.Close()
		if resp.StatusCode != tc.code || (tc.code == 200) != strings.Contains(b.String(), id) {
			t.Errorf("admin page as %s/%s: %d, want %d", tc.user, tc.pass, resp.StatusCode, tc.code)
		}
		if tc.code == 200 && strings.Contains(b.String(), "crumb-banner") {
			t.Error("the admin page got the banner")
		}
	}
}
