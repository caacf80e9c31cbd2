package dataset

import (
	"math"
	"strconv"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		s     string
		x     float64
		k     numKind
		canon bool
	}{
		{"0", 0, finite, true},
		{"-0", 0, finite, false},
		{"+3", 3, finite, false},
		{"007", 7, finite, false},
		{"-12", -12, finite, true},
		{"999999999999999", 999999999999999, finite, true}, // 15 digits: the fast path
		{"1000000000000000", 1e15, finite, false},          // 16 digits: ParseFloat, written as 1e+15
		{"1.5", 1.5, finite, true},
		{"1.50", 1.5, finite, false},
		{"1.0", 1, finite, false},
		{"1e3", 1000, finite, false},
		{"0.1", 0.1, finite, true},
		{"1e-400", 0, finite, false},
		{"1e999", math.Inf(1), infinite, false},
		{"-Infinity", math.Inf(-1), infinite, false},
		{"inf", math.Inf(1), infinite, false},
		{"1_000", 0, notNumber, false},
		{"0x10", 0, notNumber, false},
		{"0x1p4", 0, notNumber, false},
		{"-", 0, notNumber, false},
		{"+", 0, notNumber, false},
		{"1-2", 0, notNumber, false},
		{"A11", 0, notNumber, false},
		{"NaN", 0, notNumber, false},
	}
	for _, tt := range tests {
		x, k, canon := parseNumber(tt.s)
		if x != tt.x || k != tt.k || canon != tt.canon {
			t.Errorf("parseNumber(%q) = %v, %d, %v; want %v, %d, %v", tt.s, x, k, canon, tt.x, tt.k, tt.canon)
		}
	}
}

// FuzzParseNumber checks parseNumber against strconv.ParseFloat, and its
// canon result against canonical, which the fast integer path does not call.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"0", "-0", "+007", "12", "1.5", "1e3", "Inf", "nan", "1_0", "0x1p4", "123456789012345"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, k, canon := parseNumber(s)
		want, err := strconv.ParseFloat(s, 64)
		switch k {
		case notNumber:
			if canon {
				t.Fatalf("%q: canonical but not a number", s)
			}
			return
		case infinite:
			if !math.IsInf(x, 0) || x != want {
				t.Fatalf("%q: infinite %v, ParseFloat %v", s, x, want)
			}
			return
		}
		if err != nil || x != want || math.Signbit(x) != math.Signbit(want) {
			t.Fatalf("%q: %v, ParseFloat %v, %v", s, x, want, err)
		}
		if got := string(canonical(nil, x)) == s; canon != got {
			t.Fatalf("%q: canon %v, but canonical gives %q", s, canon, canonical(nil, x))
		}
	})
}
