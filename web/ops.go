package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

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
	Form                                                                *resolveForm // nil once resolved
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
			Opened: humanDate(d.OpenedAt), Due: humanDate(dispute.Due(d)), Status: opsDisputeWords[d.Status],
			Outcome: resolvedLine(d.ResolvedAt, d.Resolver, d.Note)}
		if d.Pending() {
			row.Form = &resolveForm{Queue: "/ops/disputes", Noun: "dispute", ID: d.ID, CSRF: v.session.csrf, Status: filter,
				First:     resolveOption{opencredit.DisputeVerified, "Verified: the record is right"},
				Second:    resolveOption{opencredit.DisputeDeleted, "Deleted: the record is wrong"},
				NoteLabel: "Note for the person (optional)", Note: keptNote(errs, d.ID, note)}
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
	back := postedFilter(r, opsDisputeWords)
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
	s.resolved(w, r, v, "/ops/disputes", outcome, err, func(msg string) { fail("Dispute " + id + ": " + msg) })
}

var opsReviewWords = map[string]string{
	opencredit.ReviewRequested: "Requested", opencredit.ReviewUpheld: "Upheld", opencredit.ReviewChanged: "Changed",
}

var reviewStatuses = []string{opencredit.ReviewRequested, opencredit.ReviewUpheld, opencredit.ReviewChanged}

type opsReviewRow struct {
	ID, Subject, Lender, Purpose, Outcome, Comment, Requested, Status, Resolution string
	DecisionID, Score                                                             int64
	Form                                                                          *resolveForm // nil once resolved
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
			DecisionID: rv.DecisionID, Score: int64(rv.Score), Resolution: resolvedLine(rv.ResolvedAt, rv.Resolver, rv.Note)}
		if rv.Status == opencredit.ReviewRequested {
			row.Form = &resolveForm{Queue: "/ops/reviews", Noun: "review", ID: rv.ID, CSRF: v.session.csrf, Status: filter,
				First:     resolveOption{opencredit.ReviewUpheld, "Upheld: the decision stands"},
				Second:    resolveOption{opencredit.ReviewChanged, "Changed: the decision should change"},
				NoteLabel: "Note for the person", Note: keptNote(errs, rv.ID, note)}
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
		s.showOpsReviews(w, r, v, http.StatusBadRequest, postedFilter(r, opsReviewWords), note, []fieldError{{Field: "outcome-" + id, Message: msg}})
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
	s.resolved(w, r, v, "/ops/reviews", outcome, err, func(msg string) { fail("Review " + id + ": " + msg) })
}

// The disputes and reviews queues share the shape of a row and of its
// resolve form; the helpers below are that shape once.

// resolveForm is what the resolve form of one queue item shows
// (templates/ops_queue.html): it posts to Queue/ID/resolve with the
// session's CSRF token and the queue's Status filter, to show the queue
// again with.
type resolveForm struct {
	Queue, Noun, ID, CSRF, Status string
	First, Second                 resolveOption
	NoteLabel                     string
	Note                          string // the note typed before an error
}

// resolveOption is one outcome the form offers: its value and its label.
type resolveOption struct {
	Value, Label string
}

// resolvedLine is how a queue shows a resolved dispute or review: when,
// by whom, and the note the person reads; "" while it is not resolved.
func resolvedLine(at *time.Time, by, note string) string {
	if at == nil {
		return ""
	}
	line := "Resolved on " + humanDate(*at) + " by " + by
	if note != "" {
		line += ": " + note
	}
	return line
}

// keptNote is the note to type again in the form of item id: the one the
// operator posted when the form is shown again for its outcome, else "".
func keptNote(errs []fieldError, id, note string) string {
	if len(errs) > 0 && errs[0].Field == "outcome-"+id {
		return note
	}
	return ""
}

// postedFilter is the status filter a resolve form posts back, to show
// the queue again with; an unknown one shows all.
func postedFilter(r *http.Request, words map[string]string) string {
	back := r.PostForm.Get("status")
	if _, ok := words[back]; !ok {
		return ""
	}
	return back
}

// resolved answers a resolve form once the use case returned err: back
// to the queue at path with ?done=outcome when it is done; the form again
// with the message (through fail) when the use case refused in a way the
// operator can act on (a conflict, no such item, an invalid outcome); the
// failure page for anything else.
func (s *Server) resolved(w http.ResponseWriter, r *http.Request, v visit, path, outcome string, err error, fail func(msg string)) {
	var e *opencredit.Error
	switch code := opencredit.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, path+"?"+url.Values{"done": {outcome}}.Encode(), http.StatusSeeOther)
	case (code == opencredit.ECONFLICT || code == opencredit.ENOTFOUND || code == opencredit.EINVALID) && errors.As(err, &e):
		fail(e.Message)
	default:
		s.failed(w, r, &v, err)
	}
}
