package consent

import (
	"testing"
	"time"
)

// BenchmarkJudgeSetCookie is the cost of deciding one Set-Cookie line
// against the built-in catalog, for the lines a shop's responses carry:
// issue #13 asks for at most 300 ns a line and no allocation for a kept
// one.
func BenchmarkJudgeSetCookie(b *testing.B) {
	m := mustNew(b, Config{Keys: []Key{{Hash: hashKey1}},
		Categories: append([]Category{{Name: NecessaryName, Cookies: []Cookie{{Name: "session"}}}}, DefaultCategories()...)})
	now := time.Now()
	undecided := State{m: m}
	all, _, ok, _ := m.readState(requestWith(consentCookie(b, m, []string{"preferences", "analytics", "marketing", "social"}, nil)), Signals{}, now)
	if !ok {
		b.Fatal("consent cookie does not read")
	}
	for _, bc := range []struct {
		name  string
		state State
		line  string
		keep  bool
	}{
		{"kept-necessary", undecided, "session=8f2c1a; Path=/; HttpOnly; Secure; SameSite=Lax", true},
		{"kept-analytics", all, "_ga=GA1.1.1234567890.1712345678; Path=/; Domain=.shop.example.com; Max-Age=31536000; SameSite=Lax", true},
		{"dropped-analytics", undecided, "_ga=GA1.1.1234567890.1712345678; Path=/; Domain=.shop.example.com; Max-Age=63072000; SameSite=Lax", false},
		{"dropped-expires", undecided, "_fbp=fb.1.1712345678.987654321; Path=/; Expires=Thu, 01 Apr 2027 10:00:00 GMT; SameSite=Lax", false},
		{"deletion", undecided, "_ga=; Path=/; Max-Age=0", true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var v cookieVerdict
			for b.Loop() {
				v = m.judgeSetCookie(&bc.state, bc.line, "shop.example.com", now)
			}
			if v.keep != bc.keep {
				b.Fatalf("keep = %v, want %v", v.keep, bc.keep)
			}
		})
	}
}
