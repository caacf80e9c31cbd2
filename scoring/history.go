package scoring

import (
	"context"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
)

// ActionScoreHistory names the audit record of a person reading their
// score's history.
const ActionScoreHistory = "score_history"

// HistoryPoint is the score the subject's file, as held now, gives as of a
// past time.
type HistoryPoint struct {
	AsOf  time.Time
	Score int
	Band  string
}

// MonthEnds returns the last instant of each of the n calendar months (UTC)
// before now's month, oldest first: the dates a score history is drawn at.
func MonthEnds(now time.Time, n int) []time.Time {
	first := time.Date(now.UTC().Year(), now.UTC().Month(), 1, 0, 0, 0, 0, time.UTC)
	out := make([]time.Time, n)
	for k := range n {
		out[n-1-k] = first.AddDate(0, -k, 0).Add(-time.Nanosecond)
	}
	return out
}

// History scores the subject's own file as of each of asOfs, for the
// subject's own client, with the model in service now, and records the
// access once. Each point counts only the events dated at or before it
// (features.State.Compute), as the store holds them now: an event that
// arrived late counts at its own date, and a suppressed one not at all.
// So a point is what the file now says about then, not a score anyone was
// given then.
func (s *Service) History(ctx context.Context, by Caller, subject string, asOfs []time.Time) ([]HistoryPoint, error) {
	if err := OwnSubject(by.Client, subject); err != nil {
		return nil, s.refused(ctx, by, opencredit.PurposeSubjectSelfAccess, subject, ActionScoreHistory, err)
	}
	m := s.served.Load() // one model for every point
	if _, err := s.lapse(ctx, subject); err != nil {
		return nil, err
	}
	out := make([]HistoryPoint, 0, len(asOfs))
	for _, t := range asOfs {
		if t.After(s.now()) {
			return nil, opencredit.Errorf(opencredit.EINVALID, "a score history point (%s) cannot be after now", t.Format(time.RFC3339))
		}
		fv, err := s.store.Features(ctx, subject, t)
		if err != nil {
			return nil, err
		}
		res, err := ScoreFeatures(m.model, fv)
		if err != nil {
			return nil, err
		}
		out = append(out, HistoryPoint{AsOf: t, Score: res.Score, Band: res.Band})
	}
	if err := s.Record(ctx, by, opencredit.PurposeSubjectSelfAccess, subject, ActionScoreHistory,
		audit.Result{Items: len(out), Model: m.id}); err != nil {
		return nil, err
	}
	return out, nil
}
