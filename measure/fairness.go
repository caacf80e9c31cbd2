package measure

import "math"

// FourFifths is the adverse impact ratio below which a group's selection rate
// is taken as evidence of adverse impact (EEOC Uniform Guidelines on Employee
// Selection Procedures, 29 CFR 1607.4(D), the "four-fifths rule"), the
// threshold fair-lending reviews borrow for approval rates.
const FourFifths = 0.8

// FairnessGroup is the outcome of an approval cut-off for one group.
type FairnessGroup struct {
	Group    string
	N        int
	Approved int
	// ApprovalRate is Approved / N.
	ApprovalRate float64
	// AIR is the adverse impact ratio: ApprovalRate over the highest approval
	// rate of any group. NaN when no group has an approval.
	AIR float64
	// Flagged is AIR < FourFifths.
	Flagged   bool
	MeanScore float64
	// BadRate is the observed bad rate in the group; NaN when y is nil.
	BadRate float64
	// AUC is the AUC of the scores within the group; NaN when y is nil or the
	// group holds one class.
	AUC float64
}

// Fairness measures, for each group of a protected attribute, what a cut-off
// on credit scores does: a row is approved when score ≥ cutoff, and
//
//	rate_g = approved_g / n_g,   AIR_g = rate_g / max_h rate_h,
//
// a group being flagged when AIR_g < 0.8 (the four-fifths rule, EEOC Uniform
// Guidelines, 29 CFR 1607.4(D)). It also gives each group's mean score, bad
// rate and AUC, so that a difference in approval can be read next to a
// difference in observed risk and in how well the score ranks within the
// group. score holds credit scores (higher is safer); y may be nil. Groups are
// returned in the order they first appear in group.
func Fairness(score, y []float64, group []string, cutoff float64) []FairnessGroup {
	mustSameLen(len(score), len(group))
	if y != nil {
		mustSameLen(len(score), len(y))
	}
	var out []FairnessGroup
	var rows [][]int
	at := map[string]int{}
	for i, g := range group {
		k, ok := at[g]
		if !ok {
			k = len(out)
			at[g] = k
			out = append(out, FairnessGroup{Group: g})
			rows = append(rows, nil)
		}
		rows[k] = append(rows[k], i)
	}
	best := 0.0
	for k := range out {
		f := &out[k]
		f.N = len(rows[k])
		var sum, bads float64
		risk := make([]float64, 0, f.N)
		ys := make([]float64, 0, f.N)
		for _, i := range rows[k] {
			if score[i] >= cutoff {
				f.Approved++
			}
			sum += score[i]
			risk = append(risk, -score[i])
			if y != nil {
				ys = append(ys, y[i])
				if y[i] > 0.5 {
					bads++
				}
			}
		}
		f.ApprovalRate = float64(f.Approved) / float64(f.N)
		f.MeanScore = sum / float64(f.N)
		f.BadRate, f.AUC = math.NaN(), math.NaN()
		if y != nil {
			f.BadRate = bads / float64(f.N)
			f.AUC = AUC(risk, ys)
		}
		best = max(best, f.ApprovalRate)
	}
	for k := range out {
		f := &out[k]
		f.AIR = math.NaN()
		if best > 0 {
			f.AIR = f.ApprovalRate / best
		}
		f.Flagged = f.AIR < FourFifths
	}
	return out
}
