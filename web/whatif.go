package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/scoring"
)

// WhatIfMonths are the choices of "if I pay everything on time for N more
// months".
var WhatIfMonths = []int{0, 3, 6, 12, 24}

// whatIfRequest is what the person asked: features to move to their
// improvement's bin, and months of on-time payments to add.
type whatIfRequest struct {
	Improve    []string
	Months     int
	Error      string
	ErrorField string
}

type whatIfOption struct {
	ID, Feature, Sentence string
	Checked               bool
}

type monthOption struct {
	Value    int
	Label    string
	Selected bool
}

type whatIfView struct {
	Options           []whatIfOption
	Months            []monthOption
	Result            *whatIfResult
	Error, ErrorField string
}

type whatIfResult struct {
	Score     int
	Band      string
	BandClass string
	Change    string // "+33"
	Sentence  string
	Steps     []string // what was assumed, one sentence each
	TimeOnly  string   // what time alone would do, when months were asked
}

// handleWhatIf keeps the person's what-if in their session and sends them
// back to their score, where it is worked out (POST → 303 → GET). Nothing
// is written to the store.
func (s *Server) handleWhatIf(w http.ResponseWriter, r *http.Request, v visit) {
	m, _ := s.cfg.Scoring.Model()
	req := &whatIfRequest{}
	for _, f := range r.PostForm["improve"] {
		if featureIndex(m, f) < 0 {
			s.renderError(w, r, &v, http.StatusBadRequest, "This what-if cannot be worked out",
				fmt.Sprintf("Field improve: %q is not a part of your score. Go back to your score and choose from the list.", f))
			return
		}
		if !slices.Contains(req.Improve, f) {
			req.Improve = append(req.Improve, f)
		}
	}
	if ms := r.PostForm.Get("months"); ms != "" {
		n, err := strconv.Atoi(ms)
		if err != nil || !slices.Contains(WhatIfMonths, n) {
			s.renderError(w, r, &v, http.StatusBadRequest, "This what-if cannot be worked out",
				fmt.Sprintf("Field months: %q is not one of the choices (0, 3, 6, 12 or 24 months). Go back to your score and choose from the list.", ms))
			return
		}
		req.Months = n
	}
	if len(req.Improve) == 0 && req.Months == 0 {
		req.Error, req.ErrorField = "Choose at least one change, or a number of months of on-time payments", "months"
	}
	s.sessions.setWhatIf(v.session.id, req)
	http.Redirect(w, r, "/score#what-if", http.StatusSeeOther)
}

