package model

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// nan is a missing number in the tables below.
var nan = math.NaN()

// values returns a lookup over a map, absent names missing.
func values(m map[string]Value) func(string) Value {
	return func(name string) Value {
		if v, ok := m[name]; ok {
			return v
		}
		return MissingValue()
	}
}

// rawOf lists the values d reads (Deriver.Raw) from a map, absent names
// missing.
func rawOf(d *Deriver, m map[string]Value) []Value {
	raw := make([]Value, len(d.Raw()))
	for k, name := range d.Raw() {
		raw[k] = values(m)(name)
	}
	return raw
}

func sameNum(a, b float64) bool {
	return (math.IsNaN(a) && math.IsNaN(b)) || a == b
}

// TestDeriveOps checks every operation against values worked out by hand,
// with and without missing inputs, as model.Derived documents them.
func TestDeriveOps(t *testing.T) {
	in := map[string]Value{"a": Num(6), "b": Num(3), "z": Num(0), "neg": Num(-2), "cat": Cat("x")}
	cases := []struct {
		d    Derived
		want float64
	}{
		{Derived{Op: OpRatio, Of: []string{"a", "b"}}, 2},
		{Derived{Op: OpRatio, Of: []string{"a", "z"}}, nan},         // zero denominator
		{Derived{Op: OpRatio, Of: []string{"z", "a"}}, 0},           // zero numerator is a value
		{Derived{Op: OpRatio, Of: []string{"gone", "a"}}, nan},      // missing numerator
		{Derived{Op: OpRatio, Of: []string{"a", "cat"}}, nan},       // a category is no number
		{Derived{Op: OpDifference, Of: []string{"b", "a"}}, -3},     // 3 − 6
		{Derived{Op: OpDifference, Of: []string{"a", "gone"}}, nan}, // either missing
		{Derived{Op: OpSum, Of: []string{"a", "b", "neg"}}, 7},
		{Derived{Op: OpSum, Of: []string{"a", "gone"}}, 6}, // missing left out
		{Derived{Op: OpSum, Of: []string{"gone", "cat"}}, nan},
		{Derived{Op: OpMean, Of: []string{"a", "b", "gone"}}, 4.5}, // (6+3)/2
		{Derived{Op: OpMin, Of: []string{"gone", "a", "neg", "b"}}, -2},
		{Derived{Op: OpMax, Of: []string{"gone", "neg", "b"}}, 3},
		{Derived{Op: OpMax, Of: []string{"gone", "also_gone"}}, nan},
		{Derived{Op: OpCount, Of: []string{"a", "b", "z", "neg", "gone"}, Above: 0}, 2}, // 6 and 3
		{Derived{Op: OpCount, Of: []string{"a", "b", "z", "neg"}, Above: -1}, 3},        // 0 counts too
		{Derived{Op: OpCount, Of: []string{"gone"}, Above: 0}, nan},
	}
	for _, c := range cases {
		c.d.Name = "d"
		dv, err := NewDeriver([]Derived{c.d})
		if err != nil {
			t.Fatalf("%s: %v", c.d.String(), err)
		}
		got := dv.Derive(nil, rawOf(dv, in))
		if len(got) != 1 || !sameNum(got[0], c.want) {
			t.Errorf("%s = %v, want %v", c.d.String(), got, c.want)
		}
	}
}

// TestDeriveOverflow: a result too large for a float64 is missing, never
// an infinity that no bin holds.
func TestDeriveOverflow(t *testing.T) {
	dv, err := NewDeriver([]Derived{{Name: "s", Op: OpSum, Of: []string{"a", "b"}}})
	if err != nil {
		t.Fatal(err)
	}
	got := dv.Derive(nil, rawOf(dv, map[string]Value{"a": Num(math.MaxFloat64), "b": Num(math.MaxFloat64)}))
	if !math.IsNaN(got[0]) {
		t.Fatalf("overflowing sum = %v, want missing", got[0])
	}
}

