package decision

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
)

// The score's reasons as decision reasons, for comparisons.
func fromScore(r model.Result, codes ...string) []Reason {
	var out []Reason
	for _, code := range codes {
		for _, mr := range r.Reasons {
			if mr.Code == code {
				out = append(out, Reason{Code: mr.Code, Source: FromScore, Feature: mr.Feature, Text: mr.Text, PointsLost: mr.PointsLost})
			}
		}
	}
	return out
}

func codes(rs []Reason) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Code)
	}
	return out
}

// The hand scores in helpers_test.go hold: the scenarios below rest on them.
func TestSyntheticPeople(t *testing.T) {
	m := testModel(t)
	for _, tc := range []struct {
		p     person
		score int
		band  string
		codes []string
	}{
		{excellent, 800, "excellent", nil},
		{latePayer, 680, "very good", []string{"PH01"}},
		{thinFile, 610, "good", []string{"HS01", "PH01", "CA01"}},
		{struggling, 480, "poor", []string{"PH01", "CA01", "NC01", "EO01"}},
		{defaulted, 440, "poor", []string{"PH01", "CA01", "NC01", "EO01"}},
	} {
		r, _ := score(t, m, tc.p)
		var got []string
		for _, x := range r.Reasons {
			got = append(got, x.Code)
		}
		if r.Score != tc.score || r.Band != tc.band || !slices.Equal(got, tc.codes) {
			t.Errorf("%s: score %d %s reasons %v; want %d %s %v", tc.p.name, r.Score, r.Band, got, tc.score, tc.band, tc.codes)
		}
	}
}

func TestBikeRental(t *testing.T) {
	m, bike := testModel(t), examplePrograms(t)["bike-deposit-free"]
	for _, tc := range []struct {
		p       person
		outcome string
		reasons []string
	}{
		{excellent, Approved, nil},
		{latePayer, Approved, nil},
		{thinFile, Approved, nil}, // 610 ≥ 600: no payment history needed for a bike
		{struggling, Declined, []string{"PH01", "CA01", "NC01", "EO01"}},
		{defaulted, Declined, []string{"PH01", "CA01", "NC01", "EO01"}},
	} {
		r, fv := score(t, m, tc.p)
		d := Decide(bike, r, fv, nil)
		if d.Outcome != tc.outcome {
			t.Errorf("%s: %s, want %s", tc.p.name, d.Outcome, tc.outcome)
			continue
		}
		if want := fromScore(r, tc.reasons...); !reflect.DeepEqual(d.Reasons, want) {
			t.Errorf("%s: reasons\n%+v\nwant the score's own\n%+v", tc.p.name, d.Reasons, want)
		}
		if d.Limit != nil {
			t.Errorf("%s: a deposit waiver has no limit, got %v", tc.p.name, *d.Limit)
		}
		if d.Score != r.Score || d.Band != r.Band || d.MinScore != 600 || d.Purpose != opencredit.PurposeRentalDepositWaiver ||
			d.Subject != fv.Subject || !d.AsOf.Equal(asOf) || !reflect.DeepEqual(d.KeyFactors, append([]model.Reason{}, r.Reasons...)) {
			t.Errorf("%s: decision does not carry the score: %+v", tc.p.name, d)
		}
	}
}

// The minimum is inclusive: 600 passes, 599 does not.
func TestMinimumScoreBoundary(t *testing.T) {
	bike := examplePrograms(t)["bike-deposit-free"]
	reasons := []model.Reason{{Code: "PH01", Feature: features.WorstDaysPastDue24m, Text: "Worst delay: 30 to 59 days", PointsLost: 80}}
	if d := Decide(bike, model.Result{Score: 600, Band: "good", Reasons: reasons}, opencredit.FeatureVector{}, nil); d.Outcome != Approved {
		t.Errorf("600: %s %+v", d.Outcome, d.Reasons)
	}
	d := Decide(bike, model.Result{Score: 599, Band: "fair", Reasons: reasons}, opencredit.FeatureVector{}, nil)
	if d.Outcome != Declined || len(d.Reasons) != 1 || d.Reasons[0].Text != reasons[0].Text {
		t.Errorf("599: %s %+v", d.Outcome, d.Reasons)
	}
}

