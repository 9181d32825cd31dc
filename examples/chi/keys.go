package main

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"

	"github.com/crumbhq/crumb/consent"
)

// keysFromEnv reads the consent cookie's keys from CRUMB_KEYS, as the demo
// does. Without any it makes a key and says so on out, with a fresh key to
// set for next time: fine for an example, never for production, where a
// restart would forget every choice.
func keysFromEnv(getenv func(string) string, out io.Writer) ([]consent.Key, error) {
	keys, err := consent.ParseKeys(getenv("CRUMB_KEYS"))
	if err != nil {
		return nil, fmt.Errorf("CRUMB_KEYS: %w", err)
	}
	if keys != nil {
		return keys, nil
	}
	fmt.Fprintf(out, "warning: CRUMB_KEYS is not set, so consent cookies are signed with a key made just now.\n"+
		"         A restart invalidates every earlier consent. To keep them, set for example\n"+
		"         CRUMB_KEYS=%s\n\n", base64.StdEncoding.EncodeToString(randomKey()))
	return []consent.Key{{Hash: randomKey()}}, nil
}

func randomKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // crypto/rand.Read never fails since Go 1.24
	return k
}
