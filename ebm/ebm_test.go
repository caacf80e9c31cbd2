package ebm_test

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/ebm"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/pmml"
	"github.com/opencredit/opencredit/report"
	"github.com/opencredit/opencredit/training"
)

func train(t *testing.T, cols []*dataset.Column, y []float64, cfg ebm.Config) *model.Model {
	t.Helper()
	m, err := ebm.Train(cols, y, cfg)
	if err != nil {
		t.Fatalf("seed %d: %v", cfg.Seed, err)
	}
	return m
}

// TestRecoversAdditiveShapes: with logit = −1 + f1(x1) + f2(x2), f1 a step
// of +1.2 at x1 = 5 and f2(x) = 0.8·sin(x), on 20,000 rows, every bin
// holding at least 500 training rows and not straddling the step must have
// a centred logit within 0.15 of the centred truth at the bin's midpoint,
// and the mean error over those bins must be below 0.06. The tolerance is
// about two standard errors of a log-odds estimated from 500 rows at a bad
// rate near 30% (1/√(500·0.3·0.7) = 0.098), less the pooling that
// neighbouring bins give a smooth shape.
func TestRecoversAdditiveShapes(t *testing.T) {
	const n = 20000
	rng := rand.New(rand.NewPCG(11, 12))
	x1, x2, logit := make([]float64, n), make([]float64, n), make([]float64, n)
	f1 := func(x float64) float64 {
		if x >= 5 {
			return 1.2
		}
		return 0
	}
	f2 := func(x float64) float64 { return 0.8 * math.Sin(x) }
	for i := range n {
		x1[i] = rng.Float64() * 10
		x2[i] = rng.Float64()*6 - 3
		logit[i] = -1 + f1(x1[i]) + f2(x2[i])
	}
	cols := []*dataset.Column{numeric("x1", x1), numeric("x2", x2)}
	m := train(t, cols, outcomes(rng, logit), ebm.DefaultConfig())
	for j, truth := range []func(float64) float64{f1, f2} {
		f := &m.Features[j]
		var mean float64
		for i := range n {
			mean += truth(cols[j].Num[i]) / n
		}
		var sumErr float64
		var bins int
		for k, b := range f.Bins {
			if b.Missing || b.Count < 500 {
				continue
			}
			lo, hi := *b.Lower, *b.Upper // well-populated bins are interior
			if j == 0 && lo < 5 && hi > 5 {
				continue
			}
			want := truth((lo+hi)/2) - mean
			if j == 1 {
				// A merged bin of the smooth curve holds its average, not its midpoint.
				want = 0
				for s := range 100 {
					want += truth(lo+(hi-lo)*(float64(s)+0.5)/100) / 100
				}
				want -= mean
			}
			err := math.Abs(b.Logit - want)
			if err > 0.15 {
				t.Errorf("%s bin %d %s: logit %.3f, truth %.3f", f.Name, k, f.BinLabel(k), b.Logit, want)
			}
			sumErr += err
			bins++
		}
		if bins < 3 {
			t.Fatalf("%s: only %d well-populated bins: %s", f.Name, bins, m.Table())
		}
		t.Logf("%s: mean error %.3f over %d bins", f.Name, sumErr/float64(bins), bins)
		if e := sumErr / float64(bins); e > 0.06 {
			t.Errorf("%s: mean error %.3f over %d bins", f.Name, e, bins)
		}
	}
}

// monotoneIn reports whether the logits and points of f's value bins, in
// order, follow trend (ascending: log-odds of default never falls).
func monotoneIn(f *model.Feature, trend string) bool {
	var prev *model.Bin
	for k := range f.Bins {
		b := &f.Bins[k]
		if b.Missing {
			continue
		}
		if prev != nil {
			up := b.Logit >= prev.Logit && b.Points <= prev.Points
			down := b.Logit <= prev.Logit && b.Points >= prev.Points
			if (trend == training.Ascending && !up) || (trend == training.Descending && !down) {
				return false
			}
		}
		prev = b
	}
	return true
}