func TestFlatRental(t *testing.T) {
	m, flat := testModel(t), examplePrograms(t)["flat-deposit-free"]
	const dpd92 = "Worst delay in the last 24 months: 92 days; this program requires less than 60 days"
	const noDPD = "Worst delay in the last 24 months: no data on file; this program requires less than 60 days and declines without that data"
	for _, tc := range []struct {
		p       person
		outcome string
		reasons []string // codes; the condition's is WORST_DAYS_PAST_DUE_24M
		texts   map[int]string
	}{
		{excellent, Approved, nil, nil},
		// 680 ≥ 650 but the 92-day delay fails the condition, alone.
		{latePayer, Declined, []string{"WORST_DAYS_PAST_DUE_24M"}, map[int]string{0: dpd92}},
		// 610 < 650, and no payment history: fails closed. The score's PH01
		// (about the same feature) gives way to the condition's statement.
		{thinFile, Declined, []string{"HS01", "CA01", "WORST_DAYS_PAST_DUE_24M"}, map[int]string{2: noDPD}},
		// 480 < 650; the 45-day delay meets the condition.
		{struggling, Declined, []string{"PH01", "CA01", "NC01", "EO01"}, nil},
		// 440 < 650 and a 92-day delay: three score reasons (PH01 gives way)
		// and the condition; four in all.
		{defaulted, Declined, []string{"CA01", "NC01", "EO01", "WORST_DAYS_PAST_DUE_24M"}, map[int]string{3: dpd92}},
	} {
		r, fv := score(t, m, tc.p)
		d := Decide(flat, r, fv, nil)
		if d.Outcome != tc.outcome || !slices.Equal(codes(d.Reasons), tc.reasons) {
			t.Errorf("%s: %s %v, want %s %v", tc.p.name, d.Outcome, codes(d.Reasons), tc.outcome, tc.reasons)
			continue
		}
		for i, want := range tc.texts {
			if d.Reasons[i].Text != want || d.Reasons[i].Source != FromProgram || d.Reasons[i].Feature != features.WorstDaysPastDue24m {
				t.Errorf("%s: reason %d = %+v, want text %q from the program", tc.p.name, i, d.Reasons[i], want)
			}
		}
	}
}

// The condition is strict: 59 days passes, 60 does not.
func TestConditionBoundary(t *testing.T) {
	flat := examplePrograms(t)["flat-deposit-free"]
	r := model.Result{Score: 700, Band: "excellent"}
	for dpd, want := range map[float64]string{0: Approved, 59: Approved, 60: Declined, 61: Declined} {
		fv := opencredit.FeatureVector{Values: map[string]float64{features.WorstDaysPastDue24m: dpd}}
		if d := Decide(flat, r, fv, nil); d.Outcome != want {
			t.Errorf("%v days: %s, want %s", dpd, d.Outcome, want)
		}
	}
}

