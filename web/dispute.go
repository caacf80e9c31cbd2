package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dispute"
)

// The person's disputes, over the scoring use case (OpenDispute,
// SubjectDisputes), which checks the caller, flags the record at once and
// records every call and refusal in the audit log.

// disputeStatusWords say where a dispute is, for the person.
var disputeStatusWords = map[string]string{
	opencredit.DisputeOpen:       "Waiting for the company's answer",
	opencredit.DisputeVerified:   "Checked: the company says the record is right",
	opencredit.DisputeCorrected:  "Corrected by the company",
	opencredit.DisputeDeleted:    "Deleted: the record no longer counts",
	opencredit.DisputeSuppressed: "Not counted: the company did not answer in 30 days",
}

type disputeRow struct {
	ID, Record, Furnisher, Comment, Opened, Due, Status, Outcome string
	Open                                                         bool
}

type disputesPage struct {
	Rows []disputeRow
	Done bool // a dispute was just opened
}

// recordKey names an event: its furnisher and its id there.
type recordKey struct{ source, id string }

// handleDisputes lists the person's disputes, newest first, with what each
// record says (from the person's data, an audited read of its own).
func (s *Server) handleDisputes(w http.ResponseWriter, r *http.Request, v visit) {
	ds, err := s.cfg.Scoring.SubjectDisputes(r.Context(), v.caller, v.client.Subject)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	what := map[recordKey]string{}
	if len(ds) > 0 {
		d, err := s.cfg.Scoring.SubjectData(r.Context(), v.caller, v.client.Subject)
		if err != nil {
			s.failed(w, r, &v, err)
			return
		}
		for _, e := range d.Events {
			what[recordKey{e.Source, e.ID}] = humanDate(e.Time) + ": " + describeEvent(e.Event)
		}
	}
	dp := disputesPage{Done: r.URL.Query().Get("done") == "opened"}
	for i := len(ds) - 1; i >= 0; i-- { // the store lists oldest first
		dp.Rows = append(dp.Rows, disputeRowOf(ds[i], what))
	}
	s.render(w, r, http.StatusOK, "disputes.html", v.page("Your disputes", "disputes", dp))
}

func disputeRowOf(d opencredit.Dispute, what map[recordKey]string) disputeRow {
	row := disputeRow{ID: d.ID, Furnisher: d.Source, Comment: d.Comment, Opened: humanDate(d.OpenedAt), Due: humanDate(dispute.Due(d)),
		Status: disputeStatusWords[d.Status], Open: d.Status == opencredit.DisputeOpen}
	row.Record = what[recordKey{d.Source, d.EventID}]
	if row.Record == "" {
		row.Record = "Record " + d.EventID + " (no longer held)"
	}
	if row.Status == "" {
		row.Status = d.Status
	}
	if d.ResolvedAt != nil {
		row.Outcome = "On " + humanDate(*d.ResolvedAt)
		if d.Note != "" {
			row.Outcome += ": " + d.Note
		}
	}
	return row
}

type disputeForm struct {
	Source, EventID, Record, Comment string
	MaxBytes                         string // the comment's limit, "2,000"
}

// handleDisputeForm asks what is wrong with one record
// (?source=&event=), which must be one of the person's own.
func (s *Server) handleDisputeForm(w http.ResponseWriter, r *http.Request, v visit) {
	q := r.URL.Query()
	s.showDisputeForm(w, r, v, http.StatusOK, disputeForm{Source: q.Get("source"), EventID: q.Get("event")}, nil)
}

func (s *Server) showDisputeForm(w http.ResponseWriter, r *http.Request, v visit, status int, df disputeForm, errs []fieldError) {
	d, err := s.cfg.Scoring.SubjectData(r.Context(), v.caller, v.client.Subject)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	for _, e := range d.Events {
		if e.Source == df.Source && e.ID == df.EventID {
			df.Record = humanDate(e.Time) + ": " + describeEvent(e.Event)
			if e.Disputed || e.Suppressed {
				s.renderError(w, r, &v, http.StatusConflict, "This record is disputed already",
					"You disputed this record already. See your disputes for where it is.")
				return
			}
		}
	}
	if df.Record == "" {
		s.renderError(w, r, &v, http.StatusNotFound, "This record was not found",
			"Parameters source "+quoteOrNone(df.Source)+" and event "+quoteOrNone(df.EventID)+" name no record held about you. Go back to your data and use a record's dispute link.")
		return
	}
	df.MaxBytes = groupDigits(opencredit.MaxDisputeTextBytes, 0)
	pg := v.page("What is wrong with this record?", "disputes", df)
	pg.Errors = errs
	s.render(w, r, status, "dispute_form.html", pg)
}

// handleOpenDispute opens the dispute and sends the person to their
// disputes; an empty or too long comment shows the form again with the
// error summary.
func (s *Server) handleOpenDispute(w http.ResponseWriter, r *http.Request, v visit) {
	df := disputeForm{Source: r.PostForm.Get("source"), EventID: r.PostForm.Get("event"), Comment: r.PostForm.Get("comment")}
	if err := opencredit.CheckText("comment", df.Comment, true); err != nil {
		msg := "Say what is wrong with the record"
		if len(df.Comment) > opencredit.MaxDisputeTextBytes {
			msg = "Say what is wrong in fewer words: the comment is too long"
		} else if df.Comment != "" && !isBlank(df.Comment) {
			msg = "Remove the special characters from the comment"
		}
		s.showDisputeForm(w, r, v, http.StatusBadRequest, df, []fieldError{{Field: "comment", Message: msg}})
		return
	}
	_, err := s.cfg.Scoring.OpenDispute(r.Context(), v.caller, v.client.Subject, df.Source, df.EventID, df.Comment)
	var e *opencredit.Error
	switch code := opencredit.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, "/disputes?done=opened", http.StatusSeeOther)
	case code == opencredit.ECONFLICT:
		s.renderError(w, r, &v, http.StatusConflict, "This record is disputed already",
			"You disputed this record already. See your disputes for where it is.")
	case (code == opencredit.ENOTFOUND || code == opencredit.EINVALID) && errors.As(err, &e):
		s.renderError(w, r, &v, http.StatusBadRequest, "This record cannot be disputed", e.Message)
	default:
		s.failed(w, r, &v, err)
	}
}

// disputeLink is the address of the form disputing a record.
func disputeLink(source, id string) string {
	return "/disputes/new?" + url.Values{"source": {source}, "event": {id}}.Encode()
}

func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\n' && r != '\t' && r != '\r' {
			return false
		}
	}
	return true
}

func quoteOrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return "\u201c" + s + "\u201d"
}
