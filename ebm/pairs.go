package ebm

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/training"
)

// Pairwise interactions (GA²M: Lou, Caruana, Gehrke & Hooker, "Accurate
// intelligible models with pairwise interactions", KDD 2013). After the
// main effects are averaged over bags, FAST ranks every pair of features by
// how much a 2×2 split of their grid would improve the logistic loss of the
// main-effects model, the top Interactions pairs are boosted on top of it,
// bag by bag as the main effects were, and averaged.

// axis is a feature's fine bins grouped into the coarse bins of a pair's
// axis: at most MaxInteractionBins, the missing bin last.
type axis struct {
	of   []uint16 // fine bin → coarse bin
	n    int      // coarse bins
	bins []model.Bin
}

// coarsen groups f's fine bins: neighbouring value bins into nearly equal
// shares of the rows (groupRuns), or the most frequent categories kept and
// the rest sent to the other bin.
func coarsen(f *fine, maxBins int) *axis {
	miss := f.missing()
	a := &axis{of: make([]uint16, f.bins())}
	fb := f.feature.Bins
	if f.ordered() {
		starts := append(groupRuns(f.counts[:miss], maxBins-1), miss)
		for g := 0; g+1 < len(starts); g++ {
			lo, hi := starts[g], starts[g+1]
			for k := lo; k < hi; k++ {
				a.of[k] = uint16(g)
			}
			a.bins = append(a.bins, model.Bin{Lower: fb[lo].Lower, Upper: fb[hi-1].Upper})
		}
	} else {
		own := make([]int, miss-1) // the categories' fine bins; miss−1 is the other bin
		for k := range own {
			own[k] = k
		}
		slices.SortStableFunc(own, func(x, y int) int { return cmp.Compare(f.counts[y], f.counts[x]) })
		own = own[:min(len(own), maxBins-2)]
		slices.Sort(own)
		other := len(own)
		for k := range miss {
			a.of[k] = uint16(other)
		}
		for g, k := range own {
			a.of[k] = uint16(g)
			a.bins = append(a.bins, model.Bin{Categories: fb[k].Categories})
		}
		ob := model.Bin{Other: true}
		for k := range miss {
			if int(a.of[k]) == other {
				ob.Categories = append(ob.Categories, fb[k].Categories...)
			}
		}
		slices.Sort(ob.Categories)
		a.bins = append(a.bins, ob)
	}
	a.of[miss] = uint16(len(a.bins))
	a.bins = append(a.bins, model.Bin{Missing: true})
	a.n = len(a.bins)
	return a
}

// pairTerm is one selected pair: features a < b, their axes and the cell of
// every training row (coarse bin of a × bins of b + coarse bin of b).
type pairTerm struct {
	a, b   int
	x, y   *axis
	codes  []uint16
	counts []int  // training rows per cell
	trend  string // monotone constraint along the first axis (x), the second (y), or none
	along  int    // 0: the constraint is along x, 1: along y
}

func (t *pairTerm) cells() int { return t.x.n * t.y.n }

// newPairTerm prepares the pair of features a and b, at most one of them
// held monotone.
func newPairTerm(p *problem, axes []*axis, a, b int) *pairTerm {
	fa, fb := p.feats[a], p.feats[b]
	t := &pairTerm{a: a, b: b, x: axes[a], y: axes[b], trend: fa.trend}
	if fb.trend != "" {
		t.trend, t.along = fb.trend, 1
	}
	t.codes = make([]uint16, len(p.y))
	t.counts = make([]int, t.cells())
	for i := range t.codes {
		c := int(t.x.of[fa.codes[i]])*t.y.n + int(t.y.of[fb.codes[i]])
		t.codes[i] = uint16(c)
		t.counts[c]++
	}
	return t
}

