package scorecard

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/measure"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/policy"
	"github.com/opencredit/opencredit/training"
)

// Train fits a scorecard to the candidate features cols and outcomes y (1 =
// bad). Protected-trait checks happen before, in package policy; Train only
// enforces the age rule on cfg.AgeColumns.
func Train(cols []*dataset.Column, y []float64, cfg Config) (*model.Model, error) {
	if err := cfg.Spec.Validate(); err != nil {
		return nil, err
	}
	G, B := totals(y)
	if G == 0 || B == 0 {
		return nil, opencredit.Errorf(opencredit.EINVALID, "training needs both goods and bads; got %g goods and %g bads", G, B)
	}
	if len(cols) == 0 {
		return nil, opencredit.Errorf(opencredit.EINVALID, "no candidate features")
	}
	bins, err := binAll(cols, y, &cfg)
	if err != nil {
		return nil, err
	}
	var dropped []model.Dropped
	drop := func(b *binned, format string, args ...any) {
		dropped = append(dropped, model.Dropped{Feature: b.feature.Name, Reason: fmt.Sprintf(format, args...), IV: b.feature.IV})
	}

	// 1. Information value.
	var kept []*binned
	for _, b := range bins {
		if b.feature.IV < cfg.MinIV {
			drop(b, "information value %.4f is below %.4g", b.feature.IV, cfg.MinIV)
			continue
		}
		kept = append(kept, b)
	}

	// 2. Correlation of WoE values: keep the higher-IV feature of a pair.
	byIV := append([]*binned(nil), kept...)
	sort.SliceStable(byIV, func(a, b int) bool { return byIV[a].feature.IV > byIV[b].feature.IV })
	woes := map[*binned][]float64{}
	for _, b := range byIV {
		woes[b] = b.woeColumn()
	}
	var chosen []*binned
	for _, b := range byIV {
		ok := true
		for _, c := range chosen {
			if r := pearson(woes[b], woes[c]); math.Abs(r) > cfg.MaxCorr {
				drop(b, "WoE correlates %.3f with %q, which has the higher information value", r, c.feature.Name)
				ok = false
				break
			}
		}
		if ok {
			chosen = append(chosen, b)
		}
	}
	// Back to file order: it is the order of the scorecard and of tie-breaks.
	kept = kept[:0]
	for _, b := range bins {
		for _, c := range chosen {
			if b == c {
				kept = append(kept, b)
			}
		}
	}

	// 3. Fit; drop the feature with the most wrongly signed coefficient and refit.
	var fit logitFit
	for {
		if len(kept) == 0 {
			return nil, opencredit.Errorf(opencredit.EINVALID, "no feature passed selection: %s", summarize(dropped))
		}
		x := make([][]float64, len(kept))
		for j, b := range kept {
			x[j] = woes[b]
		}
		fit, err = fitLogistic(x, y, cfg.L2)
		if err != nil {
			return nil, err
		}
		worst, worstCoef := -1, 0.0
		for j := range kept {
			if c := fit.coef[j+1]; c >= 0 && (worst < 0 || c > worstCoef) {
				worst, worstCoef = j, c
			}
		}
		if worst < 0 {
			break
		}
		drop(kept[worst], "coefficient %+.4f has the wrong sign: more risk would earn more points", worstCoef)
		kept = append(kept[:worst], kept[worst+1:]...)
	}

	m := &model.Model{
		SchemaVersion: model.SchemaVersion,
		Kind:          "scorecard",
		CreatedAt:     time.Now().UTC().Truncate(time.Second),
		ToolVersion:   opencredit.Version,
		Scaling:       cfg.Scaling,
		Bands:         cfg.Bands,
		Dropped:       dropped,
	}
	for j, b := range kept {
		f := b.feature
		f.Coefficient = fit.coef[j+1]
		f.DescribeBins()
		m.Features = append(m.Features, f)
		if f.Dimension == "" {
			m.Unassigned = append(m.Unassigned, f.Name)
		}
	}
	// The exact log-odds of bad of every training row: for the fitted
	// scale, and the training fit below.
	eta := make([]float64, len(y))
	for i := range y {
		eta[i] = fit.coef[0]
		for j, b := range kept {
			eta[i] += fit.coef[j+1] * b.feature.Bins[b.rowBin[i]].WoE
		}
	}
	if cfg.ScaleTail > 0 {
		good := make([]float64, len(eta))
		for i, e := range eta {
			good[i] = -e
		}
		if m.Scaling, err = training.FitScaling(good, cfg.Scaling, cfg.ScaleTail); err != nil {
			return nil, err
		}
	}
	assignPoints(m, fit.coef[0])
	for j := range m.Features {
		if slices.Contains(cfg.AgeColumns, m.Features[j].Name) {
			if err := policy.CheckAge(&m.Features[j]); err != nil {
				return nil, err
			}
		}
	}
	m.Derived = cfg.Spec.DerivedFor(m)
	if err := m.Prepare(); err != nil {
		return nil, fmt.Errorf("scorecard: trained an invalid model: %w", err)
	}
	// Training fit, from the exact log-odds of every row, and the shares
	// the clip ties at either end.
	pd := make([]float64, len(y))
	scores := make([]int, len(y))
	for i := range y {
		pd[i] = sigmoid(eta[i])
		total := m.BasePoints
		for j, b := range kept {
			total += m.Features[j].Bins[b.rowBin[i]].Points
		}
		scores[i] = min(max(total, m.Scaling.Min), m.Scaling.Max)
	}
	auc := measure.AUC(pd, y)
	floor, ceiling := training.ClipShares(scores, m.Scaling.Min, m.Scaling.Max)
	m.ScoreCounts = m.Scaling.CountScores(scores)
	m.Metrics = map[string]float64{"train_auc": auc, "train_gini": 2*auc - 1, "newton_steps": float64(fit.iterations),
		"train_floor_share": floor, "train_ceiling_share": ceiling}
	return m, nil
}

// binAll bins every column, in parallel; results keep the columns' order.
func binAll(cols []*dataset.Column, y []float64, cfg *Config) ([]*binned, error) {
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]*binned, len(cols))
	errs := make([]error, len(cols))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				out[j], errs[j] = binColumn(cols[j], y, cfg)
			}
		}()
	}
	for j := range cols {
		next <- j
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func summarize(d []model.Dropped) string {
	s := ""
	for i, x := range d {
		if i > 0 {
			s += "; "
		}
		s += x.Feature + ": " + x.Reason
	}
	return s
}

// pearson is the sample correlation of a and b; 0 when either is constant.
func pearson(a, b []float64) float64 {
	n := float64(len(a))
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma, mb = ma/n, mb/n
	var sab, saa, sbb float64
	for i := range a {
		da, db := a[i]-ma, b[i]-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	if saa == 0 || sbb == 0 {
		return 0
	}
	return sab / math.Sqrt(saa*sbb)
}
