package training

// Bad-rate trends a feature's spec may declare. Ascending means the bad rate
// rises with the feature's value (or, for categories, with their order by bad
// rate); Peak rises then falls; Valley falls then rises; None is unconstrained.
// The scorecard holds its binning to any of them; the EBM holds a shape to
// Ascending or Descending, and None lifts its default constraint.
const (
	Auto       = "auto" // monotone (the better of Ascending and Descending), unless the data reject monotonicity
	Ascending  = "ascending"
	Descending = "descending"
	Peak       = "peak"
	Valley     = "valley"
	None       = "none"
)

// ValidTrend reports whether s names a trend a feature may declare.
func ValidTrend(s string) bool {
	switch s {
	case Auto, Ascending, Descending, Peak, Valley, None:
		return true
	}
	return false
}