// selectPairs ranks the candidate pairs with FAST (Lou et al. 2013, §4.1)
// on the gradients and hessians of the main-effects model, whose log-odds
// for row i is logit[i], and returns the best cfg.Interactions of those
// whose best 2×2 split improves the loss at all.
func selectPairs(p *problem, cfg *Config, logit []float64, workers int) []*pairTerm {
	axes := make([]*axis, len(p.feats))
	for j, f := range p.feats {
		axes[j] = coarsen(f, cfg.MaxInteractionBins)
	}
	g, h := make([]float64, len(p.y)), make([]float64, len(p.y))
	for i, l := range logit {
		pr := 1 / (1 + math.Exp(-l))
		g[i], h[i] = pr-p.y[i], pr*(1-pr)
	}
	// A pair of two monotone features would need its table monotone along
	// both axes at once, and a pair with a person's age could undo the age
	// rule that policy.CheckAge enforces on the main effect: neither is a
	// candidate.
	age := func(j int) bool { return slices.Contains(cfg.AgeColumns, p.feats[j].feature.Name) }
	var cands [][2]int
	for a := range p.feats {
		for b := a + 1; b < len(p.feats); b++ {
			if (p.feats[a].trend == "" || p.feats[b].trend == "") && !age(a) && !age(b) {
				cands = append(cands, [2]int{a, b})
			}
		}
	}
	gains := make([]float64, len(cands))
	parallel(len(cands), workers, func(c int) {
		gains[c] = fastGain(p, axes, cands[c], g, h, cfg)
	})
	order := make([]int, len(cands))
	for c := range order {
		order[c] = c
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(gains[y], gains[x]) })
	var out []*pairTerm
	for _, c := range order {
		if len(out) == cfg.Interactions || !(gains[c] > 0) {
			break
		}
		out = append(out, newPairTerm(p, axes, cands[c][0], cands[c][1]))
	}
	return out
}

// fastGain is FAST's score of a pair: the largest improvement of the
// second-order loss that one cut on each axis (four quadrants, each with at
// least MinSamplesLeaf rows and MinHessian) gives over the whole grid,
// Σ_q G_q²/H_q − G²/H. Two-dimensional prefix sums make every cut O(1).
func fastGain(p *problem, axes []*axis, pair [2]int, g, h []float64, cfg *Config) float64 {
	fa, fb := p.feats[pair[0]], p.feats[pair[1]]
	x, y := axes[pair[0]], axes[pair[1]]
	nx, ny := x.n, y.n
	// cum[(i)(ny+1)+j] sums the cells [0, i) × [0, j).
	cg := make([]float64, (nx+1)*(ny+1))
	ch := make([]float64, len(cg))
	cc := make([]int, len(cg))
	for i := range g {
		k := (int(x.of[fa.codes[i]])+1)*(ny+1) + int(y.of[fb.codes[i]]) + 1
		cg[k] += g[i]
		ch[k] += h[i]
		cc[k]++
	}
	for i := 1; i <= nx; i++ {
		for j := 1; j <= ny; j++ {
			k := i*(ny+1) + j
			up, left, diag := k-(ny+1), k-1, k-(ny+1)-1
			cg[k] += cg[up] + cg[left] - cg[diag]
			ch[k] += ch[up] + ch[left] - ch[diag]
			cc[k] += cc[up] + cc[left] - cc[diag]
		}
	}
	rect := func(i0, i1, j0, j1 int) (float64, float64, int) {
		a, b, c, d := i1*(ny+1)+j1, i0*(ny+1)+j1, i1*(ny+1)+j0, i0*(ny+1)+j0
		return cg[a] - cg[b] - cg[c] + cg[d], ch[a] - ch[b] - ch[c] + ch[d], cc[a] - cc[b] - cc[c] + cc[d]
	}
	G, H, _ := rect(0, nx, 0, ny)
	if H <= 0 {
		return 0
	}
	best := 0.0
	for i := 1; i < nx; i++ {
		for j := 1; j < ny; j++ {
			var sum float64
			ok := true
			for _, q := range [4][4]int{{0, i, 0, j}, {0, i, j, ny}, {i, nx, 0, j}, {i, nx, j, ny}} {
				qg, qh, qc := rect(q[0], q[1], q[2], q[3])
				if qc < cfg.MinSamplesLeaf || qh < cfg.MinHessian || qh <= 0 {
					ok = false
					break
				}
				sum += qg * qg / qh
			}
			if ok {
				best = max(best, sum-G*G/H)
			}
		}
	}
	return best
}

