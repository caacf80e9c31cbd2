package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/rights"
	"github.com/opencredit/opencredit/scoring"
)

// The pages of the person's rights, over the rights use case (package
// rights), which checks the caller and records every call and refusal:
// who asked for the file, consents, the freeze and the export. They are
// served only when Config.Rights is set.

// actionWords say what an audited access did.
var actionWords = map[string]string{
	audit.ActionScore: "Read your score", audit.ActionDecision: "Asked for a decision", audit.ActionEvents: "Sent records about you",
	audit.ActionSubjectData: "Read your data", scoring.ActionScoreHistory: "Read your score's history",
	rights.ActionAccesses: "Read who asked for your file", rights.ActionConsents: "Read your consents",
	rights.ActionConsentGrant: "Recorded a consent", rights.ActionConsentWithdraw: "Recorded a withdrawal of consent",
	rights.ActionFreeze: "Froze your file", rights.ActionUnfreeze: "Lifted the freeze", rights.ActionFreezeRead: "Read whether your file is frozen", rights.ActionExport: "Exported your file",
	rights.ActionErase: "Erased your file", rights.ActionRegister: "Registered you",
}

var roleWords = map[string]string{
	opencredit.RoleLender: "lender", opencredit.RoleFurnisher: "reporting company", opencredit.RoleOperator: "OpenCredit staff",
	opencredit.RoleSubject: "you",
}

type accessRow struct {
	When, Who, Why, What, Outcome string
	Refused                       bool
}

type accessesPage struct {
	Rows []accessRow
	Next string // the link to the next page, if any
	From int64
}

// handleAccesses lists who accessed the file, oldest first, a page at a
// time (?from= the audit index to start at).
func (s *Server) handleAccesses(w http.ResponseWriter, r *http.Request, v visit) {
	var from int64
	if q := r.URL.Query().Get("from"); q != "" {
		n, err := strconv.ParseInt(q, 10, 64)
		if err != nil || n < 0 {
			s.renderError(w, r, &v, http.StatusBadRequest, "This page does not exist",
				"Parameter from: "+strconv.Quote(q)+" is not a page of your access history. Go back to the first page.")
			return
		}
		from = n
	}
	pg, err := s.cfg.Rights.Accesses(r.Context(), v.caller, v.client.Subject, from, accessPageSize)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	ap := accessesPage{From: from}
	for _, a := range pg.Accesses {
		who := a.ClientName
		if who == "" {
			who = a.Client
		}
		if rw, ok := roleWords[a.Role]; ok && a.Role != opencredit.RoleSubject {
			who += " (" + rw + ")"
		} else if a.Role == opencredit.RoleSubject {
			who = "You"
		}
		what := actionWords[a.Action]
		if what == "" {
			what = strings.ReplaceAll(a.Action, "_", " ")
		}
		row := accessRow{When: a.Time.UTC().Format("2 January 2006, 15:04 UTC"), Who: who, Why: purposeWords(a.Purpose), What: what, Outcome: "Allowed"}
		if !a.Allowed {
			row.Refused, row.Outcome = true, "Refused ("+strings.ReplaceAll(a.Error, "_", " ")+")"
		}
		ap.Rows = append(ap.Rows, row)
	}
	if pg.Next != nil {
		ap.Next = "/accesses?from=" + strconv.FormatInt(*pg.Next, 10)
	}
	s.render(w, r, http.StatusOK, "accesses.html", v.page("Who asked for your file", "accesses", ap))
}

// accessPageSize is how many accesses one page shows.
const accessPageSize = 200

type consentsPage struct {
	Active, Ended []consentRow
	Done          string
	Purposes      []purposeOption
	Counterparty  string
}

type purposeOption struct {
	Value, Label string
	Selected     bool
}

// consentPurposes are the purposes a person may grant: furnishing to a
// reporting company, or a lender purpose.
func consentPurposes() []string {
	return append([]string{opencredit.PurposeFurnishing}, opencredit.LenderPurposes()...)
}

var doneMessages = map[string]string{
	"withdrawn": "Your consent is withdrawn. From now on it cannot be used.",
	"granted":   "Your consent is recorded.",
	"frozen":    "Your file is frozen. No lender can see your score for a new credit application or a deposit waiver until you lift the freeze.",
	"unfrozen":  "The freeze is lifted.",
}

// handleConsents lists the consents, each in force with a withdraw
// button, and a form to give one.
func (s *Server) handleConsents(w http.ResponseWriter, r *http.Request, v visit) {
	s.showConsents(w, r, v, http.StatusOK, "", "", nil)
}

func (s *Server) showConsents(w http.ResponseWriter, r *http.Request, v visit, status int, counterparty, purpose string, errs []fieldError) {
	cs, err := s.cfg.Rights.Consents(r.Context(), v.caller, v.client.Subject)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	cp := consentsPage{Done: doneMessages[r.URL.Query().Get("done")], Counterparty: counterparty}
	now := s.cfg.Now()
	for _, c := range cs {
		row := consentRow{Counterparty: c.Counterparty, Purpose: purposeWords(c.Purpose), PurposeCode: c.Purpose, Granted: humanDate(c.GrantedAt), Status: "In force"}
		if c.WithdrawnAt != nil {
			row.Status = "Withdrawn on " + humanDate(*c.WithdrawnAt)
		}
		if c.Active(now) {
			cp.Active = append(cp.Active, row)
		} else {
			cp.Ended = append(cp.Ended, row)
		}
	}
	for _, p := range consentPurposes() {
		cp.Purposes = append(cp.Purposes, purposeOption{Value: p, Label: purposeWords(p), Selected: p == purpose})
	}
	pg := v.page("Your consents", "consents", cp)
	pg.Errors = errs
	s.render(w, r, status, "consents.html", pg)
}

