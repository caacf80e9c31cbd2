package ebm

import "github.com/opencredit/opencredit/training"

// monotoneTrend returns the constraint on a numeric feature's shape:
// Ascending (the log-odds of default never falls as the value rises),
// Descending, or "" for none. The spec's trend wins over
// training.LiveTrends.
func monotoneTrend(name, specTrend string) string {
	t := specTrend
	if t == "" || t == training.Auto {
		t = training.LiveTrends[name]
	}
	if t == training.Ascending || t == training.Descending {
		return t
	}
	return ""
}

// isotonic replaces s by its weighted least-squares projection onto the
// non-decreasing sequences (ascending) or non-increasing ones: pool adjacent
// violators (Barlow et al., "Statistical Inference under Order
// Restrictions", 1972). w must be positive. blocks is scratch space of at
// least len(s) entries; isotonic does not allocate.
func isotonic(s, w []float64, ascending bool, blocks []pavBlock) {
	sign := 1.0
	if !ascending {
		sign = -1
	}
	nb := 0
	for i := range s {
		b := pavBlock{sum: sign * s[i] * w[i], w: w[i], n: 1}
		for nb > 0 && blocks[nb-1].sum*b.w > b.sum*blocks[nb-1].w {
			p := blocks[nb-1]
			b = pavBlock{sum: p.sum + b.sum, w: p.w + b.w, n: p.n + b.n}
			nb--
		}
		blocks[nb] = b
		nb++
	}
	i := 0
	for _, b := range blocks[:nb] {
		v := sign * b.sum / b.w
		for k := 0; k < b.n; k++ {
			s[i] = v
			i++
		}
	}
	// Neighbouring blocks whose means are equal but for rounding may come out
	// one unit in the last place the wrong way round: level them, so that the
	// shape is monotone exactly and not only up to rounding.
	for k := 1; k < len(s); k++ {
		if sign*s[k] < sign*s[k-1] {
			s[k] = s[k-1]
		}
	}
}

// pavBlock is a run of pooled values: their weighted sum and total weight.
type pavBlock struct {
	sum, w float64
	n      int
}
