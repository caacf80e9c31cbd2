package training

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
)

const deriveCSV = `id,limit,bill,paid,late1,late2,grade,sex,default
1,1000,500,100,0,2,a,f,0
2,2000,0,0,1,0,b,m,1
3,,300,300,0,0,a,f,0
4,1500,1500,,3,1,b,m,1
`

func readDerive(t *testing.T, opt dataset.Options) *dataset.Frame {
	t.Helper()
	if opt.Target == "" {
		opt.Target, opt.RequireTarget = "default", true
	}
	f, err := dataset.ReadCSV(strings.NewReader(deriveCSV), "d.csv", opt)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func mustSpec(t *testing.T, yaml string) Spec {
	t.Helper()
	s, err := ParseSpec([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestAddDerived computes each characteristic per row, the expected values
// worked out by hand from deriveCSV.
func TestAddDerived(t *testing.T) {
	f := readDerive(t, dataset.Options{Audit: []string{"sex"}})
	s := mustSpec(t, `
features:
  utilisation: {ratio: [bill, limit], dimension: capacity, label: Balance over limit, reason: Balance is high}
  headroom: {difference: [limit, bill]}
  months_late: {count: [late1, late2], above: 0}
  worst: {max: [late1, late2]}
  paid_share: {ratio: [paid, bill]}
`)
	names, err := AddDerived(f, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 5 {
		t.Fatalf("added %v", names)
	}
	want := map[string][]float64{
		"utilisation": {0.5, 0, math.NaN(), 1},          // 500/1000, 0/2000, no limit, 1500/1500
		"headroom":    {500, 2000, math.NaN(), 0},       // limit − bill
		"months_late": {1, 1, 0, 2},                     // late above 0
		"worst":       {2, 1, 0, 3},                     // max of the two
		"paid_share":  {0.2, math.NaN(), 1, math.NaN()}, // 100/500, bill 0, 300/300, paid missing
	}
	for name, w := range want {
		c := f.Feature(name)
		if c == nil || c.Kind != dataset.Numeric {
			t.Fatalf("no numeric column %q", name)
		}
		for i, x := range w {
			if got := c.Num[i]; !(got == x || math.IsNaN(got) && math.IsNaN(x)) || c.Miss[i] != math.IsNaN(x) {
				t.Errorf("%s row %d = %v (missing %v), want %v", name, i, got, c.Miss[i], x)
			}
		}
	}
	if !f.Feature("months_late").Integer || f.Feature("utilisation").Integer {
		t.Error("months_late should be whole numbers and utilisation not")
	}
}

// TestAddDerivedRefuses: an input that is a protected attribute is refused
// as a protected input would be; the other mistakes name what and where.
func TestAddDerivedRefuses(t *testing.T) {
	cases := []struct {
		spec string
		opt  dataset.Options
		code string
		want string
	}{
		{`features: {x: {ratio: [bill, sex]}}`, dataset.Options{Audit: []string{"sex"}}, opencredit.EREFUSED,
			`derived "x" takes "sex", a protected attribute`},
		{`features: {x: {ratio: [bill, default]}}`, dataset.Options{}, opencredit.EINVALID, `"default", the target`},
		{`features: {x: {sum: [bill, grade]}}`, dataset.Options{}, opencredit.EINVALID, `column "grade", which is categorical`},
		{`features: {x: {sum: [bill, limt]}}`, dataset.Options{}, opencredit.EINVALID, `"limt", which is neither a column`},
		{`features: {x: {sum: [bill, limit]}}`, dataset.Options{Exclude: []string{"limit"}}, opencredit.EINVALID, `"limit", which is the id or an excluded column`},
		{`features: {bill: {sum: [paid, limit]}}`, dataset.Options{}, opencredit.EINVALID, `"bill" is a column of the file already`},
		{`features: {x: {count: [late1], above: 5}}`, dataset.Options{}, opencredit.EINVALID, `derived "x" (count(late1; above 5)) is 0 in every row`},
		{`features: {x: {ratio: [bill, bill2]}, bill2: {difference: [bill, bill]}}`, dataset.Options{}, opencredit.EINVALID, `input "bill" is named twice`},
	}
	for _, c := range cases {
		f := readDerive(t, c.opt)
		s, err := ParseSpec([]byte(c.spec))
		if err == nil {
			_, err = AddDerived(f, s)
		}
		var e *opencredit.Error
		if !errors.As(err, &e) || e.Code != c.code || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %s saying %q", c.spec, err, c.code, c.want)
		}
	}
}

// TestSpecDerivedRefuses: the spec's own mistakes are caught when it is read.
func TestSpecDerivedRefuses(t *testing.T) {
	cases := []struct{ spec, want string }{
		{`features: {x: {ratio: [a, b], sum: [a, b]}}`, `give one operation, not ratio and sum`},
		{`features: {x: {count: [a, b]}}`, `a count needs above`},
		{`features: {x: {above: 1}}`, `above applies to a count`},
		{`features: {x: {sum: [a, b], kind: categorical}}`, `numeric, not categorical`},
		{`features: {x: {sum: [a, y]}, y: {max: [b, x]}}`, `cycle`},
		{`features: {x: {mean: [a]}}`, `mean takes at least 2 inputs`},
	}
	for _, c := range cases {
		if _, err := ParseSpec([]byte(c.spec)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.spec, err, c.want)
		}
	}
	// A derived entry's kind is no override for the CSV reader.
	s := mustSpec(t, `features: {x: {sum: [a, b], kind: numeric}, grade: {kind: categorical}}`)
	if k := s.Kinds(); len(k) != 1 || k["grade"] != "categorical" {
		t.Errorf("Kinds = %v, want grade only", k)
	}
}
