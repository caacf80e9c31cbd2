package ebm

import (
	"math"
	"math/rand/v2"
	"slices"
)

// binIndex is the type a bag stores its rows' bins in: a byte when every
// feature has at most 256 bins, the common case, else two.
type binIndex interface{ ~uint8 | ~uint16 }

// problem is the training data in fine bins, shared read-only by the bags.
type problem struct {
	feats []*fine
	y     []float64 // 1 = bad
	maxNB int       // most bins of any feature
}

// bagResult is what one bag learned: a table per term (log-odds per bin of a
// feature, or per cell of a pair) and its intercept.
type bagResult struct {
	shapes    [][]float64
	intercept float64
	rounds    int // rounds up to the best validation loss
	// gain is how much the bag's mean validation log-loss fell from its
	// start to its best round (0 when no round improved it), and se the
	// standard error of that mean over the validation rows.
	gain, se float64
}

// rows are one bag's rows and their current predictions.
type rows struct {
	train, val []int     // row numbers, in order
	y, vy      []float64 // outcomes of the training / validation rows
	odds       []float64 // current odds of default of each training row
	// vloss is, for each validation row, the odds of the outcome it did not
	// have: the odds of default for a good, of repayment for a bad, so that
	// its loss is log(1 + vloss).
	vloss []float64
	vbad  []int // 1 for a bad validation row, else 0
}

// newRows draws a bag's stratified split.
func newRows(y []float64, share float64, rng *rand.Rand) *rows {
	r := &rows{}
	r.train, r.val = stratifiedSplit(y, share, rng)
	r.y, r.vy = pickFloat(y, r.train), pickFloat(y, r.val)
	return r
}

// start sets every row's prediction to log-odds logit(i), i its row number.
func (r *rows) start(logit func(i int) float64) {
	r.odds = make([]float64, len(r.train))
	for k, i := range r.train {
		r.odds[k] = math.Exp(logit(i))
	}
	r.vloss, r.vbad = make([]float64, len(r.val)), make([]int, len(r.val))
	for k, i := range r.val {
		r.vloss[k] = math.Exp(logit(i))
		if r.vy[k] > 0.5 {
			r.vloss[k], r.vbad[k] = 1/r.vloss[k], 1
		}
	}
}

// terms are the tables one bag boosts, main effects or pairs: for each term
// the bin (or cell) of every row, and its table now, at the start of the
// round and at the best round.
type terms[T binIndex] struct {
	codes, vcodes       [][]T   // per term: bin of each training / validation row
	counts              [][]int // per term: training rows of the bag per bin
	shapes, start, best [][]float64
	hist                []gh      // per bin: gradient and hessian sums of the term being fitted
	spare               []gh      // gradients' second histogram
	delta               []float64 // per bin: the last change of a table
	factor              []float64 // per bin: e^delta, the factor on the odds not yet applied
	vtab                []float64 // per bin: e^±(a round's change), for the validation rows
	// fit makes one step on term j: it adds the step to shape and writes
	// the change of every bin to delta.
	fit func(j int, hist []gh, counts []int, shape, delta []float64)
}

// newTerms picks the bag's rows out of every term's codes (global row
// order) and sizes the tables, bins[j] for term j.
func newTerms[T binIndex](codes [][]uint16, bins []int, r *rows) *terms[T] {
	d := len(codes)
	most := slices.Max(bins)
	t := &terms[T]{
		codes: make([][]T, d), vcodes: make([][]T, d), counts: make([][]int, d),
		shapes: make([][]float64, d), start: make([][]float64, d), best: make([][]float64, d),
		hist: make([]gh, most), spare: make([]gh, most), delta: make([]float64, most), factor: filled(most, 1), vtab: make([]float64, 2*most),
	}
	for j := range codes {
		t.codes[j] = pick[T](codes[j], r.train)
		t.vcodes[j] = pick[T](codes[j], r.val)
		t.counts[j] = make([]int, bins[j])
		for _, c := range t.codes[j] {
			t.counts[j][c]++
		}
		t.shapes[j] = make([]float64, bins[j])
		t.start[j] = make([]float64, bins[j])
		t.best[j] = make([]float64, bins[j])
	}
	return t
}

// gh is a bin's sums of the gradient (p − y) and hessian p(1 − p) of the
// logistic loss over its rows.
type gh struct{ g, h float64 }

