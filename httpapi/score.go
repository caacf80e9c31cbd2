package httpapi

import (
	"net/http"

	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/scoring"
)

// handleScore serves a subject's score to a lender with a permitted,
// consented purpose, or to the subject itself (scoring.Service.Score).
func handleScore(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sc, err := d.Scoring.Score(r.Context(), callerOf(r), r.PathValue("id"), r.URL.Query().Get("purpose"))
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		d.metrics.scores.WithLabelValues(sc.Band).Inc()
		encode(w, http.StatusOK, scoreResponse(sc))
	})
}

// scoreResponse is a score as the API answers it.
func scoreResponse(sc scoring.Score) api.ScoreResponse {
	return api.ScoreResponse{
		Subject: sc.Subject, Purpose: sc.Purpose, Score: sc.Result.Score, Band: sc.Band, PD: sc.PD,
		Dimensions: nonNil(sc.Dimensions), Reasons: nonNil(sc.Reasons),
		Model: sc.ModelKind, ModelID: sc.ModelID, FeaturesAsOf: sc.Features.AsOf, OpenDisputes: sc.OpenDisputes,
	}
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
