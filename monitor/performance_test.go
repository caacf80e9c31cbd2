package monitor_test

import (
	"encoding/json"
	"math"
	"slices"
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

// TestCompareOutcomesByHand: seven people, (champion, challenger, bad) =
// three at (600, 500) of whom one bad and four at (500, 600) of whom two
// bad — the challenger is the champion with its points reversed. AUC by
// hand over the 3 × 4 bad-good pairs (a tie counts a half): the champion's
// bad at 600 against goods 600, 600, 500, 500 scores 0.5 + 0.5 + 0 + 0 and
// each bad at 500 scores 1 + 1 + 0.5 + 0.5, so AUC = 7/12; the challenger's
// is 1 − 7/12 = 5/12. Mean difference (3 · −100 + 4 · 100)/7 = 100/7,
// absolute 100. At 600 the three are approved by the champion only (one
// bad), the four by the challenger only (two bad); at 700 nobody is.
func TestCompareOutcomesByHand(t *testing.T) {
	m, err := modeltest.Scorecard(500, modeltest.Step("x", "capacity", "X", []float64{1}, []int{0, 100}, 0))
	if err != nil {
		t.Fatal(err)
	}
	ps := []monitor.Paired{{600, 500, false}, {600, 500, false}, {600, 500, true},
		{500, 600, true}, {500, 600, true}, {500, 600, false}, {500, 600, false}}
	c := monitor.CompareOutcomes("a", m, "b", m, ps, []int{700, 600, 600})
	if math.Abs(float64(c.Champion.AUC)-7.0/12) > 1e-12 || math.Abs(float64(c.Challenger.AUC)-5.0/12) > 1e-12 {
		t.Errorf("AUC champion %v, challenger %v; want 7/12 and 5/12", c.Champion.AUC, c.Challenger.AUC)
	}
	if math.Abs(float64(c.MeanDiff)-100.0/7) > 1e-12 || c.MeanAbsDiff != 100 {
		t.Errorf("mean difference %v, absolute %v; want 100/7 and 100", c.MeanDiff, c.MeanAbsDiff)
	}
	want := []monitor.OutcomeSwap{{Cutoff: 600, ChampionOnly: 3, ChampionOnlyBads: 1, ChallengerOnly: 4, ChallengerOnlyBads: 2}, {Cutoff: 700}}
	if !slices.Equal(c.Swaps, want) {
		t.Errorf("swaps %+v, want %+v", c.Swaps, want)
	}
	if c.Champion.Model != "a" || c.Challenger.Model != "b" || c.Champion.Scored != 7 || c.Challenger.Bads != 3 {
		t.Errorf("the two performances: %+v %+v", c.Champion, c.Challenger)
	}
	// No people: no means, in JSON null.
	b, err := json.Marshal(monitor.CompareOutcomes("a", m, "b", m, nil, []int{600}))
	if err != nil || !strings.Contains(string(b), `"mean_diff":null`) {
		t.Errorf("no people: %s (%v)", b, err)
	}
}
