package rights

import (
	"context"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/scoring"
)

// Erasure is what an erasure did.
type Erasure struct {
	Subject       string    `json:"subject"`
	ErasedAt      time.Time `json:"erased_at"`
	EventsDeleted int       `json:"events_deleted"`
}

// Erase erases subject's file (GDPR Art. 17) for the person's own client
// or an operator: PII, events and live features deleted, every consent
// withdrawn, now; what the legal hold keeps is in the package comment.
// ENOTFOUND for a subject erased already, or unknown.
func (s *Service) Erase(ctx context.Context, by scoring.Caller, subject string) (Erasure, error) {
	purpose, err := s.begin(ctx, by, subject, ActionErase)
	if err != nil {
		return Erasure{}, err
	}
	out, err := s.erase(ctx, subject)
	if err != nil {
		return Erasure{}, s.fail(ctx, by, purpose, subject, ActionErase, err)
	}
	if err := s.record(ctx, by, purpose, subject, ActionErase, audit.Result{Items: out.EventsDeleted}); err != nil {
		return Erasure{}, err
	}
	return out, nil
}

func (s *Service) erase(ctx context.Context, subject string) (Erasure, error) {
	sub, err := s.store.Subject(ctx, subject)
	if err != nil {
		return Erasure{}, err
	}
	if sub.DeletedAt != nil {
		return Erasure{}, opencredit.Errorf(opencredit.ENOTFOUND, "subject %s was erased already, at %s", subject, sub.DeletedAt.Format(time.RFC3339))
	}
	evs, err := s.store.Events(ctx, subject)
	if err != nil {
		return Erasure{}, err
	}
	now := s.now()
	if err := s.store.DeleteSubject(ctx, subject, now); err != nil {
		return Erasure{}, err
	}
	return Erasure{Subject: subject, ErasedAt: now.UTC(), EventsDeleted: len(evs)}, nil
}