// trainBag boosts the main effects of one bag: rows split by a stratified
// random draw into training and validation, every row starting at the
// training rows' log-odds, then cyclic rounds until the validation loss
// stops improving. Everything random comes from (cfg.Seed, index), so a
// bag's result does not depend on which worker runs it or when.
func trainBag[T binIndex](p *problem, cfg *Config, index int) bagResult {
	r := newRows(p.y, cfg.ValidationShare, rand.New(rand.NewPCG(cfg.Seed, uint64(index))))
	var bads float64
	for _, v := range r.y {
		bads += v
	}
	init := math.Log(bads / (float64(len(r.y)) - bads))
	r.start(func(int) float64 { return init })

	codes, bins := make([][]uint16, len(p.feats)), make([]int, len(p.feats))
	for j, f := range p.feats {
		codes[j], bins[j] = f.codes, f.bins()
	}
	t := newTerms[T](codes, bins, r)
	step := newStepper(cfg, p.maxNB)
	t.fit = func(j int, hist []gh, counts []int, shape, delta []float64) {
		step.fit(p.feats[j], hist, counts, shape, delta)
	}
	rounds, gain, se := boost(r, t, cfg)
	return bagResult{shapes: t.best, intercept: init, rounds: rounds, gain: gain, se: se}
}

// stratifiedSplit draws the validation rows: share of the goods and share of
// the bads (at least one of each, and leaving at least one of each for
// training when there are two). Both lists come back in row order.
func stratifiedSplit(y []float64, share float64, rng *rand.Rand) (train, val []int) {
	goods, bads := make([]int, 0, len(y)), make([]int, 0, len(y))
	train = make([]int, 0, len(y))
	val = make([]int, 0, int(share*float64(len(y)))+2)
	for i, v := range y {
		if v > 0.5 {
			bads = append(bads, i)
		} else {
			goods = append(goods, i)
		}
	}
	for _, class := range [][]int{goods, bads} {
		rng.Shuffle(len(class), func(a, b int) { class[a], class[b] = class[b], class[a] })
		k := int(math.Round(share * float64(len(class))))
		k = max(min(k, len(class)-1), min(1, len(class)-1))
		val = append(val, class[:k]...)
		train = append(train, class[k:]...)
	}
	slices.Sort(train)
	slices.Sort(val)
	return train, val
}

func pick[T binIndex](codes []uint16, rows []int) []T {
	out := make([]T, len(rows))
	for k, i := range rows {
		out[k] = T(codes[i])
	}
	return out
}

func pickFloat(x []float64, rows []int) []float64 {
	out := make([]float64, len(rows))
	for k, i := range rows {
		out[k] = x[i]
	}
	return out
}

// boost runs cyclic rounds over the terms and returns the best round, how
// much the mean validation log-loss fell from the start to it and the
// standard error of that fall over the validation rows (a paired
// difference); the terms' best tables are those of that round. Each step visits one term: a
// single pass over the training rows applies the previous step's change to
// the odds, recomputes each row's gradient and hessian and sums them into
// this term's bins; t.fit then makes the term's Newton step. The validation
// rows are brought up to date once a round.
func boost[T binIndex](r *rows, t *terms[T], cfg *Config) (int, float64, float64) {
	d := len(t.codes)
	prev := 0 // term whose change t.factor holds; all 1 at first
	startV, bestV := slices.Clone(r.vloss), slices.Clone(r.vloss)
	bestLoss, bestRound := logLoss(r.vloss), 0
	for round := 1; round <= cfg.MaxRounds; round++ {
		for j := range d {
			copy(t.start[j], t.shapes[j])
		}
		for j := range d {
			nb := len(t.shapes[j])
			hist := t.hist[:nb]
			clear(hist)
			gradients(r.odds, r.y, t.codes[prev], t.factor, t.codes[j], hist, t.spare)
			delta := t.delta[:nb]
			t.fit(j, hist, t.counts[j], t.shapes[j], delta)
			expInto(t.factor, delta)
			prev = j
		}
		for j := range d {
			// e^±(the round's change of term j), + for goods, − for bads.
			nb := len(t.shapes[j])
			last, e := 0.0, 1.0
			for k, s := range t.shapes[j] {
				if d := s - t.start[j][k]; d != last {
					last, e = d, math.Exp(d)
				}
				t.vtab[k], t.vtab[nb+k] = e, 1/e
			}
			scaleLoss(r.vloss, r.vbad, t.vcodes[j], nb, t.vtab)
		}
		loss := logLoss(r.vloss)
		if loss < bestLoss-cfg.EarlyStoppingTolerance {
			bestLoss, bestRound = loss, round
			for j := range d {
				copy(t.best[j], t.shapes[j])
			}
			copy(bestV, r.vloss)
		} else if round-bestRound >= cfg.EarlyStoppingRounds {
			break
		}
	}
	if bestRound == 0 {
		return 0, 0, 0
	}
	gain, se := pairedFall(startV, bestV)
	return bestRound, gain, se
}

