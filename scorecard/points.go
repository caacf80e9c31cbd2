package scorecard

import (
	"fmt"
	"math"
	"strings"

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

// Table writes the scorecard table: feature, bin, points.
func Table(m *model.Model) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-28s %-40s %7s\n", "feature", "bin", "points")
	fmt.Fprintf(&b, "%-28s %-40s %7d\n", "(base points)", "", m.BasePoints)
	for _, f := range m.Features {
		for k := range f.Bins {
			fmt.Fprintf(&b, "%-28s %-40s %7d\n", f.Name, f.BinLabel(k), f.Bins[k].Points)
		}
	}
	return b.String()
}
