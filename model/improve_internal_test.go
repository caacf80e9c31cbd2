package model

import "testing"

// TestImprovementsCountPairs: on pairModel, b moving from y to x gains its
// own 30 − 10 = 20 and the pair's cell (a ≥ 15, x) 25 − 4 = 21: 41, which is
// also 590 − 549 by rescoring.
func TestImprovementsCountPairs(t *testing.T) {
	m := pairModel(t)
	r, err := m.Score([]Value{Num(22), Cat("y")})
	if err != nil {
		t.Fatal(err)
	}
	imps := m.Improvements(r)
	if len(imps) != 1 || imps[0].Feature != "b" || imps[0].ToBin != 0 || imps[0].Gain != 41 {
		t.Fatalf("improvements %+v, want b → x, +41 (the pair's reason gets none)", imps)
	}
	r2, _ := m.Score([]Value{Num(22), imps[0].Target})
	if r2.Score-r.Score != 41 {
		t.Errorf("rescored gain %d, want 41", r2.Score-r.Score)
	}
}
