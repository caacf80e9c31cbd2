package snapshot

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
)

// Header is the CSV header: subject, every registered feature, label.
func Header() []string {
	h := []string{"subject"}
	for _, d := range features.Registry {
		h = append(h, d.Name)
	}
	return append(h, "label")
}

// Write writes, for every subject known at asOf, the features as they
// were at asOf (events with time ≤ asOf only, suppressed ones left out) and
// the label: 1 if the subject went 90+ days past due, defaulted or was charged
// off in (asOf, asOf + window months]. It returns the rows written and how
// many were labelled bad; progress, if not nil, is called after every row.
func Write(ctx context.Context, st opencredit.Store, asOf time.Time, window int, w io.Writer, progress func()) (rows, bads int, err error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header()); err != nil {
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
		rec, bad, err = Row(rec[:0], s.ID, all, asOf, end, cfg)
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

// Row appends to rec the snapshot row of one subject from its
// unsuppressed events: the id, every registered feature as of asOf from the
// events with time ≤ asOf only, and the label, "1" when the events in
// (asOf, end] hold 90+ days past due, a charge-off or a collection.
func Row(rec []string, subject string, events []opencredit.Event, asOf, end time.Time, cfg features.Config) ([]string, bool, error) {
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
