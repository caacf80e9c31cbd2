package scoring

import (
	"context"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
)

// SubjectData is everything held about a subject that the person may read
// (FCRA §609; GDPR Art. 15): consents, events and live features.
type SubjectData struct {
	Subject  string
	Consents []opencredit.Consent
	Events   []opencredit.StoredEvent
	Features opencredit.FeatureVector
}

// SubjectData reads the subject's file for the subject's own client, and
// records the access.
func (s *Service) SubjectData(ctx context.Context, by Caller, subject string) (SubjectData, error) {
	if err := OwnSubject(by.Client, subject); err != nil {
		return SubjectData{}, s.refused(ctx, by, opencredit.PurposeSubjectSelfAccess, subject, audit.ActionSubjectData, err)
	}
	out := SubjectData{Subject: subject}
	// The features shown are those a score would use: lapsed disputes out.
	if _, err := s.lapse(ctx, subject); err != nil {
		return SubjectData{}, err
	}
	var err error
	if out.Consents, err = s.store.Consents(ctx, subject); err != nil {
		return SubjectData{}, err
	}
	if out.Events, err = s.store.Events(ctx, subject); err != nil {
		return SubjectData{}, err
	}
	if out.Features, err = s.store.Features(ctx, subject, s.now()); err != nil {
		return SubjectData{}, err
	}
	if err := s.Record(ctx, by, opencredit.PurposeSubjectSelfAccess, subject, audit.ActionSubjectData,
		audit.Result{Items: len(out.Consents) + len(out.Events)}); err != nil {
		return SubjectData{}, err
	}
	return out, nil
}
