package consent

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// keysFormat says what ParseKeys reads; every error of ParseKeys ends
// with it.
const keysFormat = "keys are comma-separated, newest first, each at least 32 random bytes written in hex or base64 " +
	"(make one with: openssl rand -base64 32); a passphrase is not a key"

// ParseKeys reads Config.Keys (signing keys only, no Block) from one
// string, as kept in an environment variable or a secret store: a
// comma-separated list, newest first, each key in hex or base64 (standard
// or URL alphabet, padded or not) and at least 32 bytes long. An empty
// string gives no keys and no error, for the caller to decide what that
// means. Errors never repeat the value, which is a secret, and end with
// a sentence on the format; wrap them with the variable's name.
func ParseKeys(s string) ([]Key, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var keys []Key
	for i, field := range strings.Split(s, ",") {
		k, err := decodeKey(strings.TrimSpace(field))
		if err != nil {
			return nil, fmt.Errorf("key %d %w; %s", i+1, err, keysFormat)
		}
		keys = append(keys, Key{Hash: k})
	}
	return keys, nil
}

func decodeKey(s string) ([]byte, error) {
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
