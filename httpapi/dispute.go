package httpapi

import (
	"net/http"

	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/scoring"
)

// handleOpenDispute opens the person's dispute of one of their events, for
// the subject's own client (scoring.Service.OpenDispute).
func handleOpenDispute(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := decode[api.DisputeRequest](r)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		dp, err := d.Scoring.OpenDispute(r.Context(), callerOf(r), r.PathValue("id"), q.Source, q.EventID, q.Comment)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusCreated, api.DisputeResponse{Dispute: dp})
	})
}

// handleSubjectDisputes lists a person's disputes, for their own client or
// an operator (scoring.Service.SubjectDisputes).
func handleSubjectDisputes(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ds, err := d.Scoring.SubjectDisputes(r.Context(), callerOf(r), r.PathValue("id"))
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, api.DisputesResponse{Disputes: nonNil(ds)})
	})
}

// handleDisputeQueue lists a furnisher's own queue, or every dispute for an
// operator, optionally of one status (scoring.Service.DisputeQueue).
func handleDisputeQueue(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ds, err := d.Scoring.DisputeQueue(r.Context(), callerOf(r), r.URL.Query().Get("status"))
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, api.DisputesResponse{Disputes: nonNil(ds)})
	})
}

// handleResolveDispute resolves a dispute for the furnisher of its event or
// an operator (scoring.Service.ResolveDispute).
func handleResolveDispute(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := decode[api.ResolveDisputeRequest](r)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		dp, err := d.Scoring.ResolveDispute(r.Context(), callerOf(r), r.PathValue("dispute"),
			scoring.Resolution{Outcome: q.Outcome, Note: q.Note, Corrected: q.Event()})
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, api.DisputeResponse{Dispute: dp})
	})
}
