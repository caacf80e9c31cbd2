package ebm_test

import (
	"math"
	"math/rand/v2"

	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/model"
)

// numeric returns a numeric column; NaN values are missing.
func numeric(name string, x []float64) *dataset.Column {
	c := &dataset.Column{Name: name, Kind: dataset.Numeric, Num: x, Miss: make([]bool, len(x)), Integer: true}
	for i, v := range x {
		c.Miss[i] = math.IsNaN(v)
		if !c.Miss[i] && v != math.Trunc(v) {
			c.Integer = false
		}
	}
	return c
}

// categorical returns a categorical column; "" is missing.
func categorical(name string, s []string) *dataset.Column {
	c := &dataset.Column{Name: name, Kind: dataset.Categorical, Str: s, Miss: make([]bool, len(s))}
	for i, v := range s {
		c.Miss[i] = v == ""
	}
	return c
}

// outcomes draws y_i ~ Bernoulli(1/(1+e^−logit_i)).
func outcomes(rng *rand.Rand, logit []float64) []float64 {
	y := make([]float64, len(logit))
	for i, l := range logit {
		if rng.Float64() < 1/(1+math.Exp(-l)) {
			y[i] = 1
		}
	}
	return y
}

// rowValues returns row i of cols as model values in the order of m's features.
func rowValues(m *model.Model, cols []*dataset.Column, i int) []model.Value {
	row := make([]model.Value, len(m.Features))
	for j, f := range m.Features {
		for _, c := range cols {
			if c.Name != f.Name {
				continue
			}
			switch {
			case c.Miss[i]:
				row[j] = model.MissingValue()
			case c.Kind == dataset.Categorical:
				row[j] = model.Cat(c.Str[i])
			default:
				row[j] = model.Num(c.Num[i])
			}
		}
	}
	return row
}

// creditLike makes n rows of four features with known effects, the first
// two named after OpenCredit features whose shapes are monotone by default,
// with a dip against the trend that the constraint must flatten.
func creditLike(seed uint64, n int) ([]*dataset.Column, []float64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	missed, ontime, util, region := make([]float64, n), make([]float64, n), make([]float64, n), make([]string, n)
	logit := make([]float64, n)
	regions := []string{"north", "south", "east", "west", "islands"}
	effect := map[string]float64{"north": -0.3, "south": 0.2, "east": 0, "west": 0.4, "islands": -0.1}
	for i := range n {
		missed[i] = float64(min(rng.IntN(8), rng.IntN(8)))
		ontime[i] = math.Round(rng.Float64()*100) / 100
		util[i] = rng.Float64() * 1.2
		region[i] = regions[rng.IntN(len(regions))]
		// Against the trend: 3 missed payments look safer than 2.
		m := 0.35 * missed[i]
		if missed[i] == 3 {
			m -= 0.6
		}
		logit[i] = -1.5 + m - 1.2*ontime[i] + math.Sin(3*util[i]) + effect[region[i]]
		if rng.IntN(20) == 0 {
			ontime[i] = math.NaN()
		}
	}
	cols := []*dataset.Column{
		numeric("missed_payments_12m", missed),
		numeric("on_time_payment_ratio_24m", ontime),
		numeric("utilisation_band", util),
		categorical("region", region),
	}
	return cols, outcomes(rng, logit)
}
