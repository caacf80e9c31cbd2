package scorecard

import (
	"math"

	"github.com/opencredit/opencredit/training"
)

// counts is the goods and bads in a bin.
type counts struct{ goods, bads float64 }

func (c counts) n() float64 { return c.goods + c.bads }

func (c counts) add(d counts) counts { return counts{c.goods + d.goods, c.bads + d.bads} }

// limits are the constraints every bin of an optimal binning must meet.
type limits struct {
	minCount, minGoods, minBads float64
	maxBins                     int
}

// partition finds the grouping of consecutive pre-bins into bins that
// maximises the total information value, subject to lim and the bad-rate
// trend between consecutive bins (strict). It returns the start index of each
// bin followed by len(pre), and the IV; ok is false when no grouping meets
// the limits (not even a single bin).
//
// Dynamic programming over (bins so far k, last bin [i, j), phase): the
// objective is a sum over bins and the trend constraint only links
// neighbouring bins, so the recurrence
//
//	F(k, i, j, φ') = IV(i, j) + max { F(k−1, h, i, φ) : trend allows φ → φ' from bad rate(h, i) to bad rate(i, j) }
//
// is exact. Cost O(maxBins · n³).
func partition(pre []counts, G, B float64, lim limits, trend string) (bounds []int, total float64, ok bool) {
	n := len(pre)
	if n == 0 {
		return nil, 0, false
	}
	cum := make([]counts, n+1)
	for i, c := range pre {
		cum[i+1] = cum[i].add(c)
	}
	seg := func(i, j int) counts {
		return counts{cum[j].goods - cum[i].goods, cum[j].bads - cum[i].bads}
	}
	N := n + 1
	feas := make([]bool, N*N)
	rate := make([]float64, N*N)
	ivs := make([]float64, N*N)
	for i := 0; i < n; i++ {
		for j := i + 1; j <= n; j++ {
			c := seg(i, j)
			if c.n() < lim.minCount || c.goods < lim.minGoods || c.bads < lim.minBads || c.n() == 0 {
				continue
			}
			feas[i*N+j] = true
			rate[i*N+j] = c.bads / c.n()
			_, ivs[i*N+j] = training.WoE(c.goods, c.bads, G, B)
		}
	}
	K := lim.maxBins
	if K <= 0 || K > n {
		K = n
	}
	// f[((k*N+i)*N+j)*2+φ]; parent holds h*2+φ of the previous state.
	size := (K + 1) * N * N * 2
	f := make([]float64, size)
	parent := make([]int32, size)
	for x := range f {
		f[x] = math.Inf(-1)
	}
	at := func(k, i, j, ph int) int { return ((k*N+i)*N+j)*2 + ph }
	for j := 1; j <= n; j++ {
		if feas[j] {
			f[at(1, 0, j, 0)] = ivs[j]
		}
	}
	for k := 2; k <= K; k++ {
		for i := 1; i < n; i++ {
			for j := i + 1; j <= n; j++ {
				if !feas[i*N+j] {
					continue
				}
				next := rate[i*N+j]
				for h := 0; h < i; h++ {
					if !feas[h*N+i] {
						continue
					}
					prevRate := rate[h*N+i]
					for ph := 0; ph < 2; ph++ {
						v := f[at(k-1, h, i, ph)]
						if math.IsInf(v, -1) {
							continue
						}
						nph, allowed := step(trend, ph, prevRate, next)
						if !allowed {
							continue
						}
						if c := v + ivs[i*N+j]; c > f[at(k, i, j, nph)] {
							f[at(k, i, j, nph)] = c
							parent[at(k, i, j, nph)] = int32(h*2 + ph)
						}
					}
				}
			}
		}
	}
	bestK, bestI, bestPh := 0, 0, 0
	total = math.Inf(-1)
	for k := 1; k <= K; k++ {
		for i := 0; i < n; i++ {
			for ph := 0; ph < 2; ph++ {
				// Strictly better only: among equal IVs the fewest bins win.
				if v := f[at(k, i, n, ph)]; v > total+1e-12 {
					total, bestK, bestI, bestPh = v, k, i, ph
				}
			}
		}
	}
	if math.IsInf(total, -1) {
		return nil, 0, false
	}
	bounds = make([]int, bestK+1)
	bounds[bestK] = n
	j, i, ph := n, bestI, bestPh
	for k := bestK; k >= 1; k-- {
		bounds[k-1] = i
		if k == 1 {
			break
		}
		p := parent[at(k, i, j, ph)]
		j, i, ph = i, int(p/2), int(p%2)
	}
	return bounds, total, true
}

// step says whether a bin with bad rate next may follow one with bad rate prev
// under trend, in phase ph (0 before the turn of a peak or valley, 1 after),
// and the phase after it.
func step(trend string, ph int, prev, next float64) (int, bool) {
	up, down := next > prev, next < prev
	switch trend {
	case training.Ascending:
		return 0, up
	case training.Descending:
		return 0, down
	case training.Peak:
		if ph == 0 && up {
			return 0, true
		}
		return 1, down
	case training.Valley:
		if ph == 0 && down {
			return 0, true
		}
		return 1, up
	default:
		return 0, true
	}
}
