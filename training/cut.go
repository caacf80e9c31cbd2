package training

import (
	"math"
	"strconv"
)

// NiceCut returns a short cut point in (lo, hi] for neighbouring training
// values lo < hi: hi rounded down to a multiple of the largest power of ten
// that keeps it above lo, so 0 when lo < 0 ≤ hi. It returns hi itself when
// lo ≥ hi or when lo and hi are too close for any rounding. Any cut in
// (lo, hi] splits the training values exactly as hi does, and a short one
// reads better in a reason ("below 0.85" rather than "below
// 0.8461538461538461"). Both trainers cut with it.
func NiceCut(lo, hi float64) float64 {
	if !(lo < hi) {
		return hi
	}
	mag := math.Max(math.Abs(lo), math.Abs(hi))
	step := math.Pow(10, math.Ceil(math.Log10(mag))+1)
	for i := 0; i < 40 && step > 0; i, step = i+1, step/10 {
		c := math.Floor(hi/step) * step
		// Round away the noise of the multiplication before comparing.
		if r, err := strconv.ParseFloat(strconv.FormatFloat(c, 'g', 15, 64), 64); err == nil {
			c = r
		}
		if c > lo && c <= hi {
			return c
		}
	}
	return hi
}
