package pmml

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
)

// derivedModel has one feature per operation of a derived characteristic,
// one derived from two others (rr = ratio(s, hi)), one that is a raw input
// (a), and a derived input that is no feature (mid, under rr2).
func derivedModel(t testing.TB) *model.Model {
	t.Helper()
	step := func(name string, cuts ...float64) model.Feature {
		points := make([]int, len(cuts)+1)
		for i := range points {
			points[i] = 7 * (i + 1) % 23
		}
		return modeltest.Step(name, "capacity", strings.ToUpper(name), cuts, points, 3)
	}
	m, err := modeltest.Scorecard(400,
		step("a", -1, 0, 2),
		step("r", -0.5, 0.5, 1.5),
		step("d", -2, 0, 3),
		step("s", -1, 2, 5),
		step("mn", -0.5, 1, 2.5),
		step("lo", -1, 0, 1),
		step("hi", 0, 1, 3),
		step("c", 1, 2, 3),
		step("rr", 0.5, 1, 2),
		step("rr2", 0, 1),
	)
	if err != nil {
		t.Fatal(err)
	}
	m.Derived = []model.Derived{
		{Name: "r", Op: model.OpRatio, Of: []string{"a", "b"}},
		{Name: "d", Op: model.OpDifference, Of: []string{"a", "b"}},
		{Name: "s", Op: model.OpSum, Of: []string{"a", "b", "x3"}},
		{Name: "mn", Op: model.OpMean, Of: []string{"a", "b", "x3"}},
		{Name: "lo", Op: model.OpMin, Of: []string{"a", "b", "x3"}},
		{Name: "hi", Op: model.OpMax, Of: []string{"b", "x3"}},
		{Name: "c", Op: model.OpCount, Of: []string{"a", "b", "x3", "x4"}, Above: 0.5},
		{Name: "rr", Op: model.OpRatio, Of: []string{"s", "hi"}},
		{Name: "mid", Op: model.OpMax, Of: []string{"x4", "b"}},
		{Name: "rr2", Op: model.OpDifference, Of: []string{"mid", "a"}},
	}
	if err := m.Prepare(); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestEvaluateDerived scores random raw rows, with missing values, zeros and
// negatives in every input, by the model (Row computes the derived
// characteristics) and by the evaluator reading the exported document's
// DerivedFields, and requires the same points, score and reason codes.
func TestEvaluateDerived(t *testing.T) {
	m := derivedModel(t)
	data := export(t, m)
	if !bytes.Contains(data, []byte("<TransformationDictionary>")) {
		t.Fatal("no TransformationDictionary in the export")
	}
	doc := parse(t, data)
	if got := len(doc.DataDictionary.Fields); got != 5 { // a, b, x3, x4 and the target
		t.Errorf("%d DataFields, want a, b, x3, x4 and the target", got)
	}
	ev := newEvaluator(doc)
	rng := rand.New(rand.NewPCG(20261203, 1))
	choices := []string{"", "0", "1", "-1", "0.5", "2", "-3", "4.25", "7"}
	inputs := []string{"a", "b", "x3", "x4"}
	for n := 0; n < 3000; n++ {
		raw := map[string]*string{}
		in := map[string]model.Value{}
		for _, name := range inputs {
			c := choices[rng.IntN(len(choices))]
			if c == "" {
				in[name] = model.MissingValue()
				continue
			}
			x, _ := strconv.ParseFloat(c, 64)
			raw[name], in[name] = &c, model.Num(x)
		}
		values := m.RowOf(nil, func(name string) model.Value {
			if v, ok := in[name]; ok {
				return v
			}
			return model.MissingValue()
		})
		if !agree(t, m, ev, values, raw) {
			t.Fatalf("row %d differs (seed 20261203)", n)
		}
	}
}

// TestEvaluatorCatchesDerivedMistake guards the comparison: a document whose
// ratio is upside down must score some rows differently.
func TestEvaluatorCatchesDerivedMistake(t *testing.T) {
	m := derivedModel(t)
	doc := parse(t, export(t, m))
	r := &doc.TransformationDictionary.Fields[0]
	if r.Name != "r" {
		t.Fatalf("first DerivedField %q, want r", r.Name)
	}
	// if(isNotMissing(a), if(isNotMissing(b), if(notEqual(b,0), /(a,b)))): swap a and b.
	div := &r.Expr.Args[1].Args[1].Args[1]
	div.Args[0], div.Args[1] = div.Args[1], div.Args[0]
	ev := newEvaluator(doc)
	a, b := "2", "0.5"
	got, err := ev.score(map[string]*string{"a": &a, "b": &b})
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.Score(m.RowOf(nil, func(name string) model.Value {
		switch name {
		case "a":
			return model.Num(2)
		case "b":
			return model.Num(0.5)
		}
		return model.MissingValue()
	}))
	if err != nil {
		t.Fatal(err)
	}
	total := m.BasePoints
	for _, p := range want.Points {
		total += p
	}
	if got.score == total {
		t.Fatalf("a document with the ratio inverted scores %d, as the model does", got.score)
	}
}
