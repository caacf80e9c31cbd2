package model

import (
	"fmt"
	"math"

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

// Prepare validates the model and builds its lookup tables. Load calls it; a
// trainer that builds a Model in memory must call it before scoring.
func (m *Model) Prepare() error {
	if err := m.validate(); err != nil {
		return err
	}
	dims := m.dimensionOrder()
	m.dims = dims
	m.index = make([]featureIndex, len(m.Features))
	for j := range m.Features {
		f := &m.Features[j]
		ix := featureIndex{missing: f.MissingBin(), other: -1, max: f.MaxPoints(), min: f.MinPoints(), dim: -1}
		for d, name := range dims {
			if name == f.Dimension {
				ix.dim = d
			}
		}
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
		m.index[j] = ix
	}
	return nil
}

// dimensionOrder lists the dimensions the model's features use, in the brief's order.
func (m *Model) dimensionOrder() []string {
	var out []string
	for _, d := range opencredit.Dimensions {
		for _, f := range m.Features {
			if f.Dimension == string(d) {
				out = append(out, string(d))
				break
			}
		}
	}
	return out
}

// BinOf returns the index of the bin of feature j that v falls in.
func (m *Model) BinOf(j int, v Value) int {
	ix := &m.index[j]
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
	r.Score = min(max(total, m.Scaling.Min), m.Scaling.Max)
	r.Band = opencredit.BandOf(m.Bands, r.Score)
	r.PD = 1 / (1 + math.Exp(-logit))
	r.Reasons = m.reasons(r.Points, r.Bins, r.Reasons[:0])
	r.Dimensions = m.dimensions(r.Points, r.Dimensions[:0])
	return nil
}

// reasons appends up to MaxReasons reasons: the features with the most points
// lost, ties broken by feature order, features that lost nothing left out.
func (m *Model) reasons(points, bins []int, dst []Reason) []Reason {
	var taken [MaxReasons]int
	for k := 0; k < MaxReasons; k++ {
		best, bestLost := -1, 0
		for j := range m.Features {
			lost := m.index[j].max - points[j]
			if lost <= bestLost || contains(taken[:k], j) {
				continue
			}
			best, bestLost = j, lost
		}
		if best < 0 {
			break
		}
		taken[k] = best
		f := &m.Features[best]
		dst = append(dst, Reason{Code: f.ReasonCode, Feature: f.Name, Text: f.Bins[bins[best]].Text, PointsLost: bestLost})
	}
	return dst
}

func (m *Model) dimensions(points []int, dst []DimensionScore) []DimensionScore {
	for _, name := range m.dims {
		dst = append(dst, DimensionScore{Dimension: name})
	}
	for j := range m.Features {
		ix := &m.index[j]
		if ix.dim < 0 {
			continue
		}
		d := &dst[ix.dim]
		d.Earned += points[j] - ix.min
		d.Max += ix.max - ix.min
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
