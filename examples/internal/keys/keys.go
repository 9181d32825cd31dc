// Package keys reads the consent-cookie keys the example programs take from
// their environment, so that every example accepts the same format.
package keys

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Env is the environment variable every example reads its keys from.
const Env = "CRUMB_KEYS"

// Format says what Env must hold; every error of Parse ends with it.
const Format = Env + " holds comma-separated keys, newest first, each at least 32 random bytes written in hex or base64 " +
	"(make one with: openssl rand -base64 32); a passphrase is not a key"

// FromEnv reads the keys from getenv(Env). When there are none it makes a
// key and writes a warning to out saying so, in the words every example
// uses, with a fresh key to set for next time.
func FromEnv(getenv func(string) string, out io.Writer) ([][]byte, error) {
	keys, err := Parse(getenv(Env))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Env, err)
	}
	if keys != nil {
		return keys, nil
	}
	fmt.Fprintf(out, "warning: %s is not set, so consent cookies are signed with a key made just now.\n"+
		"         A restart invalidates every earlier consent. To keep them, set for example\n"+
		"         %s=%s\n\n", Env, Env, base64.StdEncoding.EncodeToString(Random()))
	return [][]byte{Random()}, nil
}

// Parse reads a comma-separated list of keys, newest first, each in hex or
// base64 (standard or URL alphabet, padded or not) and each at least 32
// bytes long. An empty string gives no keys and no error. Errors never
// repeat the value, which is a secret, and end with Format.
func Parse(s string) ([][]byte, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var keys [][]byte
	for i, field := range strings.Split(s, ",") {
		k, err := decode(strings.TrimSpace(field))
		if err != nil {
			return nil, fmt.Errorf("key %d %w; %s", i+1, err, Format)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func decode(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("is empty")
	}
	k, err := hex.DecodeString(s)
	if err != nil {
		k = nil
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(s); err == nil {
				k = b
				break
			}
		}
	}
	if k == nil {
		if strings.ContainsAny(s, " \t") {
			return nil, errors.New("contains spaces, so it is neither hex nor base64: it looks like a passphrase")
		}
		return nil, errors.New("is neither hex nor base64")
	}
	if len(k) < 32 {
		return nil, fmt.Errorf("decodes to %d bytes, too short for a key (a passphrase?)", len(k))
	}
	return k, nil
}

// Random returns a new 32-byte key.
func Random() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // crypto/rand.Read never fails since Go 1.24
	return k
}
