package bench

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/opencredit/opencredit/crossval"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/measure"
	"github.com/opencredit/opencredit/model"
)

// TrainResult is what bench train prints.
type TrainResult struct {
	Model    string    `json:"model"`
	Data     string    `json:"data"`
	Rows     int       `json:"rows"`
	Features int       `json:"features"`
	Folds    int       `json:"folds"`
	Repeat   int       `json:"repeat"`
	Runs     []float64 `json:"run_seconds"` // each run: every fold's fit, summed
	// Seconds is the median of Runs: the time to fit the model on the
	// training rows of every fold once.
	Seconds     float64   `json:"seconds"`
	FoldSeconds []float64 `json:"fold_seconds"` // of the median run
	FoldAUC     []float64 `json:"fold_auc"`
	MeanAUC     float64   `json:"mean_auc"`
	PeakRSSMB   float64   `json:"peak_rss_mb"`
}

// TrainConfig says which model Train times and how often.
type TrainConfig struct {
	Model  string // the kind of model, as reported
	Folds  int    // row i is in fold i mod Folds, as 'opencredit cv'
	Repeat int    // fit every fold this many times and report the median
	// Fit trains the model on the columns and target of one fold's
	// training rows.
	Fit func(cols []*dataset.Column, y []float64) (*model.Model, error)
	// Runs, if not nil, receives one line per run with its time.
	Runs io.Writer
}

// Train fits cfg.Fit on the training rows of every fold of f, timing each
// fit only (not reading the file, not scoring), and scores each held-out
// fold to report the AUC the timed fits reach; cfg.Repeat times, reporting
// the median run.
func Train(f *dataset.Frame, cfg TrainConfig) (TrainResult, error) {
	folds, repeat := cfg.Folds, cfg.Repeat
	trainRows, testRows := crossval.Folds(f.Rows(), folds)
	trains := make([]*validationFold, folds)
	for k := range folds {
		trains[k] = &validationFold{train: f.Subset(trainRows[k]), test: f.Subset(testRows[k])}
	}
	res := TrainResult{Model: cfg.Model, Data: f.File, Rows: f.Rows(), Features: len(f.Features), Folds: folds, Repeat: repeat}
	var runs [][]float64
	for r := range repeat {
		var secs []float64
		res.FoldAUC = res.FoldAUC[:0]
		for k, fd := range trains {
			start := time.Now()
			m, err := cfg.Fit(fd.train.Features, fd.train.Y)
			secs = append(secs, time.Since(start).Seconds())
			if err != nil {
				return res, fmt.Errorf("%s: fold %d: %w", f.File, k, err)
			}
			pd, _, err := crossval.ScoreAll(m, fd.test)
			if err != nil {
				return res, fmt.Errorf("%s: fold %d: %w", f.File, k, err)
			}
			res.FoldAUC = append(res.FoldAUC, measure.AUC(pd, fd.test.Y))
		}
		runs = append(runs, secs)
		if cfg.Runs != nil {
			fmt.Fprintf(cfg.Runs, "run %d/%d: %.3f s\n", r+1, repeat, sum(secs))
		}
	}
	for _, secs := range runs {
		res.Runs = append(res.Runs, sum(secs))
	}
	order := make([]int, len(runs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(res.Runs[a], res.Runs[b]) })
	mid := order[len(order)/2]
	res.Seconds, res.FoldSeconds = res.Runs[mid], runs[mid]
	res.MeanAUC = sum(res.FoldAUC) / float64(len(res.FoldAUC))
	res.PeakRSSMB = peakRSSMB()
	return res, nil
}

// validationFold is one fold's training and held-out rows.
type validationFold struct {
	train, test *dataset.Frame
}
