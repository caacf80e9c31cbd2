package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
)

// The person's requests for human review of an automated decision (GDPR
// Art. 22(3)), over scoring's RequestReview and SubjectReviews. The
// decisions about the person are read from their access history (the
// rights use case, itself audited): a decision's id is the index of its
// audit record. Served only when Config.Rights is set.

var reviewStatusWords = map[string]string{
	opencredit.ReviewRequested: "Waiting for a person to review it",
	opencredit.ReviewUpheld:    "Reviewed: the decision stands",
	opencredit.ReviewChanged:   "Reviewed: the decision should change",
}

type decisionRow struct {
	ID             int64
	When, Who, Why string
	Requested      bool // a review of it was asked for already
}

type reviewRow struct {
	ID, Decision, Comment, Requested, Status, Outcome string
}

type reviewsPage struct {
	Decisions []decisionRow
	Rows      []reviewRow
	Done      bool
}

// maxAccessPages bounds how many pages of the access history are read to
// find the decisions: 50 pages of 200 records.
const maxAccessPages = 50

// decisions lists the decisions about the person, newest first, from the
// access history.
func (s *Server) decisions(r *http.Request, v visit) ([]decisionRow, error) {
	var out []decisionRow
	var from int64
	for range maxAccessPages {
		pg, err := s.cfg.Rights.Accesses(r.Context(), v.caller, v.client.Subject, from, accessPageSize)
		if err != nil {
			return nil, err
		}
		for _, a := range pg.Accesses {
			if a.Action != audit.ActionDecision || !a.Allowed {
				continue
			}
			who := a.ClientName
			if who == "" {
				who = a.Client
			}
			out = append([]decisionRow{{ID: a.Index, When: humanDate(a.Time), Who: who, Why: purposeWords(a.Purpose)}}, out...)
		}
		if pg.Next == nil {
			break
		}
		from = *pg.Next
	}
	return out, nil
}

// handleReviews lists the decisions about the person, each with a link to
// ask for its review, and the reviews asked for with their outcome.
func (s *Server) handleReviews(w http.ResponseWriter, r *http.Request, v visit) {
	rs, err := s.cfg.Scoring.SubjectReviews(r.Context(), v.caller, v.client.Subject)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	ds, err := s.decisions(r, v)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	p := reviewsPage{Done: r.URL.Query().Get("done") == "requested"}
	pending := map[int64]bool{}
	for i := len(rs) - 1; i >= 0; i-- {
		rv := rs[i]
		row := reviewRow{ID: rv.ID, Comment: rv.Comment, Requested: humanDate(rv.RequestedAt), Status: reviewStatusWords[rv.Status],
			Decision: decisionWords(rv.Outcome) + " by " + rv.Lender + " for " + purposeWords(rv.Purpose) + ", at a score of " + strconv.Itoa(rv.Score)}
		if rv.ResolvedAt != nil {
			row.Outcome = "On " + humanDate(*rv.ResolvedAt)
			if rv.Note != "" {
				row.Outcome += ": " + rv.Note
			}
		}
		if rv.Status == opencredit.ReviewRequested {
			pending[rv.DecisionID] = true
		}
		p.Rows = append(p.Rows, row)
	}
	for _, d := range ds {
		d.Requested = pending[d.ID]
		p.Decisions = append(p.Decisions, d)
	}
	s.render(w, r, http.StatusOK, "reviews.html", v.page("Ask for a person to review a decision", "reviews", p))
}

func decisionWords(outcome string) string {
	switch outcome {
	case "approved":
		return "Approved"
	case "declined":
		return "Declined"
	}
	return "A decision"
}

type reviewForm struct {
	DecisionID int64
	Decision   string
	Comment    string
	MaxBytes   string
}

// handleReviewForm asks why the person wants decision ?decision= reviewed.
func (s *Server) handleReviewForm(w http.ResponseWriter, r *http.Request, v visit) {
	q := r.URL.Query().Get("decision")
	id, err := strconv.ParseInt(q, 10, 64)
	if err != nil || id < 0 {
		s.renderError(w, r, &v, http.StatusBadRequest, "This decision was not found",
			"Parameter decision: "+quoteOrNone(q)+" is not the number of a decision. Go back to the list of decisions about you.")
		return
	}
	s.showReviewForm(w, r, v, http.StatusOK, reviewForm{DecisionID: id}, nil)
}

func (s *Server) showReviewForm(w http.ResponseWriter, r *http.Request, v visit, status int, rf reviewForm, errs []fieldError) {
	ds, err := s.decisions(r, v)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	for _, d := range ds {
		if d.ID == rf.DecisionID {
			rf.Decision = "A decision on " + d.When + " by " + d.Who + " for " + d.Why
		}
	}
	if rf.Decision == "" {
		s.renderError(w, r, &v, http.StatusNotFound, "This decision was not found",
			"Decision "+strconv.FormatInt(rf.DecisionID, 10)+" is not a decision about you. Go back to the list of decisions about you.")
		return
	}
	rf.MaxBytes = groupDigits(opencredit.MaxDisputeTextBytes, 0)
	pg := v.page("Why do you want this decision reviewed?", "reviews", rf)
	pg.Errors = errs
	s.render(w, r, status, "review_form.html", pg)
}

// handleRequestReview sends the request to the operators' queue.
func (s *Server) handleRequestReview(w http.ResponseWriter, r *http.Request, v visit) {
	q := r.PostForm.Get("decision")
	id, err := strconv.ParseInt(q, 10, 64)
	if err != nil || id < 0 {
		s.renderError(w, r, &v, http.StatusBadRequest, "This decision was not found", "Field decision: "+quoteOrNone(q)+" is not the number of a decision.")
		return
	}
	rf := reviewForm{DecisionID: id, Comment: r.PostForm.Get("comment")}
	if err := opencredit.CheckText("comment", rf.Comment, true); err != nil {
		msg := "Say why you want a person to review the decision"
		if len(rf.Comment) > opencredit.MaxDisputeTextBytes {
			msg = "Say why in fewer words: the comment is too long"
		} else if !isBlank(rf.Comment) {
			msg = "Remove the special characters from the comment"
		}
		s.showReviewForm(w, r, v, http.StatusBadRequest, rf, []fieldError{{Field: "comment", Message: msg}})
		return
	}
	_, err = s.cfg.Scoring.RequestReview(r.Context(), v.caller, v.client.Subject, id, rf.Comment)
	var e *opencredit.Error
	switch code := opencredit.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, "/reviews?done=requested", http.StatusSeeOther)
	case code == opencredit.ECONFLICT:
		s.renderError(w, r, &v, http.StatusConflict, "A review is asked for already",
			"You asked for a review of this decision already. See its progress on the reviews page.")
	case (code == opencredit.ENOTFOUND || code == opencredit.EINVALID) && errors.As(err, &e):
		s.renderError(w, r, &v, http.StatusBadRequest, "This decision cannot be reviewed", e.Message)
	default:
		s.failed(w, r, &v, err)
	}
}
