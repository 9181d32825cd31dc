// Package keys reads the consent-cookie keys the example programs take from
// their environment, so that every example accepts the same format.
package keys

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Parse reads a comma-separated list of keys, newest first, each in hex or
// base64 (standard or URL alphabet, padded or not) and each at least 32
// bytes long. An empty string gives no keys and no error.
func Parse(s string) ([][]byte, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var keys [][]byte
	for i, field := range strings.Split(s, ",") {
		k, err := decode(strings.TrimSpace(field))
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func decode(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("empty")
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
		return nil, errors.New("neither hex nor base64")
	}
	if len(k) < 32 {
		return nil, fmt.Errorf("%d bytes, want at least 32", len(k))
	}
	return k, nil
}

// Random returns a new 32-byte key.
func Random() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // crypto/rand.Read never fails since Go 1.24
	return k
}
