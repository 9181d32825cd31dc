package consent_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"

	"github.com/crumbhq/crumb/consent"
)

func ExampleOpenFileStore() {
	dir, _ := os.MkdirTemp("", "crumb-example-")
	defer os.RemoveAll(dir)
	store, err := consent.OpenFileStore(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	m, err := consent.New(consent.Config{Keys: []consent.Key{{Hash: demoKey}}, Store: store, Logger: quiet})
	if err != nil {
		log.Fatal(err)
	}
	r := httptest.NewRequest("POST", "https://example.com/account/privacy?tab=cookies", nil)
	receipt, err := m.Decide(httptest.NewRecorder(), r, consent.Decision{Grant: []string{"analytics"}, Method: consent.MethodAPI})
	if err != nil {
		log.Fatal(err)
	}
	// On shutdown: write what is queued.
	if err := m.Close(context.Background()); err != nil {
		log.Fatal(err)
	}
	records, _ := store.Lookup(context.Background(), receipt.ID)
	for _, rec := range records {
		fmt.Println(rec.Kind, rec.Page, rec.Choices[2], rec.Seq)
	}
	var all []consent.Record
	store.Export(context.Background(), func(r consent.Record) error { all = append(all, r); return nil })
	fmt.Println("chain intact:", consent.Verify(all) == nil)
	// Output:
	// api /account/privacy {analytics granted} 1
	// chain intact: true
}
