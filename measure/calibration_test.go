package measure

import (
	"math"
	"testing"
)

func TestCalibration(t *testing.T) {
	pd := []float64{0.1, 0.2, 0.3, 0.05, 0.15}
	y := []float64{0, 1, 0, 0, 1}
	group := []string{"A", "A", "B", "A", "B"}
	// By hand: A holds PDs 0.1, 0.2, 0.05 (mean 0.35/3) and one bad in
	// three; B holds 0.3, 0.15 (mean 0.225) and one bad in two.
	got := Calibration(pd, y, group)
	if len(got) != 2 || got[0].Group != "A" || got[1].Group != "B" {
		t.Fatalf("groups = %+v, want A then B", got)
	}
	if got[0].N != 3 || got[0].Bads != 1 || got[1].N != 2 || got[1].Bads != 1 {
		t.Errorf("counts = %+v", got)
	}
	check(t, "mean PD of A", got[0].MeanPD, 0.35/3, 1e-12)
	check(t, "bad rate of A", got[0].BadRate, 1.0/3, 1e-12)
	check(t, "mean PD of B", got[1].MeanPD, 0.225, 1e-12)
	check(t, "bad rate of B", got[1].BadRate, 0.5, 1e-12)

	got = Calibration(pd, nil, group)
	if !math.IsNaN(got[0].BadRate) || got[0].Bads != 0 {
		t.Errorf("without outcomes: %+v, want NaN bad rate", got[0])
	}
	check(t, "mean PD of A without outcomes", got[0].MeanPD, 0.35/3, 1e-12)
}