func TestMissingFeature(t *testing.T) {
	r := model.Result{Score: 700, Band: "excellent"}
	empty := opencredit.FeatureVector{Values: map[string]float64{}}
	base := Program{ID: "p", Name: "P", Purpose: opencredit.PurposeRentalDepositWaiver, MinScore: 600}
	for _, tc := range []struct {
		name    string
		cond    Condition
		outcome string
		text    string
	}{
		{"default fails closed", Condition{Feature: features.RentOnTimeRatio12m, Op: GreaterEqual, Value: 0.9},
			Declined, "Rent paid on time in the last 12 months: no data on file; this program requires at least 90% and declines without that data"},
		{"fail", Condition{Feature: features.RentOnTimeRatio12m, Op: GreaterEqual, Value: 0.9, IfMissing: Fail},
			Declined, "Rent paid on time in the last 12 months: no data on file; this program requires at least 90% and declines without that data"},
		{"pass", Condition{Feature: features.RentOnTimeRatio12m, Op: GreaterEqual, Value: 0.9, IfMissing: Pass}, Approved, ""},
		{"label and code", Condition{Feature: features.MonthsOnFile, Op: GreaterEqual, Value: 12, Label: "Time on file", ReasonCode: "FLAT02"},
			Declined, "Time on file: no data on file; this program requires at least 12 months and declines without that data"},
	} {
		p := base
		p.Conditions = []Condition{tc.cond}
		d := Decide(p, r, empty, nil)
		if d.Outcome != tc.outcome {
			t.Errorf("%s: %s, want %s", tc.name, d.Outcome, tc.outcome)
			continue
		}
		if tc.text != "" && (len(d.Reasons) != 1 || d.Reasons[0].Text != tc.text) {
			t.Errorf("%s: reasons %+v, want %q", tc.name, d.Reasons, tc.text)
		}
	}
	// The data present and failing says the value, with the label and code given.
	p := base
	p.Conditions = []Condition{{Feature: features.MonthsOnFile, Op: GreaterEqual, Value: 12, Label: "Time on file", ReasonCode: "FLAT02"}}
	d := Decide(p, r, opencredit.FeatureVector{Values: map[string]float64{features.MonthsOnFile: 1}}, nil)
	want := []Reason{{Code: "FLAT02", Source: FromProgram, Feature: features.MonthsOnFile, Text: "Time on file: 1 month; this program requires at least 12 months"}}
	if !reflect.DeepEqual(d.Reasons, want) {
		t.Errorf("reasons %+v, want %+v", d.Reasons, want)
	}
}

func TestCreditLineLimits(t *testing.T) {
	m, line := testModel(t), examplePrograms(t)["credit-line"]
	for _, tc := range []struct {
		p      person
		income float64 // 0: none given
		limit  float64 // 0: declined
		reason string  // the decline's code
	}{
		// excellent: 2 × income, capped at 5000, rounded down to 50.
		{excellent, 4000, 5000, ""}, // 8000 → cap
		{excellent, 2500, 5000, ""}, // exactly the cap
		{excellent, 1234, 2450, ""}, // 2468 → 2450
		{excellent, 0, 0, CodeNoIncome},
		// very good: min(2500, 1 × income).
		{latePayer, 4000, 2500, ""},
		{latePayer, 1999, 1950, ""},
		// good: min(1000, 0.5 × income).
		{thinFile, 1500, 750, ""},
		{thinFile, 3000, 1000, ""},
		{thinFile, 150, 0, CodeIncomeTooLow}, // 75 → 50 < minimum 100
		{thinFile, -10, 0, CodeNoIncome},     // not an income
		// poor: below the minimum score; the income does not matter.
		{struggling, 9000, 0, "PH01"},
	} {
		r, fv := score(t, m, tc.p)
		var inc *float64
		if tc.income != 0 {
			inc = f64(tc.income)
		}
		d := Decide(line, r, fv, inc)
		switch {
		case tc.limit > 0 && (d.Outcome != Approved || d.Limit == nil || *d.Limit != tc.limit || d.Currency != "EUR"):
			t.Errorf("%s, income %v: %s limit %v %+v; want approved at %v", tc.p.name, tc.income, d.Outcome, d.Limit, d.Reasons, tc.limit)
		case tc.limit == 0 && (d.Outcome != Declined || d.Limit != nil || len(d.Reasons) == 0 || d.Reasons[0].Code != tc.reason):
			t.Errorf("%s, income %v: %s limit %v %+v; want declined for %s", tc.p.name, tc.income, d.Outcome, d.Limit, d.Reasons, tc.reason)
		}
	}
	r, fv := score(t, m, thinFile)
	d := Decide(line, r, fv, f64(150))
	if want := "Verified monthly income: EUR 150; at 0.5× income the credit line would be EUR 50, below this program's smallest line of EUR 100"; d.Reasons[0].Text != want {
		t.Errorf("income too low: %q, want %q", d.Reasons[0].Text, want)
	}
}

