package classify

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// mechSharedData returns the path of a file in the public data folder next
// to the repository, or skips the test when that folder is absent (a plain
// clone has no ../shared/data).
func mechSharedData(t *testing.T, parts ...string) string {
	t.Helper()
	root := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("public test data not found at %s (it lives next to the repository, not in it): %v", root, err)
	}
	return filepath.Join(append([]string{root}, parts...)...)
}

func TestParseCookieDate(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min, s int) string {
		return time.Date(y, m, d, h, min, s, 0, time.UTC).Format(http.TimeFormat)
	}
	tests := []struct {
		in   string
		want string // http.TimeFormat, or "" for rejected
	}{
		{"Wed, 21 Oct 2015 07:28:00 GMT", utc(2015, 10, 21, 7, 28, 0)},
		{"Wed, 21-Oct-2015 07:28:00 GMT", utc(2015, 10, 21, 7, 28, 0)},
		{"Wednesday, 21-Oct-15 07:28:00 GMT", utc(2015, 10, 21, 7, 28, 0)},
		{"Wed Oct 21 07:28:00 2015", utc(2015, 10, 21, 7, 28, 0)}, // asctime
		{"21 oct 2015 7:28:0", utc(2015, 10, 21, 7, 28, 0)},
		{"2015-10-21 07:28:00", ""},                                     // "10" is the day, "21" no month: ISO dates are not cookie dates
		{"21 OCTOBER 2015 07:28:00 +0200", utc(2015, 10, 21, 7, 28, 0)}, // zones are ignored
		{"Thu, 01 Jan 1970 00:00:00 GMT", utc(1970, 1, 1, 0, 0, 0)},
		{"Sat, 01 Jan 00 00:00:00 GMT", utc(2000, 1, 1, 0, 0, 0)},
		{"Sat, 01 Jan 69 00:00:00 GMT", utc(2069, 1, 1, 0, 0, 0)},
		{"Sat, 01 Jan 70 00:00:00 GMT", utc(1970, 1, 1, 0, 0, 0)},
		{"Sat, 01 Jan 99 00:00:00 GMT", utc(1999, 1, 1, 0, 0, 0)},
		{"Sat, 01 Jan 1601 00:00:00 GMT", utc(1601, 1, 1, 0, 0, 0)},
		{"Fri, 31 Dec 9999 23:59:59 GMT", utc(9999, 12, 31, 23, 59, 59)},
		{"Sat, 29 Feb 2020 12:00:00 GMT", utc(2020, 2, 29, 12, 0, 0)},
		// rejections
		{"", ""},
		{"Sat, 01 Jan 1600 00:00:00 GMT", ""}, // before 1601
		{"Sat, 01 Jan 100 00:00:00 GMT", ""},  // three-digit year is taken literally
		{"Sun, 29 Feb 2021 12:00:00 GMT", ""}, // no such day
		{"Sun, 31 Apr 2021 12:00:00 GMT", ""},
		{"Sun, 32 Jan 2021 12:00:00 GMT", ""},
		{"Sun, 00 Jan 2021 12:00:00 GMT", ""},
		{"Sun, 01 Jan 2021 24:00:00 GMT", ""},
		{"Sun, 01 Jan 2021 23:60:00 GMT", ""},
		{"Sun, 01 Jan 2021 23:59:60 GMT", ""},
		{"Sun, 01 Jan 2021 GMT", ""},         // no time
		{"Sun, 01 2021 10:00:00 GMT", ""},    // no month
		{"Sun, Jan 2021 10:00:00 GMT", ""},   // "2021" is not a day (4 digits), so no year either
		{"Sun, 01 Jan 10:00:00 GMT", ""},     // no year
		{"Sun, 01 Ja 2021 10:00:00 GMT", ""}, // two letters name no month
		{"Sun, 01 Jan 2021 100:00:00 GMT", ""},
		{"\x00\xff\x7f", ""},
	}
	for _, tt := range tests {
		got, ok := ParseCookieDate(tt.in)
		var gotS string
		if ok {
			gotS = got.Format(http.TimeFormat)
			if got.Location() != time.UTC {
				t.Errorf("ParseCookieDate(%q) location = %v, want UTC", tt.in, got.Location())
			}
		}
		if gotS != tt.want {
			t.Errorf("ParseCookieDate(%q) = %q, %v; want %q", tt.in, gotS, ok, tt.want)
		}
	}
}

// TestParseCookieDateHTTPState runs the date cases of the http-state test
// suite (Adam Barth's RFC 6265 tests, partly from Chromium): the expected
// value is the date in http.TimeFormat, or null for a rejected date.
func TestParseCookieDateHTTPState(t *testing.T) {
	for _, file := range []string{"examples.json", "bsd-examples.json"} {
		t.Run(file, func(t *testing.T) {
			raw, err := os.ReadFile(mechSharedData(t, "http-state", "dates", file))
			if err != nil {
				t.Fatal(err)
			}
			var cases []struct {
				Test     string  `json:"test"`
				Expected *string `json:"expected"`
			}
			if err := json.Unmarshal(stripLineComments(raw), &cases); err != nil {
				t.Fatal(err)
			}
			if len(cases) < 10 {
				t.Fatalf("only %d cases in %s", len(cases), file)
			}
			for _, c := range cases {
				got, ok := ParseCookieDate(c.Test)
				var gotP *string
				if ok {
					s := got.Format(http.TimeFormat)
					gotP = &s
				}
				if diff := cmp.Diff(c.Expected, gotP); diff != "" {
					t.Errorf("ParseCookieDate(%q) (-want +got):\n%s", c.Test, diff)
				}
			}
			t.Logf("%d cases", len(cases))
		})
	}
}

// stripLineComments drops the "//" comment lines that open bsd-examples.json.
func stripLineComments(b []byte) []byte {
	var out bytes.Buffer
	for line := range bytes.Lines(b) {
		if bytes.HasPrefix(bytes.TrimSpace(line), []byte("//")) {
			continue
		}
		out.Write(line)
	}
	return out.Bytes()
}

// TestParseCookieDateRoundTrip checks that every date ParseCookieDate can
// return survives formatting in the layout servers use most.
func TestParseCookieDateRoundTrip(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2038, 1, 19, 3, 14, 8, 0, time.UTC),
		time.Date(2024, 2, 29, 13, 5, 9, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
	} {
		for _, layout := range []string{http.TimeFormat, time.RFC850, time.ANSIC, "Mon, 02-Jan-2006 15:04:05 MST"} {
			if layout == time.RFC850 && (tm.Year() < 1970 || tm.Year() > 2069) {
				continue // two-digit years cover 1970-2069 only
			}
			s := tm.Format(layout)
			got, ok := ParseCookieDate(s)
			if !ok || !got.Equal(tm) {
				t.Errorf("ParseCookieDate(%q) = %v, %v; want %v", s, got, ok, tm)
			}
		}
	}
}
