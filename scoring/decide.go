package scoring

import (
	"cmp"
	"context"
	"slices"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/decision"
)

// Decision is the answer to a decision request: the decision, the model
// that scored, and for a decline its adverse-action notice.
type Decision struct {
	// ID is the index of the decision's audit record: what a person names
	// to ask for a human review of it (RequestReview).
	ID       int64
	Decision decision.Decision
	ModelID  string
	Notice   *decision.Notice // set for a decline
}

// Decide decides program for subject on behalf of a lender permitted the
// program's purpose and holding the subject's consent for it: the pull of
// Score, then decision.Decide, then for a decline the notice naming the
// furnishers whose data the score rests on. The audit record holds the
// outcome and the reasons given; its index is the decision's ID.
func (s *Service) Decide(ctx context.Context, by Caller, subject, program string) (Decision, error) {
	i := slices.IndexFunc(s.programs, func(p decision.Program) bool { return p.ID == program })
	if i < 0 {
		// The request names a person's file even so: who asked is theirs to see.
		return Decision{}, s.refused(ctx, by, "", subject, audit.ActionDecision,
			opencredit.Errorf(opencredit.ENOTFOUND, "no program %q", program))
	}
	p := s.programs[i]
	if err := s.Authorize(ctx, by.Client, subject, p.Purpose); err != nil {
		return Decision{}, s.refused(ctx, by, p.Purpose, subject, audit.ActionDecision, err)
	}
	sc, m, err := s.score(ctx, subject, p.Purpose)
	if err != nil {
		return Decision{}, s.refused(ctx, by, p.Purpose, subject, audit.ActionDecision, err)
	}
	if p.Purpose == opencredit.PurposeCreditApplication {
		if err := s.recordHardInquiry(ctx, by.Client.ID, subject, p.Product, by.RequestID); err != nil {
			return Decision{}, err
		}
	}
	dec := decision.Decide(p, sc.Result, sc.Features, nil)
	codes := make([]string, len(dec.Reasons))
	for i, reason := range dec.Reasons {
		codes[i] = reason.Code
	}
	// Recorded before the notice is written, so the notice can name the
	// decision by its record.
	id, err := s.log.Append(ctx, audit.Record{
		Time: s.now(), Client: by.Client.ID, Role: by.Client.Role, Purpose: p.Purpose, Subject: subject,
		Action: audit.ActionDecision, RequestID: by.RequestID,
		Result: audit.Result{Score: dec.Score, Band: dec.Band, Decision: dec.Outcome, Reasons: codes, Model: sc.ModelID},
	})
	if err != nil {
		return Decision{}, err
	}
	out := Decision{ID: id, Decision: dec, ModelID: sc.ModelID}
	if dec.Outcome == decision.Declined {
		furnishers, err := s.furnishersOf(ctx, subject)
		if err != nil {
			return Decision{}, err
		}
		n, err := decision.NewNotice(dec, decision.NoticeInput{
			Date:         s.now(),
			Counterparty: decision.Contact{Name: cmp.Or(by.Client.Name, by.Client.ID)},
			Furnishers:   furnishers,
			ScoreMin:     m.Scaling.Min, ScoreMax: m.Scaling.Max,
			DecisionID: &id,
		})
		if err != nil {
			return Decision{}, err
		}
		out.Notice = &n
	}
	return out, nil
}

// furnishersOf names the furnishers whose events about the subject are on
// file, in the order they first appear: the notice tells the person whose
// data the decision rests on.
func (s *Service) furnishersOf(ctx context.Context, subject string) ([]decision.Contact, error) {
	events, err := s.store.Events(ctx, subject)
	if err != nil {
		return nil, err
	}
	var out []decision.Contact
	seen := map[string]bool{}
	for _, e := range events {
		if !seen[e.Source] && e.Source != opencredit.PlatformSource {
			seen[e.Source] = true
			out = append(out, decision.Contact{Name: e.Source})
		}
	}
	return out, nil
}