func TestLimitIncomeSources(t *testing.T) {
	line := examplePrograms(t)["credit-line"]
	l := *line.Limit
	l.IncomeFeature = "verified_monthly_income"
	line.Limit = &l
	r := model.Result{Score: 800, Band: "excellent"}
	fv := opencredit.FeatureVector{Values: map[string]float64{"verified_monthly_income": 1000}}
	if d := Decide(line, r, fv, nil); d.Limit == nil || *d.Limit != 2000 {
		t.Errorf("income from the feature: %s %v %+v, want 2000", d.Outcome, d.Limit, d.Reasons)
	}
	// The caller's income wins over the feature.
	if d := Decide(line, r, fv, f64(2000)); d.Limit == nil || *d.Limit != 4000 {
		t.Errorf("income given: %v, want 4000", d.Limit)
	}
	// Without income, band_amount grants the band's amount.
	l2 := *examplePrograms(t)["credit-line"].Limit
	l2.WithoutIncome = NoIncomeBandAmount
	l2.Bands = map[string]BandLimit{"very good": {Amount: 2500, IncomeMultiple: 1}, "excellent": {Amount: 7000, IncomeMultiple: 2}}
	line.Limit = &l2
	for band, want := range map[string]float64{"very good": 2500, "excellent": 5000} {
		if d := Decide(line, model.Result{Score: 690, Band: band}, opencredit.FeatureVector{}, nil); d.Limit == nil || *d.Limit != want {
			t.Errorf("band_amount, %s: %v %+v, want %v", band, d.Limit, d.Reasons, want)
		}
	}
	// A band with no row is declined, and the score's factors say why the
	// score sits in that band.
	reasons := []model.Reason{{Code: "CA01", Feature: features.RevolvingUtilisation, Text: "Share of revolving credit in use: 0.7 or more", PointsLost: 80}}
	d := Decide(line, model.Result{Score: 640, Band: "good", Reasons: reasons}, opencredit.FeatureVector{}, nil)
	if d.Outcome != Declined || !slices.Equal(codes(d.Reasons), []string{CodeBandNotOffered, "CA01"}) ||
		d.Reasons[0].Text != "Score band: good; this program offers a credit line only in the bands excellent, very good" {
		t.Errorf("band not offered: %s %+v", d.Outcome, d.Reasons)
	}
}

// However many rules fail, a decline gives at most four reasons, each from
// the score's own reasons or a failed rule, and every failed rule keeps a
// place.
func TestReasonsAtMostFourFromResult(t *testing.T) {
	m := testModel(t)
	p := Program{ID: "strict", Name: "Strict", Purpose: opencredit.PurposeCreditApplication, MinScore: 900, Conditions: []Condition{
		{Feature: features.Defaults7y, Op: Equal, Value: 0},
		{Feature: features.MissedPayments12m, Op: LessEqual, Value: 1},
		{Feature: features.HardInquiries12m, Op: Less, Value: 3},
		{Feature: features.OpenAccounts, Op: Greater, Value: 0},
		{Feature: features.IdentityLevel, Op: GreaterEqual, Value: 2},
	}}
	for _, who := range []person{excellent, latePayer, thinFile, struggling, defaulted} {
		r, fv := score(t, m, who)
		d := Decide(p, r, fv, nil)
		if d.Outcome != Declined || len(d.Reasons) == 0 || len(d.Reasons) > model.MaxReasons {
			t.Errorf("%s: %s with %d reasons", who.name, d.Outcome, len(d.Reasons))
		}
		scored := 0
		for _, reason := range d.Reasons {
			switch reason.Source {
			case FromScore:
				scored++
				if len(r.Reasons) == 0 && (reason.Code == CodeScoreNoFactor || strings.HasPrefix(reason.Code, "DIM_")) {
					continue // TestNeverScoreAlone
				}
				if !slices.ContainsFunc(r.Reasons, func(mr model.Reason) bool {
					return mr.Code == reason.Code && mr.Text == reason.Text && mr.Feature == reason.Feature && mr.PointsLost == reason.PointsLost
				}) {
					t.Errorf("%s: reason %+v is not one of the result's %+v", who.name, reason, r.Reasons)
				}
			case FromProgram:
				if !slices.ContainsFunc(p.Conditions, func(c Condition) bool { return c.Feature == reason.Feature }) {
					t.Errorf("%s: reason %+v is from no condition", who.name, reason)
				}
			default:
				t.Errorf("%s: reason %+v has no source", who.name, reason)
			}
			if strings.Contains(strings.ToLower(reason.Text), "insufficient") {
				t.Errorf("%s: %q", who.name, reason.Text)
			}
		}
		// Every condition fails (all these features are missing), and the
		// score is below 900 whenever the result has reasons: both kinds
		// appear.
		if len(r.Reasons) > 0 && (scored == 0 || scored == len(d.Reasons)) {
			t.Errorf("%s: %d of %d reasons from the score; both kinds must appear: %v", who.name, scored, len(d.Reasons), codes(d.Reasons))
		}
	}
}

