package ingest

import (
	"fmt"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
)

// Rebuild recomputes a subject's feature state from its stored events,
// leaving out suppressed ones, and returns it encoded as SaveStates takes it.
func Rebuild(events []opencredit.StoredEvent) ([]byte, error) {
	st, err := RebuildState(events)
	if err != nil {
		return nil, err
	}
	return st.MarshalBinary()
}

// RebuildState is Rebuild without the encoding.
func RebuildState(events []opencredit.StoredEvent) (*features.State, error) {
	use := make([]opencredit.Event, 0, len(events))
	for _, e := range events {
		if !e.Suppressed {
			use = append(use, e.Event)
		}
	}
	st, err := features.Recompute(use)
	if err != nil {
		return nil, fmt.Errorf("ingest: recomputing features: %w", err)
	}
	return st, nil
}

// Features computes a subject's feature vector as of asOf from an encoded
// state; a nil state is that of a subject with no events.
func Features(state []byte, subject string, asOf time.Time, cfg features.Config) (opencredit.FeatureVector, error) {
	st := features.NewState()
	if state != nil {
		if err := st.UnmarshalBinary(state); err != nil {
			return opencredit.FeatureVector{}, fmt.Errorf("ingest: decoding the feature state of subject %s: %w", subject, err)
		}
	}
	return st.Compute(subject, asOf, cfg), nil
}
