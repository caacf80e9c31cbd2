package model

import (
	"math"

	"github.com/opencredit/opencredit"
)

// Pair is an interaction term of an explainable boosting machine (GA²M: Lou,
// Caruana, Gehrke & Hooker, "Accurate intelligible models with pairwise
// interactions", KDD 2013): a table of log-odds and points over the cells of
// two of the model's features. Each axis has bins of its own, usually
// coarser than the feature's, with the same rules (Bin).
//
// A person earns the points of the cell their two values fall in, and loses
// the pair's best points minus those: a pair is a reason line of its own,
// with its own reason code.
type Pair struct {
	// Features names the two features, both in Model.Features.
	Features   [2]string `json:"features"`
	Dimension  string    `json:"dimension,omitempty"`
	Label      string    `json:"label,omitempty"` // used in reports; reasons describe the cell
	ReasonCode string    `json:"reason_code"`
	Axes       [2]Axis   `json:"axes"`
	// Logit[a][b] and Points[a][b] belong to bin a of the first axis and bin
	// b of the second; Count[a][b] is the training rows there (optional).
	Logit  [][]float64 `json:"logit"`
	Points [][]int     `json:"points"`
	Count  [][]int     `json:"count,omitempty"`
}

// Axis is the binning of one feature of a pair. Bin texts describe the
// feature's value in the cell ("Credit limit: 50000 to under 80000").
type Axis struct {
	Kind    string `json:"kind"` // the feature's kind
	Integer bool   `json:"integer,omitempty"`
	Bins    []Bin  `json:"bins"` // bounds, categories, missing and other only
}

// Name is how a pair appears where a feature name would: "a × b".
func (p *Pair) Name() string { return p.Features[0] + " × " + p.Features[1] }

// MaxPoints returns the most points any cell of p earns.
func (p *Pair) MaxPoints() int { _, hi := p.pointsRange(); return hi }

// MinPoints returns the fewest points any cell of p earns.
func (p *Pair) MinPoints() int { lo, _ := p.pointsRange(); return lo }

func (p *Pair) pointsRange() (lo, hi int) {
	lo, hi = math.MaxInt, math.MinInt
	for _, row := range p.Points {
		for _, v := range row {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	return lo, hi
}

// feature returns the axis as a Feature named name, for the rules that bins
// of both share.
func (a *Axis) feature(name, label, unit string) *Feature {
	return &Feature{Name: name, Kind: a.Kind, Integer: a.Integer, Label: label, Unit: unit, Bins: a.Bins}
}

// DescribeBins fills the Text of every bin of p's axes from the features'
// labels and units in m, as Feature.DescribeBins does.
func (p *Pair) DescribeBins(m *Model) {
	for k := range p.Axes {
		var label, unit string
		for _, f := range m.Features {
			if f.Name == p.Features[k] {
				label, unit = f.Label, f.Unit
			}
		}
		p.Axes[k].feature(p.Features[k], label, unit).DescribeBins()
	}
}

// pairIndex is what scoring needs of a pair.
type pairIndex struct {
	feature  [2]int // index into Model.Features
	axes     [2]featureIndex
	max, min int
	dim      int        // index into dims, −1 if unassigned
	name     string     // Pair.Name
	text     [][]string // reason text of each cell
}

func (m *Model) preparePairs() {
	m.pairs = make([]pairIndex, len(m.Pairs))
	for i := range m.Pairs {
		p := &m.Pairs[i]
		px := pairIndex{max: p.MaxPoints(), min: p.MinPoints(), dim: m.dimIndex(p.Dimension), name: p.Name()}
		for k := range p.Axes {
			px.feature[k] = m.featureByName(p.Features[k])
			px.axes[k] = newFeatureIndex(p.Axes[k].feature(p.Features[k], "", ""))
		}
		px.text = make([][]string, len(p.Axes[0].Bins))
		for a, ba := range p.Axes[0].Bins {
			px.text[a] = make([]string, len(p.Axes[1].Bins))
			for b, bb := range p.Axes[1].Bins {
				px.text[a][b] = ba.Text + "; " + bb.Text
			}
		}
		m.pairs[i] = px
	}
}

func (m *Model) featureByName(name string) int {
	for j := range m.Features {
		if m.Features[j].Name == name {
			return j
		}
	}
	return -1
}

// validatePairs checks what scoring a pair relies on.
func (m *Model) validatePairs() error {
	seen := map[[2]string]bool{}
	for i := range m.Pairs {
		p := &m.Pairs[i]
		name := p.Name()
		a, b := m.featureByName(p.Features[0]), m.featureByName(p.Features[1])
		switch {
		case a < 0 || b < 0:
			return invalid("pair %q: both features must be model features", name)
		case a == b:
			return invalid("pair %q pairs a feature with itself", name)
		case seen[p.Features] || seen[[2]string{p.Features[1], p.Features[0]}]:
			return invalid("pair %q appears twice", name)
		case p.ReasonCode == "":
			return invalid("pair %q has no reason code", name)
		case p.Dimension != "" && !opencredit.Dimension(p.Dimension).Valid():
			return invalid("pair %q: unknown dimension %q", name, p.Dimension)
		}
		seen[p.Features] = true
		for k, j := range [2]int{a, b} {
			ax := &p.Axes[k]
			if ax.Kind != m.Features[j].Kind {
				return invalid("pair %q: axis %d is %s, feature %q is %s", name, k, ax.Kind, p.Features[k], m.Features[j].Kind)
			}
			f := ax.feature(name+" axis "+p.Features[k], "", "")
			if len(f.Bins) == 0 {
				return invalid("pair %q: axis %d has no bins", name, k)
			}
			missing := 0
			for _, bin := range f.Bins {
				if bin.Missing {
					missing++
				}
			}
			if missing != 1 {
				return invalid("pair %q: axis %d has %d missing bins, want exactly 1", name, k, missing)
			}
			if f.Kind == Numeric {
				if err := validateNumeric(f); err != nil {
					return err
				}
			} else if err := validateCategorical(f); err != nil {
				return err
			}
		}
		na, nb := len(p.Axes[0].Bins), len(p.Axes[1].Bins)
		if len(p.Logit) != na || len(p.Points) != na || (p.Count != nil && len(p.Count) != na) {
			return invalid("pair %q: tables must have %d rows, one per bin of %q", name, na, p.Features[0])
		}
		for r := range na {
			if len(p.Logit[r]) != nb || len(p.Points[r]) != nb || (p.Count != nil && len(p.Count[r]) != nb) {
				return invalid("pair %q: row %d must have %d cells, one per bin of %q", name, r, nb, p.Features[1])
			}
			for c, l := range p.Logit[r] {
				if !finite(l) {
					return invalid("pair %q cell (%d, %d): logit is not finite", name, r, c)
				}
			}
		}
	}
	return nil
}

// PairReason is the reason line pair p gives for the scored result r: its
// code, its name, the text of r's cell and the points lost against the
// pair's best cell, as the reasons of r state it when it is among them.
func (m *Model) PairReason(r *Result, p int) Reason {
	px, cell := &m.pairs[p], r.PairCells[p]
	return Reason{Code: m.Pairs[p].ReasonCode, Feature: px.name, Text: px.text[cell[0]][cell[1]], PointsLost: px.max - r.PairPoints[p]}
}
