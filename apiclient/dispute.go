package apiclient

import (
	"context"
	"net/url"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
)

// OpenDispute disputes one of the subject's own events (its source and
// id), saying what is wrong; the subject's own client only.
func (c *Client) OpenDispute(ctx context.Context, subject, source, eventID, comment string) (opencredit.Dispute, error) {
	var out api.DisputeResponse
	err := c.do(ctx, "POST", "/v1/subjects/"+url.PathEscape(subject)+"/disputes",
		api.DisputeRequest{Source: source, EventID: eventID, Comment: comment}, &out)
	return out.Dispute, err
}

// SubjectDisputes lists the subject's disputes with status and outcome; the
// subject's own client, or an operator.
func (c *Client) SubjectDisputes(ctx context.Context, subject string) ([]opencredit.Dispute, error) {
	var out api.DisputesResponse
	err := c.do(ctx, "GET", "/v1/subjects/"+url.PathEscape(subject)+"/disputes", nil, &out)
	return out.Disputes, err
}

// Disputes lists the dispute queue of the status given (all if empty): a
// furnisher's own, or every one for an operator.
func (c *Client) Disputes(ctx context.Context, status string) ([]opencredit.Dispute, error) {
	var out api.DisputesResponse
	path := "/v1/disputes"
	if status != "" {
		path += "?" + url.Values{"status": {status}}.Encode()
	}
	err := c.do(ctx, "GET", path, nil, &out)
	return out.Disputes, err
}

// ResolveDispute resolves a dispute as verified, corrected (with the
// corrected content in q.Corrected) or deleted; the furnisher of the
// disputed event, or an operator.
func (c *Client) ResolveDispute(ctx context.Context, id string, q api.ResolveDisputeRequest) (opencredit.Dispute, error) {
	var out api.DisputeResponse
	err := c.do(ctx, "POST", "/v1/disputes/"+url.PathEscape(id)+"/resolve", q, &out)
	return out.Dispute, err
}

// RequestReview asks for a person to review a decision about the subject,
// named by its decision id (api.DecisionResponse.DecisionID); the subject's
// own client only.
func (c *Client) RequestReview(ctx context.Context, subject string, decisionID int64, comment string) (opencredit.Review, error) {
	var out api.ReviewResponse
	err := c.do(ctx, "POST", "/v1/subjects/"+url.PathEscape(subject)+"/reviews",
		api.ReviewRequest{DecisionID: &decisionID, Comment: comment}, &out)
	return out.Review, err
}

// SubjectReviews lists the subject's reviews with status and outcome; the
// subject's own client, or an operator.
func (c *Client) SubjectReviews(ctx context.Context, subject string) ([]opencredit.Review, error) {
	var out api.ReviewsResponse
	err := c.do(ctx, "GET", "/v1/subjects/"+url.PathEscape(subject)+"/reviews", nil, &out)
	return out.Reviews, err
}

// Reviews lists the operators' review queue of the status given (all if
// empty); operator clients only.
func (c *Client) Reviews(ctx context.Context, status string) ([]opencredit.Review, error) {
	var out api.ReviewsResponse
	path := "/v1/reviews"
	if status != "" {
		path += "?" + url.Values{"status": {status}}.Encode()
	}
	err := c.do(ctx, "GET", path, nil, &out)
	return out.Reviews, err
}

// ResolveReview records a review's outcome, upheld or changed, with a note
// the person reads; operator clients only.
func (c *Client) ResolveReview(ctx context.Context, id, outcome, note string) (opencredit.Review, error) {
	var out api.ReviewResponse
	err := c.do(ctx, "POST", "/v1/reviews/"+url.PathEscape(id)+"/resolve", api.ResolveReviewRequest{Outcome: outcome, Note: note}, &out)
	return out.Review, err
}