// trainPairBag boosts the pairs in one bag, row i starting at log-odds
// logit[i]. Bag k draws the same split as the main effects' bag k.
func trainPairBag(p *problem, pairs []*pairTerm, logit []float64, cfg *Config, index int) bagResult {
	r := newRows(p.y, cfg.ValidationShare, rand.New(rand.NewPCG(cfg.Seed, uint64(index))))
	r.start(func(i int) float64 { return logit[i] })
	codes, cells := make([][]uint16, len(pairs)), make([]int, len(pairs))
	for k, t := range pairs {
		codes[k], cells[k] = t.codes, t.cells()
	}
	t := newTerms[uint16](codes, cells, r)
	grid := newGridStepper(cfg, slices.Max(cells))
	t.fit = func(j int, hist []gh, counts []int, table, delta []float64) {
		grid.fit(pairs[j], hist, counts, table, delta)
	}
	rounds, gain, se := boost(r, t, cfg)
	return bagResult{shapes: t.best, rounds: rounds, gain: gain, se: se}
}

// pairGrowth is what growPairs kept: the pairs, every bag's tables of them,
// how many waves were kept, and for each wave tried the bags' mean
// validation gain and its standard error.
type pairGrowth struct {
	pairs      []*pairTerm
	bags       []bagResult // shapes: one table per kept pair
	kept       int
	gains, ses []float64
	rounds     float64 // boosting rounds of the kept waves, mean over bags
}

// growPairs boosts the ranked pairs on top of the main effects (row i at
// log-odds logit[i]) in waves of cfg.InteractionWave, best ranked first.
// Each wave starts, in every bag, where the waves kept before it left that
// bag's rows, and is judged on the bag's own validation rows, those that
// stop its boosting early: the fall of each row's log-loss from the wave's
// start to its best round is a paired difference, and the wave is kept
// when the bags' mean fall is above cfg.WaveZ standard errors of that
// mean. The first wave, FAST's best pairs, is always kept; the first later
// wave that is not kept ends the growth. So the data chooses
// how many pairs the model holds, up to cfg.Interactions, at about the cost
// of training the pairs kept plus one wave. With a wave of 0 every ranked
// pair is boosted at once and kept, a fixed number of pairs.
func growPairs(p *problem, ranked []*pairTerm, logit []float64, cfg *Config, workers int) pairGrowth {
	var g pairGrowth
	if len(ranked) == 0 {
		return g
	}
	wave := cfg.InteractionWave
	if wave <= 0 {
		wave = len(ranked)
	}
	start := make([][]float64, cfg.Bags)
	for k := range start {
		start[k] = slices.Clone(logit)
	}
	g.bags = make([]bagResult, cfg.Bags)
	for lo := 0; lo < len(ranked); lo += wave {
		batch := ranked[lo:min(lo+wave, len(ranked))]
		res := make([]bagResult, cfg.Bags)
		parallel(cfg.Bags, workers, func(k int) { res[k] = trainPairBag(p, batch, start[k], cfg, k) })
		// The bags' validation rows are independent draws, so the standard
		// error of the bags' mean fall is √(Σ se²) / bags.
		var gain, se, rounds float64
		for _, b := range res {
			gain += b.gain / float64(cfg.Bags)
			se += b.se * b.se
			rounds += float64(b.rounds) / float64(cfg.Bags)
		}
		se = math.Sqrt(se) / float64(cfg.Bags)
		g.gains, g.ses = append(g.gains, gain), append(g.ses, se)
		if lo > 0 && !(gain > cfg.WaveZ*se) {
			break
		}
		g.kept++
		g.rounds += rounds
		g.pairs = append(g.pairs, batch...)
		for k, b := range res {
			g.bags[k].shapes = append(g.bags[k].shapes, b.shapes...)
			for j, t := range batch {
				for i, c := range t.codes {
					start[k][i] += b.shapes[j][c]
				}
			}
		}
	}
	return g
}

