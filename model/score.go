package model

import (
	"fmt"
	"math"
	"slices"

	"github.com/opencredit/opencredit"
)

// MaxReasons is how many principal reasons a result carries (ECOA Reg. B
// commentary: more than four reasons is not meaningful to an applicant).
const MaxReasons = 4

// Value is one input value for one feature. A numeric value is missing when
// Missing is set or Num is NaN; a categorical value when Missing is set.
type Value struct {
	Num     float64
	Str     string
	Missing bool
}

// Num returns a numeric Value; NaN is missing.
func Num(x float64) Value { return Value{Num: x, Missing: math.IsNaN(x)} }

// Cat returns a categorical Value.
func Cat(s string) Value { return Value{Str: s} }

// MissingValue returns a missing Value.
func MissingValue() Value { return Value{Missing: true, Num: math.NaN()} }

// Reason is one principal reason for a score: a feature on which points were lost.
type Reason struct {
	Code       string `json:"code"`
	Feature    string `json:"feature"`
	Text       string `json:"text"`
	PointsLost int    `json:"points_lost"`
}

// DimensionScore is a 0–100 sub-score: the share of the dimension's available
// points the person earned.
type DimensionScore struct {
	Dimension string  `json:"dimension"`
	Score     float64 `json:"score"`
	Earned    int     `json:"earned"`
	Max       int     `json:"max"`
}

// Result is a scored row.
type Result struct {
	Score      int              `json:"score"`
	Band       string           `json:"band"`
	PD         float64          `json:"probability_of_default"`
	Bins       []int            `json:"-"` // bin index per feature
	Points     []int            `json:"-"` // points per feature
	PairCells  [][2]int         `json:"-"` // cell per pair: bin of each axis
	PairPoints []int            `json:"-"` // points per pair
	Reasons    []Reason         `json:"reasons"`
	Dimensions []DimensionScore `json:"dimensions"`
}

type featureIndex struct {
	cuts    []float64      // numeric: upper bounds of the non-missing bins in order, last omitted
	bins    []int          // numeric: bin index of each interval
	cats    map[string]int // categorical: category → bin
	missing int
	other   int // categorical: bin for unseen categories
	max     int // maximum points
	min     int // minimum points
	dim     int // index into dims, -1 if unassigned
}

// Prepared reports whether Prepare has validated the model and built its
// lookup tables, so that it can score; it never changes the model, so a
// model in service may be asked.
func (m *Model) Prepared() bool { return m.index != nil }

// Prepare validates the model and builds its lookup tables. Load calls it; a
// trainer that builds a Model in memory must call it before scoring.
func (m *Model) Prepare() error {
	if err := m.validate(); err != nil {
		return err
	}
	m.dims = m.dimensionOrder()
	m.index = make([]featureIndex, len(m.Features))
	for j := range m.Features {
		f := &m.Features[j]
		m.index[j] = newFeatureIndex(f)
		m.index[j].max, m.index[j].min, m.index[j].dim = f.MaxPoints(), f.MinPoints(), m.dimIndex(f.Dimension)
	}
	m.preparePairs()
	m.prepareDerived()
	return nil
}

// newFeatureIndex builds the lookup that sends a value to one of f's bins.
func newFeatureIndex(f *Feature) featureIndex {
	ix := featureIndex{missing: f.MissingBin(), other: -1, dim: -1}
	switch f.Kind {
	case Numeric:
		order := numericOrder(f)
		for k, bi := range order {
			ix.bins = append(ix.bins, bi)
			if k < len(order)-1 {
				ix.cuts = append(ix.cuts, *f.Bins[bi].Upper)
			}
		}
	case Categorical:
		ix.cats = map[string]int{}
		for bi, b := range f.Bins {
			for _, c := range b.Categories {
				ix.cats[c] = bi
			}
			if b.Other {
				ix.other = bi
			}
		}
		if ix.other < 0 {
			ix.other = ix.missing
		}
	}
	return ix
}

// dimIndex returns the index of dimension d in m.dims, or −1.
func (m *Model) dimIndex(d string) int {
	for i, name := range m.dims {
		if name == d {
			return i
		}
	}
	return -1
}

// dimensionOrder lists the dimensions the model's features use, in the brief's order.
func (m *Model) dimensionOrder() []string {
	var out []string
	for _, d := range opencredit.Dimensions {
		used := slices.ContainsFunc(m.Features, func(f Feature) bool { return f.Dimension == string(d) }) ||
			slices.ContainsFunc(m.Pairs, func(p Pair) bool { return p.Dimension == string(d) })
		if used {
			out = append(out, string(d))
		}
	}
	return out
}

// BinOf returns the index of the bin of feature j that v falls in.
func (m *Model) BinOf(j int, v Value) int { return m.index[j].bin(v) }

// bin returns the bin that v falls in.
func (ix *featureIndex) bin(v Value) int {
	if v.Missing {
		return ix.missing
	}
	if ix.cats != nil {
		if b, ok := ix.cats[v.Str]; ok {
			return b
		}
		return ix.other
	}
	if math.IsNaN(v.Num) {
		return ix.missing
	}
	k := 0
	for k < len(ix.cuts) && v.Num >= ix.cuts[k] {
		k++
	}
	return ix.bins[k]
}