// whatIfView builds the form, and the result of the what-if the session
// holds, computed by the real model on a copy of the person's features.
func (s *Server) whatIfView(r *http.Request, v visit, m *model.Model, sc scoring.Score) (whatIfView, error) {
	req := v.session.whatIf
	var view whatIfView
	// A derived characteristic moves only with the features it is
	// computed from, so the what-if, which sets one feature at a time,
	// does not offer it; nor does it offer a change against the feature's
	// advice (more debt for more points).
	imps := slices.DeleteFunc(m.ImprovementsToward(sc.Result, advised(sc.Features)), func(im model.Improvement) bool {
		return m.IsDerived(im.Feature) || featureIndex(m, im.Feature) < 0
	})
	for _, im := range imps {
		j := featureIndex(m, im.Feature)
		view.Options = append(view.Options, whatIfOption{ID: "improve-" + im.Feature, Feature: im.Feature,
			Sentence: improvementSentence(&m.Features[j], im, sc.Features), Checked: req != nil && slices.Contains(req.Improve, im.Feature)})
	}
	for _, n := range WhatIfMonths {
		label := "No extra months"
		if n > 0 {
			label = plural(n, "more month", "more months")
		}
		view.Months = append(view.Months, monthOption{Value: n, Label: label, Selected: req != nil && req.Months == n})
	}
	if req == nil {
		return view, nil
	}
	if req.Error != "" {
		view.Error, view.ErrorField = req.Error, req.ErrorField
		return view, nil
	}
	fv := opencredit.FeatureVector{Subject: sc.Features.Subject, AsOf: sc.Features.AsOf, Values: map[string]float64{}}
	for k, x := range sc.Features.Values {
		fv.Values[k] = x
	}
	res := &whatIfResult{}
	if req.Months > 0 {
		data, err := s.cfg.Scoring.SubjectData(r.Context(), v.caller, v.client.Subject)
		if err != nil {
			return view, err
		}
		later := s.cfg.Now().AddDate(0, req.Months, 0)
		timeOnly, onTime, added, err := projectOnTime(data.Events, v.client.Subject, s.cfg.Now(), later, s.cfg.Features)
		if err != nil {
			return view, err
		}
		tr, err := scoring.ScoreFeatures(m, timeOnly)
		if err != nil {
			return view, err
		}
		fv = onTime
		res.Steps = append(res.Steps, fmt.Sprintf("For the next %s, every account and bill you pay now is paid on time and every balance stays where it is (%s added to a copy of your file).",
			plural(req.Months, "month", "months"), plural(added, "payment or statement", "payments and statements")))
		res.TimeOnly = fmt.Sprintf("With no new payments at all, by %s your score would be about %d (%s): time alone moves old items further back.",
			humanDate(later), tr.Score, signed(tr.Score-sc.Result.Score))
	}
	for _, im := range imps {
		if !slices.Contains(req.Improve, im.Feature) {
			continue
		}
		j := featureIndex(m, im.Feature)
		fv.Values[im.Feature] = im.Target.Num
		res.Steps = append(res.Steps, featureLabel(&m.Features[j])+": "+binPhrase(&m.Features[j], im.ToBin)+" (today "+yours(m, sc.Features, im.Feature)+").")
	}
	out, err := scoring.ScoreFeatures(m, fv)
	if err != nil {
		return view, err
	}
	bands := m.Bands
	if len(bands) == 0 {
		bands = opencredit.DefaultBands()
	}
	res.Score, res.Band, res.BandClass, res.Change = out.Score, out.Band, bandClass(bands, out.Band), signed(out.Score-sc.Result.Score)
	switch d := out.Score - sc.Result.Score; {
	case d > 0:
		res.Sentence = fmt.Sprintf("Your score would be about %d, %s more than today's %d: %s.", out.Score, plural(d, "point", "points"), sc.Result.Score, article(out.Band))
	case d < 0:
		res.Sentence = fmt.Sprintf("Your score would be about %d, %s less than today's %d: %s.", out.Score, plural(-d, "point", "points"), sc.Result.Score, article(out.Band))
	default:
		res.Sentence = fmt.Sprintf("Your score would stay at about %d: %s.", out.Score, article(out.Band))
	}
	view.Result = res
	return view, nil
}

// projectOnTime computes, on a copy of the person's events, the features
// as of later with no new event (timeOnly) and with every active account
// and bill paid on time each month from now to later, balances unchanged
// (onTime), and how many events it added. Suppressed events are left out,
// as the store leaves them out of features. Nothing is written.
func projectOnTime(events []opencredit.StoredEvent, subject string, now, later time.Time, cfg features.Config) (timeOnly, onTime opencredit.FeatureVector, added int, err error) {
	var held []opencredit.Event
	for _, e := range events {
		if !e.Suppressed {
			held = append(held, e.Event)
		}
	}
	st, err := features.Recompute(held)
	if err != nil {
		return timeOnly, onTime, 0, err
	}
	timeOnly = st.Compute(subject, later, cfg)
	for _, ev := range simulateOnTime(held, now, later) {
		if err := st.Apply(ev.event, ev.payload); err != nil {
			return timeOnly, onTime, 0, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "web: a simulated what-if event does not apply", Err: err}
		}
		added++
	}
	return timeOnly, st.Compute(subject, later, cfg), added, nil
}

type simEvent struct {
	event   opencredit.Event
	payload any
}

// activeWithin is how recent an account's or a bill's last record must be
// for the what-if to carry it on: one left quiet for longer is not paid
// monthly.
const activeWithin = 92 * 24 * time.Hour