// gridStepper makes one boosting step on a pair's table: a tree of four
// leaves at most, one cut on one axis and then one cut on the other axis in
// each half (InterpretML's interaction trees), the better of the two axis
// orders by the gain of stepper, each leaf moving by LearningRate times its
// Newton step. A pair with a monotone feature is then projected, line by
// line along that feature's axis, onto the monotone lines, as a main effect
// is, so that the feature's main effect plus the pair stays monotone.
type gridStepper struct {
	cfg        *Config
	top, all   []gh // per line of the inner axis: sums over the lower half of the first cut, and over all
	topC, allC []int
	w, line    []float64
	blocks     []pavBlock
}

func newGridStepper(cfg *Config, cells int) *gridStepper {
	n := cells + 1
	return &gridStepper{
		cfg: cfg, top: make([]gh, n), all: make([]gh, n), topC: make([]int, n), allC: make([]int, n),
		w: make([]float64, n), line: make([]float64, n), blocks: make([]pavBlock, n),
	}
}

// grid addresses a pair's cells from an outer and an inner axis: cell
// (i, j) is at i·outer + j·inner (outer ny and inner 1 read the table by
// rows, outer 1 and inner ny by columns). A pair of strides rather than a
// function, so that the cell loops need no call per cell.
type grid struct{ outer, inner int }

func (g grid) cell(i, j int) int { return i*g.outer + j*g.inner }

// gridCut is a tree found by cut: the first cut at position first of the
// outer axis, then cuts second[0] and second[1] (−1: none) of the inner axis
// in the lower and upper half.
type gridCut struct {
	gain   float64
	first  int
	second [2]int
}

func (s *gridStepper) fit(t *pairTerm, hist []gh, counts []int, table, delta []float64) {
	copy(delta, table)
	nx, ny := t.x.n, t.y.n
	byRow, byCol := grid{ny, 1}, grid{1, ny}
	a := s.cut(hist, counts, nx, ny, byRow)
	b := s.cut(hist, counts, ny, nx, byCol)
	switch {
	case a.first < 0 && b.first < 0:
		s.leaf(hist, table, 0, nx, 0, ny, byRow)
	case a.first >= 0 && (b.first < 0 || a.gain >= b.gain):
		s.apply(hist, table, a, nx, ny, byRow)
	default:
		s.apply(hist, table, b, ny, nx, byCol)
	}
	if t.trend != "" {
		s.monotone(t, hist, table)
	}
	for k := range delta {
		delta[k] = table[k] - delta[k]
	}
}

// cut finds the best tree whose first cut is on the outer axis (n positions)
// and whose second cuts are on the inner axis (m positions); at.cell(i, j) is the
// cell at outer i, inner j.
func (s *gridStepper) cut(hist []gh, counts []int, n, m int, at grid) gridCut {
	best := gridCut{first: -1}
	top, all, topC, allC := s.top[:m], s.all[:m], s.topC[:m], s.allC[:m]
	clear(top)
	clear(all)
	clear(topC)
	clear(allC)
	var G, H float64
	for i := range n {
		for j := range m {
			c := at.cell(i, j)
			all[j].g += hist[c].g
			all[j].h += hist[c].h
			allC[j] += counts[c]
			G, H = G+hist[c].g, H+hist[c].h
		}
	}
	if H <= 0 {
		return best
	}
	parent := G * G / H
	for i := 1; i < n; i++ {
		for j := range m {
			c := at.cell(i-1, j)
			top[j].g += hist[c].g
			top[j].h += hist[c].h
			topC[j] += counts[c]
		}
		lo, loCut, ok1 := s.line1D(top, topC, nil, nil)
		hi, hiCut, ok2 := s.line1D(all, allC, top, topC)
		if !ok1 || !ok2 {
			continue
		}
		if g := lo + hi - parent; g > best.gain {
			best = gridCut{gain: g, first: i, second: [2]int{loCut, hiCut}}
		}
	}
	return best
}

