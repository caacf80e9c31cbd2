package measure

import (
	"math"
	"testing"
)

func TestROC(t *testing.T) {
	// By hand from the six-row example, lowering the threshold: at 0.8 two of
	// three bads and no good are called bad; at 0.6 one good joins; at 0.4
	// the last bad and a second good; at 0.1 everyone.
	want := []ROCPoint{
		{0, 0, math.Inf(1)},
		{0, 2.0 / 3, 0.8},
		{1.0 / 3, 2.0 / 3, 0.6},
		{2.0 / 3, 1, 0.4},
		{1, 1, 0.1},
	}
	got := ROC(exS, exY)
	if len(got) != len(want) {
		t.Fatalf("ROC has %d points, want %d: %v", len(got), len(want), got)
	}
	var area float64
	for i := range want {
		if !near(got[i].FPR, want[i].FPR, 1e-12) || !near(got[i].TPR, want[i].TPR, 1e-12) || got[i].Threshold != want[i].Threshold {
			t.Errorf("point %d = %+v, want %+v", i, got[i], want[i])
		}
		if i > 0 {
			area += (got[i].FPR - got[i-1].FPR) * (got[i].TPR + got[i-1].TPR) / 2
		}
	}
	// The trapezoidal area equals the AUC with ties counted one half.
	check(t, "area under ROC", area, AUC(exS, exY), 1e-12)

	if ROC([]float64{1, 2}, []float64{1, 1}) != nil {
		t.Error("ROC of one class is not nil")
	}
}

func TestMismatchedLengthsPanic(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("ROC with mismatched lengths did not panic")
		}
	}()
	ROC([]float64{1, 2}, []float64{1})
}