// TestDeriveChain: a derived characteristic over others is computed after
// them, whatever order they are declared in.
func TestDeriveChain(t *testing.T) {
	defs := []Derived{
		{Name: "ratio", Op: OpRatio, Of: []string{"paid", "billed"}},
		{Name: "paid", Op: OpSum, Of: []string{"p1", "p2"}},
		{Name: "billed", Op: OpSum, Of: []string{"b1", "b2"}},
	}
	dv, err := NewDeriver(defs)
	if err != nil {
		t.Fatal(err)
	}
	if got := dv.Defs()[2].Name; got != "ratio" {
		t.Fatalf("ratio computed at position %d of %v", dv.Index("ratio"), dv.Defs())
	}
	if got := strings.Join(dv.Raw(), ","); got != "p1,p2,b1,b2" {
		t.Errorf("raw inputs %s, want p1,p2,b1,b2", got)
	}
	got := dv.Derive(nil, rawOf(dv, map[string]Value{"p1": Num(10), "p2": Num(20), "b1": Num(50), "b2": Num(70)}))
	if r := got[dv.Index("ratio")]; r != 0.25 { // (10+20)/(50+70)
		t.Errorf("ratio = %v, want 0.25", r)
	}
	if need := Needed(dv.Defs(), []string{"ratio"}); len(need) != 3 {
		t.Errorf("ratio needs %v, want all three", need)
	}
	if need := Needed(dv.Defs(), []string{"paid", "other"}); len(need) != 1 || need[0].Name != "paid" {
		t.Errorf("paid needs %v, want paid alone", need)
	}
}

// TestDeriveRefuses names what is wrong with each malformed definition.
func TestDeriveRefuses(t *testing.T) {
	cases := []struct {
		defs []Derived
		want string
	}{
		{[]Derived{{Name: "r", Op: "product", Of: []string{"a", "b"}}}, `operation "product" is not one of`},
		{[]Derived{{Name: "r", Op: OpRatio, Of: []string{"a"}}}, "takes exactly 2 inputs, got 1"},
		{[]Derived{{Name: "r", Op: OpSum, Of: []string{"a"}}}, "takes at least 2 inputs"},
		{[]Derived{{Name: "r", Op: OpCount}}, "count takes at least 1 input"},
		{[]Derived{{Name: "r", Op: OpSum, Of: []string{"a", "a"}}}, `input "a" is named twice`},
		{[]Derived{{Name: "r", Op: OpSum, Of: []string{"a", "r"}}}, "takes itself as an input"},
		{[]Derived{{Name: "r", Op: OpSum, Of: []string{"a", ""}}}, "an input name is empty"},
		{[]Derived{{Name: "r", Op: OpSum, Of: []string{"a", "b"}, Above: 1}}, "above applies to count only"},
		{[]Derived{{Name: "r", Op: OpCount, Of: []string{"a"}, Above: math.Inf(1)}}, "above is not a finite number"},
		{[]Derived{{Name: "", Op: OpSum, Of: []string{"a", "b"}}}, "has no name"},
		{[]Derived{{Name: "r", Op: OpSum, Of: []string{"a", "b"}}, {Name: "r", Op: OpMax, Of: []string{"a", "b"}}}, `"r" is defined twice`},
		{[]Derived{{Name: "x", Op: OpSum, Of: []string{"a", "y"}}, {Name: "y", Op: OpMax, Of: []string{"b", "x"}}}, "form a cycle: x → y → x"},
	}
	for _, c := range cases {
		_, err := NewDeriver(c.defs)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one saying %q", c.defs, err, c.want)
		}
	}
}

