package consent

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzDecodeRecord feeds arbitrary payloads to the compact decoder: it
// must never panic, and whatever it accepts must survive a round trip.
func FuzzDecodeRecord(f *testing.F) {
	good := wireRecord{record: record{first: codecEpoch, last: codecEpoch + 5, issued: codecEpoch + 9, method: MethodBanner, lang: "de"},
		n: 2, cats: [maxCategories]uint32{nameTag("analytics")<<2 | 1, nameTag("social")<<2 | 2}}
	b, _ := appendRecord(nil, &good)
	f.Add(b)
	f.Add([]byte{})
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, in []byte) {
		var r wireRecord
		if err := decodeRecord(in, &r, "de"); err != nil {
			return
		}
		out, err := appendRecord(nil, &r)
		if err != nil {
			t.Fatalf("accepted %x but cannot encode it: %v", in, err)
		}
		var r2 wireRecord
		if err := decodeRecord(out, &r2, ""); err != nil {
			t.Fatalf("re-encoded %x does not decode: %v", out, err)
		}
		if diff := cmp.Diff(r, r2, cmp.AllowUnexported(wireRecord{}, record{})); diff != "" {
			t.Fatalf("round trip changed the record:\n%s", diff)
		}
	})
}

// FuzzDecodeCookie feeds arbitrary consent cookie values (signed and
// encrypted) to the full reader: it must never panic, and only the one
// valid value may count.
func FuzzDecodeCookie(f *testing.F) {
	clk := newClock()
	cfg := testConfig(f, clk, nil)
	cfg.Keys = []Key{{Hash: hashKey1, Block: blockKey1}, {Hash: hashKey2}}
	m := mustNew(f, cfg)
	// A fixed consent ID: fuzz workers are separate processes, and each
	// must recognise the values the others were seeded with.
	now := clk.Now()
	seed := State{m: m, valid: true, rec: record{id: [16]byte{0xc0, 0xff, 0xee}, first: now.Unix(), last: now.Unix(),
		method: MethodBanner, lang: "en"}}
	seed.choices[m.byName["analytics"]] = Granted
	c, err := m.encodeState(&seed, now)
	if err != nil {
		f.Fatal(err)
	}
	valid := c.Value
	st, _, ok, _ := m.readState(requestWith(valid), Signals{}, now)
	if !ok || !st.Granted("analytics") {
		f.Fatal("seed does not read")
	}
	id := st.ID()
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add("")
	f.Add("MTc5|x|y")
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{"Cookie": {DefaultCookieName + "=" + v}}
		st, _, ok, _ := m.readState(h, Signals{}, clk.Now())
		if ok && st.ID() != id {
			t.Fatalf("forged value %q accepted with ID %s", v, st.ID())
		}
		if !ok && (st.Decided() || st.Granted("analytics")) {
			t.Fatalf("invalid value %q grants", v)
		}
	})
}
