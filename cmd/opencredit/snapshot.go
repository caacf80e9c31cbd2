package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/snapshot"
)

// parseAsOf reads a date (the whole day counts) or an RFC 3339 time.
func parseAsOf(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, opencredit.Errorf(opencredit.EINVALID, "--as-of %q: want a date (2026-06-30) or an RFC 3339 time", s)
	}
	return d.Add(24*time.Hour - time.Nanosecond), nil
}

// parseWindow reads a window in months: "12m", "6m", "2y".
func parseWindow(s string) (int, error) {
	n, unit := strings.TrimRight(s, "my"), strings.TrimLeft(s, "0123456789")
	v, err := strconv.Atoi(n)
	if err != nil || v <= 0 || (unit != "m" && unit != "y") {
		return 0, opencredit.Errorf(opencredit.EINVALID, "--window %q: want months or years, such as 12m or 2y", s)
	}
	if unit == "y" {
		v *= 12
	}
	return v, nil
}

func newSnapshotCmd(getenv func(string) string, stderr io.Writer) *cobra.Command {
	var sf storeFlags
	var asOfS, windowS, out string
	c := &cobra.Command{
		Use:   "snapshot --as-of DATE --window 12m --out train.csv",
		Short: "Write a point-in-time training set: features as they were at DATE, and what happened in the window after",
		Long: `Snapshot writes one row per subject known at DATE: the features computed only from events with
time ≤ DATE (nothing later can leak in), and label = 1 when in the window after DATE the subject went
90+ days past due, defaulted (collection, bankruptcy) or was charged off. The CSV is what
'opencredit train --target label --id subject' reads.`,
		Example: "  opencredit snapshot --as-of 2026-06-30 --window 12m --out train.csv",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			asOf, err := parseAsOf(asOfS)
			if err != nil {
				return err
			}
			window, err := parseWindow(windowS)
			if err != nil {
				return err
			}
			if out == "" {
				return opencredit.Errorf(opencredit.EINVALID, "--out is required")
			}
			st, err := sf.open(cmd.Context(), getenv)
			if err != nil {
				return err
			}
			defer st.Close()
			bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("subjects"),
				progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
			var rows, bads int
			err = writeFile(out, func(w io.Writer) error {
				bw := bufio.NewWriter(w)
				var err error
				rows, bads, err = snapshot.Write(cmd.Context(), st, asOf, window, bw, func() { bar.Add(1) })
				if err != nil {
					return err
				}
				return bw.Flush()
			})
			bar.Finish()
			if err != nil {
				return err
			}
			rate := 0.0
			if rows > 0 {
				rate = float64(bads) / float64(rows)
			}
			fmt.Fprintf(stderr, "snapshot as of %s, window %d months: %d subjects, %d labelled bad (%.1f%%): %s\n",
				asOf.Format(time.RFC3339), window, rows, bads, 100*rate, out)
			return nil
		},
	}
	sf.register(c)
	c.Flags().StringVar(&asOfS, "as-of", "", "the date the features are as of (required)")
	c.Flags().StringVar(&windowS, "window", "12m", "the outcome window after the date")
	c.Flags().StringVar(&out, "out", "", "the CSV to write (required)")
	_ = c.MarkFlagRequired("as-of")
	return c
}
