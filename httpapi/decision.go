package httpapi

import (
	"bytes"
	"cmp"
	"net/http"
	"slices"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/decision"
)

// decisionRequest is the body of POST /v1/decisions.
type decisionRequest struct {
	Subject string `json:"subject"`
	Program string `json:"program"`
}

// Valid checks that both fields are given.
func (q decisionRequest) Valid() error {
	if q.Subject == "" || q.Program == "" {
		return opencredit.Errorf(opencredit.EINVALID, "subject and program are required")
	}
	return nil
}

// decisionResponse is the decision and, for a decline, its adverse-action
// notice.
type decisionResponse struct {
	Decision decision.Decision `json:"decision"`
	ModelID  string            `json:"model_id"` // the model version the score came from (model.ID)
	Notice   *decision.Notice  `json:"notice,omitempty"`
}

// handleDecision decides a program for a subject on behalf of a lender
// permitted the program's purpose and holding the subject's consent for it.
func handleDecision(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := clientOf(r.Context())
		q, err := decode[decisionRequest](r)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		i := slices.IndexFunc(d.Programs, func(p decision.Program) bool { return p.ID == q.Program })
		if i < 0 {
			writeError(d, w, r, opencredit.Errorf(opencredit.ENOTFOUND, "no program %q", q.Program))
			return
		}
		p := d.Programs[i]
		if err := authorizeSubject(r.Context(), d, c, q.Subject, p.Purpose); err != nil {
			writeError(d, w, r, err)
			return
		}
		res, fv, err := scoreSubject(r.Context(), d, q.Subject)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		if p.Purpose == opencredit.PurposeCreditApplication {
			if err := recordHardInquiry(r.Context(), d, q.Subject, requestID(r.Context())); err != nil {
				writeError(d, w, r, err)
				return
			}
		}
		dec := decision.Decide(p, res, fv, nil)
		out := decisionResponse{Decision: dec, ModelID: d.modelID}
		if dec.Outcome == decision.Declined {
			furnishers, err := furnishersOf(r, d, q.Subject)
			if err != nil {
				writeError(d, w, r, err)
				return
			}
			n, err := decision.NewNotice(dec, decision.NoticeInput{
				Date:         d.Now(),
				Counterparty: decision.Contact{Name: cmp.Or(c.Name, c.ID)},
				Furnishers:   furnishers,
				ScoreMin:     d.Model.Scaling.Min, ScoreMax: d.Model.Scaling.Max,
			})
			if err != nil {
				writeError(d, w, r, err)
				return
			}
			out.Notice = &n
		}
		codes := make([]string, len(dec.Reasons))
		for i, reason := range dec.Reasons {
			codes[i] = reason.Code
		}
		if err := record(r, d, c, p.Purpose, q.Subject, audit.ActionDecision, audit.Result{
			Score: dec.Score, Band: dec.Band, Decision: dec.Outcome, Reasons: codes, Model: d.modelID,
		}); err != nil {
			writeError(d, w, r, err)
			return
		}
		d.metrics.scores.WithLabelValues(dec.Band).Inc()
		if out.Notice != nil && prefersHTML(r.Header.Get("Accept")) {
			var page bytes.Buffer
			if err := out.Notice.HTML(&page); err != nil {
				writeError(d, w, r, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "cannot print the notice", Err: err})
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			w.Write(page.Bytes())
			return
		}
		encode(w, http.StatusOK, out)
	})
}

// furnishersOf names the furnishers whose events about the subject are on
// file, in the order they first appear: the notice tells the person whose
// data the decision rests on.
func furnishersOf(r *http.Request, d Deps, subject string) ([]decision.Contact, error) {
	events, err := d.Store.Events(r.Context(), subject)
	if err != nil {
		return nil, err
	}
	var out []decision.Contact
	seen := map[string]bool{}
	for _, e := range events {
		if !seen[e.Source] && e.Source != opencredit.PlatformSource {
			seen[e.Source] = true
			out = append(out, decision.Contact{Name: e.Source})
		}
	}
	return out, nil
}
