package model

import (
	"math"
)

// Improvement is what would most raise a score on one reason's feature: the
// bin of that feature which, all else unchanged, gains the most points, and
// how many. Target is a value inside that bin, for a what-if calculation.
type Improvement struct {
	Feature string // the feature's name
	Code    string // the reason code of the reason it answers
	FromBin int    // the person's bin now
	ToBin   int    // the bin that gains the most
	ToText  string // the target bin's plain-language text
	Target  Value  // a value in the target bin
	Gain    int    // points gained, before the score is clipped to the scale
}

// Improvements returns, for each reason of r that names one of m's
// features, the change of that feature's bin that gains the most points,
// counting the feature's own points and those of every pair it is in (the
// other feature of a pair keeping its bin). Of several bins that gain as
// much, the one nearest the person's bin is taken: the smallest change that
// does it. The missing bin is never a target: "no data" is not something a
// person can aim for. A reason whose feature has no bin gaining a point, and
// a pair's reason, get no improvement. r must be m's result.
func (m *Model) Improvements(r Result) []Improvement { return m.ImprovementsToward(r, nil) }

// ImprovementsToward is Improvements among the bins allowed(feature,
// value in the bin) accepts (nil: all): a caller that must never suggest
// a change against a feature's sense (owing more) gets the best change in
// the feature's own direction, when one gains points, rather than none.
func (m *Model) ImprovementsToward(r Result, allowed func(feature string, target Value) bool) []Improvement {
	var out []Improvement
	for _, rs := range r.Reasons {
		j := m.featureByName(rs.Feature)
		if j < 0 || j >= len(r.Bins) {
			continue
		}
		f := &m.Features[j]
		cur := r.Bins[j]
		best, bestGain, bestDist := -1, 0, 0
		for b := range f.Bins {
			if b == cur || f.Bins[b].Missing {
				continue
			}
			v := binValue(f, b)
			if allowed != nil && !allowed(f.Name, v) {
				continue
			}
			gain := f.Bins[b].Points - r.Points[j] + m.pairGain(r, j, v)
			dist := m.binDistance(j, cur, b)
			if gain > bestGain || (gain == bestGain && best >= 0 && dist < bestDist) {
				best, bestGain, bestDist = b, gain, dist
			}
		}
		if best < 0 {
			continue
		}
		out = append(out, Improvement{Feature: f.Name, Code: rs.Code, FromBin: cur, ToBin: best,
			ToText: f.Bins[best].Text, Target: binValue(f, best), Gain: bestGain})
	}
	return out
}

// pairGain is the change in the points of every pair holding feature j when
// j's value becomes v and the pair's other feature keeps its bin.
func (m *Model) pairGain(r Result, j int, v Value) int {
	gain := 0
	for p := range m.Pairs {
		px := &m.pairs[p]
		for k := range px.feature {
			if px.feature[k] != j {
				continue
			}
			cell := r.PairCells[p]
			cell[k] = px.axes[k].bin(v)
			gain += m.Pairs[p].Points[cell[0]][cell[1]] - r.PairPoints[p]
		}
	}
	return gain
}

// binDistance is how far apart bins a and b of feature j lie: positions in
// the ordered bins of a numeric feature, 1 for any two categorical bins.
func (m *Model) binDistance(j, a, b int) int {
	ix := &m.index[j]
	if ix.cats != nil {
		return 1
	}
	pos := func(bin int) int {
		for k, x := range ix.bins {
			if x == bin {
				return k
			}
		}
		return -1
	}
	if pos(a) < 0 { // from the missing bin, every bin is one change away
		return 1
	}
	d := pos(a) - pos(b)
	if d < 0 {
		d = -d
	}
	return d
}

// binValue returns a value inside bin b of f: its lower bound, or just below
// its upper bound when it is open below (a whole number below it for an
// integer feature), a category of it, or missing.
func binValue(f *Feature, b int) Value {
	bin := &f.Bins[b]
	switch {
	case f.Kind == Categorical && len(bin.Categories) > 0:
		return Cat(bin.Categories[0])
	case f.Kind == Categorical && bin.Other:
		return Cat("\x00other") // no training category; Other receives it
	case f.Kind == Categorical, bin.Missing && bin.Lower == nil && bin.Upper == nil:
		return MissingValue()
	case bin.Lower != nil:
		return Num(*bin.Lower)
	case bin.Upper != nil && f.Integer:
		return Num(ceilMinusOne(*bin.Upper))
	case bin.Upper != nil:
		return Num(math.Nextafter(*bin.Upper, math.Inf(-1)))
	}
	return Num(0)
}
