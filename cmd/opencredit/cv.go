package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit/crossval"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/model"
)

func newCVCmd(stdout, stderr io.Writer) *cobra.Command {
	var t trainFlags
	var asJSON bool
	var folds int
	c := &cobra.Command{
		Use:   "cv --data FILE --target COL",
		Short: "Cross-validate a scorecard or an EBM (--model ebm): row i is in fold i mod 5; prints each fold's AUC and the mean",
		Example: `  opencredit cv --data taiwan.csv --target default --audit sex,marriage,age
  opencredit cv --data german.csv --target default --audit personal_status_and_sex,foreign,age --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, cfg, err := t.load()
			if err != nil {
				return err
			}
			train := func(tr *dataset.Frame) (*model.Model, error) { return t.train(tr.Features, tr.Y, cfg) }
			res, err := crossval.CrossValidate(f, folds, train, func(fold int, auc float64) {
				if !asJSON {
					fmt.Fprintf(stdout, "fold %d  AUC %.4f\n", fold, auc)
				} else {
					fmt.Fprintf(stderr, "fold %d/%d done\n", fold+1, folds)
				}
			})
			if err != nil {
				return fmt.Errorf("%s: %w", f.File, err)
			}
			if asJSON {
				out := struct {
					crossval.CVResult
					Data  string `json:"data"`
					Model string `json:"model"`
				}{res, f.File, t.kind}
				enc := json.NewEncoder(stdout)
				return enc.Encode(out)
			}
			fmt.Fprintf(stdout, "mean AUC %.4f over %d folds (features per fold: %v)\n", res.MeanAUC, res.Folds, res.Features)
			return nil
		},
	}
	t.register(c)
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON object with fold_auc and mean_auc")
	c.Flags().IntVar(&folds, "folds", 5, "number of folds")
	return c
}