// simulateOnTime returns, for every open account with a recent statement or
// payment and every recent bill, one on-time event a month after the last
// one, dated after now and up to later: a statement with the same balance
// and no delay, a payment of the same amount due, a bill of the same amount
// paid on its due date.
func simulateOnTime(events []opencredit.Event, now, later time.Time) []simEvent {
	type key struct{ source, id string }
	type acct struct {
		closed  bool
		stmt    *opencredit.AccountStatement
		stmtAt  time.Time
		pay     *opencredit.PaymentMissed // amount due and due date of the last payment, made or missed
		payAt   time.Time
		subject string
	}
	type bill struct {
		last    opencredit.BillPaid
		due     time.Time
		at      time.Time
		subject string
	}
	accts := map[key]*acct{}
	bills := map[key]*bill{}
	var order []key
	var billOrder []key
	get := func(e opencredit.Event, id string) *acct {
		k := key{e.Source, id}
		a, ok := accts[k]
		if !ok {
			a = &acct{subject: e.Subject}
			accts[k] = a
			order = append(order, k)
		}
		return a
	}
	for _, e := range events {
		switch e.Type {
		case opencredit.TypeAccountOpened:
			var p opencredit.AccountOpened
			if json.Unmarshal(e.Data, &p) == nil {
				get(e, p.AccountID)
			}
		case opencredit.TypeAccountClosed, opencredit.TypeAccountChargedOff:
			var p struct {
				AccountID string `json:"account_id"`
			}
			if json.Unmarshal(e.Data, &p) == nil {
				get(e, p.AccountID).closed = true
			}
		case opencredit.TypeAccountStatement:
			var p opencredit.AccountStatement
			if json.Unmarshal(e.Data, &p) == nil {
				if a := get(e, p.AccountID); !e.Time.Before(a.stmtAt) {
					a.stmt, a.stmtAt = &p, e.Time
				}
			}
		case opencredit.TypePaymentMade, opencredit.TypePaymentMissed:
			var p opencredit.PaymentMissed
			var made opencredit.PaymentMade
			if e.Type == opencredit.TypePaymentMade {
				if json.Unmarshal(e.Data, &made) != nil {
					continue
				}
				p = opencredit.PaymentMissed{AccountID: made.AccountID, DueDate: made.DueDate, AmountDue: made.AmountDue, Currency: made.Currency}
			} else if json.Unmarshal(e.Data, &p) != nil {
				continue
			}
			if a := get(e, p.AccountID); !e.Time.Before(a.payAt) {
				a.pay, a.payAt = &p, e.Time
			}
		case opencredit.TypeBillPaid, opencredit.TypeBillMissed:
			var p opencredit.BillPaid // bill.missed has the same fields but days_past_due
			if json.Unmarshal(e.Data, &p) != nil {
				continue
			}
			due, err := time.Parse(time.DateOnly, string(p.DueDate))
			if err != nil {
				continue
			}
			k := key{e.Source, p.BillType + "/" + p.AccountID}
			b, ok := bills[k]
			if !ok {
				b = &bill{subject: e.Subject}
				bills[k] = b
				billOrder = append(billOrder, k)
			}
			if !due.Before(b.due) {
				b.last, b.due, b.at = p, due, e.Time
			}
		}
	}
	var out []simEvent
	n := 0
	emit := func(source, subject, typ string, t time.Time, payload any) {
		n++
		out = append(out, simEvent{event: opencredit.Event{SpecVersion: opencredit.SpecVersion, ID: "what-if-" + strconv.Itoa(n),
			Source: source, Type: typ, Subject: subject, Time: t, DataContentType: opencredit.DataContentType}, payload: payload})
	}
	inWindow := func(t time.Time) bool { return t.After(now) && !t.After(later) }
	for _, k := range order {
		a := accts[k]
		if a.closed {
			continue
		}
		if a.stmt != nil && now.Sub(a.stmtAt) <= activeWithin {
			for i := 1; ; i++ {
				t := a.stmtAt.AddDate(0, i, 0)
				if t.After(later) {
					break
				}
				if inWindow(t) {
					st := *a.stmt
					st.DaysPastDue = 0
					emit(k.source, a.subject, opencredit.TypeAccountStatement, t, &st)
				}
			}
		}
		if a.pay != nil && a.pay.AmountDue > 0 && now.Sub(a.payAt) <= activeWithin {
			due, err := time.Parse(time.DateOnly, string(a.pay.DueDate))
			if err != nil {
				continue
			}
			for i := 1; ; i++ {
				d := due.AddDate(0, i, 0)
				t := d.Add(12 * time.Hour)
				if t.After(later) {
					break
				}
				if inWindow(t) {
					emit(k.source, a.subject, opencredit.TypePaymentMade, t, &opencredit.PaymentMade{AccountID: k.id,
						DueDate: opencredit.Date(d.Format(time.DateOnly)), Amount: a.pay.AmountDue, AmountDue: a.pay.AmountDue, Currency: a.pay.Currency})
				}
			}
		}
	}
	for _, k := range billOrder {
		b := bills[k]
		if now.Sub(b.at) > activeWithin || b.last.Amount <= 0 {
			continue
		}
		for i := 1; ; i++ {
			d := b.due.AddDate(0, i, 0)
			t := d.Add(12 * time.Hour)
			if t.After(later) {
				break
			}
			if inWindow(t) {
				p := b.last
				p.DueDate, p.DaysLate = opencredit.Date(d.Format(time.DateOnly)), 0
				emit(k.source, b.subject, opencredit.TypeBillPaid, t, &p)
			}
		}
	}
	return out
}
