package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dispute"
	"github.com/opencredit/opencredit/scoring"
)

// The operators' pages, for a session signed in with an operator client's
// key. Each reads and acts through the same use cases as the API's
// operator routes (scoring's DisputeQueue, ResolveDispute, ReviewQueue,
// ResolveReview), which check the role and record every read and action
// in the audit log as the API does.

// opsRoutes lists the operators' pages.
func (s *Server) opsRoutes() {
	s.mux.Handle("GET /ops/{$}", s.operator(func(w http.ResponseWriter, r *http.Request, _ visit) {
		http.Redirect(w, r, "/ops/disputes", http.StatusSeeOther)
	}))
	s.mux.Handle("GET /ops/disputes", s.operator(s.handleOpsDisputes))
	s.mux.Handle("POST /ops/disputes/{dispute}/resolve", s.operator(s.handleOpsResolveDispute))
	s.mux.Handle("GET /ops/reviews", s.operator(s.handleOpsReviews))
	s.mux.Handle("POST /ops/reviews/{review}/resolve", s.operator(s.handleOpsResolveReview))
}

type statusFilter struct {
	Label, Href string
	Current     bool
}

// filters are the links that filter a queue by status; "" is all.
func filters(path, current string, statuses []string, words map[string]string) []statusFilter {
	out := []statusFilter{{Label: "All", Href: path, Current: current == ""}}
	for _, st := range statuses {
		out = append(out, statusFilter{Label: words[st], Href: path + "?" + url.Values{"status": {st}}.Encode(), Current: current == st})
	}
	return out
}

var opsDisputeWords = map[string]string{
	opencredit.DisputeOpen: "Open", opencredit.DisputeVerified: "Verified", opencredit.DisputeCorrected: "Corrected",
	opencredit.DisputeDeleted: "Deleted", opencredit.DisputeSuppressed: "Suppressed (unanswered in 30 days)",
}

var disputeStatuses = []string{opencredit.DisputeOpen, opencredit.DisputeSuppressed, opencredit.DisputeVerified, opencredit.DisputeCorrected, opencredit.DisputeDeleted}

type opsDisputeRow struct {
	ID, Subject, Source, EventID, Comment, Opened, Due, Status, Outcome string
	Pending                                                             bool
	Note                                                                string // the note typed before an error
}

type opsDisputesPage struct {
	Status  string
	Filters []statusFilter
	Rows    []opsDisputeRow
	Done    string
}

var opsDone = map[string]string{
	"verified": "The dispute is resolved as verified: the record counts again as it was sent.",
	"deleted":  "The dispute is resolved as deleted: the record no longer counts.",
	"upheld":   "The review is resolved: the decision stands.",
	"changed":  "The review is resolved: the decision is changed.",
}

// handleOpsDisputes lists every dispute, newest first, filtered by
// ?status=, each pending one with its resolve form.
func (s *Server) handleOpsDisputes(w http.ResponseWriter, r *http.Request, v visit) {
	s.showOpsDisputes(w, r, v, http.StatusOK, r.URL.Query().Get("status"), "", nil)
}

func (s *Server) showOpsDisputes(w http.ResponseWriter, r *http.Request, v visit, status int, filter, note string, errs []fieldError) {
	if _, ok := opsDisputeWords[filter]; filter != "" && !ok {
		s.renderError(w, r, &v, http.StatusBadRequest, "There is no such status",
			"Parameter status: "+quoteOrNone(filter)+" is not one of open, suppressed, verified, corrected, deleted.")
		return
	}
	ds, err := s.cfg.Scoring.DisputeQueue(r.Context(), v.caller, filter)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	p := opsDisputesPage{Status: filter, Filters: filters("/ops/disputes", filter, disputeStatuses, opsDisputeWords), Done: opsDone[r.URL.Query().Get("done")]}
	for i := len(ds) - 1; i >= 0; i-- {
		d := ds[i]
		row := opsDisputeRow{ID: d.ID, Subject: d.Subject, Source: d.Source, EventID: d.EventID, Comment: d.Comment,
			Opened: humanDate(d.OpenedAt), Due: humanDate(dispute.Due(d)), Status: opsDisputeWords[d.Status], Pending: d.Pending()}
		if d.ResolvedAt != nil {
			row.Outcome = "Resolved on " + humanDate(*d.ResolvedAt) + " by " + d.Resolver
			if d.Note != "" {
				row.Outcome += ": " + d.Note
			}
		}
		if len(errs) > 0 && errs[0].Field == "outcome-"+d.ID {
			row.Note = note
		}
		p.Rows = append(p.Rows, row)
	}
	pg := v.page("Disputes", "ops-disputes", p)
	pg.Errors = errs
	s.render(w, r, status, "ops_disputes.html", pg)
}

