package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/report"
)

func newTrainCmd(stdout, stderr io.Writer) *cobra.Command {
	var t trainFlags
	var out, reportPath string
	var quiet bool
	c := &cobra.Command{
		Use:   "train --data FILE --target COL --out model.json",
		Short: "Train a scorecard, or an explainable boosting model (--model ebm), and write the model artifact and its report",
		Example: `  opencredit train --data german.csv --target default \
    --audit personal_status_and_sex,foreign,age --out german.json
  opencredit train --model ebm --interactions 10 --data taiwan.csv --target default \
    --audit sex,marriage,age --out taiwan-ebm.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return opencredit.Errorf(opencredit.EINVALID, "--out is required: where to write the model")
			}
			f, cfg, err := t.load()
			if err != nil {
				return err
			}
			m, err := t.train(f.Features, f.Y, cfg)
			if err != nil {
				return fmt.Errorf("%s: %w", f.File, err)
			}
			t.record(m, f)
			if err := m.SaveFile(out); err != nil {
				return err
			}
			if reportPath == "" {
				reportPath = strings.TrimSuffix(out, ".json") + ".html"
			}
			if reportPath != "-" {
				if err := writeFile(reportPath, func(w io.Writer) error { return report.WriteModelHTML(w, m, nil) }); err != nil {
					return err
				}
			}
			if !quiet {
				if err := report.WriteModelText(stdout, m); err != nil {
					return err
				}
			}
			fmt.Fprintf(stderr, "trained %s on %d rows (%d bads): %d features kept, %d dropped, training AUC %.4f\nmodel: %s\n",
				m.Kind, m.Training.Rows, m.Training.Bads, len(m.Features), len(m.Dropped), m.Metrics["train_auc"], out)
			if reportPath != "-" {
				fmt.Fprintf(stderr, "report: %s\n", reportPath)
			}
			return nil
		},
	}
	t.register(c)
	c.Flags().StringVar(&out, "out", "", "where to write the model artifact (JSON; required)")
	c.Flags().StringVar(&reportPath, "report", "", `HTML report with binning tables and WoE plots (default: the model path with .html; "-" for none)`)
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "do not print the scorecard")
	return c
}

// writeFile writes a file through fn, replacing it only when fn succeeds.
func writeFile(path string, fn func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
