package ebm

import "github.com/opencredit/opencredit/training"

// stepper makes one boosting step on one feature's shape from the sums of
// gradient and hessian in its bins (see docs/ebm.md).
//
// A numeric feature gets a tree of at most MaxLeaves leaves over its value
// bins in order, grown best first with the second-order gain of XGBoost
// (Chen & Guestrin, KDD 2016, eq. 7, without regularisation)
//
//	gain = G_L²/H_L + G_R²/H_R − (G_L+G_R)²/(H_L+H_R),
//
// each leaf moving by LearningRate times its Newton step −G/H. Few leaves and
// a small rate are what keep the shapes of fine bins from chasing noise (Lou
// et al., KDD 2012, §4; InterpretML grows two leaves).
//
// A categorical feature has no order for a tree to follow: every category
// moves by its own Newton step with a ridge penalty, −G/(H + CategoryL2)
// (LightGBM's cat_l2), which shrinks small categories towards the average.
//
// The missing bin is always a leaf of its own. A bin with fewer than
// MinSamplesLeaf training rows of the bag is never a leaf alone.
//
// A monotone feature's shape is projected back onto the monotone shapes
// after every step, by pool-adjacent-violators weighted by the hessian, the
// curvature of the loss in each bin: the nearest monotone shape in the
// metric of the Newton step. So every shape is monotone after every step,
// and so are their average over bags and the points.
type stepper struct {
	cfg    *Config
	cg, ch []float64 // prefix sums of gradient and hessian over the value bins
	cc     []int     // prefix sums of training rows
	leaves []leaf
	w      []float64 // isotonic weights
	blocks []pavBlock
}

// leaf is value bins [a, b), with its best split.
type leaf struct {
	a, b int
	cut  int // first bin of the right part of the best split, or −1
	gain float64
}

func newStepper(cfg *Config, maxBins int) stepper {
	return stepper{
		cfg:    cfg,
		cg:     make([]float64, maxBins+1),
		ch:     make([]float64, maxBins+1),
		cc:     make([]int, maxBins+1),
		leaves: make([]leaf, 0, cfg.MaxLeaves),
		w:      make([]float64, maxBins),
		blocks: make([]pavBlock, maxBins),
	}
}

// fit adds one step to shape and writes the change of every bin to delta.
func (s *stepper) fit(f *fine, hist []gh, counts []int, shape, delta []float64) {
	copy(delta, shape)
	lr := s.cfg.LearningRate
	miss := f.missing()
	if f.ordered() {
		s.tree(hist[:miss], counts[:miss], shape[:miss])
	} else {
		for k := range miss {
			if counts[k] >= s.cfg.MinSamplesLeaf {
				shape[k] += lr * -hist[k].g / (hist[k].h + s.cfg.CategoryL2)
			}
		}
	}
	if counts[miss] >= s.cfg.MinSamplesLeaf {
		shape[miss] += lr * s.newton(hist[miss].g, hist[miss].h)
	}
	if f.trend != "" && miss > 1 {
		w := s.w[:miss]
		for k := range w {
			w[k] = hist[k].h + 1e-12
		}
		isotonic(shape[:miss], w, f.trend == training.Ascending, s.blocks)
	}
	for k := range delta {
		delta[k] = shape[k] - delta[k]
	}
}

// tree grows the step's tree over the ordered value bins and adds it to shape.
func (s *stepper) tree(hist []gh, counts []int, shape []float64) {
	m := len(hist)
	for k := range m {
		s.cg[k+1] = s.cg[k] + hist[k].g
		s.ch[k+1] = s.ch[k] + hist[k].h
		s.cc[k+1] = s.cc[k] + counts[k]
	}
	s.leaves = append(s.leaves[:0], s.split(0, m))
	for len(s.leaves) < s.cfg.MaxLeaves {
		best := -1
		for i, l := range s.leaves {
			if l.cut >= 0 && (best < 0 || l.gain > s.leaves[best].gain) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		l := s.leaves[best]
		s.leaves[best] = s.split(l.a, l.cut)
		s.leaves = append(s.leaves, s.split(l.cut, l.b))
	}
	for _, l := range s.leaves {
		v := s.cfg.LearningRate * s.newton(s.cg[l.b]-s.cg[l.a], s.ch[l.b]-s.ch[l.a])
		for k := l.a; k < l.b; k++ {
			shape[k] += v
		}
	}
}

// newton is a leaf's Newton step −G/H, or 0 when its hessian is too small
// to trust.
func (s *stepper) newton(g, h float64) float64 {
	if h < s.cfg.MinHessian || h <= 0 {
		return 0
	}
	return -g / h
}

// split returns bins [a, b) as a leaf with its best split: both sides with
// at least MinSamplesLeaf rows and MinHessian, and a positive gain.
func (s *stepper) split(a, b int) leaf {
	l := leaf{a: a, b: b, cut: -1}
	G, H := s.cg[b]-s.cg[a], s.ch[b]-s.ch[a]
	if H <= 0 {
		return l
	}
	parent := G * G / H
	minN, minH := s.cfg.MinSamplesLeaf, s.cfg.MinHessian
	for t := a + 1; t < b; t++ {
		if s.cc[t]-s.cc[a] < minN {
			continue
		}
		if s.cc[b]-s.cc[t] < minN {
			break
		}
		hl := s.ch[t] - s.ch[a]
		hr := H - hl
		if hl < minH || hr < minH || hl <= 0 || hr <= 0 {
			continue
		}
		gl := s.cg[t] - s.cg[a]
		if g := gl*gl/hl + (G-gl)*(G-gl)/hr - parent; g > l.gain {
			l.gain, l.cut = g, t
		}
	}
	return l
}
