package scoring

import (
	"context"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
)

// Actions of the human-review records in the audit log; a resolution is
// recorded under its outcome.
const (
	ActionReviewRequest = "review_request"
	ActionReviewsRead   = "reviews_read"
	ActionReviewUpheld  = "review_" + opencredit.ReviewUpheld
	ActionReviewChanged = "review_" + opencredit.ReviewChanged
)

// RequestReview records the subject's request that a person review an
// automated decision about them (GDPR Art. 22(3)), for the subject's own
// client. The decision is named by its id, the index of its audit record
// (Decision.ID); a record that is not a decision about this subject is
// ENOTFOUND, the same answer as no record, so a person cannot probe the
// decisions about others. The request lands in the operators' queue.
func (s *Service) RequestReview(ctx context.Context, by Caller, subject string, decisionID int64, comment string) (opencredit.Review, error) {
	if err := OwnSubject(by.Client, subject); err != nil {
		return opencredit.Review{}, s.refused(ctx, by, opencredit.PurposeSubjectSelfAccess, subject, ActionReviewRequest, err)
	}
	notFound := opencredit.Errorf(opencredit.ENOTFOUND, "no decision %d about subject %s", decisionID, subject)
	if decisionID < 0 {
		return opencredit.Review{}, s.refused(ctx, by, opencredit.PurposeSubjectSelfAccess, subject, ActionReviewRequest, notFound)
	}
	b, err := s.log.Record(ctx, decisionID)
	if opencredit.ErrorCode(err) == opencredit.ENOTFOUND {
		return opencredit.Review{}, s.refused(ctx, by, opencredit.PurposeSubjectSelfAccess, subject, ActionReviewRequest, notFound)
	}
	if err != nil {
		return opencredit.Review{}, err
	}
	rec, err := audit.ParseRecord(b)
	if err != nil {
		return opencredit.Review{}, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "the audit record of a decision does not parse", Err: err}
	}
	if rec.Action != audit.ActionDecision || rec.Subject != subject {
		return opencredit.Review{}, s.refused(ctx, by, opencredit.PurposeSubjectSelfAccess, subject, ActionReviewRequest, notFound)
	}
	id, err := s.newID("rev_")
	if err != nil {
		return opencredit.Review{}, err
	}
	r := opencredit.Review{ID: id, Subject: subject, DecisionID: decisionID, Lender: rec.Client, Purpose: rec.Purpose,
		Outcome: rec.Result.Decision, Score: rec.Result.Score, Comment: comment, RequestedAt: s.now().UTC(),
		Status: opencredit.ReviewRequested}
	if err := s.store.RequestReview(ctx, r); err != nil {
		return opencredit.Review{}, s.refused(ctx, by, opencredit.PurposeSubjectSelfAccess, subject, ActionReviewRequest, err)
	}
	if err := s.Record(ctx, by, opencredit.PurposeSubjectSelfAccess, subject, ActionReviewRequest,
		audit.Result{Decision: r.Outcome, Score: r.Score}); err != nil {
		return opencredit.Review{}, err
	}
	return r, nil
}

// SubjectReviews lists the subject's reviews with status and outcome, for
// the subject's own client or an operator.
func (s *Service) SubjectReviews(ctx context.Context, by Caller, subject string) ([]opencredit.Review, error) {
	purpose := opencredit.PurposeSubjectSelfAccess
	if by.Client.Role == opencredit.RoleOperator {
		purpose = PurposeOperations
	} else if err := OwnSubject(by.Client, subject); err != nil {
		return nil, s.refused(ctx, by, purpose, subject, ActionReviewsRead, err)
	}
	rs, err := s.store.Reviews(ctx, opencredit.ReviewFilter{Subject: subject})
	if err != nil {
		return nil, err
	}
	if err := s.Record(ctx, by, purpose, subject, ActionReviewsRead, audit.Result{Items: len(rs)}); err != nil {
		return nil, err
	}
	return rs, nil
}

// ReviewQueue lists the reviews with the given status (all if empty), for
// an operator; each person listed gets an audit record of the read.
func (s *Service) ReviewQueue(ctx context.Context, by Caller, status string) ([]opencredit.Review, error) {
	if by.Client.Role != opencredit.RoleOperator {
		return nil, opencredit.Errorf(opencredit.EFORBIDDEN, "only an operator reads the review queue")
	}
	switch status {
	case "", opencredit.ReviewRequested, opencredit.ReviewUpheld, opencredit.ReviewChanged:
	default:
		return nil, opencredit.Errorf(opencredit.EINVALID, "status %q is not one of requested, upheld, changed", status)
	}
	rs, err := s.store.Reviews(ctx, opencredit.ReviewFilter{Status: status})
	if err != nil {
		return nil, err
	}
	subjects := make([]string, len(rs))
	for i, r := range rs {
		subjects[i] = r.Subject
	}
	if err := s.recordEach(ctx, by, ActionReviewsRead, subjects); err != nil {
		return nil, err
	}
	return rs, nil
}

// ResolveReview records an operator's outcome of a review, upheld or
// changed, with a note the person reads.
func (s *Service) ResolveReview(ctx context.Context, by Caller, id, outcome, note string) (opencredit.Review, error) {
	if by.Client.Role != opencredit.RoleOperator {
		return opencredit.Review{}, opencredit.Errorf(opencredit.EFORBIDDEN, "only an operator resolves reviews")
	}
	r, err := s.store.ResolveReview(ctx, id, outcome, note, by.Client.ID, s.now().UTC())
	if err != nil {
		return opencredit.Review{}, err
	}
	if err := s.Record(ctx, by, PurposeOperations, r.Subject, "review_"+outcome,
		audit.Result{Decision: r.Outcome, Score: r.Score}); err != nil {
		return opencredit.Review{}, err
	}
	return r, nil
}
