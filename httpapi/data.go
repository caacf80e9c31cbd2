package httpapi

import (
	"net/http"

	"github.com/opencredit/opencredit/api"
)

// handleSubjectData serves a subject's own data to the client bound to it
// (scoring.Service.SubjectData).
func handleSubjectData(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, err := d.Scoring.SubjectData(r.Context(), callerOf(r), r.PathValue("id"))
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, api.SubjectData{Subject: data.Subject, Consents: nonNil(data.Consents),
			Events: nonNil(data.Events), Features: data.Features})
	})
}
