package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/bench"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/model"
)

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
			f, scfg, err := t.load()
			if err != nil {
				return err
			}
			cfg := bench.TrainConfig{Model: t.kind, Folds: folds, Repeat: repeat,
				Fit: func(cols []*dataset.Column, y []float64) (*model.Model, error) { return t.train(cols, y, scfg) }}
			if !asJSON {
				cfg.Runs = stderr
			}
			res, err := bench.Train(f, cfg)
			if err != nil {
				return err
			}
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
