package decision

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

// Contact is a party named on a notice and how to reach it: an address, a
// telephone number, a web page.
type Contact struct {
	Name    string `json:"name"`
	Contact string `json:"contact,omitempty"`
}

// NoticeInput is what an adverse-action notice needs besides the decision.
type NoticeInput struct {
	// Date is the notice's date, from the caller's clock.
	Date time.Time
	// Counterparty took the decision: the creditor or rental platform.
	// Its name is required.
	Counterparty Contact
	// Agency holds the data and computed the score: where the person asks
	// for a copy and disputes. Its name defaults to "OpenCredit".
	Agency Contact
	// Furnishers supplied the data the score was computed from.
	Furnishers []Contact
	// Regulator, if given, is the agency that supervises the counterparty's
	// compliance with the Equal Credit Opportunity Act (12 CFR 1002.9(b)(1)).
	Regulator *Contact
	// ScoreMin and ScoreMax are the score's range; zero means 350–950.
	ScoreMin, ScoreMax int
	// DecisionID, if set, is the decision's id (the index of its audit
	// record), which the person names to ask for a human review.
	DecisionID *int64
}

// CopyDays is how long after an adverse action a person may ask for a free
// copy of their file (FCRA §612(b)).
const CopyDays = 60

// Notice is an adverse-action notice: what a person declined by a program
// is told, and may print (FCRA §615(a); ECOA, 12 CFR 1002.9).
type Notice struct {
	Kind         string    `json:"kind"` // always "adverse_action_notice"
	Date         time.Time `json:"date"`
	Counterparty Contact   `json:"counterparty"`
	Subject      string    `json:"subject"` // the person's pseudonymous id, as a reference
	// DecisionID is the decision's id, to name in a request for human
	// review (POST /v1/subjects/{id}/reviews); absent when not known.
	DecisionID *int64        `json:"decision_id,omitempty"`
	Program    NoticeProgram `json:"program"`
	Decision   string        `json:"decision"` // Declined
	// Reasons are the principal reasons for the decision, at most four.
	Reasons []Reason    `json:"reasons"`
	Score   NoticeScore `json:"score"`
	// CopyRequestBy is the last day (YYYY-MM-DD) to ask for the free copy
	// this notice entitles the person to.
	CopyRequestBy string    `json:"copy_request_by"`
	Rights        []Right   `json:"rights"`
	Agency        Contact   `json:"agency"`
	Furnishers    []Contact `json:"furnishers"`
	Regulator     *Contact  `json:"regulator,omitempty"`
}

// NoticeProgram names the program a notice is about.
type NoticeProgram struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Purpose string `json:"purpose"`
}

// NoticeScore is the score used in the decision, disclosed with its range
// and key factors (FCRA §615(a)(2), §609(f)(1)).
type NoticeScore struct {
	Value      int            `json:"value"`
	Min        int            `json:"min"`
	Max        int            `json:"max"`
	Band       string         `json:"band"`
	AsOf       time.Time      `json:"as_of"`
	KeyFactors []model.Reason `json:"key_factors"`
}

// Right is one of the person's rights, stated in plain words with the law
// that grants it.
type Right struct {
	Title string `json:"title"`
	Text  string `json:"text"`
	Law   string `json:"law"`
}

// NewNotice writes the adverse-action notice of a declined decision. It
// refuses, with EINVALID, an approved decision, a decline without reasons, a
// missing date or a missing counterparty name.
func NewNotice(d Decision, in NoticeInput) (Notice, error) {
	switch {
	case d.Outcome != Declined:
		return Notice{}, opencredit.Errorf(opencredit.EINVALID, "notice: decision is %q; an adverse-action notice is for a decline", d.Outcome)
	case len(d.Reasons) == 0:
		return Notice{}, opencredit.Errorf(opencredit.EINVALID, "notice: the decline has no reasons; a notice states up to four")
	case in.Date.IsZero():
		return Notice{}, opencredit.Errorf(opencredit.EINVALID, "notice: no date")
	case in.Counterparty.Name == "":
		return Notice{}, opencredit.Errorf(opencredit.EINVALID, "notice: no counterparty name: the person must know who decided")
	}
	if in.ScoreMin == 0 && in.ScoreMax == 0 {
		s := model.DefaultScaling()
		in.ScoreMin, in.ScoreMax = s.Min, s.Max
	}
	if in.Agency.Name == "" {
		in.Agency.Name = "OpenCredit"
	}
	by := in.Date.AddDate(0, 0, CopyDays)
	n := Notice{
		Kind:         "adverse_action_notice",
		Date:         in.Date,
		Counterparty: in.Counterparty,
		Subject:      d.Subject,
		DecisionID:   in.DecisionID,
		Program:      NoticeProgram{ID: d.Program, Name: d.ProgramName, Purpose: d.Purpose},
		Decision:     d.Outcome,
		Reasons:      append([]Reason{}, d.Reasons...),
		Score: NoticeScore{Value: d.Score, Min: in.ScoreMin, Max: in.ScoreMax, Band: d.Band, AsOf: d.AsOf,
			KeyFactors: append([]model.Reason{}, d.KeyFactors...)},
		CopyRequestBy: by.Format(time.DateOnly),
		Agency:        in.Agency,
		Furnishers:    append([]Contact{}, in.Furnishers...),
		Regulator:     in.Regulator,
	}
	n.Rights = rights(in.Counterparty.Name, in.Agency.Name, longDate(by), d.Subject, in.DecisionID, in.Regulator)
	return n, nil
}

