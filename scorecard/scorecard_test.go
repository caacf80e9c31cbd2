package scorecard

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/training"
)

// TestLogisticClosedForm: with one binary feature the maximum-likelihood fit
// is known in closed form — β0 = logit(bad rate at x=0), β1 = the log odds
// ratio. Here x=0 has 20 bads of 100 and x=1 has 60 bads of 150:
// β0 = ln(20/80) = −1.3862944, β1 = ln(60/90) − ln(20/80) = 0.9808293.
func TestLogisticClosedForm(t *testing.T) {
	var x, y []float64
	add := func(xv float64, bads, n int) {
		for i := 0; i < n; i++ {
			x = append(x, xv)
			if i < bads {
				y = append(y, 1)
			} else {
				y = append(y, 0)
			}
		}
	}
	add(0, 20, 100)
	add(1, 60, 150)
	fit, err := fitLogistic([][]float64{x}, y, 0)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(fit.coef[0]-(-1.3862943611)) > 1e-8 || math.Abs(fit.coef[1]-0.9808292530) > 1e-8 {
		t.Errorf("coefficients %v, want [-1.3862944 0.9808293]", fit.coef)
	}
	// An L2 penalty shrinks the slope towards 0.
	pen, err := fitLogistic([][]float64{x}, y, 50)
	if err != nil {
		t.Fatal(err)
	}
	if !(pen.coef[1] > 0 && pen.coef[1] < fit.coef[1]) {
		t.Errorf("penalised slope %v not in (0, %v)", pen.coef[1], fit.coef[1])
	}
}

func TestLogisticSeparation(t *testing.T) {
	x := []float64{0, 0, 0, 0, 1, 1, 1, 1}
	y := []float64{0, 0, 0, 0, 1, 1, 1, 1}
	_, err := fitLogistic([][]float64{x}, y, 0)
	if err == nil || !strings.Contains(err.Error(), "separated") && !strings.Contains(err.Error(), "did not converge") {
		t.Fatalf("perfect separation: %v", err)
	}
	if opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("code %q", opencredit.ErrorCode(err))
	}
}

// TestPointsByHand: β0 = −1, β1 = −0.8, WoE −0.5, 0.2, 1.0 under the default
// scaling (factor 50/ln 2 = 72.1347520, offset 600 − factor·ln 20 = 383.9035953).
// raw = −factor·β1·WoE = −28.854, 11.542, 57.708; points = raw − min rounded
// = 0, 40, 87; base = offset + factor − 28.854 = 427.18 → 427.
func TestPointsByHand(t *testing.T) {
	m := &model.Model{Scaling: model.DefaultScaling(), Features: []model.Feature{{
		Coefficient: -0.8, Bins: []model.Bin{{WoE: -0.5}, {WoE: 0.2}, {WoE: 1.0}},
	}}}
	assignPoints(m, -1)
	got := []int{m.Features[0].Bins[0].Points, m.Features[0].Bins[1].Points, m.Features[0].Bins[2].Points}
	if got[0] != 0 || got[1] != 40 || got[2] != 87 || m.BasePoints != 427 {
		t.Errorf("points %v base %d, want [0 40 87] base 427", got, m.BasePoints)
	}
	// The score of the best bin is within rounding of offset + factor·ln(odds good).
	exact := m.Scaling.Offset() + m.Scaling.Factor()*(1+0.8*1.0)
	if math.Abs(float64(m.BasePoints+got[2])-exact) > 1 {
		t.Errorf("score %d, exact %v", m.BasePoints+got[2], exact)
	}
}

// synthetic makes n rows where x1 raises risk steadily, x2 is a category
// with three risk levels, x3 is noise, and some x1 values are missing.
func synthetic(n int, seed uint64) ([]*dataset.Column, []float64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	x1 := &dataset.Column{Name: "x1", Kind: dataset.Numeric, Num: make([]float64, n), Miss: make([]bool, n)}
	x2 := &dataset.Column{Name: "x2", Kind: dataset.Categorical, Str: make([]string, n), Miss: make([]bool, n)}
	x3 := &dataset.Column{Name: "x3", Kind: dataset.Numeric, Num: make([]float64, n), Miss: make([]bool, n)}
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		v := rng.Float64() * 100
		x1.Num[i] = math.Round(v)
		cat := []string{"low", "mid", "high", "rare"}[rng.IntN(4)]
		if cat == "rare" && rng.IntN(100) != 0 {
			cat = "mid"
		}
		x2.Str[i] = cat
		x3.Num[i] = rng.NormFloat64()
		eta := -3 + 0.03*v + map[string]float64{"low": -0.7, "mid": 0, "high": 0.8, "rare": 0.5}[cat]
		if rng.IntN(25) == 0 {
			x1.Miss[i] = true
			x1.Num[i] = math.NaN()
			eta += 1
		}
		if rng.Float64() < 1/(1+math.Exp(-eta)) {
			y[i] = 1
		}
	}
	return []*dataset.Column{x1, x2, x3}, y
}

