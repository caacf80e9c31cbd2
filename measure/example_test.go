package measure

import (
	"math"
	"testing"
)

// The six-row example most tests share: three bads (at 0.4, 0.8, 0.8) and
// three goods (at 0.1, 0.4, 0.6), with a bad and a good tied at 0.4 and two
// bads tied at 0.8. Read as risk scores or as probabilities of default.
var (
	exS = []float64{0.1, 0.4, 0.4, 0.6, 0.8, 0.8}
	exY = []float64{0, 0, 1, 0, 1, 1}
)

// near reports whether got is within tol of want, NaN matching NaN.
func near(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= tol
}

func check(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if !near(got, want, tol) {
		t.Errorf("%s = %.10g, want %.10g ± %g", name, got, want, tol)
	}
}
