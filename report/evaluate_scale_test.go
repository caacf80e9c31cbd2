package report_test

import (
	"math"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/report"
)

// TestScaleWarning: a PD that ranks eight rows perfectly (AUC 1), whose
// scores the clip ties at 350 for the five riskiest, costs the score ranking
// (AUC 0.8 by hand, below) and is warned of; the same rows scored apart are
// not.
func TestScaleWarning(t *testing.T) {
	// Rows by rising risk; y: 1 = bad. The three bads are the riskiest.
	pd := []float64{0.01, 0.02, 0.03, 0.04, 0.05, 0.6, 0.7, 0.8}
	y := []float64{0, 0, 0, 0, 0, 1, 1, 1}
	apart := []int{900, 850, 800, 700, 600, 500, 450, 400}
	// Clipped: the two riskiest goods (rows 3, 4) and all three bads sit
	// at 350. Of the 15 bad-good pairs, the 6 between those two goods and
	// the bads are ties (half each): AUC = (15 − 6/2)/15 = 0.8.
	clipped := []int{900, 850, 800, 350, 350, 350, 350, 350}
	e, err := report.Evaluate(report.Input{PD: pd, Score: clipped, Y: y})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(e.AUC)-0.8) > 1e-12 || float64(e.AUCPD) != 1 || e.FloorShare != 5.0/8 || e.CeilingShare != 0 {
		t.Fatalf("AUC %v, AUC of the PD %v, floor %v, ceiling %v; want 0.8, 1, 0.625, 0", e.AUC, e.AUCPD, e.FloorShare, e.CeilingShare)
	}
	if !strings.Contains(e.ScaleWarning, "AUC 0.8000 against 1.0000") || !strings.Contains(e.ScaleWarning, "62.5% of rows score 350") {
		t.Errorf("warning %q", e.ScaleWarning)
	}
	var text strings.Builder
	if err := e.WriteText(&text); err != nil || !strings.Contains(text.String(), "WARNING: the score ranks worse") {
		t.Errorf("text report (%v) carries no warning:\n%s", err, text.String())
	}
	if e, _ := report.Evaluate(report.Input{PD: pd, Score: apart, Y: y}); e.ScaleWarning != "" {
		t.Errorf("scores apart: warning %q", e.ScaleWarning)
	}
	// Without a target only the ends are known: more than 5% is warned of.
	if e, _ := report.Evaluate(report.Input{PD: pd, Score: clipped}); !strings.Contains(e.ScaleWarning, "the clip ties them together") {
		t.Errorf("no target, 62.5%% at the floor: warning %q", e.ScaleWarning)
	}
}
