package dataset

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// isMissing reports whether a trimmed value stands for a missing one. NaN is
// matched in any case because strconv.ParseFloat reads every case of it.
func isMissing(s string) bool {
	switch s {
	case "", "NA", "N/A", "null", "NULL":
		return true
	}
	return len(s) == 3 && strings.EqualFold(s, "nan")
}

// numKind says what parseNumber made of a value.
type numKind uint8

const (
	notNumber numKind = iota
	finite
	infinite
)

// parseNumber reads a non-missing, trimmed value as a decimal number, and
// reports whether canonical writes that number back as s. Go's underscores
// ("1_000") and hexadecimal floats ("0x1p4"), which strconv.ParseFloat
// accepts, are refused: in a data file they are codes, not numbers. "Inf",
// "Infinity" and literals that overflow float64 are reported as infinite so
// the caller can refuse them.
func parseNumber(s string) (x float64, k numKind, canon bool) {
	if x, canon, ok := parseSmallInt(s); ok {
		return x, finite, canon
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '_' || c == 'x' || c == 'X' {
			return 0, notNumber, false
		}
	}
	x, err := strconv.ParseFloat(s, 64)
	switch {
	case math.IsInf(x, 0):
		// Both "Inf" (no error) and "1e999" (ErrRange) end here.
		return x, infinite, false
	case err != nil, math.IsNaN(x):
		// isMissing has taken every NaN ParseFloat reads; should one get
		// here, it must not pass for a number.
		return 0, notNumber, false
	}
	var buf [32]byte
	return x, finite, string(canonical(buf[:0], x)) == s
}

// parseSmallInt reads an optionally signed integer of at most 15 digits, the
// commonest value in credit data, faster than strconv.ParseFloat does. Such an
// integer is below 2^53, so the conversion to float64 is exact and the result
// equals ParseFloat's. canon reports that canonical gives s back: no '+', no
// leading zero, no "-0".
func parseSmallInt(s string) (x float64, canon, ok bool) {
	i := 0
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		i = 1
	}
	digits := len(s) - i
	if digits == 0 || digits > 15 {
		return 0, false, false
	}
	var n int64
	for _, c := range []byte(s[i:]) {
		d := c - '0'
		if d > 9 {
			return 0, false, false
		}
		n = n*10 + int64(d)
	}
	x = float64(n)
	if s[0] == '-' {
		x = -x
	}
	canon = s[0] != '+' && (s[i] != '0' || digits == 1) && !(i == 1 && n == 0)
	return x, canon, true
}

// canonical appends the text a number is rewritten as when a column it was
// read from turns out categorical: whole numbers below 10^15 in plain digits,
// others as strconv.FormatFloat writes them in the shortest form.
func canonical(dst []byte, x float64) []byte {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.AppendInt(dst, int64(x), 10)
	}
	return strconv.AppendFloat(dst, x, 'g', -1, 64)
}

// maxShown is how many characters of a bad value a message repeats.
const maxShown = 40

// shown returns s cut to maxShown runes, for quoting in a message.
func shown(s string) string {
	if utf8.RuneCountInString(s) <= maxShown {
		return s
	}
	n := 0
	for i := range s {
		if n == maxShown {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// formatNum writes x the shortest way that reads back as x.
func formatNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
