package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"

	"strconv"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit/crossval"
	"github.com/opencredit/opencredit/model"
)

func newScoreCmd(stdout, stderr io.Writer) *cobra.Command {
	var d dataFlags
	var modelPath, out string
	c := &cobra.Command{
		Use:   "score --model M --data FILE --out scores.csv",
		Short: "Score every row: score, band, probability of default, up to four reasons, dimension sub-scores",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := model.LoadFile(modelPath)
			if err != nil {
				return err
			}
			f, err := readForModel(&d, m, d.data)
			if err != nil {
				return err
			}
			s, err := crossval.NewScorer(m, f)
			if err != nil {
				return err
			}
			write := func(w io.Writer) error {
				bw := bufio.NewWriter(w)
				cw := csv.NewWriter(bw)
				header := []string{"id", "line", "score", "band", "probability_of_default"}
				for k := 1; k <= model.MaxReasons; k++ {
					header = append(header, fmt.Sprintf("reason_%d_code", k), fmt.Sprintf("reason_%d_text", k), fmt.Sprintf("reason_%d_points_lost", k))
				}
				var r model.Result
				if f.Rows() > 0 {
					if err := s.Score(0, &r); err != nil {
						return err
					}
				}
				for _, dim := range r.Dimensions {
					header = append(header, "dimension_"+dim.Dimension)
				}
				if err := cw.Write(header); err != nil {
					return err
				}
				rec := make([]string, 0, len(header))
				for i := 0; i < f.Rows(); i++ {
					if err := s.Score(i, &r); err != nil {
						return err
					}
					id := ""
					if f.IDs != nil {
						id = f.IDs[i]
					}
					rec = append(rec[:0], id, strconv.Itoa(f.Lines[i]), strconv.Itoa(r.Score), r.Band, strconv.FormatFloat(r.PD, 'f', 6, 64))
					for k := 0; k < model.MaxReasons; k++ {
						if k < len(r.Reasons) {
							rs := r.Reasons[k]
							rec = append(rec, rs.Code, rs.Text, strconv.Itoa(rs.PointsLost))
						} else {
							rec = append(rec, "", "", "")
						}
					}
					for _, dim := range r.Dimensions {
						rec = append(rec, strconv.FormatFloat(dim.Score, 'f', 1, 64))
					}
					if err := cw.Write(rec); err != nil {
						return err
					}
				}
				cw.Flush()
				if err := cw.Error(); err != nil {
					return err
				}
				return bw.Flush()
			}
			if out == "" || out == "-" {
				return write(stdout)
			}
			if err := writeFile(out, write); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "scored %d rows: %s\n", f.Rows(), out)
			return nil
		},
	}
	d.register(c, false)
	c.Flags().StringVar(&modelPath, "model", "", "model artifact (required)")
	c.Flags().StringVar(&out, "out", "", `where to write the scores CSV ("-" or empty: standard output)`)
	_ = c.MarkFlagRequired("model")
	return c
}