// Score scores one row: row[j] is the value of m.Features[j].
func (m *Model) Score(row []Value) (Result, error) {
	var r Result
	err := m.ScoreInto(row, &r)
	return r, err
}

// ScoreInto scores one row into r, reusing r's slices so that scoring many rows
// does not allocate.
func (m *Model) ScoreInto(row []Value, r *Result) error {
	if m.index == nil {
		return opencredit.Errorf(opencredit.EINTERNAL, "model: Prepare was not called")
	}
	if len(row) != len(m.Features) {
		return opencredit.Errorf(opencredit.EINVALID, "model: row has %d values, model has %d features", len(row), len(m.Features))
	}
	n := len(m.Features)
	r.Bins = resize(r.Bins, n)
	r.Points = resize(r.Points, n)
	total := m.BasePoints
	logit := m.Intercept
	for j := range m.Features {
		b := m.BinOf(j, row[j])
		bin := &m.Features[j].Bins[b]
		r.Bins[j] = b
		r.Points[j] = bin.Points
		total += bin.Points
		logit += bin.Logit
	}
	r.PairCells = resizeCells(r.PairCells, len(m.Pairs))
	r.PairPoints = resize(r.PairPoints, len(m.Pairs))
	for p := range m.Pairs {
		px := &m.pairs[p]
		a, b := px.axes[0].bin(row[px.feature[0]]), px.axes[1].bin(row[px.feature[1]])
		r.PairCells[p] = [2]int{a, b}
		r.PairPoints[p] = m.Pairs[p].Points[a][b]
		total += r.PairPoints[p]
		logit += m.Pairs[p].Logit[a][b]
	}
	r.Score = min(max(total, m.Scaling.Min), m.Scaling.Max)
	r.Band = opencredit.BandOf(m.Bands, r.Score)
	r.PD = 1 / (1 + math.Exp(-logit))
	r.Reasons = m.reasons(r, r.Reasons[:0])
	r.Dimensions = m.dimensions(r, r.Dimensions[:0])
	return nil
}

// reasons appends up to MaxReasons reasons: the features and pairs with the
// most points lost, ties broken by feature order and features before pairs,
// those that lost nothing left out. Term t is feature t, or pair
// t − len(m.Features).
func (m *Model) reasons(r *Result, dst []Reason) []Reason {
	var taken [MaxReasons]int
	nf := len(m.Features)
	for k := 0; k < MaxReasons; k++ {
		best, bestLost := -1, 0
		for t := 0; t < nf+len(m.Pairs); t++ {
			var lost int
			if t < nf {
				lost = m.index[t].max - r.Points[t]
			} else {
				lost = m.pairs[t-nf].max - r.PairPoints[t-nf]
			}
			if lost <= bestLost || contains(taken[:k], t) {
				continue
			}
			best, bestLost = t, lost
		}
		if best < 0 {
			break
		}
		taken[k] = best
		if best < nf {
			f := &m.Features[best]
			dst = append(dst, Reason{Code: f.ReasonCode, Feature: f.Name, Text: f.Bins[r.Bins[best]].Text, PointsLost: bestLost})
			continue
		}
		dst = append(dst, m.PairReason(r, best-nf))
	}
	return dst
}

func (m *Model) dimensions(r *Result, dst []DimensionScore) []DimensionScore {
	for _, name := range m.dims {
		dst = append(dst, DimensionScore{Dimension: name})
	}
	add := func(dim, points, lo, hi int) {
		if dim >= 0 {
			dst[dim].Earned += points - lo
			dst[dim].Max += hi - lo
		}
	}
	for j := range m.Features {
		ix := &m.index[j]
		add(ix.dim, r.Points[j], ix.min, ix.max)
	}
	for p := range m.Pairs {
		px := &m.pairs[p]
		add(px.dim, r.PairPoints[p], px.min, px.max)
	}
	for i := range dst {
		if dst[i].Max > 0 {
			dst[i].Score = math.Round(1000*float64(dst[i].Earned)/float64(dst[i].Max)) / 10
		} else {
			dst[i].Score = 100
		}
	}
	return dst
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func resizeCells(s [][2]int, n int) [][2]int {
	if cap(s) >= n {
		return s[:n]
	}
	return make([][2]int, n)
}

func resize(s []int, n int) []int {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]int, n)
}

// BinLabel describes bin b of f compactly, as in a scorecard table: "[12, 24)",
// "A11, A12", "missing".
func (f *Feature) BinLabel(b int) string {
	bin := &f.Bins[b]
	switch {
	case bin.Missing && len(bin.Categories) == 0 && bin.Lower == nil && bin.Upper == nil:
		return "missing"
	case f.Kind == Categorical:
		s := joinCats(bin.Categories, 6)
		if bin.Other {
			if s != "" {
				s += ", "
			}
			s += "other"
		}
		if bin.Missing {
			s += ", missing"
		}
		return s
	}
	lo, hi := "-inf", "+inf"
	if bin.Lower != nil {
		lo = fmtNum(*bin.Lower)
	}
	if bin.Upper != nil {
		hi = fmtNum(*bin.Upper)
	}
	return "[" + lo + ", " + hi + ")"
}

func joinCats(cs []string, most int) string {
	s := ""
	for i, c := range cs {
		if i == most {
			return s + fmt.Sprintf(", … (%d more)", len(cs)-most)
		}
		if i > 0 {
			s += ", "
		}
		s += c
	}
	return s
}
