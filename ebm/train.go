package ebm

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/measure"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/training"
)

// Kind is the model.Model kind of an explainable boosting machine.
const Kind = "ebm"

// Train fits an explainable boosting machine to the candidate features cols
// and outcomes y (1 = bad), as the scorecard's Train takes them, and returns a
// points-table model of kind "ebm". Of the protected-trait rules, which
// package policy applies to the columns beforehand, only the age rule on
// cfg.AgeColumns is Train's. The model depends on cfg.Seed but not on
// cfg.Workers.
func Train(cols []*dataset.Column, y []float64, cfg Config) (*model.Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, opencredit.Errorf(opencredit.EINVALID, "no candidate features")
	}
	var bads int
	for i, v := range y {
		if v != 0 && v != 1 {
			return nil, opencredit.Errorf(opencredit.EINVALID, "ebm: outcome of row %d is %v, want 0 or 1", i, v)
		}
		bads += int(v)
	}
	if bads == 0 || bads == len(y) {
		return nil, opencredit.Errorf(opencredit.EINVALID, "training needs both goods and bads; got %d goods and %d bads", len(y)-bads, bads)
	}
	for _, c := range cols {
		if len(c.Miss) != len(y) {
			return nil, opencredit.Errorf(opencredit.EINVALID, "ebm: column %q has %d rows, the outcome %d", c.Name, len(c.Miss), len(y))
		}
	}
	if cfg.Bags == 0 {
		cfg.Bags = BagsFor(len(y))
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &problem{y: y, feats: make([]*fine, len(cols))}
	var firstErr error
	var mu sync.Mutex
	parallel(len(cols), workers, func(j int) {
		f, err := binColumn(cols[j], &cfg)
		mu.Lock()
		defer mu.Unlock()
		if err != nil && firstErr == nil {
			firstErr = err
		}
		p.feats[j] = f
	})
	if firstErr != nil {
		return nil, firstErr
	}
	for _, f := range p.feats {
		p.maxNB = max(p.maxNB, f.bins())
	}

	bags := make([]bagResult, cfg.Bags)
	parallel(cfg.Bags, workers, func(k int) {
		if p.maxNB <= 256 {
			bags[k] = trainBag[uint8](p, &cfg, k)
		} else {
			bags[k] = trainBag[uint16](p, &cfg, k)
		}
	})
	counts := make([][]int, len(p.feats))
	var intercept float64
	for j, f := range p.feats {
		counts[j] = f.counts
	}
	for _, b := range bags {
		intercept += b.intercept / float64(len(bags))
	}
	shapes, shift := average(bags, counts, len(y))
	intercept += shift
	for j, f := range p.feats {
		// A missing or other bin, or a category, that no training row fell
		// in gets 0: the average effect. An empty value bin between spec
		// cuts keeps what the trees over its neighbours gave it, which keeps
		// a monotone shape monotone.
		for k, c := range f.counts {
			if c == 0 && (!f.ordered() || k == f.missing()) {
				shapes[j][k] = 0
			}
		}
	}
	var growth pairGrowth
	var tables [][]float64
	if cfg.Interactions > 0 {
		logit := filled(len(y), intercept)
		for j, f := range p.feats {
			for i, c := range f.codes {
				logit[i] += shapes[j][c]
			}
		}
		growth = growPairs(p, selectPairs(p, &cfg, logit, workers), logit, &cfg, workers)
		if len(growth.pairs) > 0 {
			counts := make([][]int, len(growth.pairs))
			for k, t := range growth.pairs {
				counts[k] = t.counts
			}
			var shift float64
			tables, shift = average(growth.bags, counts, len(y))
			intercept += shift
		}
	}
	pairs := growth.pairs

	m := &model.Model{
		SchemaVersion: model.SchemaVersion,
		Kind:          Kind,
		CreatedAt:     time.Now().UTC().Truncate(time.Second),
		ToolVersion:   opencredit.Version,
		Scaling:       cfg.Scaling,
		Bands:         cfg.Bands,
		Training:      model.Training{Rows: len(y), Bads: bads, Options: cfg.Options()},
	}
	if cfg.ScaleTail > 0 {
		// The log-odds of good of every training row, shapes and pairs
		// summed, before any rounding to points.
		good := filled(len(y), -intercept)
		for j, f := range p.feats {
			for i, c := range f.codes {
				good[i] -= shapes[j][c]
			}
		}
		for k, t := range pairs {
			for i, c := range t.codes {
				good[i] -= tables[k][c]
			}
		}
		fitted, err := training.FitScaling(good, cfg.Scaling, cfg.ScaleTail)
		if err != nil {
			return nil, err
		}
		cfg.Scaling = fitted
		m.Scaling = cfg.Scaling
	}
	rowLogit, rowScore, err := build(m, p, shapes, pairs, tables, intercept, &cfg)
	if err != nil {
		return nil, err
	}
	m.Derived = cfg.Spec.DerivedFor(m)
	if err := m.Prepare(); err != nil {
		return nil, fmt.Errorf("ebm: trained an invalid model: %w", err)
	}
	for i := range rowLogit {
		rowLogit[i] = 1 / (1 + math.Exp(-rowLogit[i]))
	}
	auc := measure.AUC(rowLogit, y)
	var rounds float64
	for _, b := range bags {
		rounds += float64(b.rounds)
	}
	floor, ceiling := training.ClipShares(rowScore, m.Scaling.Min, m.Scaling.Max)
	m.ScoreCounts = m.Scaling.CountScores(rowScore)
	m.Metrics = map[string]float64{
		"train_auc": auc, "train_gini": 2*auc - 1,
		"bags": float64(cfg.Bags), "mean_rounds": rounds / float64(cfg.Bags),
		"train_floor_share": floor, "train_ceiling_share": ceiling,
	}
	m.Metrics["pairs"] = float64(len(m.Pairs))
	if len(growth.gains) > 0 {
		m.Metrics["pair_waves_tried"] = float64(len(growth.gains))
		m.Metrics["pair_waves_kept"] = float64(growth.kept)
		for w, gain := range growth.gains {
			m.Metrics[fmt.Sprintf("pair_wave_%d_gain", w+1)] = gain
			m.Metrics[fmt.Sprintf("pair_wave_%d_se", w+1)] = growth.ses[w]
		}
	}
	if len(pairs) > 0 {
		m.Metrics["pair_mean_rounds"] = growth.rounds
	}
	return m, nil
}

// average returns the mean over bags of every table (a shape, or a pair's
// cells) and the sum of the weighted means over the training rows that
// centring them to 0 removed, for the intercept; counts[j] are the training
// rows in each bin of table j. Bags are summed in their order, so the result
// does not depend on the workers.
func average(bags []bagResult, counts [][]int, rows int) ([][]float64, float64) {
	n := float64(len(bags))
	tables := make([][]float64, len(counts))
	var shift float64
	for j, cnt := range counts {
		t := make([]float64, len(cnt))
		for _, b := range bags {
			for k, v := range b.shapes[j] {
				t[k] += v / n
			}
		}
		var mean float64
		for k, c := range cnt {
			mean += float64(c) * t[k]
		}
		mean /= float64(rows)
		for k := range t {
			t[k] -= mean
		}
		shift += mean
		tables[j] = t
	}
	return tables, shift
}

// parallel calls fn(0) … fn(n−1) on up to workers goroutines.
func parallel(n, workers int, fn func(int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