// A score below the minimum with no factor that lost points — a model whose
// best is below the program's minimum — still gives specific reasons: the
// weakest dimensions, else a statement that no factor lost points.
func TestNeverScoreAlone(t *testing.T) {
	bike := examplePrograms(t)["bike-deposit-free"]
	r := model.Result{Score: 560, Band: "fair", Dimensions: []model.DimensionScore{
		{Dimension: "payment_history", Score: 100}, {Dimension: "capacity", Score: 62.5}, {Dimension: "new_credit", Score: 40},
	}}
	d := Decide(bike, r, opencredit.FeatureVector{}, nil)
	want := []string{"New credit: 40% of the points available earned", "Capacity: 62.5% of the points available earned"}
	var got []string
	for _, x := range d.Reasons {
		got = append(got, x.Text)
	}
	if d.Outcome != Declined || !slices.Equal(got, want) {
		t.Errorf("dimensions: %s %q, want %q", d.Outcome, got, want)
	}
	d = Decide(bike, model.Result{Score: 560, Band: "fair"}, opencredit.FeatureVector{}, nil)
	if d.Outcome != Declined || len(d.Reasons) != 1 || d.Reasons[0].Code != CodeScoreNoFactor {
		t.Errorf("no factor: %s %+v", d.Outcome, d.Reasons)
	}
}

// The decision keeps its own copy of the score's reasons: a scorer reusing
// the result (model.ScoreInto) does not change a decision already made.
func TestDecisionOwnsReasons(t *testing.T) {
	m := testModel(t)
	bike := examplePrograms(t)["bike-deposit-free"]
	r, fv := score(t, m, struggling)
	d := Decide(bike, r, fv, nil)
	before := d.KeyFactors[0].Text
	r.Reasons[0].Text = "changed"
	if d.KeyFactors[0].Text != before || d.Reasons[0].Text != before {
		t.Fatal("the decision shares the result's reasons")
	}
}

// A program that was never validated is refused at the point of decision:
// Decide panics rather than decide for a refused purpose.
func TestDecideRefusesInvalidProgram(t *testing.T) {
	for _, p := range []Program{
		{ID: "jobs", Name: "Hiring", Purpose: "employment", MinScore: 600},
		{ID: "x", Name: "X", Purpose: opencredit.PurposeCreditApplication, MinScore: 600, Conditions: []Condition{{Feature: features.Defaults7y, Op: "=~", Value: 0}}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: Decide did not panic", p.ID)
				}
			}()
			Decide(p, model.Result{Score: 900}, opencredit.FeatureVector{}, nil)
		}()
	}
}
