package keys

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	testKey := bytes.Repeat([]byte{7}, 32)
	b64 := base64.StdEncoding.EncodeToString(testKey)
	hex32 := hex.EncodeToString(bytes.Repeat([]byte{0xab}, 32))
	tests := []struct {
		in      string
		want    [][]byte
		wantErr bool
	}{
		{in: "", want: nil},
		{in: "  ", want: nil},
		{in: hex32, want: [][]byte{bytes.Repeat([]byte{0xab}, 32)}},
		{in: b64, want: [][]byte{testKey}},
		{in: strings.TrimSuffix(b64, "="), want: [][]byte{testKey}},
		{in: base64.RawURLEncoding.EncodeToString(testKey), want: [][]byte{testKey}},
		{in: b64 + " , " + hex32, want: [][]byte{testKey, bytes.Repeat([]byte{0xab}, 32)}},
		{in: "abcd", wantErr: true},              // too short
		{in: b64 + ",", wantErr: true},           // empty second key
		{in: "not a key at all!", wantErr: true}, // neither encoding
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("Parse(%q) error %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestRandom(t *testing.T) {
	a, b := Random(), Random()
	if len(a) != 32 || bytes.Equal(a, b) {
		t.Errorf("Random() = %x, %x: want two different 32-byte keys", a, b)
	}
}

// FuzzParse: any key list gives keys of at least 32 bytes, one per field,
// or an error, never a panic or a short key.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", strings.Repeat("ab", 32), "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=", "a,b", ",,,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		keys, err := Parse(in)
		if err != nil {
			if keys != nil {
				t.Fatalf("Parse(%q) returned keys with error %v", in, err)
			}
			return
		}
		for i, k := range keys {
			if len(k) < 32 {
				t.Fatalf("Parse(%q): key %d has %d bytes", in, i, len(k))
			}
		}
		if strings.TrimSpace(in) != "" && len(keys) != strings.Count(in, ",")+1 {
			t.Fatalf("Parse(%q): %d keys for %d fields", in, len(keys), strings.Count(in, ",")+1)
		}
	})
}

// A passphrase, or any value that is no key, gets an error that says what
// the variable must hold and never repeats the secret.
func TestParseErrorsExplainTheFormat(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"correct horse battery staple", "looks like a passphrase"},
		{"hunter2hunter2", "decodes to 10 bytes"},
		{"ünïcode!", "neither hex nor base64"},
		{strings.Repeat("ab", 32) + ",", "key 2 is empty"},
	} {
		_, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) succeeded", tt.in)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tt.want) || !strings.HasSuffix(msg, Format) {
			t.Errorf("Parse(%q) error %q, want %q and the format", tt.in, msg, tt.want)
		}
		if secret := strings.TrimSuffix(tt.in, ","); strings.Contains(msg, secret) {
			t.Errorf("Parse(%q) error repeats the secret: %q", tt.in, msg)
		}
	}
}

func TestFromEnv(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == Env {
				return v
			}
			return ""
		}
	}
	var out strings.Builder
	got, err := FromEnv(env(""), &out)
	if err != nil || len(got) != 1 || len(got[0]) != 32 {
		t.Fatalf("FromEnv without keys = %d keys, %v; want one made key", len(got), err)
	}
	if !strings.HasPrefix(out.String(), "warning: CRUMB_KEYS is not set") || !strings.Contains(out.String(), "CRUMB_KEYS=") {
		t.Errorf("warning:\n%s", out.String())
	}
	out.Reset()
	hex32 := strings.Repeat("ab", 32)
	got, err = FromEnv(env(hex32), &out)
	if err != nil || len(got) != 1 || out.Len() != 0 {
		t.Errorf("FromEnv(%s) = %d keys, %v, output %q", hex32, len(got), err, out.String())
	}
	if _, err := FromEnv(env("my secret passphrase"), &out); err == nil || !strings.HasPrefix(err.Error(), "CRUMB_KEYS: key 1 contains spaces") {
		t.Errorf("FromEnv with a passphrase: %v", err)
	}
}
