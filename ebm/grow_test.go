package ebm_test

import (
	"math/rand/v2"
	"testing"

	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/ebm"
	"github.com/opencredit/opencredit/measure"
)

// interacting returns n rows of twelve uniform features whose log-odds has
// small main effects and, when strength is above 0, a product term on each of
// the given pairs.
func interacting(seed uint64, n int, pairs [][2]int, strength float64) ([]*dataset.Column, []float64) {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	const d = 12
	x := make([][]float64, d)
	for j := range x {
		x[j] = make([]float64, n)
	}
	logit := make([]float64, n)
	for i := range n {
		for j := range x {
			x[j][i] = rng.Float64()*2 - 1
		}
		logit[i] = -1.5 + 0.3*x[0][i] - 0.3*x[1][i]
		for _, p := range pairs {
			logit[i] += strength * x[p[0]][i] * x[p[1]][i]
		}
	}
	cols := make([]*dataset.Column, d)
	for j := range cols {
		cols[j] = numeric(string(rune('a'+j)), x[j])
	}
	return cols, outcomes(rng, logit)
}

// heldOutAUC trains on cols/y and returns the AUC on the held-out rows.
func heldOutAUC(t *testing.T, cfg ebm.Config, cols, test []*dataset.Column, y, ty []float64) (float64, int) {
	t.Helper()
	m := train(t, cols, y, cfg)
	pd := make([]float64, len(ty))
	for i := range ty {
		r, err := m.Score(rowValues(m, test, i))
		if err != nil {
			t.Fatal(err)
		}
		pd[i] = r.PD
	}
	return measure.AUC(pd, ty), len(m.Pairs)
}

// TestPairsGrowWhenTheDataAsks: the log-odds holds 30 product terms, each of
// the same strength, on distinct pairs of twelve features. Ten pairs cannot
// hold them; growing in waves keeps more than 20 of them and beats ten fixed
// pairs on 20,000 held-out rows. On data with no interaction at all, the
// growth stops after the first wave, which is always kept: exactly ten
// pairs. The thresholds are what the generating model implies, not measured
// figures: 30 true pairs, and a second wave of noise is not above two
// standard errors.
func TestPairsGrowWhenTheDataAsks(t *testing.T) {
	var pairs [][2]int
	for a := 0; a < 12 && len(pairs) < 30; a++ {
		for b := a + 1; b < 12 && len(pairs) < 30; b += 2 {
			pairs = append(pairs, [2]int{a, b})
		}
	}
	cols, y := interacting(5, 20000, pairs, 0.8)
	test, ty := interacting(6, 20000, pairs, 0.8)

	fixed := ebm.DefaultConfig()
	fixed.Interactions, fixed.InteractionWave = 10, 0
	fixedAUC, fixedPairs := heldOutAUC(t, fixed, cols, test, y, ty)
	grow := ebm.DefaultConfig()
	grow.Interactions, grow.InteractionWave = 60, 10
	growAUC, grown := heldOutAUC(t, grow, cols, test, y, ty)
	t.Logf("fixed %d pairs: AUC %.4f; grown to %d pairs: AUC %.4f", fixedPairs, fixedAUC, grown, growAUC)
	if fixedPairs != 10 || grown <= 20 {
		t.Errorf("kept %d pairs fixed and %d grown, want 10 and more than 20", fixedPairs, grown)
	}
	if !(growAUC > fixedAUC+0.005) {
		t.Errorf("grown AUC %.4f is not above fixed %.4f + 0.005", growAUC, fixedAUC)
	}

	cols, y = interacting(7, 20000, nil, 0)
	test, ty = interacting(8, 20000, nil, 0)
	_, none := heldOutAUC(t, grow, cols, test, y, ty)
	if none != 10 {
		t.Errorf("with no interaction in the data, kept %d pairs, want the first wave of 10", none)
	}
}
