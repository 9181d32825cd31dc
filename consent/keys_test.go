package consent

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseKeys(t *testing.T) {
	testKey := bytes.Repeat([]byte{7}, 32)
	b64 := base64.StdEncoding.EncodeToString(testKey)
	hex32 := hex.EncodeToString(bytes.Repeat([]byte{0xab}, 32))
	tests := []struct {
		in      string
		want    []Key
		wantErr bool
	}{
		{in: "", want: nil},
		{in: "  ", want: nil},
		{in: hex32, want: []Key{{Hash: bytes.Repeat([]byte{0xab}, 32)}}},
		{in: b64, want: []Key{{Hash: testKey}}},
		{in: strings.TrimSuffix(b64, "="), want: []Key{{Hash: testKey}}},
		{in: base64.RawURLEncoding.EncodeToString(testKey), want: []Key{{Hash: testKey}}},
		{in: b64 + " , " + hex32, want: []Key{{Hash: testKey}, {Hash: bytes.Repeat([]byte{0xab}, 32)}}},
		{in: "abcd", wantErr: true},              // too short
		{in: b64 + ",", wantErr: true},           // empty second key
		{in: "not a key at all!", wantErr: true}, // neither encoding
	}
	for _, tt := range tests {
		got, err := ParseKeys(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseKeys(%q) error %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseKeys(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// Parsed keys are keys New accepts.
func TestParseKeysWorkWithNew(t *testing.T) {
	keys, err := ParseKeys(strings.Repeat("ab", 32) + "," + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{Keys: keys}); err != nil {
		t.Errorf("New with parsed keys: %v", err)
	}
}

// A passphrase, or any value that is no key, gets an error that says what
// the value must hold and never repeats the secret.
func TestParseKeysErrorsExplainTheFormat(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"correct horse battery staple", "key 1 contains spaces"},
		{"hunter2hunter2", "decodes to 10 bytes"},
		{"ünïcode!", "neither hex nor base64"},
		{strings.Repeat("ab", 32) + ",", "key 2 is empty"},
	} {
		_, err := ParseKeys(tt.in)
		if err == nil {
			t.Errorf("ParseKeys(%q) succeeded", tt.in)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tt.want) || !strings.HasSuffix(msg, keysFormat) {
			t.Errorf("ParseKeys(%q) error %q, want %q and the format", tt.in, msg, tt.want)
		}
		if secret := strings.TrimSuffix(tt.in, ","); strings.Contains(msg, secret) {
			t.Errorf("ParseKeys(%q) error repeats the secret: %q", tt.in, msg)
		}
	}
}

// FuzzParseKeys: any key list gives keys of at least 32 bytes, one per
// field, or an error, never a panic or a short key.
func FuzzParseKeys(f *testing.F) {
	for _, s := range []string{"", strings.Repeat("ab", 32), "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=", "a,b", ",,,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		keys, err := ParseKeys(in)
		if err != nil {
			if keys != nil {
				t.Fatalf("ParseKeys(%q) returned keys with error %v", in, err)
			}
			return
		}
		for i, k := range keys {
			if len(k.Hash) < 32 || k.Block != nil {
				t.Fatalf("ParseKeys(%q): key %d has %d bytes, block %x", in, i, len(k.Hash), k.Block)
			}
		}
		if strings.TrimSpace(in) != "" && len(keys) != strings.Count(in, ",")+1 {
			t.Fatalf("ParseKeys(%q): %d keys for %d fields", in, len(keys), strings.Count(in, ",")+1)
		}
	})
}