// handleWithdraw withdraws one consent at once.
func (s *Server) handleWithdraw(w http.ResponseWriter, r *http.Request, v visit) {
	cp, p := r.PostForm.Get("counterparty"), r.PostForm.Get("purpose")
	if cp == "" || p == "" {
		s.renderError(w, r, &v, http.StatusBadRequest, "This consent cannot be withdrawn", "Fields counterparty and purpose are both required. Go back to your consents and use a withdraw button.")
		return
	}
	if _, err := s.cfg.Rights.WithdrawConsent(r.Context(), v.caller, v.client.Subject, cp, p); err != nil {
		s.failed(w, r, &v, err)
		return
	}
	http.Redirect(w, r, "/consents?done=withdrawn", http.StatusSeeOther)
}

// handleGrant records a consent; a bad counterparty or purpose shows the
// form again with the error summary.
func (s *Server) handleGrant(w http.ResponseWriter, r *http.Request, v visit) {
	cp, p := strings.TrimSpace(r.PostForm.Get("counterparty")), r.PostForm.Get("purpose")
	var errs []fieldError
	if cp == "" {
		errs = append(errs, fieldError{Field: "counterparty", Message: "Enter the id of the company you give consent to"})
	}
	if !slices.Contains(consentPurposes(), p) {
		errs = append(errs, fieldError{Field: "purpose", Message: "Choose what the consent is for"})
	}
	if len(errs) == 0 {
		_, err := s.cfg.Rights.GrantConsent(r.Context(), v.caller, v.client.Subject, cp, p)
		switch code := opencredit.ErrorCode(err); {
		case err == nil:
			http.Redirect(w, r, "/consents?done=granted", http.StatusSeeOther)
			return
		case code == opencredit.EINVALID || code == opencredit.ENOTFOUND || code == opencredit.ECONFLICT:
			var e *opencredit.Error
			msg := "This company cannot be given that consent"
			if errors.As(err, &e) {
				msg = e.Message
			}
			errs = append(errs, fieldError{Field: "counterparty", Message: msg})
		default:
			s.failed(w, r, &v, err)
			return
		}
	}
	s.showConsents(w, r, v, http.StatusBadRequest, cp, p, errs)
}

type freezePage struct {
	Frozen bool
	Since  string
	Done   string
	Rows   []freezeRow
}

type freezeRow struct{ From, To string }

// handleFreeze shows whether the file is frozen, with the button to
// change it.
func (s *Server) handleFreeze(w http.ResponseWriter, r *http.Request, v visit) {
	ex, err := s.cfg.Rights.FreezeStatus(r.Context(), v.caller, v.client.Subject)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	fp := freezePage{Done: doneMessages[r.URL.Query().Get("done")]}
	now := s.cfg.Now()
	for _, f := range ex.Freezes {
		row := freezeRow{From: humanDate(f.FrozenAt), To: "still in force"}
		if f.LiftedAt != nil {
			row.To = humanDate(*f.LiftedAt)
		}
		if f.Active(now) {
			fp.Frozen, fp.Since = true, humanDate(f.FrozenAt)
		}
		fp.Rows = append(fp.Rows, row)
	}
	s.render(w, r, http.StatusOK, "freeze.html", v.page("Freeze your file", "freeze", fp))
}

// handleSetFreeze freezes or lifts the freeze (action=freeze|unfreeze).
func (s *Server) handleSetFreeze(w http.ResponseWriter, r *http.Request, v visit) {
	var err error
	done := ""
	switch a := r.PostForm.Get("action"); a {
	case "freeze":
		_, err = s.cfg.Rights.Freeze(r.Context(), v.caller, v.client.Subject)
		done = "frozen"
	case "unfreeze":
		_, err = s.cfg.Rights.Unfreeze(r.Context(), v.caller, v.client.Subject)
		done = "unfrozen"
	default:
		s.renderError(w, r, &v, http.StatusBadRequest, "This cannot be done", "Field action: "+strconv.Quote(a)+" is neither freeze nor unfreeze.")
		return
	}
	if opencredit.ErrorCode(err) == opencredit.ECONFLICT { // frozen or lifted already, say in another tab: the page shows the state
		err = nil
	}
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	http.Redirect(w, r, "/freeze?done="+done, http.StatusSeeOther)
}

// handleExport sends everything held as one JSON document (GDPR Art. 20),
// the rights use case's export, as a file to save.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request, v visit) {
	ex, err := s.cfg.Rights.Export(r.Context(), v.caller, v.client.Subject)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	b, err := json.MarshalIndent(ex, "", "  ")
	if err != nil {
		s.failed(w, r, &v, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "web: the export does not encode", Err: err})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="opencredit-export-`+s.cfg.Now().UTC().Format(time.DateOnly)+`.json"`)
	_, _ = w.Write(append(b, '\n'))
}
