package policy

import (
	"slices"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

// TestAgeRule: 12 CFR 1002.6(b)(2)(iv) on hand-built age features. The cut
// at 62 is added once and never twice; an elderly bin (its upper bound above
// 62, or none) earning fewer points than any younger bin is refused, while
// the missing bin and empty bins are not compared. The trainers' own
// TestAgeRule checks that a trained model keeps to it.
func TestAgeRule(t *testing.T) {
	for _, tc := range []struct{ in, want []float64 }{
		{nil, []float64{62}},
		{[]float64{18, 30, 70}, []float64{18, 30, 62, 70}},
		{[]float64{30, 62, 70}, []float64{30, 62, 70}},
		{[]float64{63}, []float64{62, 63}},
	} {
		in := slices.Clone(tc.in)
		if got := WithAgeCut(in); !slices.Equal(got, tc.want) {
			t.Errorf("WithAgeCut(%v) = %v, want %v", tc.in, got, tc.want)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("WithAgeCut modified its argument: %v, was %v", in, tc.in)
		}
	}

	p := func(x float64) *float64 { return &x }
	// age bins (-inf, 40) [40, 62) [62, +inf) and missing, with the points
	// and row counts given.
	age := func(points, count [4]int) *model.Feature {
		f := &model.Feature{Name: "age", Kind: model.Numeric, Bins: []model.Bin{
			{Upper: p(40)}, {Lower: p(40), Upper: p(62)}, {Lower: p(62)}, {Missing: true},
		}}
		for k := range f.Bins {
			f.Bins[k].Points, f.Bins[k].Count = points[k], count[k]
		}
		return f
	}
	for _, tc := range []struct {
		name    string
		f       *model.Feature
		refused bool
	}{
		{"elderly earn the most", age([4]int{10, 20, 25, 0}, [4]int{5, 5, 5, 5}), false},
		{"elderly earn as much as the best younger bin", age([4]int{10, 20, 20, 0}, [4]int{5, 5, 5, 5}), false},
		{"elderly earn less than [40, 62)", age([4]int{10, 20, 19, 30}, [4]int{5, 5, 5, 5}), true},
		{"the missing bin is not compared", age([4]int{10, 20, 25, 40}, [4]int{5, 5, 5, 5}), false},
		{"an empty younger bin is not compared", age([4]int{10, 30, 25, 0}, [4]int{5, 0, 5, 5}), false},
		{"a bin straddling 62 counts as elderly", &model.Feature{Name: "age", Kind: model.Numeric, Bins: []model.Bin{
			{Upper: p(50), Points: 10, Count: 5}, {Lower: p(50), Upper: p(70), Points: 5, Count: 5}, {Lower: p(70), Points: 20, Count: 5},
		}}, true},
	} {
		err := CheckAge(tc.f)
		switch {
		case !tc.refused && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.refused && (opencredit.ErrorCode(err) != opencredit.EREFUSED || !strings.Contains(err.Error(), "1002.6(b)(2)(iv)")):
			t.Errorf("%s: want an EREFUSED age-rule error, got %v", tc.name, err)
		}
	}
}
