package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/crossval"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/measure"
)

// trainBenchResult is what bench train prints.
type trainBenchResult struct {
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

func newBenchTrainCmd(stdout, stderr io.Writer) *cobra.Command {
	var t trainFlags
	var folds, repeat int
	var asJSON bool
	c := &cobra.Command{
		Use:   "train [--model scorecard|ebm] --data F --target C [roles] [--repeat N] [--json]",
		Short: "Time model training on the training rows of each fold of the 5-fold protocol",
		Long: `Bench train fits the model on the training rows of every fold (row i is in fold i mod 5, as
'opencredit cv'), timing each fit only — not reading the file, not scoring — and scores each
held-out fold to report the AUC the timed fits reach. With --repeat N it does so N times and
reports the median. bench/ebm_vs_xgboost.py runs it and times XGBoost on the same folds in the
same run.`,
		Example: "  opencredit bench train --model ebm --data taiwan.csv --target default --audit sex,marriage,age --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if folds < 2 || repeat < 1 {
				return opencredit.Errorf(opencredit.EINVALID, "--folds must be at least 2 and --repeat at least 1")
			}
			f, cfg, err := t.load()
			if err != nil {
				return err
			}
			trainRows, testRows := crossval.Folds(f.Rows(), folds)
			trains := make([]*validationFold, folds)
			for k := range folds {
				trains[k] = &validationFold{train: f.Subset(trainRows[k]), test: f.Subset(testRows[k])}
			}
			res := trainBenchResult{Model: t.kind, Data: f.File, Rows: f.Rows(), Features: len(f.Features), Folds: folds, Repeat: repeat}
			var runs [][]float64
			for r := range repeat {
				var secs []float64
				res.FoldAUC = res.FoldAUC[:0]
				for k, fd := range trains {
					start := time.Now()
					m, err := t.train(fd.train.Features, fd.train.Y, cfg)
					secs = append(secs, time.Since(start).Seconds())
					if err != nil {
						return fmt.Errorf("%s: fold %d: %w", f.File, k, err)
					}
					pd, _, err := crossval.ScoreAll(m, fd.test)
					if err != nil {
						return fmt.Errorf("%s: fold %d: %w", f.File, k, err)
					}
					res.FoldAUC = append(res.FoldAUC, measure.AUC(pd, fd.test.Y))
				}
				runs = append(runs, secs)
				if !asJSON {
					fmt.Fprintf(stderr, "run %d/%d: %.3f s\n", r+1, repeat, sum(secs))
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
			if asJSON {
				return json.NewEncoder(stdout).Encode(res)
			}
			fmt.Fprintf(stdout, "%s on %s: %d rows, %d features, %d folds: %.3f s to fit every fold (median of %d), mean AUC %.4f, peak memory %.0f MB\n",
				res.Model, res.Data, res.Rows, res.Features, res.Folds, res.Seconds, repeat, res.MeanAUC, res.PeakRSSMB)
			return nil
		},
	}
	t.register(c)
	c.Flags().IntVar(&folds, "folds", 5, "number of folds")
	c.Flags().IntVar(&repeat, "repeat", 1, "fit every fold this many times and report the median")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return c
}

// validationFold is one fold's training and held-out rows.
type validationFold struct {
	train, test *dataset.Frame
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// peakRSSMB reads the process's peak resident memory (VmHWM) from
// /proc/self/status, in MB; 0 where there is no such file.
func peakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}
