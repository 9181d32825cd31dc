package consent

import "testing"

// A method crumb does not know is recorded as "other" under its own name;
// GPC, opt-out requests and withdrawals win over the method.
func TestKindOf(t *testing.T) {
	granted := []CategoryChoice{{"necessary", Granted}, {"analytics", Granted}}
	refused := []CategoryChoice{{"necessary", Granted}, {"analytics", Refused}}
	for _, tc := range []struct {
		name string
		r    Receipt
		want EventKind
	}{
		{"banner", Receipt{Method: MethodBanner, Choices: granted}, KindBanner},
		{"api", Receipt{Method: MethodAPI, Choices: refused}, KindAPI},
		{"gpc", Receipt{Method: MethodGPC, Choices: refused, Previous: granted}, KindGPC},
		{"withdrawal", Receipt{Method: MethodBanner, Choices: refused, Previous: granted}, KindWithdrawal},
		{"more granted", Receipt{Method: MethodBanner, Choices: granted, Previous: refused}, KindBanner},
		{"renewal", Receipt{Method: MethodBanner, Choices: granted, Previous: granted, Renewal: true}, KindRenewal},
		{"unknown method", Receipt{Method: maxMethod + 3, Choices: refused}, KindOther},
		{"opt-out request", Receipt{Method: MethodOptOut, Choices: refused, Previous: granted}, KindOptOut},
		{"GPC applied to a dismissed notice", Receipt{Method: MethodBanner, Choices: granted, GPCApplied: []string{"marketing"}}, KindGPC},
	} {
		if got := kindOf(&tc.r); got != tc.want {
			t.Errorf("%s: kind %q, want %q", tc.name, got, tc.want)
		}
	}
	r, err := newRecord(&Receipt{ID: "0123456789abcdef0123456789abcdef", Method: maxMethod + 3,
		Page: "/a\x00b\xff" + string(make([]byte, 2000))}, "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != (maxMethod+3).String() || len(r.Page) > MaxRecordPage {
		t.Errorf("record %+v", r)
	}
	if !cleanText(r.Page) {
		t.Errorf("page %q kept control characters or invalid UTF-8", r.Page)
	}
}
