package scoring

import (
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
)

// TestInquiryReason: five features lose points; the inquiries feature loses
// the fewest (5), so it is not among the four principal reasons and is added
// after them (FCRA §609(f)(9)). With no points lost on inquiries nothing is added.
func TestInquiryReason(t *testing.T) {
	feature := func(name string, pts ...int) model.Feature {
		f := model.Feature{Name: name, Kind: model.Numeric, ReasonCode: name}
		for i, p := range pts {
			b := model.Bin{Points: p}
			if i > 0 {
				lo := float64(i)
				b.Lower = &lo
			}
			if i < len(pts)-1 {
				hi := float64(i + 1)
				b.Upper = &hi
			}
			f.Bins = append(f.Bins, b)
		}
		f.Bins = append(f.Bins, model.Bin{Missing: true})
		f.DescribeBins()
		return f
	}
	m := &model.Model{SchemaVersion: model.SchemaVersion, Kind: "scorecard", Scaling: model.DefaultScaling(), Bands: opencredit.DefaultBands(),
		Features: []model.Feature{
			feature("a", 0, 50), feature("b", 0, 40), feature("c", 0, 30), feature("d", 0, 20),
			feature(features.HardInquiries12m, 5, 0),
		}}
	if err := m.Prepare(); err != nil {
		t.Fatal(err)
	}
	row := []model.Value{model.Num(0), model.Num(0), model.Num(0), model.Num(0), model.Num(1)}
	r, err := m.Score(row)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Reasons) != 4 {
		t.Fatalf("%d principal reasons", len(r.Reasons))
	}
	r = withInquiryReason(m, r)
	if len(r.Reasons) != 5 || r.Reasons[4].Feature != features.HardInquiries12m || r.Reasons[4].PointsLost != 5 {
		t.Errorf("reasons %+v: want the inquiries reason fifth, 5 points lost", r.Reasons)
	}
	row[4] = model.Num(0) // no inquiry cost
	r, _ = m.Score(row)
	if r = withInquiryReason(m, r); len(r.Reasons) != 4 {
		t.Errorf("an inquiries reason without points lost: %+v", r.Reasons)
	}
}

// TestInquiryReasonFromPair: in an explainable boosting model inquiries can
// cost points through a pair with another feature while the inquiries
// feature itself loses nothing; the pair's line is then the inquiries
// reason, added after the four principal reasons.
func TestInquiryReasonFromPair(t *testing.T) {
	f64 := func(x float64) *float64 { return &x }
	axis := []model.Bin{{Upper: f64(1)}, {Lower: f64(1)}, {Missing: true}}
	feature := func(name string, pts ...int) model.Feature {
		f := model.Feature{Name: name, Kind: model.Numeric, ReasonCode: name,
			Bins: []model.Bin{{Upper: f64(1), Points: pts[0]}, {Lower: f64(1), Points: pts[1]}, {Missing: true}}}
		f.DescribeBins()
		return f
	}
	m := &model.Model{SchemaVersion: model.SchemaVersion, Kind: "ebm", Scaling: model.DefaultScaling(), Bands: opencredit.DefaultBands(),
		Features: []model.Feature{
			feature("a", 0, 50), feature("b", 0, 40), feature("c", 0, 30), feature("d", 0, 20),
			feature(features.HardInquiries12m, 5, 5), // the feature alone costs nothing
		},
		Pairs: []model.Pair{{
			Features: [2]string{"a", features.HardInquiries12m}, ReasonCode: "A_X_INQ",
			Axes: [2]model.Axis{{Kind: model.Numeric, Bins: axis}, {Kind: model.Numeric, Bins: axis}},
			// (a < 1, one inquiry or more) earns 0 of the best 7.
			Points: [][]int{{7, 0, 7}, {7, 7, 7}, {7, 7, 7}},
			Logit:  [][]float64{{0, 0.1, 0}, {0, 0, 0}, {0, 0, 0}},
		}},
	}
	m.Pairs[0].DescribeBins(m)
	if err := m.Prepare(); err != nil {
		t.Fatal(err)
	}
	r, err := m.Score([]model.Value{model.Num(0), model.Num(0), model.Num(0), model.Num(0), model.Num(2)})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Reasons) != 4 {
		t.Fatalf("principal reasons %+v", r.Reasons)
	}
	r = withInquiryReason(m, r)
	if len(r.Reasons) != 5 || r.Reasons[4].Code != "A_X_INQ" || r.Reasons[4].PointsLost != 7 || r.Reasons[4].Feature != m.Pairs[0].Name() {
		t.Errorf("reasons %+v: want the pair's line fifth, 7 points lost", r.Reasons)
	}
}
