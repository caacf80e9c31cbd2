package measure

import "math"

// CalibrationGroup compares predicted and observed default in one group.
type CalibrationGroup struct {
	Group string
	N     int
	// Bads is the number of observed bads; 0 when y is nil.
	Bads int
	// MeanPD is the mean predicted probability of default, (1/n) Σ pd_i: the
	// expected bad rate.
	MeanPD float64
	// BadRate is the observed bad rate Bads / N; NaN when y is nil.
	BadRate float64
}

// Calibration compares, within each group (typically a score band or rating
// grade), the mean predicted probability of default with the observed bad
// rate, the grade-level calibration check of Basel Committee on Banking
// Supervision, "Studies on the validation of internal rating systems",
// working paper 14, 2005, §4:
//
//	MeanPD_g = (1/n_g) Σ_{i∈g} pd_i,   BadRate_g = (1/n_g) Σ_{i∈g} y_i.
//
// A well-calibrated model has MeanPD_g ≈ BadRate_g in every group. y may be
// nil, leaving BadRate NaN. Groups are returned in the order they first
// appear in group.
func Calibration(pd, y []float64, group []string) []CalibrationGroup {
	mustSameLen(len(pd), len(group))
	if y != nil {
		mustSameLen(len(pd), len(y))
	}
	var out []CalibrationGroup
	at := map[string]int{}
	for i, g := range group {
		k, ok := at[g]
		if !ok {
			k = len(out)
			at[g] = k
			out = append(out, CalibrationGroup{Group: g})
		}
		c := &out[k]
		c.N++
		c.MeanPD += pd[i]
		if y != nil && y[i] > 0.5 {
			c.Bads++
		}
	}
	for k := range out {
		c := &out[k]
		c.MeanPD /= float64(c.N)
		c.BadRate = math.NaN()
		if y != nil {
			c.BadRate = float64(c.Bads) / float64(c.N)
		}
	}
	return out
}
