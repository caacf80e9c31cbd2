package api

import (
	"encoding/json"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dispute"
)

// DisputeRequest is the body of POST /v1/subjects/{id}/disputes: which of
// the person's events is wrong (its source and id, as GET
// /v1/subjects/{id}/data lists them) and what is wrong with it.
type DisputeRequest struct {
	Source  string `json:"source"`
	EventID string `json:"event_id"`
	Comment string `json:"comment"`
}

// Valid checks the fields are given and the comment is text of at most
// opencredit.MaxDisputeTextBytes.
func (q DisputeRequest) Valid() error {
	if q.Source == "" || q.EventID == "" {
		return opencredit.Errorf(opencredit.EINVALID, "source and event_id are required: the disputed event's source and id")
	}
	return opencredit.CheckText("comment", q.Comment, true)
}

// DisputeResponse is the body answering POST /v1/subjects/{id}/disputes
// and POST /v1/disputes/{dispute}/resolve: the dispute as it now stands.
type DisputeResponse struct {
	Dispute opencredit.Dispute `json:"dispute"`
}

// DisputesResponse is the body of GET /v1/subjects/{id}/disputes and GET
// /v1/disputes, oldest first.
type DisputesResponse struct {
	Disputes []opencredit.Dispute `json:"disputes"`
}

// ResolveDisputeRequest is the body of POST /v1/disputes/{dispute}/resolve: the
// outcome (verified, corrected or deleted), a note for the person, and for
// corrected the event's corrected content.
type ResolveDisputeRequest struct {
	Outcome   string          `json:"outcome"`
	Note      string          `json:"note,omitempty"`
	Corrected *CorrectedEvent `json:"corrected,omitempty"`
}

// CorrectedEvent is the corrected content of a disputed event: its data,
// validated as an ingested event's of the same type, and its time when that
// was wrong too. The id, source, subject and type stay.
type CorrectedEvent struct {
	Data json.RawMessage `json:"data"`
	Time *time.Time      `json:"time,omitempty"`
}

// Valid checks the outcome, that corrected content comes with outcome
// corrected and only with it, and the note.
func (q ResolveDisputeRequest) Valid() error {
	if err := dispute.CheckOutcome(q.Outcome); err != nil {
		return err
	}
	if (q.Outcome == opencredit.DisputeCorrected) != (q.Corrected != nil) {
		return opencredit.Errorf(opencredit.EINVALID, "corrected (with data) is given with outcome corrected, and only then")
	}
	if q.Corrected != nil && len(q.Corrected.Data) == 0 {
		return opencredit.Errorf(opencredit.EINVALID, "corrected.data is required: the event's corrected content")
	}
	return opencredit.CheckText("note", q.Note, false)
}

// Event returns the corrected content as the store takes it, nil when
// there is none.
func (q ResolveDisputeRequest) Event() *opencredit.Event {
	if q.Corrected == nil {
		return nil
	}
	e := &opencredit.Event{Data: q.Corrected.Data}
	if q.Corrected.Time != nil {
		e.Time = *q.Corrected.Time
	}
	return e
}

// ReviewRequest is the body of POST /v1/subjects/{id}/reviews: the decision
// to review (DecisionResponse.decision_id, or the notice's decision_id) and
// the person's point of view.
type ReviewRequest struct {
	DecisionID *int64 `json:"decision_id"`
	Comment    string `json:"comment,omitempty"`
}

// Valid checks the decision is named and the comment is text.
func (q ReviewRequest) Valid() error {
	if q.DecisionID == nil {
		return opencredit.Errorf(opencredit.EINVALID, "decision_id is required: the decision_id of the decision response or notice")
	}
	if *q.DecisionID < 0 {
		return opencredit.Errorf(opencredit.EINVALID, "decision_id %d is negative", *q.DecisionID)
	}
	return opencredit.CheckText("comment", q.Comment, false)
}

// ReviewResponse answers POST /v1/subjects/{id}/reviews and POST
// /v1/reviews/{review}/resolve: the review as it now stands.
type ReviewResponse struct {
	Review opencredit.Review `json:"review"`
}

// ReviewsResponse is the body of GET /v1/subjects/{id}/reviews and GET
// /v1/reviews, oldest first.
type ReviewsResponse struct {
	Reviews []opencredit.Review `json:"reviews"`
}

// ResolveReviewRequest is the body of POST /v1/reviews/{review}/resolve: upheld
// or changed, and a note the person reads.
type ResolveReviewRequest struct {
	Outcome string `json:"outcome"`
	Note    string `json:"note"`
}

// Valid checks the outcome and that a note is given.
func (q ResolveReviewRequest) Valid() error {
	if q.Outcome != opencredit.ReviewUpheld && q.Outcome != opencredit.ReviewChanged {
		return opencredit.Errorf(opencredit.EINVALID, "outcome %q is not one of upheld, changed", q.Outcome)
	}
	return opencredit.CheckText("note", q.Note, true)
}
