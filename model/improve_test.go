package model_test

import (
	"testing"

	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
)

// TestImprovements checks by hand, on a hand-built scorecard, the bin each
// reason would gain most from.
func TestImprovements(t *testing.T) {
	m, err := modeltest.Scorecard(400,
		// Utilisation: the lower the better; missing earns 50.
		modeltest.Step("util", "capacity", "CAP", []float64{0.3, 0.5, 0.8}, []int{60, 40, 20, 0}, 50),
		// Two bins tie for the most points: the nearer one is the smaller change.
		modeltest.Step("ontime", "payment_history", "PH", []float64{2, 5}, []int{0, 30, 30}, 10),
		// The missing bin earns the most, and is never a target.
		modeltest.Step("since", "payment_history", "DPD", []float64{6, 12}, []int{0, 10, 20}, 90))
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Score([]model.Value{model.Num(0.9), model.Num(0), model.Num(3)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]model.Improvement{}
	for _, imp := range m.Improvements(r) {
		got[imp.Feature] = imp
	}
	// util 0.9 is in [0.8, +inf) with 0 points; below 0.3 earns 60.
	if g := got["util"]; g.ToBin != 0 || g.Gain != 60 || g.Target.Num >= 0.3 || g.Code != "CAP" {
		t.Errorf("util: %+v, want bin 0 (below 0.3), +60", g)
	}
	// ontime 0 earns 0; [2, 5) and [5, +inf) both earn 30: [2, 5), value 2.
	if g := got["ontime"]; g.ToBin != 1 || g.Gain != 30 || g.Target.Num != 2 {
		t.Errorf("ontime: %+v, want bin 1 from 2, +30", g)
	}
	// since 3 earns 0; missing would earn 90 but is no target: [12, +inf), +20.
	if g := got["since"]; g.ToBin != 2 || g.Gain != 20 || g.Target.Num != 12 {
		t.Errorf("since: %+v, want bin 2 from 12, +20", g)
	}
	// Each gain is what the model gives when the feature moves to the target.
	for j, f := range m.Features {
		g := got[f.Name]
		row := []model.Value{model.Num(0.9), model.Num(0), model.Num(3)}
		row[j] = g.Target
		r2, _ := m.Score(row)
		if r2.Score-r.Score != g.Gain {
			t.Errorf("%s: rescored %d − %d = %d, gain says %d", f.Name, r2.Score, r.Score, r2.Score-r.Score, g.Gain)
		}
	}
	// At the best bins a person can reach, nothing is offered: since still
	// loses 70 against its missing bin, a reason, but no target gains.
	r, _ = m.Score([]model.Value{model.Num(0.1), model.Num(9), model.Num(20)})
	if imps := m.Improvements(r); len(imps) != 0 {
		t.Errorf("best bins everywhere: improvements %+v, want none", imps)
	}
}

// TestImprovementsToward: utilisation earns 60 points below 0.3 and 70 at
// 0.8 or more. At 0.6 (20 points) the best change is up, to 0.8 (+50); a
// caller that allows only lower utilisation gets below 0.3 (+40), and one
// that allows nothing gets no improvement.
func TestImprovementsToward(t *testing.T) {
	m, err := modeltest.Scorecard(400,
		modeltest.Step("util", "capacity", "CAP", []float64{0.3, 0.5, 0.8}, []int{60, 40, 20, 70}, 50))
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Score([]model.Value{model.Num(0.6)})
	if err != nil {
		t.Fatal(err)
	}
	if imps := m.Improvements(r); len(imps) != 1 || imps[0].ToBin != 3 || imps[0].Gain != 50 {
		t.Fatalf("unrestricted: %+v, want bin 3 (0.8 or more), +50", imps)
	}
	lower := func(_ string, v model.Value) bool { return v.Num < 0.6 }
	if imps := m.ImprovementsToward(r, lower); len(imps) != 1 || imps[0].ToBin != 0 || imps[0].Gain != 40 || !(imps[0].Target.Num < 0.3) {
		t.Errorf("lower only: %+v, want bin 0 (below 0.3), +40", imps)
	}
	if imps := m.ImprovementsToward(r, func(string, model.Value) bool { return false }); len(imps) != 0 {
		t.Errorf("nothing allowed: %+v, want none", imps)
	}
}
