package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
)

// smallInput is eight hand-made rows over the default bands:
//
//	score  400  560  580  610  640  660  720  800
//	PD     .50  .30  .20  .15  .10  .08  .04  .02
//	bad      1    1    0    0    1    0    0    0
//	sex      f    m    f    m    f    m    f    m
func smallInput() Input {
	return Input{
		Title: "Small test", Data: "small.csv",
		Score:  []int{400, 560, 580, 610, 640, 660, 720, 800},
		PD:     []float64{0.5, 0.3, 0.2, 0.15, 0.1, 0.08, 0.04, 0.02},
		Y:      []float64{1, 1, 0, 0, 1, 0, 0, 0},
		Cutoff: 600,
		Audit:  []Attribute{{Name: "sex", Values: []string{"f", "m", "f", "m", "f", "m", "f", "m"}}},
	}
}

func near(got Float, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(float64(got))
	}
	return math.Abs(float64(got)-want) <= tol
}

func TestEvaluate(t *testing.T) {
	e, err := Evaluate(smallInput())
	if err != nil {
		t.Fatal(err)
	}
	if e.Rows != 8 || e.Bads != 3 || !e.HasTarget {
		t.Errorf("rows %d, bads %d, has target %v; want 8, 3, true", e.Rows, e.Bads, e.HasTarget)
	}
	// By hand, all values to ±1e-9:
	// AUC: of the 15 bad–good pairs the bads at 400 and 560 score below all
	// five goods and the bad at 640 below three (660, 720, 800): 13/15.
	// KS: the cumulative shares at or below 560 are 2/3 of bads, no good.
	// Brier: (.25 + .49 + .04 + .0225 + .81 + .0064 + .0016 + .0004) / 8.
	for _, c := range []struct {
		name      string
		got       Float
		want, tol float64
	}{
		{"AUC", e.AUC, 13.0 / 15, 1e-9},
		{"Gini", e.Gini, 2*13.0/15 - 1, 1e-9},
		{"KS", e.KS, 2.0 / 3, 1e-9},
		{"KS score", e.KSScore, 560, 0},
		{"Brier", e.Brier, 1.6209 / 8, 1e-9},
		{"bad rate", e.BadRate, 3.0 / 8, 1e-9},
		{"mean PD", e.MeanPD, 1.39 / 8, 1e-9},
	} {
		if !near(c.got, c.want, c.tol) {
			t.Errorf("%s = %v, want %v ± %g", c.name, c.got, c.want, c.tol)
		}
	}

	// Calibration per default band, by hand: poor holds 400; fair 560, 580;
	// good 610, 640; very good 660; excellent 720, 800.
	want := []struct {
		band         string
		rows, bads   int
		meanPD, rate float64
		lo, hi       int
	}{
		{"poor", 1, 1, 0.5, 1, 350, 549},
		{"fair", 2, 1, 0.25, 0.5, 550, 599},
		{"good", 2, 1, 0.125, 0.5, 600, 649},
		{"very good", 1, 0, 0.08, 0, 650, 699},
		{"excellent", 2, 0, 0.03, 0, 700, 950},
	}
	if len(e.Bands) != len(want) {
		t.Fatalf("%d bands, want %d", len(e.Bands), len(want))
	}
	for k, w := range want {
		b := e.Bands[k]
		if b.Band != w.band || b.Rows != w.rows || b.Bads != w.bads || b.Min != w.lo || b.Max != w.hi {
			t.Errorf("band %d = %+v, want %+v", k, b, w)
		}
		if !near(b.MeanPD, w.meanPD, 1e-9) || !near(b.BadRate, w.rate, 1e-9) {
			t.Errorf("band %s: mean PD %v, bad rate %v; want %v, %v", w.band, b.MeanPD, b.BadRate, w.meanPD, w.rate)
		}
	}

	// Fairness at 600, by hand: f approves 640 and 720 of 400, 580, 640, 720
	// (rate 0.5); m approves 610, 660, 800 of 560, 610, 660, 800 (0.75). f's
	// AIR is 0.5/0.75 = 2/3, below four fifths. Within f the bad at 400
	// scores below both goods and the bad at 640 below 720 only: AUC 3/4;
	// within m the one bad scores lowest: AUC 1.
	if len(e.Fairness) != 1 || len(e.Fairness[0].Groups) != 2 {
		t.Fatalf("fairness = %+v", e.Fairness)
	}
	f, m := e.Fairness[0].Groups[0], e.Fairness[0].Groups[1]
	if f.Group != "f" || f.Rows != 4 || f.Approved != 2 || !f.Flagged || m.Group != "m" || m.Approved != 3 || m.Flagged {
		t.Errorf("fairness groups = %+v, %+v", f, m)
	}
	for _, c := range []struct {
		name string
		got  Float
		want float64
	}{
		{"f approval rate", Float(f.ApprovalRate), 0.5}, {"m approval rate", Float(m.ApprovalRate), 0.75},
		{"f AIR", f.AIR, 2.0 / 3}, {"m AIR", m.AIR, 1},
		{"f mean score", Float(f.MeanScore), 585}, {"m mean score", Float(m.MeanScore), 657.5},
		{"f AUC", f.AUC, 0.75}, {"m AUC", m.AUC, 1},
		{"f bad rate", f.BadRate, 0.5}, {"m bad rate", m.BadRate, 0.25},
	} {
		if !near(c.got, c.want, 1e-9) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}

	// 24 buckets of 25 points from 350; the last holds 925–950.
	if len(e.Histogram) != 24 || e.Histogram[23].Lower != 925 || e.Histogram[23].Upper != 950 {
		t.Errorf("histogram has %d buckets, last %+v", len(e.Histogram), e.Histogram[len(e.Histogram)-1])
	}
	if b := e.Histogram[8]; b.Lower != 550 || b.Rows != 1 || b.Bads != 1 {
		t.Errorf("bucket 550–574 = %+v, want the one bad at 560", b)
	}
	if e.ROC[0].FPR != 0 || e.ROC[len(e.ROC)-1].TPR != 1 {
		t.Errorf("ROC runs from %+v to %+v", e.ROC[0], e.ROC[len(e.ROC)-1])
	}
}