// pairedFall returns the mean over validation rows of the fall of each
// row's log-loss log(1 + vloss) from before to after, and the standard
// error of that mean.
func pairedFall(before, after []float64) (mean, se float64) {
	n := float64(len(before))
	if n < 2 {
		return 0, 0
	}
	var sum, sq float64
	for i, b := range before {
		d := math.Log1p(b) - math.Log1p(after[i])
		sum += d
		sq += d * d
	}
	mean = sum / n
	v := (sq - n*mean*mean) / (n - 1)
	return mean, math.Sqrt(max(v, 0) / n)
}

// expInto sets dst[k] = e^src[k]. A step changes a pair's cells by one of
// at most four leaf values, and most bins of a main effect by the same
// value, so neighbours repeat: the exponential is taken once per run of
// equal values (the same result, a fraction of the calls).
func expInto(dst, src []float64) {
	last, e := 0.0, 1.0
	for k, v := range src {
		if v != last {
			last, e = v, math.Exp(v)
		}
		dst[k] = e
	}
}

// gradients is the inner loop of boosting, one pass over the training rows:
// it multiplies row i's odds of default by factor[prev[i]] (the previous
// step's change of log-odds, exponentiated once per bin rather than once per
// row) and sums the row's gradient p − y and hessian p(1 − p) of the
// logistic loss into hist[cur[i]], where p = odds/(1 + odds). Keeping odds
// rather than log-odds spares an exponential per row, the cost of this loop;
// the rounding error a product of thousands of factors gathers (about 1e-13
// relative) is far below what could change a split.
//
// spare is scratch space of at least len(hist) entries.
//
// It is kept out of line: inlined into boost, it ran out of registers and
// kept its loop counter in memory, a third slower.
//
//go:noinline
func gradients[T binIndex](odds, y []float64, prev []T, factor []float64, cur []T, hist, spare []gh) {
	n := len(odds)
	y = y[:n]
	prev = prev[:n]
	cur = cur[:n]
	// Two rows at a time, the second summed into a spare histogram: two
	// rows falling in the same bin one after the other (common in a bin
	// that holds a tenth of the rows) no longer wait on each other's
	// stores, and the two divisions overlap. 15 % faster on Taiwan's bins.
	h2 := spare[:len(hist)]
	clear(h2)
	i := 0
	for ; i+1 < n; i += 2 {
		o0, o1 := odds[i]*factor[prev[i]], odds[i+1]*factor[prev[i+1]]
		odds[i], odds[i+1] = o0, o1
		q0, q1 := 1/(1+o0), 1/(1+o1) // 1 − p
		p0, p1 := o0*q0, o1*q1
		a, b := &hist[cur[i]], &h2[cur[i+1]]
		a.g += p0 - y[i]
		a.h += p0 * q0
		b.g += p1 - y[i+1]
		b.h += p1 * q1
	}
	for ; i < n; i++ {
		o := odds[i] * factor[prev[i]]
		odds[i] = o
		q := 1 / (1 + o)
		p := o * q
		h := &hist[cur[i]]
		h.g += p - y[i]
		h.h += p * q
	}
	for k := range h2 {
		hist[k].g += h2[k].g
		hist[k].h += h2[k].h
	}
}

// scaleLoss multiplies each validation row's vloss by tab[code] for a good,
// tab[nb+code] for a bad. Out of line for the reason gradients is.
//
//go:noinline
func scaleLoss[T binIndex](vloss []float64, bad []int, codes []T, nb int, tab []float64) {
	bad = bad[:len(vloss)]
	codes = codes[:len(vloss)]
	for i := range vloss {
		vloss[i] *= tab[int(codes[i])+nb*bad[i]]
	}
}

// logLoss is the mean logistic loss Σ log(1 + vloss_i) / n, taken as the
// logarithm of a product so that a row costs a multiplication rather than a
// logarithm; the product is renormalised every 8 rows, which keeps it finite
// for any log-odds within ±80.
func logLoss(vloss []float64) float64 {
	prod, exp2 := 1.0, 0
	for i, r := range vloss {
		prod *= 1 + r
		if i&7 == 7 {
			var e int
			prod, e = math.Frexp(prod)
			exp2 += e
		}
	}
	return (math.Log(prod) + float64(exp2)*math.Ln2) / float64(len(vloss))
}

func filled(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}