// rights are the statements every notice carries.
func rights(counterparty, agency, by, subject string, decisionID *int64, regulator *Contact) []Right {
	review := "naming this decision"
	if decisionID != nil {
		review = fmt.Sprintf("naming decision %d", *decisionID)
	}
	ecoa := "The federal Equal Credit Opportunity Act prohibits creditors from discriminating against credit " +
		"applicants on the basis of race, color, religion, national origin, sex, marital status, or age " +
		"(provided the applicant has the capacity to enter into a binding contract); because all or part of the " +
		"applicant's income derives from any public assistance program; or because the applicant has in good " +
		"faith exercised any right under the Consumer Credit Protection Act."
	if regulator != nil && regulator.Name != "" {
		ecoa += fmt.Sprintf(" The federal agency that administers compliance with this law concerning %s is %s", counterparty, regulator.Name)
		if regulator.Contact != "" {
			ecoa += ", " + regulator.Contact
		}
		ecoa += "."
	}
	return []Right{
		{
			Title: "A free copy of your data",
			Text: fmt.Sprintf("You may ask %s for a free copy of all the data in your file and of your score, "+
				"if you ask within %d days of this notice, that is by %s. You can also see your score, why it is "+
				"what it is, and who asked for it, at any time and free of charge.", agency, CopyDays, by),
			Law: "FCRA §§ 609, 612",
		},
		{
			Title: "Dispute what is wrong or incomplete",
			Text: fmt.Sprintf("If any of that data is inaccurate or incomplete, you may dispute it, free of charge, "+
				"with %s (POST /v1/subjects/%s/disputes, naming the item and saying what is wrong) or with the "+
				"company that supplied it (listed below). The item is marked as disputed at once and checked with its "+
				"source; an item its source does not confirm within 30 days is no longer used in your score. You see "+
				"each dispute's status and outcome at GET /v1/subjects/%s/disputes.", agency, subject, subject),
			Law: "FCRA §§ 611, 623",
		},
		{
			Title: "Who decided",
			Text: fmt.Sprintf("%s made this decision. %s supplied the score, did not make the decision and "+
				"cannot tell you why it was made beyond the reasons above.", counterparty, agency),
			Law: "FCRA § 615(a)",
		},
		{
			Title: "A decision free of discrimination",
			Text:  ecoa,
			Law:   "ECOA, 12 CFR 1002.9(b)(1)",
		},
		{
			Title: "A person's review",
			Text: fmt.Sprintf("This decision was made automatically. Where the EU General Data Protection "+
				"Regulation applies, you may have a person review it, state your point of view, and contest it: "+
				"ask %s, or %s (POST /v1/subjects/%s/reviews, %s, with your comment). You see the review's "+
				"status and outcome at GET /v1/subjects/%s/reviews.", counterparty, agency, subject, review, subject),
			Law: "GDPR Art. 22(3)",
		},
	}
}

// JSON returns the notice as indented JSON, ending in a newline.
func (n Notice) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(n, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

//go:embed notice.html.tmpl
var noticeHTML string

var noticeTemplate = template.Must(template.New("notice").Funcs(template.FuncMap{
	"date": longDate,
	"day": func(s string) string {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return s
		}
		return longDate(t)
	},
}).Parse(noticeHTML))

// HTML writes the notice as one self-contained, printable HTML page: inline
// CSS, no script, no external resource, every text escaped.
func (n Notice) HTML(w io.Writer) error {
	return noticeTemplate.Execute(w, n)
}

// longDate writes a date as "2 March 2026".
func longDate(t time.Time) string { return t.Format("2 January 2006") }