// TestMonotoneByDefault: the registry features missed_payments_12m and
// on_time_payment_ratio_24m come out monotone although the data have a dip
// against the trend, for many seeds; a spec trend constrains any feature and
// "none" lifts the default.
func TestMonotoneByDefault(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		cols, y := creditLike(seed, 3000)
		cfg := ebm.DefaultConfig()
		cfg.Seed = seed
		cfg.Spec = training.Spec{Features: map[string]training.FeatureSpec{"utilisation_band": {Trend: training.Ascending}}}
		m := train(t, cols, y, cfg)
		want := map[string]string{
			"missed_payments_12m":       training.Ascending,
			"on_time_payment_ratio_24m": training.Descending,
			"utilisation_band":          training.Ascending,
		}
		for _, f := range m.Features {
			if w, ok := want[f.Name]; ok {
				if f.Trend != w || !monotoneIn(&f, w) {
					t.Errorf("seed %d: %s (trend %q) is not %s:\n%s", seed, f.Name, f.Trend, w, m.Table())
				}
			}
		}
	}
	// Spec cuts with an empty bin between them (the ratios are whole
	// hundredths): the empty bin may not break the trend.
	cols, y := creditLike(2, 3000)
	cfg := ebm.DefaultConfig()
	cfg.Spec = training.Spec{Features: map[string]training.FeatureSpec{"on_time_payment_ratio_24m": {Cuts: []float64{0.2, 0.301, 0.309, 0.7}}}}
	m := train(t, cols, y, cfg)
	if f := m.Features[1]; !monotoneIn(&f, training.Descending) || len(f.Bins) > 6 {
		t.Errorf("spec cuts: %s is not monotone or has more than the 5 bins and missing the spec gives:\n%s", f.Name, m.Table())
	}

	cols, y = creditLike(1, 3000)
	cfg = ebm.DefaultConfig()
	cfg.Spec = training.Spec{Features: map[string]training.FeatureSpec{"missed_payments_12m": {Trend: training.None}}}
	m = train(t, cols, y, cfg)
	if f := m.Features[0]; f.Trend != training.None || monotoneIn(&f, training.Ascending) {
		t.Errorf("trend none: %s has trend %q and is still monotone; the dip at 3 should show:\n%s", f.Name, f.Trend, m.Table())
	}
}

// TestReasonsSumExactly: for every row, the points lost on all features sum
// to the best possible score minus the score before clipping, and with at
// most four features the reasons are exactly those losses, each the
// feature's best points minus the points earned.
func TestReasonsSumExactly(t *testing.T) {
	cols, y := creditLike(3, 4000)
	cfg := ebm.DefaultConfig()
	cfg.Interactions = 0 // main effects only; TestPairReasonsSumExactly covers pairs
	m := train(t, cols, y, cfg)
	if len(m.Features) > model.MaxReasons {
		t.Fatalf("%d features; the test needs at most %d", len(m.Features), model.MaxReasons)
	}
	best := m.BasePoints
	for j := range m.Features {
		best += m.Features[j].MaxPoints()
	}
	var r model.Result
	for i := range y {
		if err := m.ScoreInto(rowValues(m, cols, i), &r); err != nil {
			t.Fatal(err)
		}
		raw := m.BasePoints
		logit := m.Intercept
		for j, p := range r.Points {
			raw += p
			logit += m.Features[j].Bins[r.Bins[j]].Logit
		}
		lost := 0
		for _, reason := range r.Reasons {
			j := featureIndex(m, reason.Feature)
			if reason.PointsLost != m.Features[j].MaxPoints()-r.Points[j] {
				t.Fatalf("row %d: reason %+v, feature earned %d of %d", i, reason, r.Points[j], m.Features[j].MaxPoints())
			}
			lost += reason.PointsLost
		}
		if lost != best-raw {
			t.Fatalf("row %d: reasons lose %d points, best %d − score %d = %d", i, lost, best, raw, best-raw)
		}
		if r.Score != min(max(raw, m.Scaling.Min), m.Scaling.Max) {
			t.Fatalf("row %d: score %d, raw %d", i, r.Score, raw)
		}
		if math.Abs(r.PD-1/(1+math.Exp(-logit))) > 1e-12 {
			t.Fatalf("row %d: PD %v, logit %v", i, r.PD, logit)
		}
	}
}

func featureIndex(m *model.Model, name string) int {
	for j := range m.Features {
		if m.Features[j].Name == name {
			return j
		}
	}
	return -1
}

