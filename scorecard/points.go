package scorecard

import (
	"math"

	"github.com/opencredit/opencredit/model"
)

// assignPoints sets every bin's log-odds contribution and integer points from
// the fitted coefficients, and the model's intercept and base points (see the
// package comment for the formulas).
func assignPoints(m *model.Model, intercept float64) {
	factor, offset := m.Scaling.Factor(), m.Scaling.Offset()
	m.Intercept = intercept
	base := offset - factor*intercept
	for j := range m.Features {
		f := &m.Features[j]
		minRaw := math.Inf(1)
		for k := range f.Bins {
			f.Bins[k].Logit = f.Coefficient * f.Bins[k].WoE
			minRaw = math.Min(minRaw, -factor*f.Bins[k].Logit)
		}
		for k := range f.Bins {
			f.Bins[k].Points = int(math.Round(-factor*f.Bins[k].Logit - minRaw))
		}
		base += minRaw
	}
	m.BasePoints = int(math.Round(base))
}
