package ingest

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventjson"
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
	// 1. Validation, which needs no store.
	payloads, live := validate(batch, now, results)
	var subjects []string
	seenSubject := make(map[string]bool, len(batch))
	for i := range batch {
		if live[i] && !seenSubject[batch[i].Subject] {
			seenSubject[batch[i].Subject] = true
			subjects = append(subjects, batch[i].Subject)
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
	seenPair := make(map[Pair]bool, len(subjects))
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
				results[i] = reject(opencredit.ReasonNoConsent, NoConsentDetail(e.Subject, e.Source))
			}
		}
	}

	// 4. Exactly once: first within the batch, then against the store.
	rows := make([]Row, 0, len(batch))
	rowIndex := make([]int, 0, len(batch))
	firstCopy := make(map[Key]int, len(batch))
	for i := range batch {
		if !live[i] {
			continue
		}
		k := Key{batch[i].Source, batch[i].ID}
		if first, ok := firstCopy[k]; ok {
			live[i] = false
			results[i] = opencredit.IngestResult{Status: opencredit.Duplicate}
			if d := Digest(batch[first]); d != Digest(batch[i]) {
				results[i] = conflict(batch[i], d, fmt.Sprintf("earlier in this batch (event %d)", first))
			}
			continue
		}
		firstCopy[k] = i
		rows = append(rows, Row{Event: batch[i], ReceivedAt: now})
		rowIndex = append(rowIndex, i)
	}
	if len(rows) == 0 {
		return results, nil
	}

	// 5. Live features, in the same transaction. The new states are worked
	// out on another core while the store inserts the events, as if every
	// row were new; a subject with a row the store already held (a rare
	// duplicate) is worked out again without it.
	var touched []string
	seenTouched := make(map[string]bool, len(subjects))
	for _, r := range rows {
		if !seenTouched[r.Subject] {
			seenTouched[r.Subject] = true
			touched = append(touched, r.Subject)
		}
	}
	blobs, err := tx.LoadStates(ctx, touched)
	if err != nil {
		return nil, fmt.Errorf("ingest: loading feature states: %w", err)
	}
	all := func(int) bool { return true }
	type update struct {
		states map[string][]byte
		err    error
	}
	done := make(chan update, 1)
	go func() {
		st, err := newStates(blobs, touched, batch, rowIndex, payloads, all)
		done <- update{st, err}
	}()
	inserted, err := tx.InsertEvents(ctx, rows)
	up := <-done
	if err != nil {
		return nil, fmt.Errorf("ingest: inserting events: %w", err)
	}
	if up.err != nil {
		return nil, up.err
	}
	if len(inserted) != len(rows) {
		return nil, fmt.Errorf("ingest: the store reported %d insertions for %d rows", len(inserted), len(rows))
	}
	var stored []Key
	for j, i := range rowIndex {
		if !inserted[j] {
			stored = append(stored, Key{batch[i].Source, batch[i].ID})
		}
	}
	var before map[Key]opencredit.Event
	if len(stored) > 0 {
		if before, err = tx.StoredEvents(ctx, stored); err != nil {
			return nil, fmt.Errorf("ingest: reading the events stored before: %w", err)
		}
	}
	var redo []string
	seenRedo := make(map[string]bool)
	for j, i := range rowIndex {
		if !inserted[j] {
			old, ok := before[Key{batch[i].Source, batch[i].ID}]
			if !ok {
				return nil, fmt.Errorf("ingest: event (%s, %s) was neither inserted nor found stored", batch[i].Source, batch[i].ID)
			}
			results[i] = opencredit.IngestResult{Status: opencredit.Duplicate}
			if d := Digest(old); d != Digest(batch[i]) {
				results[i] = conflict(batch[i], d, "before")
			}
			if s := batch[i].Subject; !seenRedo[s] {
				seenRedo[s] = true
				redo = append(redo, s)
			}
			continue
		}
		results[i] = opencredit.IngestResult{Status: opencredit.Accepted}
	}
	if len(redo) > 0 {
		keep := make(map[string]bool, len(redo))
		for j, i := range rowIndex {
			if inserted[j] && seenRedo[batch[i].Subject] {
				keep[batch[i].Subject] = true
			}
		}
		again, err := newStates(blobs, redo, batch, rowIndex, payloads, func(j int) bool { return inserted[j] })
		if err != nil {
			return nil, err
		}
		for _, s := range redo {
			if keep[s] {
				up.states[s] = again[s]
			} else {
				delete(up.states, s) // nothing of it was new
			}
		}
	}
	if len(up.states) == 0 {
		return results, nil
	}
	if err := tx.SaveStates(ctx, up.states, now); err != nil {
		return nil, fmt.Errorf("ingest: saving feature states: %w", err)
	}
	return results, nil
}

// validate checks every event of batch, on all cores for a large batch,
// writing the result of each rejected one into results. It returns each
// event's decoded payload and whether it passed.
func validate(batch []opencredit.Event, now time.Time, results []opencredit.IngestResult) ([]any, []bool) {
	payloads := make([]any, len(batch))
	live := make([]bool, len(batch))
	check := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			p, prob := eventjson.Validate(&batch[i], now)
			if prob != nil {
				results[i] = prob.Result()
				continue
			}
			payloads[i], live[i] = p, true
		}
	}
	parts := min(runtime.GOMAXPROCS(0), len(batch)/parallelMin)
	if parts < 2 {
		check(0, len(batch))
		return payloads, live
	}
	var wg sync.WaitGroup
	for k := range parts {
		wg.Go(func() { check(k*len(batch)/parts, (k+1)*len(batch)/parts) })
	}
	wg.Wait()
	return payloads, live
}

// parallelMin is the fewest events per core worth a goroutine of its own.
const parallelMin = 1000

// newStates applies the rows rowIndex points at (batch positions) whose
// index j passes use to the stored states of subjects, and returns their
// encodings. blobs holds the stored states; a subject without one starts empty.
func newStates(blobs map[string][]byte, subjects []string, batch []opencredit.Event, rowIndex []int,
	payloads []any, use func(j int) bool) (map[string][]byte, error) {
	states := make(map[string]*features.State, len(subjects))
	for _, s := range subjects {
		st := features.NewState()
		if b, ok := blobs[s]; ok {
			if err := st.UnmarshalBinary(b); err != nil {
				return nil, fmt.Errorf("ingest: decoding the feature state of subject %s: %w", s, err)
			}
		}
		states[s] = st
	}
	for j, i := range rowIndex {
		st := states[batch[i].Subject]
		if st == nil || !use(j) {
			continue
		}
		if err := st.Apply(batch[i], payloads[i]); err != nil {
			// Validation accepted the event, so this is a bug, not bad input.
			return nil, fmt.Errorf("ingest: applying event (%s, %s) to features: %w", batch[i].Source, batch[i].ID, err)
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
	return out, nil
}

func reject(reason, detail string) opencredit.IngestResult {
	return opencredit.IngestResult{Status: opencredit.Rejected, Reason: reason, Detail: detail}
}

// NoConsentDetail is the detail of a no_consent rejection.
func NoConsentDetail(subject, source string) string {
	return fmt.Sprintf("subject %s has not consented to furnishing by %s", subject, source)
}
