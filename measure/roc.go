package measure

import (
	"math"
)

// ROCPoint is one point of a receiver operating characteristic curve: calling
// every row with a score at or above Threshold bad gives the false-positive
// rate FPR (share of goods called bad) and the true-positive rate TPR (share
// of bads called bad).
type ROCPoint struct {
	FPR, TPR, Threshold float64
}

// ROC returns the ROC curve of risk scores s against outcomes y (Fawcett, "An
// introduction to ROC analysis", Pattern Recognition Letters 27, 2006, alg. 2):
// for each distinct score t, from the highest down,
//
//	TPR(t) = #{bad i : s_i ≥ t} / n_bad,  FPR(t) = #{good i : s_i ≥ t} / n_good.
//
// The curve starts at (0, 0) with threshold +Inf and ends at (1, 1); tied
// scores move it diagonally, so the trapezoidal area under it equals AUC. It
// returns nil when y holds one class.
func ROC(s, y []float64) []ROCPoint {
	idx, nBad, nGood := ranked(s, y, true)
	if nBad == 0 || nGood == 0 {
		return nil
	}
	pts := []ROCPoint{{0, 0, math.Inf(1)}}
	var tp, fp float64
	for i := 0; i < len(idx); {
		t := s[idx[i]]
		for ; i < len(idx) && s[idx[i]] == t; i++ {
			if y[idx[i]] > 0.5 {
				tp++
			} else {
				fp++
			}
		}
		pts = append(pts, ROCPoint{FPR: fp / nGood, TPR: tp / nBad, Threshold: t})
	}
	return pts
}

// mustSameLen panics when two slices that pair row by row differ in length:
// that is a programming error, not a data condition.
func mustSameLen(a, b int) {
	if a != b {
		panic("metrics: slice lengths differ")
	}
}