// line1D returns the best score Σ G²/H of a half, lines sums (minus sub
// when given), left whole or cut once, and where it is cut (−1: not cut);
// ok is false when the half itself is too small to be a leaf.
func (s *gridStepper) line1D(sums []gh, counts []int, sub []gh, subC []int) (float64, int, bool) {
	var G, H float64
	var C int
	for j := range sums {
		G, H, C = G+sums[j].g, H+sums[j].h, C+counts[j]
		if sub != nil {
			G, H, C = G-sub[j].g, H-sub[j].h, C-subC[j]
		}
	}
	minN, minH := s.cfg.MinSamplesLeaf, s.cfg.MinHessian
	if C < minN || H < minH || H <= 0 {
		return 0, -1, false
	}
	best, cut := G*G/H, -1
	var gl, hl float64
	var cl int
	for j := 0; j+1 < len(sums); j++ {
		gl, hl, cl = gl+sums[j].g, hl+sums[j].h, cl+counts[j]
		if sub != nil {
			gl, hl, cl = gl-sub[j].g, hl-sub[j].h, cl-subC[j]
		}
		gr, hr, cr := G-gl, H-hl, C-cl
		if cl < minN || cr < minN || hl < minH || hr < minH || hl <= 0 || hr <= 0 {
			continue
		}
		if v := gl*gl/hl + gr*gr/hr; v > best {
			best, cut = v, j+1
		}
	}
	return best, cut, true
}

// apply adds the tree c to table.
func (s *gridStepper) apply(hist []gh, table []float64, c gridCut, n, m int, at grid) {
	for half, rows := range [2][2]int{{0, c.first}, {c.first, n}} {
		if cut := c.second[half]; cut >= 0 {
			s.leaf(hist, table, rows[0], rows[1], 0, cut, at)
			s.leaf(hist, table, rows[0], rows[1], cut, m, at)
		} else {
			s.leaf(hist, table, rows[0], rows[1], 0, m, at)
		}
	}
}

// leaf moves the cells [i0, i1) × [j0, j1) by LearningRate times their
// Newton step.
func (s *gridStepper) leaf(hist []gh, table []float64, i0, i1, j0, j1 int, at grid) {
	var G, H float64
	for i := i0; i < i1; i++ {
		for j := j0; j < j1; j++ {
			c := at.cell(i, j)
			G, H = G+hist[c].g, H+hist[c].h
		}
	}
	if H < s.cfg.MinHessian || H <= 0 {
		return
	}
	v := -s.cfg.LearningRate * G / H
	for i := i0; i < i1; i++ {
		for j := j0; j < j1; j++ {
			table[at.cell(i, j)] += v
		}
	}
}

// monotone projects every line of table along the constrained axis onto
// the monotone lines (value bins only; the missing bin is last).
func (s *gridStepper) monotone(t *pairTerm, hist []gh, table []float64) {
	nx, ny := t.x.n, t.y.n
	lines, length := ny, nx-1 // along x: one line per bin of y, over x's value bins
	at := grid{1, ny}         // cell (line, k)
	if t.along == 1 {
		lines, length = nx, ny-1
		at = grid{ny, 1}
	}
	if length < 2 {
		return
	}
	v, w := s.line[:length], s.w[:length]
	for l := range lines {
		for k := range length {
			c := at.cell(l, k)
			v[k], w[k] = table[c], hist[c].h+1e-12
		}
		isotonic(v, w, t.trend == training.Ascending, s.blocks)
		for k := range length {
			table[at.cell(l, k)] = v[k]
		}
	}
}
