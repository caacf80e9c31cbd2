package httpapi

import (
	"net/http"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
)

// subjectData is everything held about a subject that its own client may
// read (FCRA §609): consents, events and live features.
type subjectData struct {
	Subject  string                   `json:"subject"`
	Consents []opencredit.Consent     `json:"consents"`
	Events   []opencredit.StoredEvent `json:"events"`
	Features opencredit.FeatureVector `json:"features"`
}

// handleSubjectData serves a subject's own data to the client bound to it.
func handleSubjectData(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := clientOf(r.Context())
		subject := r.PathValue("id")
		if err := ownSubject(c, subject); err != nil {
			writeError(d, w, r, err)
			return
		}
		ctx := r.Context()
		consents, err := d.Store.Consents(ctx, subject)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		events, err := d.Store.Events(ctx, subject)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		fv, err := d.Store.Features(ctx, subject, d.Now())
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		if err := record(r, d, c, opencredit.PurposeSubjectSelfAccess, subject, audit.ActionSubjectData,
			audit.Result{Items: len(consents) + len(events)}); err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, subjectData{Subject: subject, Consents: nonNil(consents), Events: nonNil(events), Features: fv})
	})
}