// derivedModel is testModel with feature a replaced by a derived one:
// a = max(x1, x2), whose bins are testModel's a.
func derivedModel(t *testing.T) *Model {
	m := testModel(t)
	m.Derived = []Derived{{Name: "a", Op: OpMax, Of: []string{"x1", "x2"}}}
	if err := m.Prepare(); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRowComputesDerived: Row reads the raw inputs and computes the derived
// feature, and the saved model does the same after Load; a row of the
// wrong number of inputs is refused by ScoreInto.
func TestRowComputesDerived(t *testing.T) {
	m := derivedModel(t)
	ins := m.Inputs()
	if len(ins) != 3 || ins[0] != (Input{"b", Categorical}) || ins[1] != (Input{"x1", Numeric}) || ins[2] != (Input{"x2", Numeric}) {
		t.Fatalf("Inputs = %v, want b (categorical), x1, x2", ins)
	}
	raw := map[string]Value{"x1": Num(4), "x2": Num(15), "b": Cat("x"), "a": Num(99)}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, mm := range []*Model{m, loaded} {
		row := mm.RowOf(nil, values(raw))
		// max(4, 15) = 15 falls in a's bin [10, 20): 20 points; b = x: 30.
		// A value named a among the raw inputs is not read: a is computed.
		if row[0].Num != 15 {
			t.Fatalf("derived a = %v, want 15", row[0])
		}
		if v := mm.ValueOf("a", values(raw)); v.Num != 15 || !mm.IsDerived("a") || mm.IsDerived("b") {
			t.Fatalf("ValueOf(a) = %v, IsDerived(a) %v, IsDerived(b) %v", v, mm.IsDerived("a"), mm.IsDerived("b"))
		}
		if v := mm.ValueOf("b", values(raw)); v.Str != "x" {
			t.Fatalf("ValueOf(b) = %v, want the raw value", v)
		}
		r, err := mm.Score(row)
		if err != nil {
			t.Fatal(err)
		}
		if want := 500 + 20 + 30; r.Score != want {
			t.Errorf("score %d, want %d", r.Score, want)
		}
		// Both inputs missing: a is missing, its missing bin earns 10.
		row = mm.RowOf(row, values(map[string]Value{"b": Cat("x")}))
		if r, _ = mm.Score(row); r.Score != 500+10+30 {
			t.Errorf("score with a missing %d, want %d", r.Score, 500+10+30)
		}
		if _, err := mm.Score(mm.Row(row, []Value{Cat("x")})); err == nil || !strings.Contains(err.Error(), "row has 0 values") {
			t.Errorf("a row from 1 of 3 inputs: error %v, want the count refused", err)
		}
	}
}

// TestModelRefusesBadDerived: Load's checks cover the definitions.
func TestModelRefusesBadDerived(t *testing.T) {
	cases := []struct {
		derived []Derived
		want    string
	}{
		{[]Derived{{Name: "b", Op: OpMax, Of: []string{"x1", "x2"}}}, `feature "b" is derived but categorical`},
		{[]Derived{{Name: "a", Op: OpMax, Of: []string{"b", "x2"}}}, `takes categorical feature "b"`},
		{[]Derived{{Name: "a", Op: OpMax, Of: []string{"x1", "x2"}}, {Name: "spare", Op: OpSum, Of: []string{"x1", "x2"}}}, `"spare" is neither a feature nor the input of one`},
		{[]Derived{{Name: "a", Op: OpMax, Of: []string{"x1", "a"}}}, "takes itself"},
	}
	for _, c := range cases {
		m := testModel(t)
		m.Derived = c.derived
		if err := m.Prepare(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one saying %q", c.derived, err, c.want)
		}
	}
}

// TestReasonLeadsText: a feature's reason statement leads its bins' texts.
func TestReasonLeadsText(t *testing.T) {
	f := Feature{Name: "u", Kind: Numeric, Label: "Balance over limit", Reason: "Balance is high compared with the credit limit",
		Bins: []Bin{{Upper: f64(0.5)}, {Lower: f64(0.5)}, {Missing: true}}}
	f.DescribeBins()
	if got, want := f.Bins[1].Text, "Balance is high compared with the credit limit (Balance over limit: 0.5 or more)"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
}

// BenchmarkRow measures building a row from raw inputs and scoring it: the
// baseline reads both features as they are, derived computes feature a as
// max(x1, x2) first; the ratio of the two is the cost of a derived
// characteristic in service.
func BenchmarkRow(b *testing.B) {
	raw := map[string]Value{"a": Num(12), "x1": Num(4), "x2": Num(15), "b": Cat("y")}
	plain := testModel(b)
	derived := testModel(b)
	derived.Derived = []Derived{{Name: "a", Op: OpMax, Of: []string{"x1", "x2"}}}
	if err := derived.Prepare(); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		m    *Model
	}{{"baseline", plain}, {"derived", derived}} {
		b.Run(c.name, func(b *testing.B) {
			var r Result
			row := make([]Value, 0, 2)
			in := make([]Value, len(c.m.Inputs())) // as a scorer holds them, in input order
			for k, x := range c.m.Inputs() {
				in[k] = values(raw)(x.Name)
			}
			b.ReportAllocs()
			for b.Loop() {
				row = c.m.Row(row, in)
				if err := c.m.ScoreInto(row, &r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
