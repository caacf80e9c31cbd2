package eventjson

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// checkString checks an identifier (printable: unicode.IsPrint, so no
// control, format or non-ASCII space characters) or a free text (graphic:
// unicode.IsGraphic, which admits spaces such as U+00A0) of at most max bytes.
func checkString(s string, max int, printable bool) string {
	if s == "" {
		return "must not be empty"
	}
	if len(s) > max {
		return fmt.Sprintf("must be at most %d bytes, not %d", max, len(s))
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return fmt.Sprintf("must be valid UTF-8; byte %d is not", i)
		case printable && !unicode.IsPrint(r):
			return fmt.Sprintf("must be printable; it holds %U at byte %d", r, i)
		case !printable && !unicode.IsGraphic(r):
			return fmt.Sprintf("must hold no control or format characters; it holds %U at byte %d", r, i)
		}
		i += n
	}
	return ""
}

// checkCurrency checks an ISO 4217 code: three upper-case letters.
func checkCurrency(s string) string {
	if len(s) == 3 && isUpper(s[0]) && isUpper(s[1]) && isUpper(s[2]) {
		return ""
	}
	return "must be three upper-case letters (an ISO 4217 code such as \"EUR\"), not " + quote(s)
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// checkDate checks a calendar date "YYYY-MM-DD".
// The years a date field may name.
const (
	minDateYear = 1970
	maxDateYear = 2199
)

func checkDate(s string) string {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return "must be a date written YYYY-MM-DD, not " + quote(s)
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9} {
		if !isDigit(s[i]) {
			return "must be a date written YYYY-MM-DD, not " + quote(s)
		}
	}
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	m := int(s[5]-'0')*10 + int(s[6]-'0')
	d := int(s[8]-'0')*10 + int(s[9]-'0')
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return quote(s) + " is not a calendar date"
	}
	// No payment fact is dated before the envelope's own bound (1970) or
	// centuries ahead: such a date is a placeholder or a typing slip
	// (0001-01-01 is Go's zero time), and would age or sort wrongly.
	if y < minDateYear || y > maxDateYear {
		return quote(s) + " is out of range: a date is from 1970 to 2199"
	}
	return ""
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// timeFormat is what a timestamp must look like, for messages.
const timeFormat = `must be an RFC 3339 timestamp such as "2026-03-31T09:30:00Z"`

// parseTime reads an RFC 3339 timestamp as encoding/json does (time.Time's
// UnmarshalText is its strict parser), so that both read an event alike. A
// timestamp written with escapes is refused because encoding/json refuses it.
func parseTime(b []byte, escaped bool) (time.Time, string) {
	var t time.Time
	if escaped || t.UnmarshalText(b) != nil {
		return time.Time{}, timeFormat + ", not " + quote(string(b))
	}
	// The parser takes offsets up to ±99:59, which time.Time cannot
	// write back (MarshalJSON fails beyond ±23:59).
	if _, off := t.Zone(); off <= -24*3600 || off >= 24*3600 {
		return time.Time{}, timeFormat + "; its offset from UTC must be less than 24 hours"
	}
	return t, ""
}

// parseAmount reads an amount; positive requires more than 0.
func parseAmount(lit []byte, positive bool) (float64, string) {
	// lit is a valid JSON number, so the only possible error is ErrRange,
	// with ±Inf on overflow, which the checks below refuse.
	f, _ := strconv.ParseFloat(string(lit), 64)
	switch {
	case positive && !(f > 0):
		return 0, "must be more than 0"
	case f < 0:
		return 0, "must be 0 or more"
	case f > MaxAmount:
		return 0, "must be at most 1e12"
	}
	return f, ""
}

// parseInt reads an integer in [min, max], written as digits only: a
// fraction or an exponent (30.0, 3e1) is refused because encoding/json cannot
// read it into an int.
func parseInt(lit []byte, min, max int) (int, string) {
	neg := lit[0] == '-'
	digits := lit
	if neg {
		digits = lit[1:]
	}
	n := 0
	for _, c := range digits {
		if !isDigit(c) {
			return 0, "must be an integer written with digits only, not " + string(lit)
		}
		if n <= max {
			n = n*10 + int(c-'0')
		}
	}
	switch {
	case neg && n != 0 || n < min:
		return 0, fmt.Sprintf("must be %d or more", min)
	case n > max:
		return 0, fmt.Sprintf("must be at most %d", max)
	}
	return n, ""
}

// checkEnum checks that s is one of values and returns the value as held in
// values, so that decoding allocates no string for it.
func checkEnum(s []byte, values []string) (string, string) {
	for _, v := range values {
		if string(s) == v {
			return v, ""
		}
	}
	return "", "must be one of " + strings.Join(values, ", ") + "; not " + quote(string(s))
}

// quote quotes s for a message, cut to 64 bytes.
func quote(s string) string {
	if len(s) > 64 {
		i := 64
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		return strconv.Quote(s[:i]) + "…"
	}
	return strconv.Quote(s)
}