func TestEvaluatePSI(t *testing.T) {
	in := smallInput()
	in.Baseline, in.BaselineName = in.Score, "same.csv"
	e, err := Evaluate(in)
	if err != nil {
		t.Fatal(err)
	}
	// The same scores as baseline: every share matches, PSI 0.
	if e.PSI == nil || !near(e.PSI.PSI, 0, 1e-12) || e.PSI.Reading != "stable" || len(e.PSI.Bins) != 8 {
		t.Fatalf("PSI = %+v", e.PSI)
	}
	// Eight distinct scores give eight decile bins; the first runs from the
	// bottom of the scale to just below the second score.
	if b := e.PSI.Bins[0]; b.Lower != 350 || b.Upper != 559 {
		t.Errorf("first PSI bin = %+v, want 350–559", b)
	}
	in.Baseline = []int{400, 400, 400, 400, 800, 800, 800, 800}
	e, _ = Evaluate(in)
	if !(e.PSI.PSI > 0.25) || e.PSI.Reading != "significant shift" {
		t.Errorf("PSI against a different baseline = %v, %s", e.PSI.PSI, e.PSI.Reading)
	}
}

func TestEvaluateWithoutTarget(t *testing.T) {
	in := smallInput()
	in.Y = nil
	e, err := Evaluate(in)
	if err != nil {
		t.Fatal(err)
	}
	if e.HasTarget || e.Bads != 0 || e.AUC.Valid() || e.KS.Valid() || e.Brier.Valid() || e.ROC != nil {
		t.Errorf("without target: %+v", e)
	}
	if e.Bands[1].Rows != 2 || e.Bands[1].BadRate.Valid() || !near(e.Bands[1].MeanPD, 0.25, 1e-9) {
		t.Errorf("fair band without target = %+v", e.Bands[1])
	}
	if g := e.Fairness[0].Groups[0]; !g.Flagged || g.AUC.Valid() || g.BadRate.Valid() {
		t.Errorf("fairness without target = %+v", g)
	}
	js, err := json.Marshal(e)
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	if !strings.Contains(string(js), `"auc":null`) {
		t.Errorf("JSON does not encode the undefined AUC as null: %s", js)
	}
	var back Evaluation
	if err := json.Unmarshal(js, &back); err != nil || back.AUC.Valid() || back.Rows != 8 {
		t.Errorf("JSON round trip: %v, %+v", err, back)
	}

	var text, page bytes.Buffer
	if err := e.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "no target") || strings.Contains(text.String(), "AUC 0") {
		t.Errorf("text without target:\n%s", text.String())
	}
	checkWidth(t, text.String())
	if err := e.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	svgs := checkHTML(t, page.Bytes())
	if len(svgs) != 1 || svgs[0].title != "Score distribution" {
		t.Errorf("without target the page has charts %v, want the score distribution only", svgs)
	}
}

