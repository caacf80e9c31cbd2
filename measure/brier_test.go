package measure

import (
	"math"
	"testing"
)

func TestBrier(t *testing.T) {
	// Squared errors of the six-row example read as PDs, by hand:
	// 0.01 + 0.16 + 0.36 + 0.36 + 0.04 + 0.04 = 0.97, over 6 rows.
	check(t, "Brier", Brier(exS, exY), 0.97/6, 1e-12)
	// A constant forecast of the base rate p scores p(1 − p).
	check(t, "Brier of base rate", Brier([]float64{0.25, 0.25, 0.25, 0.25}, []float64{1, 0, 0, 0}), 0.1875, 1e-12)
	check(t, "Brier of nothing", Brier(nil, nil), math.NaN(), 0)
}
