package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit/crossval"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/report"
)

// readForModel reads a CSV the way model m was trained: same kinds, same target.
func readForModel(d *dataFlags, m *model.Model, path string) (*dataset.Frame, error) {
	if d.target == "" {
		d.target = m.Target
	}
	opt, err := d.options(false, crossval.Kinds(m))
	if err != nil {
		return nil, err
	}
	return dataset.ReadFile(path, opt)
}

// evaluationInput reads the CSV at path as m was trained and scores every
// row: the report's input, its Title and Cutoff left to the caller.
func evaluationInput(d *dataFlags, m *model.Model, path string) (report.Input, error) {
	f, err := readForModel(d, m, path)
	if err != nil {
		return report.Input{}, err
	}
	pd, score, err := crossval.ScoreAll(m, f)
	if err != nil {
		return report.Input{}, err
	}
	in := report.Input{Data: f.File, Model: m, PD: pd, Score: score, Y: f.Y}
	for _, a := range f.Audit {
		in.Audit = append(in.Audit, attribute(a))
	}
	return in, nil
}

func newEvaluateCmd(stdout, stderr io.Writer) *cobra.Command {
	var d dataFlags
	var modelPath, baseline, reportPath string
	var cutoff int
	var asJSON bool
	c := &cobra.Command{
		Use:   "evaluate --model M --data FILE",
		Short: "Measure a model on data: AUC, Gini, KS, Brier, log-loss, calibration, distribution, PSI, fairness",
		Example: `  opencredit evaluate --model german.json --data german.csv \
    --audit personal_status_and_sex,foreign,age --report german-eval.html`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := model.LoadFile(modelPath)
			if err != nil {
				return err
			}
			in, err := evaluationInput(&d, m, d.data)
			if err != nil {
				return err
			}
			in.Title, in.Cutoff = "Evaluation of "+modelPath, cutoff
			if baseline != "" {
				bf, err := readForModel(&d, m, baseline)
				if err != nil {
					return err
				}
				_, in.Baseline, err = crossval.ScoreAll(m, bf)
				if err != nil {
					return err
				}
				in.BaselineName = bf.File
			}
			ev, err := report.Evaluate(in)
			if err != nil {
				return err
			}
			if reportPath != "" {
				if err := writeFile(reportPath, func(w io.Writer) error { return report.WriteModelHTML(w, m, ev) }); err != nil {
					return err
				}
				fmt.Fprintf(stderr, "report: %s\n", reportPath)
			}
			if asJSON {
				return json.NewEncoder(stdout).Encode(ev)
			}
			return ev.WriteText(stdout)
		},
	}
	d.register(c, true)
	c.Flags().StringVar(&modelPath, "model", "", "model artifact (required)")
	c.Flags().StringVar(&baseline, "baseline", "", "a second CSV (e.g. the training data) to measure the population stability index against")
	c.Flags().StringVar(&reportPath, "report", "", "also write a self-contained HTML report with plots")
	c.Flags().IntVar(&cutoff, "cutoff", 600, "approval cut-off for the fairness report: approve when score ≥ cutoff")
	c.Flags().BoolVar(&asJSON, "json", false, "print the evaluation as JSON")
	_ = c.MarkFlagRequired("model")
	return c
}

// attribute turns an audit column into a report attribute.
func attribute(c *dataset.Column) report.Attribute {
	a := report.Attribute{Name: c.Name, Values: make([]string, len(c.Miss))}
	if c.Kind == dataset.Numeric {
		a.Numeric = c.Num
		for i, x := range c.Num {
			if !c.Miss[i] {
				a.Values[i] = strconv.FormatFloat(x, 'g', -1, 64)
			}
		}
		return a
	}
	copy(a.Values, c.Str)
	return a
}
