package classify

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// sharedData is the public data folder next to the repository, read by the
// loader tests and never copied into it; CRUMB_SHARED_DATA names it for a
// checkout (a git worktree) that lives elsewhere.
var sharedData = sharedDataDir()

func sharedDataDir() string {
	if d := os.Getenv("CRUMB_SHARED_DATA"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared", "data")
}

// readSharedData returns a file under ../shared/data, skipping the test when
// the folder is absent (a plain clone of the repository).
func readSharedData(tb testing.TB, rel string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(sharedData, rel))
	if errors.Is(err, os.ErrNotExist) {
		tb.Skipf("public data set %s not found (it lives in ../shared/data next to the repository); skipping", rel)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// errText is err's message, or "" for nil, for comparing with cmp.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestLimitReader(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		limit   int64
		wantErr bool
	}{
		{"under", "abc", 4, false},
		{"exactly", "abcd", 4, false},
		{"over by one", "abcde", 4, true},
		{"far over", strings.Repeat("x", 100), 4, true},
		{"empty", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// OneByteReader makes the limit fall between reads too.
			got, err := io.ReadAll(limitReader(iotest.OneByteReader(strings.NewReader(tt.input)), tt.limit))
			if gotErr := errors.Is(err, errTooLarge); gotErr != tt.wantErr {
				t.Fatalf("err = %v, want too-large error: %v", err, tt.wantErr)
			}
			if !tt.wantErr && string(got) != tt.input {
				t.Errorf("read %q, want %q", got, tt.input)
			}
		})
	}
}

// A reader error that is not the limit must come through unchanged.
func TestLimitReaderPassesErrors(t *testing.T) {
	boom := errors.New("boom")
	_, err := io.ReadAll(limitReader(iotest.ErrReader(boom), 10))
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
}

func TestTrackerSetKeepsStrictest(t *testing.T) {
	var s trackerSet
	s.add(Tracker{Host: "a.example", Category: Social, Provider: "first"})
	s.add(Tracker{Host: "b.example", Category: Analytics, Provider: "b"})
	s.add(Tracker{Host: "a.example", Category: Marketing, Provider: "stricter"})
	s.add(Tracker{Host: "a.example", Category: Analytics, Provider: "laxer"})
	want := []Tracker{
		{Host: "a.example", Category: Marketing, Provider: "stricter"},
		{Host: "b.example", Category: Analytics, Provider: "b"},
	}
	if diff := cmp.Diff(want, s.list); diff != "" {
		t.Errorf("trackers (-want +got):\n%s", diff)
	}
}

func TestListHost(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"Example.COM", "example.com", true},
		{"example.com.", "example.com", true},
		{" cdn.example.com ", "cdn.example.com", true},
		{"under_score.example.com", "under_score.example.com", true},
		{"com", "", false},
		{"", "", false},
		{"example.com/path", "", false},
		{"example.com:443", "", false},
		{"*.example.com", "", false},
		{"exa mple.com", "", false},
		{"a..b", "", false},
		{"bücher.example", "", false},
	}
	for _, tt := range tests {
		got, ok := listHost(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("listHost(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// Every loader refuses input over its limit with an error, rather than
// loading a silently truncated list.
func TestLoadersRefuseOversizedInput(t *testing.T) {
	big := bytes.Repeat([]byte(" "), 2048)
	loaders := []struct {
		name string
		load func(io.Reader, int64) (*Catalog, error)
		want string
	}{
		{"ocd", loadOpenCookieDatabase, "classify: open cookie database: input too large: more than 1024 bytes"},
		{"disconnect", loadDisconnect, "classify: disconnect services.json: input too large: more than 1024 bytes"},
		{"duckduckgo", loadDuckDuckGo, "classify: duckduckgo tds.json: input too large: more than 1024 bytes"},
		{"thirdpartyweb", loadThirdPartyWeb, "classify: third-party-web entities: input too large: more than 1024 bytes"},
	}
	for _, l := range loaders {
		t.Run(l.name, func(t *testing.T) {
			c, err := l.load(bytes.NewReader(big), 1024)
			if c != nil {
				t.Errorf("got a catalog, want nil")
			}
			if diff := cmp.Diff(l.want, errText(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// hostCase is a host a loaded list must (or must not) classify, and how.
type hostCase struct {
	host   string
	want   Tracker
	wantOK bool
}

func checkHosts(t *testing.T, cat *Catalog, tests []hostCase) {
	t.Helper()
	for _, tt := range tests {
		got, ok := cat.LookupHost(tt.host)
		if ok != tt.wantOK {
			t.Errorf("LookupHost(%q) found = %v, want %v (%+v)", tt.host, ok, tt.wantOK, got)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("LookupHost(%q) (-want +got):\n%s", tt.host, diff)
		}
	}
}
