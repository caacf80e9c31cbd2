package measure

import "math"

// logLossEps bounds probabilities away from 0 and 1 so that one confident
// miss costs −ln(1e-15) ≈ 34.5 rather than +Inf (the value scikit-learn's
// log_loss has long used).
const logLossEps = 1e-15

// LogLoss is the mean negative log-likelihood (cross-entropy) of predicted
// probabilities of default pd against outcomes y (I. J. Good, "Rational
// decisions", JRSS B 14, 1952; Bishop, "Pattern Recognition and Machine
// Learning", 2006, eq. 4.90):
//
//	LogLoss = −(1/n) Σ_i [ y_i ln p_i + (1 − y_i) ln(1 − p_i) ],
//	p_i = min(max(pd_i, 1e-15), 1 − 1e-15).
//
// Lower is better. It returns NaN for no rows.
func LogLoss(pd, y []float64) float64 {
	mustSameLen(len(pd), len(y))
	if len(pd) == 0 {
		return math.NaN()
	}
	var sum float64
	for i, p := range pd {
		p = min(max(p, logLossEps), 1-logLossEps)
		sum += y[i]*math.Log(p) + (1-y[i])*math.Log(1-p)
	}
	return -sum / float64(len(pd))
}
