package ebm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGradients checks the unrolled inner loop against the plain
// definition, row by row: odds_i ← odds_i·factor[prev_i], p = odds/(1+odds),
// and per bin the sums of p − y and p(1 − p). Odd and even row counts, few
// and many bins.
func TestGradients(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct{ n, nb int }{{1, 3}, {2, 3}, {1001, 4}, {5000, 256}} {
		odds, y := make([]float64, c.n), make([]float64, c.n)
		prev, cur := make([]uint8, c.n), make([]uint8, c.n)
		factor := make([]float64, c.nb)
		for k := range factor {
			factor[k] = math.Exp(r.NormFloat64() * 0.1)
		}
		for i := range c.n {
			odds[i] = math.Exp(r.NormFloat64())
			y[i] = float64(r.IntN(2))
			prev[i], cur[i] = uint8(r.IntN(c.nb)), uint8(r.IntN(c.nb))
		}
		want := make([]gh, c.nb)
		wantOdds := make([]float64, c.n)
		for i := range c.n {
			o := odds[i] * factor[prev[i]]
			wantOdds[i] = o
			p := o / (1 + o)
			want[cur[i]].g += p - y[i]
			want[cur[i]].h += p * (1 - p)
		}
		hist, spare := make([]gh, c.nb), make([]gh, c.nb+7)
		spare[0].g = 99 // stale scratch must not leak in
		gradients(odds, y, prev, factor, cur, hist, spare)
		for i := range c.n {
			if odds[i] != wantOdds[i] {
				t.Fatalf("n=%d row %d: odds %v, want %v", c.n, i, odds[i], wantOdds[i])
			}
		}
		for k := range hist {
			if math.Abs(hist[k].g-want[k].g) > 1e-9*(1+math.Abs(want[k].g)) || math.Abs(hist[k].h-want[k].h) > 1e-9*(1+want[k].h) {
				t.Fatalf("n=%d bin %d: %+v, want %+v", c.n, k, hist[k], want[k])
			}
		}
	}
}