// handleOpsResolveDispute resolves a dispute as verified or deleted.
// Corrected needs the corrected record, which is left to the API.
func (s *Server) handleOpsResolveDispute(w http.ResponseWriter, r *http.Request, v visit) {
	id, outcome, note := r.PathValue("dispute"), r.PostForm.Get("outcome"), r.PostForm.Get("note")
	back := r.PostForm.Get("status")
	if _, ok := opsDisputeWords[back]; !ok {
		back = "" // the filter to show the queue again with: a bad one shows all
	}
	field := "outcome-" + id
	fail := func(msg string) {
		s.showOpsDisputes(w, r, v, http.StatusBadRequest, back, note, []fieldError{{Field: field, Message: msg}})
	}
	if outcome != opencredit.DisputeVerified && outcome != opencredit.DisputeDeleted {
		fail("Dispute " + id + ": choose verified or deleted")
		return
	}
	if err := opencredit.CheckText("note", note, false); err != nil {
		field = "note-" + id
		fail("Dispute " + id + ": the note is too long or holds control characters")
		return
	}
	_, err := s.cfg.Scoring.ResolveDispute(r.Context(), v.caller, id, scoring.Resolution{Outcome: outcome, Note: note})
	var e *opencredit.Error
	switch code := opencredit.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, "/ops/disputes?"+url.Values{"done": {outcome}}.Encode(), http.StatusSeeOther)
	case (code == opencredit.ECONFLICT || code == opencredit.ENOTFOUND || code == opencredit.EINVALID) && errors.As(err, &e):
		fail("Dispute " + id + ": " + e.Message)
	default:
		s.failed(w, r, &v, err)
	}
}

var opsReviewWords = map[string]string{
	opencredit.ReviewRequested: "Requested", opencredit.ReviewUpheld: "Upheld", opencredit.ReviewChanged: "Changed",
}

var reviewStatuses = []string{opencredit.ReviewRequested, opencredit.ReviewUpheld, opencredit.ReviewChanged}

type opsReviewRow struct {
	ID, Subject, Lender, Purpose, Outcome, Comment, Requested, Status, Resolution, Note string
	DecisionID, Score                                                                   int64
	Open                                                                                bool
}

type opsReviewsPage struct {
	Status  string
	Filters []statusFilter
	Rows    []opsReviewRow
	Done    string
}

// handleOpsReviews lists the requests for human review, newest first,
// filtered by ?status=, each requested one with its resolve form.
func (s *Server) handleOpsReviews(w http.ResponseWriter, r *http.Request, v visit) {
	s.showOpsReviews(w, r, v, http.StatusOK, r.URL.Query().Get("status"), "", nil)
}

func (s *Server) showOpsReviews(w http.ResponseWriter, r *http.Request, v visit, status int, filter, note string, errs []fieldError) {
	if _, ok := opsReviewWords[filter]; filter != "" && !ok {
		s.renderError(w, r, &v, http.StatusBadRequest, "There is no such status",
			"Parameter status: "+quoteOrNone(filter)+" is not one of requested, upheld, changed.")
		return
	}
	rs, err := s.cfg.Scoring.ReviewQueue(r.Context(), v.caller, filter)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	p := opsReviewsPage{Status: filter, Filters: filters("/ops/reviews", filter, reviewStatuses, opsReviewWords), Done: opsDone[r.URL.Query().Get("done")]}
	for i := len(rs) - 1; i >= 0; i-- {
		rv := rs[i]
		row := opsReviewRow{ID: rv.ID, Subject: rv.Subject, Lender: rv.Lender, Purpose: purposeWords(rv.Purpose), Outcome: rv.Outcome,
			Comment: rv.Comment, Requested: humanDate(rv.RequestedAt), Status: opsReviewWords[rv.Status],
			DecisionID: rv.DecisionID, Score: int64(rv.Score), Open: rv.Status == opencredit.ReviewRequested}
		if rv.ResolvedAt != nil {
			row.Resolution = "Resolved on " + humanDate(*rv.ResolvedAt) + " by " + rv.Resolver
			if rv.Note != "" {
				row.Resolution += ": " + rv.Note
			}
		}
		if len(errs) > 0 && errs[0].Field == "outcome-"+rv.ID {
			row.Note = note
		}
		p.Rows = append(p.Rows, row)
	}
	pg := v.page("Human reviews", "ops-reviews", p)
	pg.Errors = errs
	s.render(w, r, status, "ops_reviews.html", pg)
}

// handleOpsResolveReview records the outcome of a review, upheld or
// changed, with the note the person reads.
func (s *Server) handleOpsResolveReview(w http.ResponseWriter, r *http.Request, v visit) {
	id, outcome, note := r.PathValue("review"), r.PostForm.Get("outcome"), r.PostForm.Get("note")
	fail := func(msg string) {
		back := r.PostForm.Get("status")
		if _, ok := opsReviewWords[back]; !ok {
			back = ""
		}
		s.showOpsReviews(w, r, v, http.StatusBadRequest, back, note, []fieldError{{Field: "outcome-" + id, Message: msg}})
	}
	if outcome != opencredit.ReviewUpheld && outcome != opencredit.ReviewChanged {
		fail("Review " + id + ": choose upheld or changed")
		return
	}
	if err := opencredit.CheckText("note", note, true); err != nil {
		fail("Review " + id + ": write the note the person will read (up to 2,000 characters, no control characters)")
		return
	}
	_, err := s.cfg.Scoring.ResolveReview(r.Context(), v.caller, id, outcome, note)
	var e *opencredit.Error
	switch code := opencredit.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, "/ops/reviews?"+url.Values{"done": {outcome}}.Encode(), http.StatusSeeOther)
	case (code == opencredit.ECONFLICT || code == opencredit.ENOTFOUND || code == opencredit.EINVALID) && errors.As(err, &e):
		fail("Review " + id + ": " + e.Message)
	default:
		s.failed(w, r, &v, err)
	}
}
