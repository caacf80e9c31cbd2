package measure

import (
	"math"
	"testing"
)

func TestFairness(t *testing.T) {
	score := []float64{
		700, 650, 620, 600, 550, // A: 4 of 5 at or above 600
		610, 640, 599, 700, // B: 3 of 4
		590, 600, 500, 720, // C: 2 of 4
	}
	y := []float64{
		0, 0, 1, 0, 1,
		0, 0, 0, 0,
		1, 0, 1, 0,
	}
	group := []string{"A", "A", "A", "A", "A", "B", "B", "B", "B", "C", "C", "C", "C"}
	got := Fairness(score, y, group, 600)

	// Expected values by hand. Approval rates 0.8, 0.75, 0.5; the highest is
	// A's 0.8, so AIR = 1, 0.75/0.8 = 0.9375 and 0.5/0.8 = 0.625, and only C
	// falls below four fifths. Within A, bad 620 scores below goods 700 and
	// 650 but above 600, and bad 550 below all three goods: AUC 5/6. B has no
	// bad; within C both bads score below both goods.
	want := []struct {
		group                string
		n, approved          int
		rate, air, mean, bad float64
		flagged              bool
		auc                  float64
	}{
		{"A", 5, 4, 0.8, 1, 624, 0.4, false, 5.0 / 6},
		{"B", 4, 3, 0.75, 0.9375, 637.25, 0, false, math.NaN()},
		{"C", 4, 2, 0.5, 0.625, 602.5, 0.5, true, 1},
	}
	if len(got) != len(want) {
		t.Fatalf("Fairness returned %d groups, want %d", len(got), len(want))
	}
	for k, w := range want {
		g := got[k]
		if g.Group != w.group || g.N != w.n || g.Approved != w.approved || g.Flagged != w.flagged {
			t.Errorf("group %d = %+v, want %+v", k, g, w)
		}
		check(t, w.group+" approval rate", g.ApprovalRate, w.rate, 1e-12)
		check(t, w.group+" AIR", g.AIR, w.air, 1e-12)
		check(t, w.group+" mean score", g.MeanScore, w.mean, 1e-9)
		check(t, w.group+" bad rate", g.BadRate, w.bad, 1e-12)
		check(t, w.group+" AUC", g.AUC, w.auc, 1e-12)
	}

	// Without outcomes, approval still counts; bad rate and AUC are NaN.
	got = Fairness(score, nil, group, 600)
	check(t, "C AIR without outcomes", got[2].AIR, 0.625, 1e-12)
	if !math.IsNaN(got[0].AUC) || !math.IsNaN(got[0].BadRate) {
		t.Errorf("without outcomes: %+v, want NaN AUC and bad rate", got[0])
	}

	// Nobody approved: AIR is undefined and nobody is flagged.
	got = Fairness(score, y, group, 1000)
	if !math.IsNaN(got[0].AIR) || got[0].Flagged {
		t.Errorf("nobody approved: %+v, want NaN AIR, not flagged", got[0])
	}
}
