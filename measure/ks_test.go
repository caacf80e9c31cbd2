package measure

import (
	"math"
	"testing"
)

func TestKS(t *testing.T) {
	// By hand from the six-row example: at or below 0.1 no bad and one of
	// three goods; at 0.4 one bad and two goods; at 0.6 one bad and all
	// goods; at 0.8 everyone.
	want := []KSPoint{{0.1, 0, 1.0 / 3}, {0.4, 1.0 / 3, 2.0 / 3}, {0.6, 1.0 / 3, 1}, {0.8, 1, 1}}
	got := KSCurve(exS, exY)
	if len(got) != len(want) {
		t.Fatalf("KSCurve has %d points, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Score != want[i].Score || !near(got[i].Bad, want[i].Bad, 1e-12) || !near(got[i].Good, want[i].Good, 1e-12) {
			t.Errorf("point %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	// The widest gap is at 0.6: |1/3 − 1| = 2/3.
	d, at := KS(exS, exY)
	check(t, "KS", d, 2.0/3, 1e-12)
	check(t, "KS at", at, 0.6, 0)

	// Negating the scores (credit scores instead of risk scores) keeps the
	// statistic.
	neg := make([]float64, len(exS))
	for i, s := range exS {
		neg[i] = -s
	}
	d, _ = KS(neg, exY)
	check(t, "KS of negated scores", d, 2.0/3, 1e-12)

	d, at = KS([]float64{1, 2}, []float64{0, 0})
	if !math.IsNaN(d) || !math.IsNaN(at) {
		t.Errorf("KS of one class = %v at %v, want NaN", d, at)
	}
}
