package measure

import (
	"math"
	"testing"
)

func TestAUC(t *testing.T) {
	tests := []struct {
		name string
		s, y []float64
		// want is counted by hand over all bad–good pairs: 1 when the bad
		// scores higher, ½ when tied, divided by n_bad · n_good.
		want float64
	}{
		// Bad 0.4 beats good 0.1 (1), ties good 0.4 (½), loses to 0.6 (0);
		// each bad 0.8 beats all three goods (3 + 3): 7.5 / 9.
		{"ties", exS, exY, 7.5 / 9},
		{"perfect", []float64{1, 2, 3, 4}, []float64{0, 0, 1, 1}, 1},
		{"reversed", []float64{1, 2, 3, 4}, []float64{1, 1, 0, 0}, 0},
		{"all tied", []float64{5, 5, 5, 5}, []float64{1, 0, 1, 0}, 0.5},
		{"one class", []float64{1, 2}, []float64{0, 0}, math.NaN()},
		{"empty", nil, nil, math.NaN()},
	}
	for _, tt := range tests {
		check(t, "AUC "+tt.name, AUC(tt.s, tt.y), tt.want, 1e-12)
	}
}

func TestGini(t *testing.T) {
	// 2 · 5/6 − 1, from TestAUC's "ties" case.
	check(t, "Gini", Gini(exS, exY), 2.0/3, 1e-12)
}