// TestPointsFollowScaling: base + Σ points equals offset + factor · ln(odds
// good) up to rounding: less than a point per feature and per pair
// (roundPoints keeps each within one of its exact value), half a point for
// the base.
func TestPointsFollowScaling(t *testing.T) {
	cols, y := creditLike(4, 3000)
	m := train(t, cols, y, ebm.DefaultConfig())
	s := m.Scaling
	var r model.Result
	for i := 0; i < len(y); i += 7 {
		if err := m.ScoreInto(rowValues(m, cols, i), &r); err != nil {
			t.Fatal(err)
		}
		raw, logit := m.BasePoints, m.Intercept
		for j, p := range r.Points {
			raw += p
			logit += m.Features[j].Bins[r.Bins[j]].Logit
		}
		for k, p := range r.PairPoints {
			raw += p
			logit += m.Pairs[k].Logit[r.PairCells[k][0]][r.PairCells[k][1]]
		}
		exact := s.Offset() - s.Factor()*logit
		if d := math.Abs(float64(raw) - exact); d > float64(len(m.Features)+len(m.Pairs))+0.5 {
			t.Fatalf("row %d: points %d, exact %.2f", i, raw, exact)
		}
	}
}

// TestDeterministic: the same seed gives the same model bytes, pairs
// included, with one worker or two; another seed gives another model.
func TestDeterministic(t *testing.T) {
	cols, y := creditLike(5, 3000)
	encode := func(seed uint64, workers int) []byte {
		cfg := ebm.DefaultConfig()
		cfg.Seed, cfg.Workers, cfg.Interactions = seed, workers, 2
		m := train(t, cols, y, cfg)
		m.CreatedAt = time.Time{}
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	one, two := encode(42, 1), encode(42, 2)
	if !bytes.Equal(one, two) {
		t.Errorf("seed 42: one worker and two workers give different models")
	}
	if !bytes.Equal(two, encode(42, 2)) {
		t.Errorf("seed 42: two runs give different models")
	}
	if bytes.Equal(one, encode(43, 2)) {
		t.Errorf("seeds 42 and 43 give the same model: the seed is not used")
	}
}

// TestCategories: rare categories share the other bin with categories never
// seen in training; missing values have their own bin.
func TestCategories(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	n := 4000
	s, logit := make([]string, n), make([]float64, n)
	for i := range n {
		switch k := rng.IntN(100); {
		case k < 45:
			s[i], logit[i] = "A", -2
		case k < 90:
			s[i], logit[i] = "B", 0
		case k < 98:
			s[i], logit[i] = "", -1
		default:
			s[i], logit[i] = []string{"r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"}[rng.IntN(8)], -1
		}
	}
	cols := []*dataset.Column{categorical("kind", s)}
	cfg := ebm.DefaultConfig()
	cfg.MinCategoryRows = 20 // each rare one holds about 10 rows
	m := train(t, cols, outcomes(rng, logit), cfg)
	f := &m.Features[0]
	a, b := f.Bins[m.BinOf(0, model.Cat("A"))], f.Bins[m.BinOf(0, model.Cat("B"))]
	other, unseen := m.BinOf(0, model.Cat("r3")), m.BinOf(0, model.Cat("never seen"))
	if other != unseen || !f.Bins[other].Other {
		t.Errorf("rare category in bin %d, unseen in bin %d, want the same other bin:\n%s", other, unseen, m.Table())
	}
	if !f.Bins[m.BinOf(0, model.MissingValue())].Missing {
		t.Errorf("missing value not in the missing bin")
	}
	if !(a.Points > b.Points+100) {
		t.Errorf("A (log-odds −2) earns %d points, B (0) %d: want A ≈ 144 points ahead", a.Points, b.Points)
	}
}

// TestAgeRule: an allowed age column must give applicants aged 62 or more no
// fewer points than younger ones (12 CFR 1002.6(b)(2)(iv)), and is cut at 62.
func TestAgeRule(t *testing.T) {
	run := func(elderEffect float64) (*model.Model, error) {
		rng := rand.New(rand.NewPCG(3, 4))
		n := 6000
		age, noise, logit := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range n {
			age[i] = float64(20 + rng.IntN(60))
			noise[i] = rng.Float64()
			logit[i] = -1.5
			if age[i] >= 62 {
				logit[i] += elderEffect
			}
		}
		cfg := ebm.DefaultConfig()
		cfg.AgeColumns = []string{"age"}
		cfg.Interactions = 1 // age may not be in a pair: there is no other candidate
		return ebm.Train([]*dataset.Column{numeric("age", age), numeric("noise", noise)}, outcomes(rng, logit), cfg)
	}
	if _, err := run(1.0); opencredit.ErrorCode(err) != opencredit.EREFUSED || !strings.Contains(err.Error(), "1002.6") {
		t.Errorf("elderly applicants riskier: %v, want refused under 12 CFR 1002.6", err)
	}
	m, err := run(-1.0)
	if err != nil {
		t.Fatalf("elderly applicants safer: %v", err)
	}
	if len(m.Pairs) != 0 {
		t.Errorf("age is in pair %s", m.Pairs[0].Name())
	}
	f := &m.Features[0]
	if b := f.Bins[m.BinOf(0, model.Num(62))]; b.Lower == nil || *b.Lower != 62 {
		t.Errorf("age 62 falls in %s, want a bin starting at 62", f.BinLabel(m.BinOf(0, model.Num(62))))
	}
}

// TestArtifactAndExports: an EBM model saves, loads and scores the same,
// exports to PMML and prints as a report, unchanged from a scorecard's path.
func TestArtifactAndExports(t *testing.T) {
	cols, y := creditLike(6, 3000)
	m := train(t, cols, y, ebm.DefaultConfig())
	if m.Kind != "ebm" {
		t.Errorf("kind %q", m.Kind)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := model.Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(y); i += 13 {
		a, err1 := m.Score(rowValues(m, cols, i))
		b, err2 := back.Score(rowValues(back, cols, i))
		if err1 != nil || err2 != nil || a.Score != b.Score || a.PD != b.PD {
			t.Fatalf("row %d: %v/%v, scores %d/%d", i, err1, err2, a.Score, b.Score)
		}
	}
	buf.Reset()
	m.Target = "default" // the CLI records it from the file
	if err := pmml.Export(&buf, m); err != nil {
		t.Errorf("pmml: %v", err)
	}
	buf.Reset()
	if err := report.WriteModelText(&buf, m); err != nil || !strings.Contains(buf.String(), "missed_payments_12m") {
		t.Errorf("report: %v", err)
	}
}

// TestConfigErrors: every bad option is refused with a message naming it.
func TestConfigErrors(t *testing.T) {
	cols, y := creditLike(1, 200)
	for _, tc := range []struct {
		name string
		edit func(*ebm.Config)
		want string
	}{
		{"max bins", func(c *ebm.Config) { c.MaxBins = 2 }, "max bins"},
		{"too many bins", func(c *ebm.Config) { c.MaxBins = 70000 }, "max bins"},
		{"rare share", func(c *ebm.Config) { c.RareShare = 1 }, "rare share"},
		{"learning rate", func(c *ebm.Config) { c.LearningRate = 0 }, "learning rate"},
		{"learning rate NaN", func(c *ebm.Config) { c.LearningRate = math.NaN() }, "learning rate"},
		{"leaves", func(c *ebm.Config) { c.MaxLeaves = 1 }, "max leaves"},
		{"min samples", func(c *ebm.Config) { c.MinSamplesLeaf = 0 }, "min samples"},
		{"rounds", func(c *ebm.Config) { c.MaxRounds = 0 }, "max rounds"},
		{"patience", func(c *ebm.Config) { c.EarlyStoppingRounds = 0 }, "early stopping rounds"},
		{"validation", func(c *ebm.Config) { c.ValidationShare = 0.9 }, "validation share"},
		{"bags", func(c *ebm.Config) { c.Bags = -1 }, "bags"},
		{"interactions", func(c *ebm.Config) { c.Interactions = -1 }, "interactions"},
		{"interaction bins", func(c *ebm.Config) { c.MaxInteractionBins = 2 }, "max interaction bins"},
		{"scaling", func(c *ebm.Config) { c.Scaling.PDO = 0 }, "pdo"},
		{"bands", func(c *ebm.Config) { c.Bands = nil }, "bands"},
		{"spec", func(c *ebm.Config) {
			c.Spec = training.Spec{Features: map[string]training.FeatureSpec{"x": {Trend: "sideways"}}}
		}, "sideways"},
		{"categorical cuts", func(c *ebm.Config) {
			c.Spec = training.Spec{Features: map[string]training.FeatureSpec{"region": {Cuts: []float64{1}}}}
		}, "categorical"},
	} {
		cfg := ebm.DefaultConfig()
		tc.edit(&cfg)
		_, err := ebm.Train(cols, y, cfg)
		if opencredit.ErrorCode(err) != opencredit.EINVALID || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an invalid-input error naming %q", tc.name, err, tc.want)
		}
	}
	if _, err := ebm.Train(cols, make([]float64, len(y)), ebm.DefaultConfig()); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("no bads: %v", err)
	}
	if _, err := ebm.Train(nil, y, ebm.DefaultConfig()); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("no features: %v", err)
	}
	if _, err := ebm.Train(cols, y[:10], ebm.DefaultConfig()); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("short outcome: %v", err)
	}
}
