package decision

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
)

func f64(x float64) *float64 { return &x }

// testModel is a scorecard on five platform features, small enough to score
// by hand. Base 400; the most points are 800.
//
//	worst_days_past_due_24m  PH01  <1: 120  [1,30): 80  [30,60): 40  ≥60: 0   missing 50
//	revolving_utilisation    CA01  <0.3: 80  [0.3,0.7): 40  ≥0.7: 0          missing 40
//	hard_inquiries_6m        NC01  <1: 60  [1,3): 30  ≥3: 0                  missing 30
//	months_on_file           HS01  <12: 0  [12,36): 40  ≥36: 80              missing 0
//	bills_on_time_ratio_12m  EO01  <0.9: 0  ≥0.9: 60                         missing 20
func testModel(t testing.TB) *model.Model {
	t.Helper()
	num := func(name, dim, code, label, unit string, integer bool, cuts []float64, points []int, missing int) model.Feature {
		f := model.Feature{Name: name, Kind: model.Numeric, Dimension: dim, ReasonCode: code, Label: label, Unit: unit, Integer: integer}
		for i, p := range points {
			b := model.Bin{Points: p}
			if i > 0 {
				b.Lower = f64(cuts[i-1])
			}
			if i < len(cuts) {
				b.Upper = f64(cuts[i])
			}
			f.Bins = append(f.Bins, b)
		}
		f.Bins = append(f.Bins, model.Bin{Missing: true, Points: missing})
		f.DescribeBins()
		return f
	}
	m := &model.Model{
		SchemaVersion: model.SchemaVersion, Kind: "scorecard", Target: "bad",
		Scaling: model.DefaultScaling(), Bands: opencredit.DefaultBands(),
		Intercept: -3, BasePoints: 400,
		Features: []model.Feature{
			num(features.WorstDaysPastDue24m, "payment_history", "PH01", "Worst delay in the last 24 months", "days", true,
				[]float64{1, 30, 60}, []int{120, 80, 40, 0}, 50),
			num(features.RevolvingUtilisation, "capacity", "CA01", "Share of revolving credit in use", "", false,
				[]float64{0.3, 0.7}, []int{80, 40, 0}, 40),
			num(features.HardInquiries6m, "new_credit", "NC01", "Credit applications in the last 6 months", "", true,
				[]float64{1, 3}, []int{60, 30, 0}, 30),
			num(features.MonthsOnFile, "history_stability", "HS01", "Length of credit record", "months", true,
				[]float64{12, 36}, []int{0, 40, 80}, 0),
			num(features.BillsOnTimeRatio12m, "everyday_obligations", "EO01", "Bills paid on time in the last 12 months", "", false,
				[]float64{0.9}, []int{0, 60}, 20),
		},
	}
	if err := m.Prepare(); err != nil {
		t.Fatal(err)
	}
	return m
}

var asOf = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// person is a synthetic subject: their features, as the store would give them.
type person struct {
	name   string
	values map[string]float64 // an absent feature is missing
}

// Synthetic people, scored by hand against testModel.
var (
	// 400 + 120 + 80 + 60 + 80 + 60 = 800, excellent; no reasons.
	excellent = person{"excellent", map[string]float64{
		features.WorstDaysPastDue24m: 0, features.RevolvingUtilisation: 0.2, features.HardInquiries6m: 0,
		features.MonthsOnFile: 48, features.BillsOnTimeRatio12m: 1}}
	// As excellent but one delay of 92 days: 800 − 120 = 680, very good;
	// one reason, PH01 (120 lost).
	latePayer = person{"late payer", map[string]float64{
		features.WorstDaysPastDue24m: 92, features.RevolvingUtilisation: 0.2, features.HardInquiries6m: 0,
		features.MonthsOnFile: 48, features.BillsOnTimeRatio12m: 1}}
	// No credit payments or cards, six months on file, bills paid:
	// 400 + 50 + 40 + 60 + 0 + 60 = 610, good; reasons HS01 (80 lost),
	// PH01 (70), CA01 (40).
	thinFile = person{"thin file", map[string]float64{
		features.HardInquiries6m: 0, features.MonthsOnFile: 6, features.BillsOnTimeRatio12m: 1}}
	// 400 + 40 + 0 + 0 + 40 + 0 = 480, poor; lost PH01 80, CA01 80, NC01
	// 60, EO01 60, HS01 40: the first four are the reasons (ties by feature
	// order).
	struggling = person{"struggling", map[string]float64{
		features.WorstDaysPastDue24m: 45, features.RevolvingUtilisation: 0.9, features.HardInquiries6m: 4,
		features.MonthsOnFile: 20, features.BillsOnTimeRatio12m: 0.5}}
	// As struggling but a 92-day delay: 440, poor; reasons PH01 (120),
	// CA01 (80), NC01 (60), EO01 (60).
	defaulted = person{"defaulted", map[string]float64{
		features.WorstDaysPastDue24m: 92, features.RevolvingUtilisation: 0.9, features.HardInquiries6m: 4,
		features.MonthsOnFile: 20, features.BillsOnTimeRatio12m: 0.5}}
)

// score scores a person with testModel and returns the result and their
// feature vector.
func score(t testing.TB, m *model.Model, p person) (model.Result, opencredit.FeatureVector) {
	t.Helper()
	row := make([]model.Value, len(m.Features))
	for j, f := range m.Features {
		if x, ok := p.values[f.Name]; ok {
			row[j] = model.Num(x)
		} else {
			row[j] = model.Num(math.NaN())
		}
	}
	r, err := m.Score(row)
	if err != nil {
		t.Fatal(err)
	}
	return r, opencredit.FeatureVector{Subject: "s-" + strings.ReplaceAll(p.name, " ", "-"), AsOf: asOf, Values: p.values}
}

// examplePrograms loads testdata/programs.yaml, by id.
func examplePrograms(t testing.TB) map[string]Program {
	t.Helper()
	ps, err := LoadProgramsFile("testdata/programs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Program{}
	for _, p := range ps {
		out[p.ID] = p
	}
	return out
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
