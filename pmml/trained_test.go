package pmml

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/ebm"
	"github.com/opencredit/opencredit/model"
)

// trainedEBM trains an explainable boosting machine with three pairs on
// 4,000 made-up rows, seeded, as the CLI would: fine numeric bins, a
// categorical feature with 40 categories (more than an axis keeps, so a
// pair's other bin lists categories; the rarest go to the feature's other
// bin), missing values in every feature, and interactions in the truth so
// that the pairs are not flat.
func trainedEBM(t testing.TB) *model.Model {
	t.Helper()
	const n = 4000
	rng := rand.New(rand.NewPCG(41, 42))
	missed, util, tenure := make([]float64, n), make([]float64, n), make([]float64, n)
	region := make([]string, n)
	logit := make([]float64, n)
	for i := range n {
		missed[i] = float64(min(rng.IntN(8), rng.IntN(8)))
		util[i] = math.Round(rng.Float64()*1200) / 1000
		tenure[i] = float64(rng.IntN(121))
		r := min(rng.IntN(40), rng.IntN(40)) // skewed: low codes common, high ones rare
		region[i] = fmt.Sprintf("r%02d", r)
		logit[i] = -1.5 + 0.35*missed[i] + math.Sin(3*util[i]) - tenure[i]/100
		if r%3 == 0 && util[i] > 0.6 {
			logit[i] += 1
		}
		if tenure[i] < 24 && util[i] > 0.9 {
			logit[i] += 0.8
		}
		switch rng.IntN(40) {
		case 0:
			util[i] = math.NaN()
		case 1:
			tenure[i] = math.NaN()
		case 2:
			region[i] = ""
		case 3:
			missed[i] = math.NaN()
		}
	}
	y := make([]float64, n)
	for i, l := range logit {
		if rng.Float64() < 1/(1+math.Exp(-l)) {
			y[i] = 1
		}
	}
	num := func(name string, x []float64) *dataset.Column {
		c := &dataset.Column{Name: name, Kind: dataset.Numeric, Num: x, Miss: make([]bool, n), Integer: true}
		for i, v := range x {
			c.Miss[i] = math.IsNaN(v)
			if !c.Miss[i] && v != math.Trunc(v) {
				c.Integer = false
			}
		}
		return c
	}
	reg := &dataset.Column{Name: "region", Kind: dataset.Categorical, Str: region, Miss: make([]bool, n)}
	for i, s := range region {
		reg.Miss[i] = s == ""
	}
	cols := []*dataset.Column{num("missed_payments_12m", missed), num("utilisation", util), num("tenure_months", tenure), reg}
	cfg := ebm.DefaultConfig()
	cfg.Interactions = 3
	cfg.Seed = 7
	m, err := ebm.Train(cols, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.Target = "default" // the CLI records it from the file
	if len(m.Pairs) == 0 {
		t.Fatal("the trained model has no pairs; the test needs some")
	}
	return m
}
