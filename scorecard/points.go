package scorecard

import (
	"fmt"
	"math"
	"strings"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/policy"
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

// checkAge enforces 12 CFR 1002.6(b)(2)(iv) on a person's age: no bin that
// holds applicants aged 62 or more may earn fewer points than a bin of
// younger applicants. Binning forces a cut at 62, so no bin holds both.
func checkAge(f *model.Feature) error {
	elderMin, youngMax := math.MaxInt, math.MinInt
	var elderBin, youngBin int
	for k, b := range f.Bins {
		if b.Missing || b.Count == 0 {
			continue
		}
		if b.Upper == nil || *b.Upper > policy.ElderlyAge {
			if b.Points < elderMin {
				elderMin, elderBin = b.Points, k
			}
		} else if b.Points > youngMax {
			youngMax, youngBin = b.Points, k
		}
	}
	if elderMin < youngMax {
		return opencredit.Errorf(opencredit.EREFUSED,
			"age rule: %q gives applicants aged %d or more (%s) %d points, fewer than the %d points of younger applicants (%s); "+
				"12 CFR 1002.6(b)(2)(iv) forbids a negative value for an elderly applicant's age, so this model may not use age",
			f.Name, policy.ElderlyAge, f.BinLabel(elderBin), elderMin, youngMax, f.BinLabel(youngBin))
	}
	return nil
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
