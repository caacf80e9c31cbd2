package measure

import "math"

// Brier is the Brier score of predicted probabilities of default pd against
// outcomes y, the mean squared error of the probabilities (G. W. Brier,
// "Verification of forecasts expressed in terms of probability", Monthly
// Weather Review 78, 1950):
//
//	Brier = (1/n) Σ_i (pd_i − y_i)²
//
// Lower is better; always predicting the base rate p scores p(1 − p). It
// returns NaN for no rows.
func Brier(pd, y []float64) float64 {
	mustSameLen(len(pd), len(y))
	if len(pd) == 0 {
		return math.NaN()
	}
	var sum float64
	for i, p := range pd {
		d := p - y[i]
		sum += d * d
	}
	return sum / float64(len(pd))
}