func TestTrainSynthetic(t *testing.T) {
	cols, y := synthetic(20000, 42)
	m, err := Train(cols, y, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Features) != 2 || m.Features[0].Name != "x1" || m.Features[1].Name != "x2" {
		t.Fatalf("features %v, want x1 and x2 (x3 is noise)", m.Features)
	}
	if len(m.Dropped) != 1 || m.Dropped[0].Feature != "x3" || !strings.Contains(m.Dropped[0].Reason, "information value") {
		t.Errorf("dropped %+v, want x3 for its information value", m.Dropped)
	}
	x1 := m.Features[0]
	if x1.Trend != training.Ascending {
		t.Errorf("x1 trend %q, want ascending", x1.Trend)
	}
	// Risk rises with x1: bad rates rise and points fall across its bins.
	for k := 1; k < len(x1.Bins)-1; k++ {
		if !(x1.Bins[k].BadRate > x1.Bins[k-1].BadRate) || x1.Bins[k].Points > x1.Bins[k-1].Points {
			t.Errorf("x1 bin %d: bad rate %.3f after %.3f, points %d after %d", k, x1.Bins[k].BadRate, x1.Bins[k-1].BadRate, x1.Bins[k].Points, x1.Bins[k-1].Points)
		}
	}
	for _, f := range m.Features {
		if f.Coefficient >= 0 {
			t.Errorf("%s: coefficient %v has the wrong sign", f.Name, f.Coefficient)
		}
		share := 0
		for _, b := range f.Bins {
			if b.Points < 0 {
				t.Errorf("%s: negative points %d", f.Name, b.Points)
			}
			if !b.Missing && float64(b.Count) < 0.05*20000 {
				t.Errorf("%s: bin %s holds %d rows, under the 5%% minimum", f.Name, f.BinLabel(share), b.Count)
			}
			share++
		}
	}
	// The rare category is pooled into the "other" bin, which receives unseen categories.
	x2 := m.Features[1]
	other := -1
	for k, b := range x2.Bins {
		if b.Other {
			other = k
		}
	}
	if other < 0 || m.BinOf(1, model.Cat("rare")) != other || m.BinOf(1, model.Cat("never seen")) != other {
		t.Errorf("x2 bins %+v: rare and unseen categories must share the other bin", x2.Bins)
	}
	if auc := m.Metrics["train_auc"]; auc < 0.7 {
		t.Errorf("training AUC %.3f", auc)
	}
}

func TestTrainDeterministic(t *testing.T) {
	cols, y := synthetic(5000, 3)
	a, err := Train(cols, y, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Train(cols, y, DefaultConfig())
	if a.Table() != b.Table() || a.Intercept != b.Intercept {
		t.Error("two trainings on the same data differ")
	}
}

func TestFixedCutsNeverOverridden(t *testing.T) {
	cols, y := synthetic(5000, 9)
	cfg := DefaultConfig()
	cfg.Spec = training.Spec{Features: map[string]training.FeatureSpec{"x1": {Cuts: []float64{10, 50, 51, 90}, Label: "Score x", Dimension: "capacity"}}}
	m, err := Train(cols, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	f := m.Features[0]
	var cuts []float64
	for _, b := range f.Bins {
		if b.Upper != nil {
			cuts = append(cuts, *b.Upper)
		}
	}
	if len(cuts) != 4 || cuts[0] != 10 || cuts[1] != 50 || cuts[2] != 51 || cuts[3] != 90 {
		t.Errorf("cuts %v, want the spec's [10 50 51 90]", cuts)
	}
	if f.Dimension != "capacity" || !strings.HasPrefix(f.Bins[0].Text, "Score x: ") {
		t.Errorf("spec label/dimension not applied: %q %q", f.Dimension, f.Bins[0].Text)
	}
}

// TestAgeRule: a person's age allowed with --allow-age must not cost
// applicants aged 62+ points against younger ones (12 CFR 1002.6(b)(2)(iv)).
func TestAgeRule(t *testing.T) {
	n := 20000
	rng := rand.New(rand.NewPCG(5, 5))
	mk := func(elderRisk float64) ([]*dataset.Column, []float64) {
		age := &dataset.Column{Name: "age", Kind: dataset.Numeric, Num: make([]float64, n), Miss: make([]bool, n), Integer: true}
		y := make([]float64, n)
		for i := range y {
			a := float64(18 + rng.IntN(70))
			age.Num[i] = a
			eta := -1.5 - 0.02*(a-18)
			if a >= 62 {
				eta = elderRisk
			}
			if rng.Float64() < 1/(1+math.Exp(-eta)) {
				y[i] = 1
			}
		}
		return []*dataset.Column{age}, y
	}
	cfg := DefaultConfig()
	cfg.AgeColumns = []string{"age"}
	cols, y := mk(-3) // the elderly are the safest: allowed
	m, err := Train(cols, y, cfg)
	if err != nil {
		t.Fatalf("safe elderly: %v", err)
	}
	for _, b := range m.Features[0].Bins {
		if b.Lower != nil && b.Upper != nil && *b.Lower < 62 && *b.Upper > 62 {
			t.Errorf("bin [%v, %v) straddles 62", *b.Lower, *b.Upper)
		}
	}
	cols, y = mk(0.5) // the elderly are the riskiest: the model would penalise them
	_, err = Train(cols, y, cfg)
	if opencredit.ErrorCode(err) != opencredit.EREFUSED || !strings.Contains(err.Error(), "1002.6(b)(2)(iv)") {
		t.Errorf("risky elderly: want an age-rule refusal, got %v", err)
	}
}

func TestTrainRejects(t *testing.T) {
	cols, y := synthetic(1000, 1)
	for i := range y {
		y[i] = 0
	}
	if _, err := Train(cols, y, DefaultConfig()); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("one class: %v", err)
	}
	cols, y = synthetic(1000, 1)
	cfg := DefaultConfig()
	cfg.MinIV = 10
	if _, err := Train(cols, y, cfg); err == nil || !strings.Contains(err.Error(), "no feature passed selection") {
		t.Errorf("nothing selected: %v", err)
	}
}
