package policy

import (
	"math"
	"slices"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

// ElderlyAge is the age from which 12 CFR 1002.6(b)(2)(iv) forbids assigning a
// negative factor or value to an applicant's age.
const ElderlyAge = 62

// The age rule of 12 CFR 1002.6(b)(2)(iv): a model may use a person's age
// only if applicants aged ElderlyAge (62) or more earn no fewer points than
// younger ones. Both trainers apply it to the columns a developer allowed as
// ages (CheckInputs returns them): they cut every such feature at 62 with
// WithAgeCut, so that no bin holds both, and refuse the trained feature with
// CheckAge.

// WithAgeCut returns the increasing cut points cuts with a cut at
// ElderlyAge added unless it is there; cuts is not modified.
func WithAgeCut(cuts []float64) []float64 {
	i, found := slices.BinarySearch(cuts, ElderlyAge)
	if found {
		return cuts
	}
	return slices.Insert(slices.Clone(cuts), i, ElderlyAge)
}

// CheckAge returns an EREFUSED error when a bin of f holding applicants aged
// ElderlyAge or more earns fewer points than a bin of younger
// applicants. Missing and empty bins are not compared; a bin counts as
// elderly when its upper bound is above 62, which the cut of WithAgeCut makes
// exact.
func CheckAge(f *model.Feature) error {
	elderMin, youngMax := math.MaxInt, math.MinInt
	var elderBin, youngBin int
	for k, b := range f.Bins {
		if b.Missing || b.Count == 0 {
			continue
		}
		if b.Upper == nil || *b.Upper > ElderlyAge {
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
			f.Name, ElderlyAge, f.BinLabel(elderBin), elderMin, youngMax, f.BinLabel(youngBin))
	}
	return nil
}
