package consent

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Version 2 carries the policy fingerprint; version 1 still decodes, with
// fingerprint 0; a version 2 record with fingerprint 0, or the wrong
// length for its version, does not.
func TestCodecVersion2(t *testing.T) {
	base := wireRecord{record: record{first: codecEpoch, last: codecEpoch + 5, issued: codecEpoch + 9, method: MethodOptOut, lang: "es"},
		n: 1, cats: [maxCategories]uint32{nameTag("marketing")<<2 | 2}}
	v1, err := appendRecord(nil, &base)
	if err != nil {
		t.Fatal(err)
	}
	withPolicy := base
	withPolicy.policy = 0xdeadbeef
	v2, err := appendRecord(nil, &withPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if v1[0] != 1 || v2[0] != 2 || !bytes.Equal(v1[1:], v2[1:len(v2)-4]) || !bytes.Equal(v2[len(v2)-4:], []byte{0xde, 0xad, 0xbe, 0xef}) {
		t.Fatalf("v1 %x\nv2 %x: want v2 = v1 with version 2 and the fingerprint appended", v1, v2)
	}
	for _, tt := range []struct {
		name string
		in   []byte
		want *wireRecord
	}{
		{"v1", v1, &base},
		{"v2", v2, &withPolicy},
		{"v2 with fingerprint 0", append(append([]byte{2}, v1[1:]...), 0, 0, 0, 0), nil},
		{"v2 without fingerprint", append([]byte{2}, v1[1:]...), nil},
		{"v1 with a fingerprint", append([]byte{1}, v2[1:]...), nil},
		{"v3", append([]byte{3}, v2[1:]...), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got wireRecord
			err := decodeRecord(tt.in, &got, "")
			if tt.want == nil {
				if err == nil {
					t.Fatalf("accepted %x", tt.in)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(*tt.want, got, cmp.AllowUnexported(wireRecord{}, record{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// A version 1 cookie, written before policies existed, still counts for a
// Manager without policies, and is asked again (ReasonPolicy) once the
// site configures them.
func TestVersion1CookieUnderPolicies(t *testing.T) {
	clk := newClock()
	old := mustNew(t, testConfig(t, clk, nil))
	v := consentCookie(t, old, []string{"analytics"}, nil)
	if st, _, ok, _ := old.readState(requestWith(v), Signals{}, clk.Now()); !ok || !st.Granted("analytics") {
		t.Fatal("a v1 cookie does not count for the zero config")
	}
	m := mustNew(t, regimeConfig(t, clk, nil))
	h := requestWith(v)
	h.Set("CF-IPCountry", "DE")
	st, reason, ok, _ := m.readState(h, Signals{}, clk.Now())
	if ok || reason != ReasonPolicy || st.Granted("analytics") {
		t.Errorf("ok %v reason %v granted %v: want the visitor asked again (policy)", ok, reason, st.Granted("analytics"))
	}
}

// The fingerprint changes when what a decision means changes, and not when
// only the regions move.
func TestPolicyFingerprint(t *testing.T) {
	clk := newClock()
	fp := func(p Policy) uint32 {
		cfg := testConfig(t, clk, nil)
		cfg.Policies = []Policy{p}
		return mustNew(t, cfg).policies[0].fingerprint
	}
	us := fp(PolicyUSStates())
	moved := PolicyUSStates()
	moved.Regions = moved.Regions[:1]
	if fp(moved) != us {
		t.Error("moving regions changed the fingerprint")
	}
	narrowed := PolicyUSStates()
	narrowed.SaleOrShare = []string{"marketing", "social"}
	if fp(narrowed) == us {
		t.Error("a new sale-or-share category kept the fingerprint")
	}
	optIn := PolicyUSStates()
	optIn.Regime = RegimeOptIn
	if fp(optIn) == us || us == 0 {
		t.Error("the regime is not in the fingerprint")
	}
}

// FuzzParseRegion: never a panic, and whatever is accepted is a well-formed
// code that the policies' own check accepts.
func FuzzParseRegion(f *testing.F) {
	for _, s := range [][2]string{{"US", "CA"}, {"de", ""}, {"XX", ""}, {"T1", ""}, {"US", "US-NY"}, {"US", "CA-ON"}, {" us ", " ca "}, {"ÜS", "C\x00"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, country, sub string) {
		r := ParseRegion(country, sub)
		if !r.Known() {
			if r != (Region{}) {
				t.Fatalf("unknown but not zero: %#v", r)
			}
			return
		}
		code, ok := normalRegion(r.Code())
		if !ok || code != r.Code() {
			t.Fatalf("ParseRegion(%q, %q) = %q, which is not a normal region code", country, sub, r.Code())
		}
	})
}
