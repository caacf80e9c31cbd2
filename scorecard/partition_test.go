package scorecard

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/opencredit/opencredit/training"
)

// bruteForce enumerates every grouping of the pre-bins (2^(n-1) of them) and
// returns the best IV that meets the limits and the trend: an independent
// check of the dynamic programme.
func bruteForce(pre []counts, G, B float64, lim limits, trend string) (float64, bool) {
	n := len(pre)
	best, found := math.Inf(-1), false
	for mask := 0; mask < 1<<(n-1); mask++ {
		var bins []counts
		cur := pre[0]
		for i := 1; i < n; i++ {
			if mask&(1<<(i-1)) != 0 {
				bins = append(bins, cur)
				cur = pre[i]
			} else {
				cur = cur.add(pre[i])
			}
		}
		bins = append(bins, cur)
		if lim.maxBins > 0 && len(bins) > lim.maxBins {
			continue
		}
		ok, total, ph := true, 0.0, 0
		for k, c := range bins {
			if c.n() == 0 || c.n() < lim.minCount || c.goods < lim.minGoods || c.bads < lim.minBads {
				ok = false
				break
			}
			_, iv := training.WoE(c.goods, c.bads, G, B)
			total += iv
			if k > 0 {
				var allowed bool
				ph, allowed = step(trend, ph, bins[k-1].bads/bins[k-1].n(), c.bads/c.n())
				ok = ok && allowed
			}
		}
		if ok && total > best {
			best, found = total, true
		}
	}
	return best, found
}

func TestPartitionMatchesBruteForce(t *testing.T) {
	seed := uint64(20261128)
	rng := rand.New(rand.NewPCG(seed, 1))
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(11)
		pre := make([]counts, n)
		var G, B float64
		for i := range pre {
			pre[i] = counts{float64(rng.IntN(40)), float64(rng.IntN(15))}
			G += pre[i].goods
			B += pre[i].bads
		}
		if G == 0 || B == 0 {
			continue
		}
		lim := limits{minCount: float64(rng.IntN(30)), minGoods: float64(rng.IntN(3)), minBads: float64(rng.IntN(3)), maxBins: rng.IntN(6)}
		for _, trend := range []string{training.Ascending, training.Descending, training.Peak, training.Valley, training.None} {
			want, wantOK := bruteForce(pre, G, B, lim, trend)
			bounds, got, ok := partition(pre, G, B, lim, trend)
			if ok != wantOK || (ok && math.Abs(got-want) > 1e-9) {
				t.Fatalf("seed %d trial %d trend %s pre %v lim %+v: DP %v (%v, bounds %v), brute force %v (%v)",
					seed, trial, trend, pre, lim, got, ok, bounds, want, wantOK)
			}
			if ok && (bounds[0] != 0 || bounds[len(bounds)-1] != n) {
				t.Fatalf("bounds %v do not cover 0..%d", bounds, n)
			}
		}
	}
}

// TestPartitionByHand: four pre-bins whose bad rates rise 10%, 5%, 30%, 60%.
// Ascending must merge the first two (7.5%); the unconstrained optimum keeps
// all four; the best descending grouping is one bin or a pair that falls.
func TestPartitionByHand(t *testing.T) {
	pre := []counts{{90, 10}, {95, 5}, {70, 30}, {40, 60}}
	G, B := 295.0, 105.0
	bounds, _, ok := partition(pre, G, B, limits{}, training.Ascending)
	if !ok || len(bounds) != 4 || bounds[1] != 2 {
		t.Fatalf("ascending bounds %v, want [0 2 3 4]", bounds)
	}
	bounds, _, _ = partition(pre, G, B, limits{}, training.None)
	if len(bounds) != 5 {
		t.Fatalf("unconstrained bounds %v, want all four pre-bins", bounds)
	}
	// A 150-row minimum forces the 400 rows into at most two bins.
	bounds, _, _ = partition(pre, G, B, limits{minCount: 150}, training.Ascending)
	if len(bounds) != 3 || bounds[1] != 2 {
		t.Fatalf("min count bounds %v, want [0 2 4]", bounds)
	}
}
