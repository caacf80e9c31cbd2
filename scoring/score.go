package scoring

import (
	"context"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
)

// Score is the answer to a pull: the model's result on the subject's live
// features, and which model gave it.
type Score struct {
	Subject string
	Purpose string
	model.Result
	ModelKind string // scorecard or ebm
	ModelID   string // model.ID of the model that scored
	Features  opencredit.FeatureVector
	// OpenDisputes counts the subject's disputes still open: events the
	// person says are wrong that the score still counts, their furnishers
	// not having answered yet.
	OpenDisputes int
}

// Score pulls the subject's score for purpose on behalf of the caller: it
// authorizes the pull (Authorize), scores the live features as of now,
// records a hard inquiry for a credit_application pull, and appends the
// audit record. An error at any step returns no score; a refusal (and a
// subject not on file) is recorded with its code before it is returned.
func (s *Service) Score(ctx context.Context, by Caller, subject, purpose string) (Score, error) {
	if err := s.Authorize(ctx, by.Client, subject, purpose); err != nil {
		return Score{}, s.refused(ctx, by, purpose, subject, audit.ActionScore, err)
	}
	sc, _, err := s.score(ctx, subject, purpose)
	if err != nil {
		return Score{}, s.refused(ctx, by, purpose, subject, audit.ActionScore, err)
	}
	if purpose == opencredit.PurposeCreditApplication {
		if err := s.recordHardInquiry(ctx, by.Client.ID, subject, "", by.RequestID); err != nil {
			return Score{}, err
		}
	}
	if err := s.Record(ctx, by, purpose, subject, audit.ActionScore, audit.Result{
		Score: sc.Result.Score, Band: sc.Band, Reasons: reasonCodes(sc.Reasons), Model: sc.ModelID,
	}); err != nil {
		return Score{}, err
	}
	return sc, nil
}

// score scores the subject's live features as of now, without authorizing
// or recording anything but the suppression of lapsed disputes, with the
// model in service when it starts, which it returns.
func (s *Service) score(ctx context.Context, subject, purpose string) (Score, *model.Model, error) {
	m := s.served.Load()
	// Lapsed disputes first: a score never counts an event past its
	// dispute's deadline, sweep or no sweep.
	open, err := s.openDisputes(ctx, subject)
	if err != nil {
		return Score{}, nil, err
	}
	fv, err := s.store.Features(ctx, subject, s.now())
	if err != nil {
		return Score{}, nil, err
	}
	res, err := ScoreFeatures(m.model, fv)
	if err != nil {
		return Score{}, nil, err
	}
	if s.observer != nil {
		s.observer.Observe(m.id, m.model, &res)
	}
	if ch := s.challenger.Load(); ch != nil && s.shadow != nil {
		// The challenger scores the same features in shadow: compared,
		// never returned, never recorded as the person's score.
		if cr, err := ScoreFeatures(ch.model, fv); err == nil {
			s.shadow.Compare(m.id, &res, ch.id, &cr)
		}
	}
	return Score{Subject: subject, Purpose: purpose, Result: res, ModelKind: m.model.Kind, ModelID: m.id, Features: fv,
		OpenDisputes: open}, m.model, nil
}

// ScoreFeatures scores a live feature vector as the service does: a feature
// the vector lacks goes to the model's missing bin, and the inquiries reason
// is added when inquiries cost points (withInquiryReason).
func ScoreFeatures(m *model.Model, fv opencredit.FeatureVector) (model.Result, error) {
	inputs := m.Inputs()
	in := make([]model.Value, len(inputs))
	for k, x := range inputs {
		if v, ok := fv.Values[x.Name]; ok {
			in[k] = model.Num(v)
		} else {
			in[k] = model.MissingValue()
		}
	}
	row := m.Row(make([]model.Value, 0, len(m.Features)), in)
	res, err := m.Score(row)
	if err != nil {
		return model.Result{}, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "cannot score", Err: err}
	}
	return withInquiryReason(m, res), nil
}

// CheckModel refuses a model the service cannot serve: one not prepared
// (model.Prepare: validated, its lookup tables built), one without an id
// (model.ID: it must encode as JSON), or one it cannot feed: every feature
// must be a numeric feature of the registry (features.Registry), or a
// derived characteristic computed from such features, since live features
// are all the service has. A model trained on another CSV would
// otherwise score every person with all its inputs missing.
func CheckModel(m *model.Model) error {
	if m == nil || !m.Prepared() {
		return opencredit.Errorf(opencredit.EINVALID, "the model was not validated and prepared to score (model.Load or Prepare does it)")
	}
	if _, err := model.ID(m); err != nil {
		return &opencredit.Error{Code: opencredit.EINVALID, Message: "the model cannot be encoded, so it has no id", Err: err}
	}
	for _, in := range m.Inputs() {
		if _, ok := features.Lookup(in.Name); !ok {
			return opencredit.Errorf(opencredit.EINVALID, "model input %q is not a live feature (see features.Registry, or train on 'opencredit snapshot' output)", in.Name)
		}
		if in.Kind != model.Numeric {
			return opencredit.Errorf(opencredit.EINVALID, "model input %q is %s; live features are numeric", in.Name, in.Kind)
		}
	}
	return nil
}

func reasonCodes(rs []model.Reason) []string {
	codes := make([]string, len(rs))
	for i, r := range rs {
		codes[i] = r.Code
	}
	return codes
}
