package opencredit

import (
	"context"
	"time"
)

// Statuses of a human review of an automated decision (GDPR Art. 22(3)):
// requested by the person, then resolved by an operator, who either upholds
// the decision or finds it should change.
const (
	ReviewRequested = "requested"
	ReviewUpheld    = "upheld"  // a person reviewed the decision and it stands
	ReviewChanged   = "changed" // a person reviewed the decision and it should change; Note says how
)

// Review is a person's request that a person, not the model, look again at
// an automated decision about them, and its outcome. The decision is named
// by DecisionID, the index of its record in the audit log (the decision
// response's decision_id); Lender, Program, Outcome and Score are copied from
// that record so the operator's queue reads without the log.
type Review struct {
	ID          string    `json:"id"`
	Subject     string    `json:"subject"`
	DecisionID  int64     `json:"decision_id"`
	Lender      string    `json:"lender"`  // the client that asked for the decision
	Purpose     string    `json:"purpose"` // the decision's purpose
	Outcome     string    `json:"outcome"` // the decision reviewed: approved or declined
	Score       int       `json:"score"`   // the score it rested on
	Comment     string    `json:"comment"` // why the person asks
	RequestedAt time.Time `json:"requested_at"`
	Status      string    `json:"status"` // one of the Review* statuses
	// ResolvedAt, Note and Resolver are set when an operator resolves it.
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	Note       string     `json:"note,omitempty"`
	Resolver   string     `json:"resolver,omitempty"`
}

// ReviewFilter selects reviews; an empty field selects all.
type ReviewFilter struct {
	Subject string
	Status  string
}

// ReviewStore keeps human reviews. Both stores implement it; storetest
// checks them.
type ReviewStore interface {
	// RequestReview records r, whose status must be ReviewRequested.
	// ECONFLICT if the id is taken or the decision has a review still
	// requested; ENOTFOUND if the subject is unknown or erased.
	RequestReview(ctx context.Context, r Review) error
	// Review returns one review, ENOTFOUND if unknown.
	Review(ctx context.Context, id string) (Review, error)
	// Reviews lists the reviews f selects, oldest first (ties by id).
	Reviews(ctx context.Context, f ReviewFilter) ([]Review, error)
	// ResolveReview resolves a requested review as ReviewUpheld or
	// ReviewChanged and returns it; ENOTFOUND if unknown, ECONFLICT if it
	// was resolved already.
	ResolveReview(ctx context.Context, id, status, note, resolver string, at time.Time) (Review, error)
}

// Validate checks a review's ids, comment, status and time, as a store
// takes it: the messages name the field.
func (r Review) Validate() error {
	if err := CheckID("review id", r.ID); err != nil {
		return err
	}
	if err := CheckID("review subject", r.Subject); err != nil {
		return err
	}
	if r.DecisionID < 0 {
		return Errorf(EINVALID, "review decision_id %d is negative", r.DecisionID)
	}
	if err := CheckText("review comment", r.Comment, false); err != nil {
		return err
	}
	if err := CheckText("review note", r.Note, false); err != nil {
		return err
	}
	switch r.Status {
	case ReviewRequested, ReviewUpheld, ReviewChanged:
	default:
		return Errorf(EINVALID, "review status %q is not one of requested, upheld, changed", r.Status)
	}
	return CheckTime("review requested_at", r.RequestedAt)
}

// CheckReviewResolution checks an operator's resolution of a review: the
// outcome is upheld or changed, a note says why (the person reads it), the
// resolver is an id and the time is in range.
func CheckReviewResolution(status, note, resolver string, at time.Time) error {
	if status != ReviewUpheld && status != ReviewChanged {
		return Errorf(EINVALID, "outcome %q is not one of upheld, changed", status)
	}
	if err := CheckText("note", note, true); err != nil {
		return err
	}
	if err := CheckID("resolver", resolver); err != nil {
		return err
	}
	return CheckTime("resolution time", at)
}
