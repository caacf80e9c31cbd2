package model

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
)

// pairModel is testModel with a pair of a and b: a cut at 15 and b split
// into x against the rest. Cells earn (a < 15) 0 with x, 12 otherwise;
// (a ≥ 15) 25 with x, 4 otherwise; missing a: 6 with x, 6 otherwise.
func pairModel(t testing.TB) *Model {
	m := testModel(t)
	m.Pairs = []Pair{{
		Features: [2]string{"a", "b"}, Dimension: "payment_history", ReasonCode: "AB01",
		Axes: [2]Axis{
			{Kind: Numeric, Integer: true, Bins: []Bin{{Upper: f64(15)}, {Lower: f64(15)}, {Missing: true}}},
			{Kind: Categorical, Bins: []Bin{{Categories: []string{"x"}}, {Categories: []string{"y", "z", "w"}, Other: true}, {Missing: true}}},
		},
		Logit:  [][]float64{{0.3, 0.1, 0.2}, {-0.2, 0.25, 0.2}, {0.2, 0.2, 0.2}},
		Points: [][]int{{0, 12, 6}, {25, 4, 6}, {6, 6, 6}},
	}}
	m.Pairs[0].DescribeBins(m)
	if err := m.Prepare(); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPairScoreByHand(t *testing.T) {
	m := pairModel(t)
	r, err := m.Score([]Value{Num(22), Cat("y")})
	if err != nil {
		t.Fatal(err)
	}
	// 500 + a 35 + b 10 + pair (a ≥ 15, y) 4 = 549; log-odds −2 − 0.5 + 0.1 + 0.25 = −2.15.
	if r.Score != 549 || r.PairPoints[0] != 4 || r.PairCells[0] != [2]int{1, 1} {
		t.Errorf("score %d, pair points %v cells %v; want 549, [4], [[1 1]]", r.Score, r.PairPoints, r.PairCells)
	}
	if want := 1 / (1 + math.Exp(2.15)); math.Abs(r.PD-want) > 1e-15 {
		t.Errorf("PD %v, want %v", r.PD, want)
	}
	// b lost 30 − 10 = 20, the pair 25 − 4 = 21, a nothing.
	want := []Reason{
		{Code: "AB01", Feature: "a × b", Text: "Worst delay: 15 months or more; b: y, z, w or another value", PointsLost: 21},
		{Code: "B01", Feature: "b", Text: "b: y, z", PointsLost: 20},
	}
	if !reflect.DeepEqual(r.Reasons, want) {
		t.Errorf("reasons %+v, want %+v", r.Reasons, want)
	}
	// payment_history: a 35 of 35 and the pair 4 of 25 → 39/60 = 65%; capacity 10 of 30.
	wantDims := []DimensionScore{{"payment_history", 65, 39, 60}, {"capacity", 33.3, 10, 30}}
	if !reflect.DeepEqual(r.Dimensions, wantDims) {
		t.Errorf("dimensions %+v, want %+v", r.Dimensions, wantDims)
	}
	// An unseen category goes to the axis's other bin; a missing a to its missing row.
	r, _ = m.Score([]Value{MissingValue(), Cat("never")})
	if r.PairCells[0] != [2]int{2, 1} {
		t.Errorf("missing a, unseen b: cell %v, want [2 1]", r.PairCells[0])
	}
}

func TestPairRoundTrip(t *testing.T) {
	m := pairModel(t)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range [][]Value{{Num(3), Cat("x")}, {Num(15), Cat("w")}, {MissingValue(), MissingValue()}} {
		a, _ := m.Score(row)
		b, _ := back.Score(row)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("row %v: %+v after loading, %+v before", row, b, a)
		}
	}
}

// TestModelWithoutPairs: a model without pairs writes no "pairs" key, so
// artifacts from before pairs existed and after are the same bytes.
func TestModelWithoutPairs(t *testing.T) {
	var buf bytes.Buffer
	if err := testModel(t).Save(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), `"pairs"`) {
		t.Errorf("a model without pairs writes a pairs key")
	}
}

func TestPairValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(p *Pair)
		want string
	}{
		{"unknown feature", func(p *Pair) { p.Features[1] = "c" }, "both features"},
		{"itself", func(p *Pair) { p.Features[1] = "a" }, "itself"},
		{"reason code", func(p *Pair) { p.ReasonCode = "" }, "reason code"},
		{"dimension", func(p *Pair) { p.Dimension = "friends" }, "dimension"},
		{"kind", func(p *Pair) { p.Axes[0].Kind = Categorical }, "axis 0 is categorical"},
		{"no missing bin", func(p *Pair) { p.Axes[1].Bins[2].Missing = false }, "missing bins"},
		{"gap", func(p *Pair) { p.Axes[0].Bins[1].Lower = f64(16) }, "do not meet"},
		{"rows", func(p *Pair) { p.Points = p.Points[:2] }, "3 rows"},
		{"cells", func(p *Pair) { p.Logit[1] = p.Logit[1][:2] }, "3 cells"},
		{"logit", func(p *Pair) { p.Logit[0][0] = math.Inf(1) }, "not finite"},
	} {
		m := pairModel(t)
		tc.edit(&m.Pairs[0])
		if err := m.Prepare(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
	m := pairModel(t)
	m.Pairs = append(m.Pairs, m.Pairs[0])
	m.Pairs[1].Features = [2]string{"b", "a"}
	if err := m.Prepare(); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate pair: %v", err)
	}
}
