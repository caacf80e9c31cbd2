package monitor_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/model/modeltest"
	"github.com/opencredit/opencredit/monitor"
)

// TestPerformanceByHand: five people scored 400, 560, 610, 660, 720, of whom
// those at 400 and 610 went bad. Of the 2 × 3 bad-good pairs, the bad at 400
// is below all three goods and the bad at 610 below two (660, 720) and above
// one (560): AUC = 5/6. KS, the widest gap between the shares of bads and
// of goods scoring at or below a score: 1/2 − 0 at 400, 1/2 − 1/3 at 560,
// 2/2 − 1/3 = 2/3 at 610 (the widest), then closing. Bands (the brief's): poor 350–549 holds 400 (1 of 1
// bad), fair 550–599 holds 560 (0 of 1), good 600–649 holds 610 (1 of 1),
// very good 650–699 holds 660, excellent 700+ holds 720.
func TestPerformanceByHand(t *testing.T) {
	m, err := modeltest.Scorecard(500, modeltest.Step("x", "capacity", "X", []float64{1}, []int{0, 50}, 0))
	if err != nil {
		t.Fatal(err)
	}
	p := monitor.Measure("m1", m, []monitor.Outcome{{400, true}, {560, false}, {610, true}, {660, false}, {720, false}})
	if p.Scored != 5 || p.Bads != 2 || math.Abs(float64(p.AUC)-5.0/6) > 1e-12 || math.Abs(float64(p.KS)-2.0/3) > 1e-12 {
		t.Fatalf("%+v, want 5 scored, 2 bads, AUC 5/6, KS 2/3", p)
	}
	want := map[string][2]int{"poor": {1, 1}, "fair": {1, 0}, "good": {1, 1}, "very good": {1, 0}, "excellent": {1, 0}}
	for _, b := range p.Bands {
		if w := want[b.Band]; b.Rows != w[0] || b.Bads != w[1] {
			t.Errorf("band %s: %d rows, %d bads; want %v", b.Band, b.Rows, b.Bads, w)
		}
	}
	// Without a bad there is no ranking to measure: null in JSON.
	none := monitor.Measure("m1", m, []monitor.Outcome{{600, false}})
	b, err := json.Marshal(none)
	if err != nil || !strings.Contains(string(b), `"auc":null`) {
		t.Errorf("no bads: %s (%v), want auc null", b, err)
	}
}
