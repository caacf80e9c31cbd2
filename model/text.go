package model

import (
	"fmt"
	"strings"
)

// DescribeBins fills every bin's Text: the plain-language statement a reason
// shows, "<label>: <value>", such as "Worst repayment delay in the last 6
// months: 2 months". The label defaults to the feature name. A Reason
// leads the statement: "Balance is high compared with the credit limit
// (Balance over credit limit: 0.9 to under 1.2)".
func (f *Feature) DescribeBins() {
	label := f.Label
	if label == "" {
		label = f.Name
	}
	for i := range f.Bins {
		f.Bins[i].Text = label + ": " + f.describe(i)
		if f.Reason != "" {
			f.Bins[i].Text = f.Reason + " (" + f.Bins[i].Text + ")"
		}
	}
}

func (f *Feature) describe(i int) string {
	b := &f.Bins[i]
	if b.Missing && b.Lower == nil && b.Upper == nil && len(b.Categories) == 0 {
		return "no data"
	}
	unit := ""
	if f.Unit != "" {
		unit = " " + f.Unit
	}
	if f.Kind == Categorical {
		s := joinCats(b.Categories, 6)
		if b.Other {
			if s != "" {
				s += " or "
			}
			s += "another value"
		}
		return s
	}
	switch {
	case b.Lower == nil && b.Upper == nil:
		return "any value"
	case b.Lower == nil:
		if f.Integer {
			return fmt.Sprintf("%s%s or less", fmtNum(ceilMinusOne(*b.Upper)), unit)
		}
		return fmt.Sprintf("below %s%s", fmtNum(*b.Upper), unit)
	case b.Upper == nil:
		return fmt.Sprintf("%s%s or more", fmtNum(*b.Lower), unit)
	case f.Integer && *b.Upper-*b.Lower <= 1:
		return fmt.Sprintf("%s%s", fmtNum(*b.Lower), unit)
	case f.Integer:
		return fmt.Sprintf("%s to %s%s", fmtNum(*b.Lower), fmtNum(ceilMinusOne(*b.Upper)), unit)
	default:
		return fmt.Sprintf("%s to under %s%s", fmtNum(*b.Lower), fmtNum(*b.Upper), unit)
	}
}

// ceilMinusOne is the largest whole number below x, for integer features whose
// bins are [lower, upper).
func ceilMinusOne(x float64) float64 {
	c := float64(int64(x))
	if c >= x {
		c--
	}
	return c
}

// Table returns the model's points table, one line per bin: the feature, the
// bin and its points, after a line of base points. A pair's cells are not
// listed. Tests print it to show a model at a glance.
func (m *Model) Table() string {
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
