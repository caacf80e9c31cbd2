package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
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

// snapshotHeader is the CSV header: subject, every registered feature, label.
func snapshotHeader() []string {
	h := []string{"subject"}
	for _, d := range features.Registry {
		h = append(h, d.Name)
	}
	return append(h, "label")
}

// writeSnapshot writes, for every subject known at asOf, the features as they
// were at asOf (events with time ≤ asOf only, suppressed ones left out) and
// the label: 1 if the subject went 90+ days past due, defaulted or was charged
// off in (asOf, asOf + window months].
func writeSnapshot(ctx context.Context, st opencredit.Store, asOf time.Time, window int, w io.Writer, progress func()) (rows, bads int, err error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(snapshotHeader()); err != nil {
		return 0, 0, err
	}
	end := asOf.AddDate(0, window, 0)
	cfg := features.DefaultConfig()
	rec := make([]string, 0, len(features.Registry)+2)
	err = st.Subjects(ctx, func(s opencredit.Subject) error {
		stored, err := st.Events(ctx, s.ID)
		if err != nil {
			return err
		}
		var all []opencredit.Event
		for _, e := range stored {
			if !e.Suppressed {
				all = append(all, e.Event)
			}
		}
		if s.CreatedAt.After(asOf) && !slices.ContainsFunc(all, func(e opencredit.Event) bool { return !e.Time.After(asOf) }) {
			return nil // not known at asOf
		}
		var bad bool
		rec, bad, err = snapshotRow(rec[:0], s.ID, all, asOf, end, cfg)
		if err != nil {
			return err
		}
		if bad {
			bads++
		}
		rows++
		if progress != nil {
			progress()
		}
		return cw.Write(rec)
	})
	if err != nil {
		return rows, bads, err
	}
	cw.Flush()
	return rows, bads, cw.Error()
}

// snapshotRow appends to rec the snapshot row of one subject from its
// unsuppressed events: the id, every registered feature as of asOf from the
// events with time ≤ asOf only, and the label, "1" when the events in
// (asOf, end] hold 90+ days past due, a charge-off or a collection.
func snapshotRow(rec []string, subject string, events []opencredit.Event, asOf, end time.Time, cfg features.Config) ([]string, bool, error) {
	var past []opencredit.Event
	for _, e := range events {
		if !e.Time.After(asOf) {
			past = append(past, e)
		}
	}
	state, err := features.Recompute(past)
	if err != nil {
		return rec, false, fmt.Errorf("subject %s: %w", subject, err)
	}
	fv := state.Compute(subject, asOf, cfg)
	bad, err := features.Adverse(events, asOf, end)
	if err != nil {
		return rec, false, fmt.Errorf("subject %s: %w", subject, err)
	}
	rec = append(rec, subject)
	for _, d := range features.Registry {
		if v, ok := fv.Values[d.Name]; ok {
			rec = append(rec, strconv.FormatFloat(v, 'g', -1, 64))
		} else {
			rec = append(rec, "")
		}
	}
	label := "0"
	if bad {
		label = "1"
	}
	return append(rec, label), bad, nil
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
				rows, bads, err = writeSnapshot(cmd.Context(), st, asOf, window, bw, func() { bar.Add(1) })
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
