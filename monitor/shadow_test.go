package monitor_test

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/monitor"
)

// TestShadowByHand: four requests scored (champion, challenger) = (610,
// 590), (650, 660), (580, 605), (700, 700). Differences −20, +10, +25, 0:
// mean +3.75, mean absolute 13.75. At 600 the first is approved by the
// champion only and the third by the challenger only; at 650 none swaps
// (650 ≥ 650 and 660 ≥ 650).
func TestShadowByHand(t *testing.T) {
	s := monitor.NewShadow([]int{650, 600, 600})
	if s.Report() != nil {
		t.Fatal("a report before any request")
	}
	for _, p := range [][2]int{{610, 590}, {650, 660}, {580, 605}, {700, 700}} {
		s.Compare("a", &model.Result{Score: p[0]}, "b", &model.Result{Score: p[1]})
	}
	r := s.Report()
	if r.Scores != 4 || r.MeanDiff() != 3.75 || r.MeanAbsDiff() != 13.75 {
		t.Fatalf("%d scores, mean diff %v, mean abs %v; want 4, 3.75, 13.75", r.Scores, r.MeanDiff(), r.MeanAbsDiff())
	}
	want := []monitor.Swap{{Cutoff: 600, ChampionOnly: 1, ChallengerOnly: 1}, {Cutoff: 650}}
	if len(r.Swaps) != 2 || r.Swaps[0] != want[0] || r.Swaps[1] != want[1] {
		t.Fatalf("swaps %+v, want %+v", r.Swaps, want)
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(monitor.ShadowCollector(s))
	exp := `
# HELP opencredit_shadow_swaps The swap set at a cut-off: requests approved by one model and declined by the other (approved_by names which).
# TYPE opencredit_shadow_swaps gauge
opencredit_shadow_swaps{approved_by="challenger",challenger="b",champion="a",cutoff="600"} 1
opencredit_shadow_swaps{approved_by="challenger",challenger="b",champion="a",cutoff="650"} 0
opencredit_shadow_swaps{approved_by="champion",challenger="b",champion="a",cutoff="600"} 1
opencredit_shadow_swaps{approved_by="champion",challenger="b",champion="a",cutoff="650"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(exp), "opencredit_shadow_swaps"); err != nil {
		t.Error(err)
	}
	// Another challenger starts afresh.
	s.Compare("a", &model.Result{Score: 600}, "c", &model.Result{Score: 600})
	if r := s.Report(); r.Challenger != "c" || r.Scores != 1 {
		t.Errorf("after a new challenger: %+v", r)
	}
}
