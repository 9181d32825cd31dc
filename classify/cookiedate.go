package classify

import "time"

// ParseCookieDate parses the value of an Expires cookie attribute with the
// lenient cookie-date algorithm of RFC 6265 section 5.1.1, the one browsers
// use. Go's http.ParseSetCookie accepts only two layouts; real servers send
// many more ("Thu Apr 18 22:50:12 2007 GMT", "Wed,18-Apr-07 22:50:12",
// "1-Jan-2003 00:00:00"), and a date Go rejects would turn a persistent
// cookie into a session one in crumb's eyes.
//
// The algorithm splits s at delimiters and takes, in order of appearance, the
// first token that looks like a time (h:m:s, one or two digits each), a day
// of month (one or two digits), a month (a name whose first three letters
// name a month, case-insensitive) and a year (two to four digits); anything
// else, zone names and offsets included, is ignored and the result is UTC.
// Two-digit years 70-99 mean 19xx and 0-69 mean 20xx. It reports false when
// a part is missing, out of range, before the year 1601, or names a day the
// month does not have.
//
// It does not allocate.
func ParseCookieDate(s string) (time.Time, bool) {
	if year, month, day, h, m, sec, ok := imfFixdate(s); ok {
		return cookieDate(year, month, day, h, m, sec)
	}
	return cookieDateTokens(s)
}

// imfFixdate reads, by position, the layout nearly every server writes
// (RFC 9110's IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"), and reports
// false for anything else. Its tokens are, in order, a day name the token
// rule ignores (letters, no month), the day, the month, the year and the
// time, so the token rule finds the same five fields; the fields are then
// checked alike, by cookieDate. It is a fast path, not a second reading:
// FuzzCookieDate compares the two.
func imfFixdate(s string) (year int, month time.Month, day, h, m, sec int, ok bool) {
	if len(s) != len("Sun, 06 Nov 1994 08:49:37 GMT") || s[3] != ',' || s[4] != ' ' || s[7] != ' ' ||
		s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':' || s[25:] != " GMT" {
		return 0, 0, 0, 0, 0, 0, false
	}
	for i := range 3 {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return 0, 0, 0, 0, 0, 0, false
		}
	}
	if _, isMonth := monthPrefix(s[:3]); isMonth {
		return 0, 0, 0, 0, 0, 0, false // the token rule would take it as the month
	}
	if month, ok = monthPrefix(s[8:11]); !ok {
		return 0, 0, 0, 0, 0, 0, false
	}
	var n [5]int // day, year, hour, minute, second
	for k, f := range [5][2]int{{5, 7}, {12, 16}, {17, 19}, {20, 22}, {23, 25}} {
		for i := f[0]; i < f[1]; i++ {
			if !isDigit(s[i]) {
				return 0, 0, 0, 0, 0, 0, false
			}
			n[k] = n[k]*10 + int(s[i]-'0')
		}
	}
	return n[1], month, n[0], n[2], n[3], n[4], true
}

// cookieDateTokens is ParseCookieDate's token rule.
func cookieDateTokens(s string) (time.Time, bool) {
	var (
		foundTime, foundDay, foundMonth, foundYear bool
		hour, minute, second                       int
		day, year                                  int
		month                                      time.Month
	)
	for i := 0; i < len(s); {
		for i < len(s) && isDateDelimiter(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isDateDelimiter(s[j]) {
			j++
		}
		tok := s[i:j]
		i = j
		if tok == "" {
			break
		}
		if !foundTime {
			if h, m, sec, ok := parseHMS(tok); ok {
				hour, minute, second, foundTime = h, m, sec, true
				continue
			}
		}
		if !foundDay {
			if d, ok := leadingDigits(tok, 1, 2); ok {
				day, foundDay = d, true
				continue
			}
		}
		if !foundMonth {
			if m, ok := monthPrefix(tok); ok {
				month, foundMonth = m, true
				continue
			}
		}
		if !foundYear {
			if y, ok := leadingDigits(tok, 2, 4); ok {
				year, foundYear = y, true
				continue
			}
		}
	}
	if !foundTime || !foundDay || !foundMonth || !foundYear {
		return time.Time{}, false
	}
	return cookieDate(year, month, day, hour, minute, second)
}

// cookieDate checks and builds the date the fields name: two-digit years
// are moved to 19xx or 20xx, and anything out of range, before 1601 or past
// the month's last day fails.
func cookieDate(year int, month time.Month, day, hour, minute, second int) (time.Time, bool) {
	switch {
	case year >= 70 && year <= 99:
		year += 1900
	case year >= 0 && year <= 69:
		year += 2000
	}
	if day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, month, day, hour, minute, second, 0, time.UTC)
	if t.Day() != day { // 31 April or 29 February of a common year rolled over
		return time.Time{}, false
	}
	return t, true
}

// isDateDelimiter reports whether c separates date tokens (RFC 6265 5.1.1:
// %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E). Digits, ':', letters,
// control characters and bytes >= 0x7F belong to tokens.
func isDateDelimiter(c byte) bool {
	return c == 0x09 ||
		0x20 <= c && c <= 0x2F ||
		0x3B <= c && c <= 0x40 ||
		0x5B <= c && c <= 0x60 ||
		0x7B <= c && c <= 0x7E
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// leadingDigits parses the run of digits that starts tok and reports whether
// it is min to max digits long. Whatever follows the run is ignored; it
// starts with a non-digit by construction.
func leadingDigits(tok string, min, max int) (int, bool) {
	n, v := 0, 0
	for n < len(tok) && isDigit(tok[n]) {
		if n == max {
			return 0, false
		}
		v = v*10 + int(tok[n]-'0')
		n++
	}
	if n < min {
		return 0, false
	}
	return v, true
}

// parseHMS matches hms-time: three fields of one or two digits separated by
// ':', optionally followed by a non-digit and anything.
func parseHMS(tok string) (h, m, s int, ok bool) {
	var f [3]int
	i := 0
	for k := range f {
		if k > 0 {
			if i >= len(tok) || tok[i] != ':' {
				return 0, 0, 0, false
			}
			i++
		}
		start := i
		for i < len(tok) && isDigit(tok[i]) {
			if i-start == 2 {
				return 0, 0, 0, false
			}
			f[k] = f[k]*10 + int(tok[i]-'0')
			i++
		}
		if i == start {
			return 0, 0, 0, false
		}
	}
	return f[0], f[1], f[2], true
}

// monthPrefix matches a token whose first three letters name a month.
func monthPrefix(tok string) (time.Month, bool) {
	if len(tok) < 3 {
		return 0, false
	}
	// Fold to lower case: only letters fold onto letters, so no other byte
	// can match a name.
	a, b, c := tok[0]|0x20, tok[1]|0x20, tok[2]|0x20
	for i := 0; i < len(monthNames); i += 3 {
		if monthNames[i] == a && monthNames[i+1] == b && monthNames[i+2] == c {
			return time.Month(i/3 + 1), true
		}
	}
	return 0, false
}

const monthNames = "janfebmaraprmayjunjulaugsepoctnovdec"