func TestEvaluateRejects(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Input)
		where string // what the message must name
	}{
		{"no rows", func(in *Input) { in.Score, in.PD, in.Y = nil, nil, nil }, "no rows"},
		{"short PD", func(in *Input) { in.PD = in.PD[:3] }, "probabilities"},
		{"short target", func(in *Input) { in.Y = in.Y[:3] }, "target"},
		{"target 2", func(in *Input) { in.Y[4] = 2 }, "row 5"},
		{"PD NaN", func(in *Input) { in.PD[2] = math.NaN() }, "row 3"},
		{"PD above 1", func(in *Input) { in.PD[0] = 1.5 }, "row 1"},
		{"short attribute", func(in *Input) { in.Audit[0].Values = in.Audit[0].Values[:2] }, `"sex"`},
		{"cut-off 0", func(in *Input) { in.Cutoff = 0 }, "cut-off 0"},
	}
	for _, tt := range tests {
		in := smallInput()
		tt.edit(&in)
		_, err := Evaluate(in)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if opencredit.ErrorCode(err) != opencredit.EINVALID || !strings.Contains(err.Error(), tt.where) {
			t.Errorf("%s: error %q (code %s), want EINVALID naming %s", tt.name, err, opencredit.ErrorCode(err), tt.where)
		}
	}
}

func TestThin(t *testing.T) {
	for _, tt := range []struct{ n, limit, keep int }{{10, 200, -1}, {601, 200, -1}, {601, 200, 333}, {601, 200, 0}, {601, 200, 600}, {1000, 200, 1}} {
		idx := thin(tt.n, tt.limit, tt.keep)
		if len(idx) > tt.limit || idx[0] != 0 || idx[len(idx)-1] != tt.n-1 {
			t.Errorf("thin(%d, %d, %d) has %d points from %d to %d", tt.n, tt.limit, tt.keep, len(idx), idx[0], idx[len(idx)-1])
		}
		found := tt.keep < 0
		for i := range idx {
			if i > 0 && idx[i] <= idx[i-1] {
				t.Errorf("thin(%d, %d, %d) is not increasing at %d", tt.n, tt.limit, tt.keep, i)
			}
			found = found || idx[i] == tt.keep
		}
		if !found {
			t.Errorf("thin(%d, %d, %d) dropped %d", tt.n, tt.limit, tt.keep, tt.keep)
		}
	}
}

func TestEvaluateOneClass(t *testing.T) {
	// A file without a single bad: ranking measures are undefined, the rest
	// still reports.
	in := smallInput()
	in.Y = make([]float64, len(in.Score))
	e, err := Evaluate(in)
	if err != nil {
		t.Fatal(err)
	}
	if e.AUC.Valid() || e.KS.Valid() || e.ROC != nil {
		t.Errorf("one class: AUC %v, KS %v, ROC %v", e.AUC, e.KS, e.ROC)
	}
	// Brier with every row good is the mean squared PD, by hand:
	// (.25 + .09 + .04 + .0225 + .01 + .0064 + .0016 + .0004) / 8.
	if !near(e.Brier, 0.4209/8, 1e-9) {
		t.Errorf("one class: Brier %v, want %v", e.Brier, 0.4209/8)
	}
	var text, page bytes.Buffer
	if err := e.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "AUC n/a") {
		t.Errorf("text does not show the undefined AUC as n/a:\n%s", text.String())
	}
	if err := e.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if svgs := checkHTML(t, page.Bytes()); len(svgs) != 2 {
		t.Errorf("one class: charts %v, want calibration and distribution", svgs)
	}
}
