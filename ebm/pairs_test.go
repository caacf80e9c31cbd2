package ebm_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/ebm"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/training"
)

// termLogit is the model's log-odds for a row minus the intercept.
func termLogit(t *testing.T, m *model.Model, row []model.Value) float64 {
	r, err := m.Score(row)
	if err != nil {
		t.Fatal(err)
	}
	return math.Log(r.PD/(1-r.PD)) - m.Intercept
}

// TestPairRecovered: with logit = −1 + 0.5·[x1 ≥ 5] + 0.3·x2 + 1.2·[x1 ≥ 5
// and x2 ≥ 0.5] and three features of noise, FAST picks (x1, x2) first, and
// the model's interaction contrast — the log-odds at (7, 1.5) − (7, −0.5) −
// ((3, 1.5) − (3, −0.5)) — is 1.2 within 0.3 (each of the four points is
// estimated from about 2,000 rows).
func TestPairRecovered(t *testing.T) {
	const n = 16000
	rng := rand.New(rand.NewPCG(21, 22))
	x := make([][]float64, 5)
	for j := range x {
		x[j] = make([]float64, n)
	}
	logit := make([]float64, n)
	for i := range n {
		for j := range x {
			x[j][i] = rng.Float64() * 10
		}
		x[1][i] = rng.Float64()*4 - 2
		logit[i] = -1 + 0.3*x[1][i]
		if x[0][i] >= 5 {
			logit[i] += 0.5
			if x[1][i] >= 0.5 {
				logit[i] += 1.2
			}
		}
	}
	var cols []*dataset.Column
	for j, name := range []string{"x1", "x2", "noise1", "noise2", "noise3"} {
		cols = append(cols, numeric(name, x[j]))
	}
	cfg := ebm.DefaultConfig()
	cfg.Interactions = 1
	m := train(t, cols, outcomes(rng, logit), cfg)
	if len(m.Pairs) != 1 || m.Pairs[0].Features != [2]string{"x1", "x2"} {
		t.Fatalf("pairs %+v, want x1 × x2", m.Pairs)
	}
	at := func(a, b float64) float64 {
		return termLogit(t, m, []model.Value{model.Num(a), model.Num(b), model.Num(5), model.Num(5), model.Num(5)})
	}
	contrast := at(7, 1.5) - at(7, -0.5) - (at(3, 1.5) - at(3, -0.5))
	if math.Abs(contrast-1.2) > 0.3 {
		t.Errorf("interaction contrast %.3f, want 1.2 ± 0.3", contrast)
	}
}

// TestPairReasonsSumExactly: with three features and a pair, four terms, the
// reasons are every term that lost points — the pair as a line of its own —
// and sum to the best possible score minus the score before clipping.
func TestPairReasonsSumExactly(t *testing.T) {
	cols, y := creditLike(9, 5000)
	cfg := ebm.DefaultConfig()
	cfg.Interactions = 1
	m := train(t, cols[1:], y, cfg)
	if len(m.Features)+len(m.Pairs) > model.MaxReasons || len(m.Pairs) != 1 {
		t.Fatalf("%d features and %d pairs; the test needs one pair and at most %d terms", len(m.Features), len(m.Pairs), model.MaxReasons)
	}
	best := m.BasePoints + m.Pairs[0].MaxPoints()
	for j := range m.Features {
		best += m.Features[j].MaxPoints()
	}
	var r model.Result
	pairLines := 0
	for i := range y {
		if err := m.ScoreInto(rowValues(m, cols, i), &r); err != nil {
			t.Fatal(err)
		}
		raw := m.BasePoints + r.PairPoints[0]
		for _, p := range r.Points {
			raw += p
		}
		lost := 0
		for _, reason := range r.Reasons {
			lost += reason.PointsLost
			if reason.Feature == m.Pairs[0].Name() {
				pairLines++
				if reason.Code != m.Pairs[0].ReasonCode || reason.PointsLost != m.Pairs[0].MaxPoints()-r.PairPoints[0] {
					t.Fatalf("row %d: pair reason %+v, pair earned %d of %d", i, reason, r.PairPoints[0], m.Pairs[0].MaxPoints())
				}
			}
		}
		if lost != best-raw {
			t.Fatalf("row %d: reasons lose %d points, best %d − score %d = %d", i, lost, best, raw, best-raw)
		}
	}
	if pairLines == 0 {
		t.Errorf("the pair was never a reason")
	}
}

// TestPairKeepsMonotone: a pair with a feature held monotone leaves that
// feature's main effect plus the pair monotone for every value of the other
// feature, in log-odds and in points.
func TestPairKeepsMonotone(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		cols, y := creditLike(seed, 6000)
		cfg := ebm.DefaultConfig()
		cfg.Seed, cfg.Interactions = seed, 4
		m := train(t, cols, y, cfg)
		trends := map[string]string{"missed_payments_12m": training.Ascending, "on_time_payment_ratio_24m": training.Descending}
		grids := map[string][]model.Value{
			"missed_payments_12m":       {model.Num(0), model.Num(1), model.Num(2), model.Num(3), model.Num(4), model.Num(5), model.Num(7)},
			"on_time_payment_ratio_24m": {model.Num(0), model.Num(0.2), model.Num(0.4), model.Num(0.6), model.Num(0.8), model.Num(1)},
			"utilisation_band":          {model.Num(0.1), model.Num(0.5), model.Num(0.9), model.MissingValue()},
			"region":                    {model.Cat("north"), model.Cat("west"), model.Cat("mars"), model.MissingValue()},
		}
		checked := 0
		for _, p := range m.Pairs {
			for k, name := range p.Features {
				trend, ok := trends[name]
				if !ok {
					continue
				}
				other := p.Features[1-k]
				for _, ov := range grids[other] {
					prevLogit, prevPoints := math.Inf(-1), math.MaxInt
					if trend == training.Descending {
						prevLogit, prevPoints = math.Inf(1), math.MinInt
					}
					for _, v := range grids[name] {
						row := make([]model.Value, len(m.Features))
						for j, f := range m.Features {
							switch f.Name {
							case name:
								row[j] = v
							case other:
								row[j] = ov
							default:
								row[j] = model.MissingValue()
							}
						}
						r, err := m.Score(row)
						if err != nil {
							t.Fatal(err)
						}
						j := featureIndex(m, name)
						pi := pairIndex(m, p.Name())
						l := m.Features[j].Bins[r.Bins[j]].Logit + p.Logit[r.PairCells[pi][0]][r.PairCells[pi][1]]
						pts := r.Points[j] + r.PairPoints[pi]
						up := l >= prevLogit-1e-12 && pts <= prevPoints
						down := l <= prevLogit+1e-12 && pts >= prevPoints
						if (trend == training.Ascending && !up) || (trend == training.Descending && !down) {
							t.Errorf("seed %d: %s (%s) with %s = %v: at %v log-odds %.4f points %d after %.4f and %d",
								seed, name, trend, other, ov, v, l, pts, prevLogit, prevPoints)
						}
						prevLogit, prevPoints = l, pts
						checked++
					}
				}
			}
		}
		if seed == 1 && checked == 0 {
			t.Errorf("seed 1: no pair holds a monotone feature; pairs %v", pairNames(m))
		}
	}
}

func pairIndex(m *model.Model, name string) int {
	for p := range m.Pairs {
		if m.Pairs[p].Name() == name {
			return p
		}
	}
	return -1
}

func pairNames(m *model.Model) []string {
	var out []string
	for _, p := range m.Pairs {
		out = append(out, p.Name())
	}
	return out
}
