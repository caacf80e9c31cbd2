package httpapi

import (
	"bytes"
	"net/http"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
)

// handleDecision decides a program for a subject on behalf of a lender
// permitted the program's purpose and holding the subject's consent for it
// (scoring.Service.Decide). A browser (Accept: text/html) gets a decline's
// notice as one printable page.
func handleDecision(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := decode[api.DecisionRequest](r)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		dec, err := d.Scoring.Decide(r.Context(), callerOf(r), q.Subject, q.Program)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		d.metrics.scores.WithLabelValues(dec.Decision.Band).Inc()
		if dec.Notice != nil && prefersHTML(r.Header.Get("Accept")) {
			var page bytes.Buffer
			if err := dec.Notice.HTML(&page); err != nil {
				writeError(d, w, r, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "cannot print the notice", Err: err})
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			w.Write(page.Bytes())
			return
		}
		encode(w, http.StatusOK, api.DecisionResponse{DecisionID: dec.ID, Decision: dec.Decision, ModelID: dec.ModelID, Notice: dec.Notice})
	})
}
