package measure

import (
	"math"
)

// KSPoint holds the cumulative shares of bads and of goods whose score is at
// or below Score.
type KSPoint struct {
	Score, Bad, Good float64
}

// KSCurve returns the empirical cumulative distributions of the scores of the
// bads and of the goods, evaluated at every distinct score in ascending order:
//
//	F_bad(x) = #{bad i : s_i ≤ x} / n_bad,  F_good(x) = #{good i : s_i ≤ x} / n_good.
//
// It returns nil when y holds one class.
func KSCurve(s, y []float64) []KSPoint {
	idx, nBad, nGood := ranked(s, y, false)
	if nBad == 0 || nGood == 0 {
		return nil
	}
	var pts []KSPoint
	var bads, goods float64
	for i := 0; i < len(idx); {
		x := s[idx[i]]
		for ; i < len(idx) && s[idx[i]] == x; i++ {
			if y[idx[i]] > 0.5 {
				bads++
			} else {
				goods++
			}
		}
		pts = append(pts, KSPoint{Score: x, Bad: bads / nBad, Good: goods / nGood})
	}
	return pts
}

// KS is the two-sample Kolmogorov–Smirnov statistic of the scores of bads
// against the scores of goods, the largest distance between their cumulative
// distributions (Kolmogorov 1933, Smirnov 1948; for scorecards Siddiqi,
// "Credit Risk Scorecards", 2006, ch. 6):
//
//	KS = max_x |F_bad(x) − F_good(x)|
//
// with F as in KSCurve. It returns the statistic and the lowest score x at
// which it is reached. Because of the absolute value KS does not depend on
// the direction of the score: risk scores and credit scores give the same
// statistic. It returns NaN, NaN when y holds one class.
func KS(s, y []float64) (d, at float64) {
	d, at = math.NaN(), math.NaN()
	for i, p := range KSCurve(s, y) {
		if g := math.Abs(p.Bad - p.Good); i == 0 || g > d {
			d, at = g, p.Score
		}
	}
	return d, at
}
