package main

import (
	"strings"
	"testing"
)

func TestKeysFromEnv(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "CRUMB_KEYS" {
				return v
			}
			return ""
		}
	}
	var out strings.Builder
	got, err := keysFromEnv(env(""), &out)
	if err != nil || len(got) != 1 || len(got[0].Hash) != 32 {
		t.Fatalf("keysFromEnv without keys = %d keys, %v; want one made key", len(got), err)
	}
	if !strings.HasPrefix(out.String(), "warning: CRUMB_KEYS is not set") || !strings.Contains(out.String(), "CRUMB_KEYS=") {
		t.Errorf("warning:\n%s", out.String())
	}
	out.Reset()
	hex32 := strings.Repeat("ab", 32)
	got, err = keysFromEnv(env(hex32), &out)
	if err != nil || len(got) != 1 || out.Len() != 0 {
		t.Errorf("keysFromEnv(%s) = %d keys, %v, output %q", hex32, len(got), err, out.String())
	}
	if _, err := keysFromEnv(env("my secret passphrase"), &out); err == nil || !strings.HasPrefix(err.Error(), "CRUMB_KEYS: key 1 contains spaces") {
		t.Errorf("keysFromEnv with a passphrase: %v", err)
	}
}
