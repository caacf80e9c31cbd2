package httpapi

import (
	"net/http"

	"github.com/opencredit/opencredit/api"
)

// handleRequestReview records the person's request for a human review of a
// decision about them (scoring.Service.RequestReview).
func handleRequestReview(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := decode[api.ReviewRequest](r)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		rv, err := d.Scoring.RequestReview(r.Context(), callerOf(r), r.PathValue("id"), *q.DecisionID, q.Comment)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusCreated, api.ReviewResponse{Review: rv})
	})
}

// handleSubjectReviews lists a person's reviews, for their own client or an
// operator (scoring.Service.SubjectReviews).
func handleSubjectReviews(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs, err := d.Scoring.SubjectReviews(r.Context(), callerOf(r), r.PathValue("id"))
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, api.ReviewsResponse{Reviews: nonNil(rs)})
	})
}

// handleReviewQueue lists the operators' queue, optionally of one status
// (scoring.Service.ReviewQueue).
func handleReviewQueue(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs, err := d.Scoring.ReviewQueue(r.Context(), callerOf(r), r.URL.Query().Get("status"))
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, api.ReviewsResponse{Reviews: nonNil(rs)})
	})
}

// handleResolveReview records an operator's outcome of a review
// (scoring.Service.ResolveReview).
func handleResolveReview(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := decode[api.ResolveReviewRequest](r)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		rv, err := d.Scoring.ResolveReview(r.Context(), callerOf(r), r.PathValue("review"), q.Outcome, q.Note)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, api.ReviewResponse{Review: rv})
	})
}
