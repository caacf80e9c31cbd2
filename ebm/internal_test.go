package ebm

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/training"
)

// TestQuantileCuts: ties never straddle a cut, a heavy tie fills one bin and
// the remaining rows are spread evenly; few distinct values get a bin each.
func TestQuantileCuts(t *testing.T) {
	col := func(x []float64) *dataset.Column {
		return &dataset.Column{Kind: dataset.Numeric, Num: x, Miss: make([]bool, len(x))}
	}
	if got := quantileCuts(col([]float64{3, 1, 2, 2, 1, 3, 3}), 10); !slices.Equal(got, []float64{2, 3}) {
		t.Errorf("three values: cuts %v", got)
	}
	// 500 zeros then 1..500: the zeros are one bin, the rest four of 125.
	x := make([]float64, 1000)
	for i := 500; i < 1000; i++ {
		x[i] = float64(i - 499)
	}
	if got := quantileCuts(col(x), 5); !slices.Equal(got, []float64{1, 126, 251, 376}) {
		t.Errorf("heavy tie: cuts %v", got)
	}
	if got := quantileCuts(col([]float64{5, 5, 5}), 10); len(got) != 0 {
		t.Errorf("constant: cuts %v", got)
	}
}

// TestIsotonic: pool-adjacent-violators against values worked by hand.
func TestIsotonic(t *testing.T) {
	s := []float64{1, 3, 2, 4, 0}
	w := []float64{1, 1, 1, 1, 3}
	isotonic(s, w, true, make([]pavBlock, len(s)))
	// [1] [3 2] → 2.5; then 4 and 0 (weight 3) pool with 2.5s: (2.5·2 + 4 + 0)/6 = 1.5.
	if want := []float64{1, 1.5, 1.5, 1.5, 1.5}; !slices.Equal(s, want) {
		t.Errorf("ascending: %v, want %v", s, want)
	}
	s = []float64{1, 3, 2}
	isotonic(s, []float64{1, 1, 2}, false, make([]pavBlock, 3))
	if want := []float64{2, 2, 2}; !slices.Equal(s, want) {
		t.Errorf("descending: %v, want %v", s, want)
	}
}

// TestLogLoss: the product form matches Σ log(1 + r) / n, even for extreme odds.
func TestLogLoss(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	r := make([]float64, 1001)
	var want float64
	for i := range r {
		r[i] = math.Exp(rng.NormFloat64() * 20)
		want += math.Log1p(r[i]) / float64(len(r))
	}
	if got := logLoss(r); math.Abs(got-want) > 1e-9*want {
		t.Errorf("logLoss %v, want %v", got, want)
	}
}

// TestEveryBagShapeMonotone: the property behind the monotone constraint,
// checked on the raw shape of every bag and not only on the final points:
// for random data whose true effect zigzags, every constrained shape comes
// out of boosting monotone in its declared direction.
func TestEveryBagShapeMonotone(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		n := 2000
		cfg := DefaultConfig()
		cfg.Seed = seed
		trends := []string{training.Ascending, training.Descending, training.Ascending}
		cfg.Spec = training.Spec{Features: map[string]training.FeatureSpec{}}
		var cols []*dataset.Column
		logit := make([]float64, n)
		for j, tr := range trends {
			x := make([]float64, n)
			freq := 1 + rng.Float64()*4
			for i := range x {
				x[i] = rng.Float64() * 10
				if rng.IntN(30) == 0 {
					x[i] = math.NaN()
					continue
				}
				logit[i] += math.Sin(freq * x[i]) // zigzags against any trend
			}
			name := string(rune('a' + j))
			cols = append(cols, &dataset.Column{Name: name, Kind: dataset.Numeric, Num: x, Miss: nanMask(x)})
			cfg.Spec.Features[name] = training.FeatureSpec{Trend: tr}
		}
		y := make([]float64, n)
		for i := range y {
			if rng.Float64() < 1/(1+math.Exp(1-logit[i])) {
				y[i] = 1
			}
		}
		p := &problem{y: y}
		for _, c := range cols {
			f, err := binColumn(c, &cfg)
			if err != nil {
				t.Fatal(err)
			}
			p.feats = append(p.feats, f)
			p.maxNB = max(p.maxNB, f.bins())
		}
		for bag := range 3 {
			res := trainBag[uint8](p, &cfg, bag)
			for j, f := range p.feats {
				s := res.shapes[j][:f.missing()]
				for k := 1; k < len(s); k++ {
					if (f.trend == training.Ascending && s[k] < s[k-1]) || (f.trend == training.Descending && s[k] > s[k-1]) {
						t.Fatalf("seed %d bag %d feature %s (%s): bin %d %.6f after %.6f", seed, bag, f.feature.Name, f.trend, k, s[k], s[k-1])
					}
				}
			}
		}
	}
}

func nanMask(x []float64) []bool {
	m := make([]bool, len(x))
	for i, v := range x {
		m[i] = math.IsNaN(v)
	}
	return m
}
