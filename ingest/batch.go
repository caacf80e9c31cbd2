package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/event"
	"github.com/opencredit/opencredit/features"
)

// Batch ingests events in the caller's transaction tx at the moment now and
// returns one result per event, in batch order. On error the caller must roll
// back; the results are then meaningless.
func Batch(ctx context.Context, tx Tx, batch []opencredit.Event, now time.Time) ([]opencredit.IngestResult, error) {
	results := make([]opencredit.IngestResult, len(batch))
	if len(batch) == 0 {
		return results, nil
	}
	payloads := make([]any, len(batch))
	// live marks events still in the running for acceptance.
	live := make([]bool, len(batch))

	// 1. Validation, which needs no store.
	var subjects []string
	seenSubject := make(map[string]bool)
	for i := range batch {
		e := &batch[i]
		p, prob := event.Validate(e, now)
		if prob != nil {
			results[i] = prob.Result()
			continue
		}
		payloads[i], live[i] = p, true
		if !seenSubject[e.Subject] {
			seenSubject[e.Subject] = true
			subjects = append(subjects, e.Subject)
		}
	}

	// 2. Known subjects.
	if len(subjects) > 0 {
		known, err := tx.KnownSubjects(ctx, subjects)
		if err != nil {
			return nil, fmt.Errorf("ingest: looking up subjects: %w", err)
		}
		for i := range batch {
			if live[i] && !known[batch[i].Subject] {
				live[i] = false
				results[i] = reject(opencredit.ReasonUnknownSubject,
					fmt.Sprintf("subject %s is not registered or was erased", batch[i].Subject))
			}
		}
	}

	// 3. Furnishing consent at the moment of ingestion. The platform's own
	// inquiry records need none: the pull they record was consented to.
	platform := func(e *opencredit.Event) bool {
		return e.Source == opencredit.PlatformSource && e.Type == opencredit.TypeInquiry
	}
	var pairs []Pair
	seenPair := make(map[Pair]bool)
	for i := range batch {
		if platform(&batch[i]) {
			continue
		}
		if pr := (Pair{batch[i].Subject, batch[i].Source}); live[i] && !seenPair[pr] {
			seenPair[pr] = true
			pairs = append(pairs, pr)
		}
	}
	if len(pairs) > 0 {
		consented, err := tx.FurnishingConsents(ctx, pairs, now)
		if err != nil {
			return nil, fmt.Errorf("ingest: looking up consents: %w", err)
		}
		for i := range batch {
			e := &batch[i]
			if live[i] && !platform(e) && !consented[Pair{e.Subject, e.Source}] {
				live[i] = false
				results[i] = reject(opencredit.ReasonNoConsent,
					fmt.Sprintf("subject %s has not consented to furnishing by %s", e.Subject, e.Source))
			}
		}
	}

	// 4. Exactly once: first within the batch, then against the store.
	var rows []Row
	var rowIndex []int
	firstCopy := make(map[Key]bool)
	for i := range batch {
		if !live[i] {
			continue
		}
		k := Key{batch[i].Source, batch[i].ID}
		if firstCopy[k] {
			live[i] = false
			results[i] = opencredit.IngestResult{Status: opencredit.Duplicate}
			continue
		}
		firstCopy[k] = true
		rows = append(rows, Row{Event: batch[i], ReceivedAt: now})
		rowIndex = append(rowIndex, i)
	}
	if len(rows) == 0 {
		return results, nil
	}
	inserted, err := tx.InsertEvents(ctx, rows)
	if err != nil {
		return nil, fmt.Errorf("ingest: inserting events: %w", err)
	}
	if len(inserted) != len(rows) {
		return nil, fmt.Errorf("ingest: the store reported %d insertions for %d rows", len(inserted), len(rows))
	}
	var touched []string
	seenTouched := make(map[string]bool)
	for j, i := range rowIndex {
		if !inserted[j] {
			live[i] = false
			results[i] = opencredit.IngestResult{Status: opencredit.Duplicate}
			continue
		}
		results[i] = opencredit.IngestResult{Status: opencredit.Accepted}
		if s := batch[i].Subject; !seenTouched[s] {
			seenTouched[s] = true
			touched = append(touched, s)
		}
	}
	if len(touched) == 0 {
		return results, nil
	}

	// 5. Live features, in the same transaction.
	blobs, err := tx.LoadStates(ctx, touched)
	if err != nil {
		return nil, fmt.Errorf("ingest: loading feature states: %w", err)
	}
	states := make(map[string]*features.State, len(touched))
	for _, s := range touched {
		st := features.NewState()
		if b, ok := blobs[s]; ok {
			if err := st.UnmarshalBinary(b); err != nil {
				return nil, fmt.Errorf("ingest: decoding the feature state of subject %s: %w", s, err)
			}
		}
		states[s] = st
	}
	for i := range batch {
		if !live[i] {
			continue
		}
		e := batch[i]
		if err := states[e.Subject].Apply(e, payloads[i]); err != nil {
			// Validation accepted the event, so this is a bug, not bad input.
			return nil, fmt.Errorf("ingest: applying event (%s, %s) to features: %w", e.Source, e.ID, err)
		}
	}
	out := make(map[string][]byte, len(states))
	for s, st := range states {
		b, err := st.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("ingest: encoding the feature state of subject %s: %w", s, err)
		}
		out[s] = b
	}
	if err := tx.SaveStates(ctx, out, now); err != nil {
		return nil, fmt.Errorf("ingest: saving feature states: %w", err)
	}
	return results, nil
}

func reject(reason, detail string) opencredit.IngestResult {
	return opencredit.IngestResult{Status: opencredit.Rejected, Reason: reason, Detail: detail}
}
