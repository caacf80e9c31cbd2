package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/pmml"
)

func newExportCmd(stdout io.Writer) *cobra.Command {
	c := &cobra.Command{
		Use:   "export",
		Short: "Export a model to another format",
	}
	var modelPath, out string
	p := &cobra.Command{
		Use:     "pmml --model M [--out FILE]",
		Short:   "Export a scorecard as PMML 4.4 (<Scorecard> with reason codes, pointsBelow)",
		Example: "  opencredit export pmml --model german.json --out german.pmml",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := model.LoadFile(modelPath)
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				return pmml.Export(stdout, m)
			}
			if err := writeFile(out, func(w io.Writer) error { return pmml.Export(w, m) }); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "pmml: %s\n", out)
			return nil
		},
	}
	p.Flags().StringVar(&modelPath, "model", "", "model artifact (required)")
	p.Flags().StringVar(&out, "out", "", "output file (default: standard output)")
	_ = p.MarkFlagRequired("model")
	c.AddCommand(p)
	return c
}
