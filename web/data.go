package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
)

type dataPage struct {
	Events   int
	Groups   []eventGroup
	Consents []consentRow
	Features []featureRow
	AsOf     string
}

// eventGroup is one account, bill, rental or case of one furnisher, with
// its records newest first.
type eventGroup struct {
	ID         string // an anchor, "group-3"
	Title      string
	Furnisher  string
	Summary    string
	Suppressed int
	Rows       []eventRow
}

type eventRow struct {
	Date, What string
	Suppressed bool
	Disputed   bool          // a dispute of it is open: still counted until its furnisher answers
	Dispute    template.HTML // the link to dispute it, when it is not disputed already (disputeAnchor)
}

type consentRow struct {
	Counterparty, Purpose, PurposeCode, Granted, Status string
}

type featureRow struct {
	Label, Value string
}

// handleData shows everything held about the person: each record grouped
// by furnisher and account, their consents and the features computed from
// the records. The scoring use case reads and records the access.
func (s *Server) handleData(w http.ResponseWriter, r *http.Request, v visit) {
	d, err := s.cfg.Scoring.SubjectData(r.Context(), v.caller, v.client.Subject)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	dp := dataPage{Events: len(d.Events), Groups: groupEvents(d.Events), AsOf: humanDate(s.cfg.Now())}
	for _, c := range d.Consents {
		row := consentRow{Counterparty: c.Counterparty, Purpose: purposeWords(c.Purpose), Granted: humanDate(c.GrantedAt), Status: "In force"}
		if c.WithdrawnAt != nil {
			row.Status = "Withdrawn on " + humanDate(*c.WithdrawnAt)
		}
		dp.Consents = append(dp.Consents, row)
	}
	for _, def := range features.Registry {
		x, ok := d.Features.Values[def.Name]
		row := featureRow{Label: features.Labels[def.Name], Value: "No data"}
		if ok {
			row.Value = featureValue(def.Name, x)
		}
		dp.Features = append(dp.Features, row)
	}
	s.render(w, r, http.StatusOK, "data.html", v.page("Your data", "data", dp))
}

// groupEvents groups events by furnisher and by the account, bill, rental,
// collection or case they are about; records about no account (checks,
// applications, income, identity) form one group per furnisher. Groups
// are in order of their latest record, newest first, and so are the
// records within each.
func groupEvents(events []opencredit.StoredEvent) []eventGroup {
	type gk struct{ source, id string }
	idx := map[gk]int{}
	var groups []eventGroup
	latest := map[int]time.Time{}
	for _, e := range events {
		id, title := groupOf(e.Event)
		k := gk{e.Source, id}
		i, ok := idx[k]
		if !ok {
			i = len(groups)
			idx[k] = i
			groups = append(groups, eventGroup{ID: fmt.Sprintf("group-%d", i+1), Title: title, Furnisher: e.Source})
		}
		if e.Type == opencredit.TypeAccountOpened {
			groups[i].Title = title // the opening names the product
		}
		row := eventRow{Date: humanDate(e.Time), What: describeEvent(e.Event), Suppressed: e.Suppressed, Disputed: e.Disputed}
		if !e.Suppressed && !e.Disputed {
			row.Dispute = disputeAnchor(e.Source, e.ID, row.Date)
		}
		if row.Suppressed {
			groups[i].Suppressed++
		}
		groups[i].Rows = append(groups[i].Rows, row)
		if e.Time.After(latest[i]) {
			latest[i] = e.Time
		}
	}
	times := map[string]time.Time{}
	for i := range groups {
		g := &groups[i]
		slices.Reverse(g.Rows) // the store lists in time order
		g.Summary = fmt.Sprintf("%s, the latest on %s", plural(len(g.Rows), "record", "records"), humanDate(latest[i]))
		if g.Suppressed > 0 {
			g.Summary += fmt.Sprintf("; %s not counted after a dispute", plural(g.Suppressed, "record", "records"))
		}
		times[g.ID] = latest[i]
	}
	slices.SortStableFunc(groups, func(a, b eventGroup) int { return times[b.ID].Compare(times[a.ID]) })
	return groups
}

// disputeAnchor is the link to dispute a record, made here rather than in
// the template: a file of 2,000 records has 2,000 of them, and the
// template's contextual escaping of each link's address cost a third of
// the page. Every part is escaped for HTML; the address's values are
// query-escaped by disputeLink.
func disputeAnchor(source, id, date string) template.HTML {
	return template.HTML(`<a href="` + html.EscapeString(disputeLink(source, id)) + `">Dispute this record<span class="visually-hidden"> of ` +
		html.EscapeString(date) + `</span></a>`)
}

// groupOf returns the key of the group an event belongs to and the group's
// title.
func groupOf(e opencredit.Event) (string, string) {
	var p struct {
		AccountID    string `json:"account_id"`
		Product      string `json:"product"`
		BillType     string `json:"bill_type"`
		RentalID     string `json:"rental_id"`
		Item         string `json:"item"`
		CollectionID string `json:"collection_id"`
		CaseID       string `json:"case_id"`
	}
	_ = json.Unmarshal(e.Data, &p) // a record that does not decode goes to the furnisher's other records
	switch {
	case p.BillType != "":
		return "bill/" + p.BillType + "/" + p.AccountID, capitalise(p.BillType) + " bills, account " + p.AccountID
	case p.AccountID != "":
		if p.Product != "" {
			return "account/" + p.AccountID, capitalise(productWords[p.Product]) + " " + p.AccountID
		}
		return "account/" + p.AccountID, "Account " + p.AccountID
	case p.RentalID != "":
		return "rental/" + p.RentalID, "Rental " + p.RentalID + ": " + p.Item
	case p.CollectionID != "":
		return "collection/" + p.CollectionID, "Collection " + p.CollectionID
	case p.CaseID != "":
		return "case/" + p.CaseID, "Court case " + p.CaseID
	}
	return "other", "Checks, applications and verifications"
}

var productWords = map[string]string{
	opencredit.ProductCard: "credit card", opencredit.ProductLine: "credit line", opencredit.ProductLoan: "loan",
	opencredit.ProductBNPL: "buy now, pay later plan", opencredit.ProductMortgage: "mortgage",
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// describeEvent says what a record holds in one sentence.
func describeEvent(e opencredit.Event) string {
	bad := "A record of type " + e.Type + " that cannot be read"
	switch e.Type {
	case opencredit.TypeAccountOpened:
		var p opencredit.AccountOpened
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		s := "Opened: " + cmp.Or(productWords[p.Product], p.Product)
		if p.CreditLimit != nil {
			s += ", limit " + money(*p.CreditLimit, p.Currency)
		}
		if p.Principal != nil {
			s += ", borrowed " + money(*p.Principal, p.Currency)
		}
		return s
	case opencredit.TypeAccountStatement:
		var p opencredit.AccountStatement
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		s := "Statement: balance " + money(p.Balance, p.Currency)
		if p.CreditLimit != nil {
			s += " of a " + money(*p.CreditLimit, p.Currency) + " limit"
		}
		if p.DaysPastDue > 0 {
			return s + "; " + plural(p.DaysPastDue, "day", "days") + " past due"
		}
		return s + "; up to date"
	case opencredit.TypeAccountClosed:
		var p opencredit.AccountClosed
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		return "Closed (" + strings.ReplaceAll(p.Reason, "_", " ") + ")"
	case opencredit.TypeAccountChargedOff:
		var p opencredit.AccountChargedOff
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		return "Written off by the lender as a loss: " + money(p.Amount, p.Currency)
	case opencredit.TypePaymentMade:
		var p opencredit.PaymentMade
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		s := "Paid " + money(p.Amount, p.Currency) + " of " + money(p.AmountDue, p.Currency) + " due on " + dateOf(p.DueDate)
		if p.DaysLate > 0 {
			return s + ": " + plural(p.DaysLate, "day", "days") + " late"
		}
		return s + ": on time"
	case opencredit.TypePaymentMissed:
		var p opencredit.PaymentMissed
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		return "Missed: " + money(p.AmountDue, p.Currency) + " due on " + dateOf(p.DueDate) + ", " + plural(p.DaysPastDue, "day", "days") + " past due"
	case opencredit.TypeBillPaid:
		var p opencredit.BillPaid
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		s := capitalise(p.BillType) + " bill of " + money(p.Amount, p.Currency) + " due on " + dateOf(p.DueDate)
		if p.DaysLate > 0 {
			return s + ": paid " + plural(p.DaysLate, "day", "days") + " late"
		}
		return s + ": paid on time"
	case opencredit.TypeBillMissed:
		var p opencredit.BillMissed
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		return capitalise(p.BillType) + " bill of " + money(p.Amount, p.Currency) + " due on " + dateOf(p.DueDate) + ": not paid, " + plural(p.DaysPastDue, "day", "days") + " past due"
	case opencredit.TypeRentalReturned:
		var p opencredit.RentalReturned
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		s := "Returned " + p.Item + " (due " + humanDate(p.DueAt) + ")"
		if p.DaysLate > 0 {
			return s + ": " + plural(p.DaysLate, "day", "days") + " late"
		}
		return s + ": on time"
	case opencredit.TypeRentalOverdue:
		var p opencredit.RentalOverdue
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		return p.Item + " due back on " + humanDate(p.DueAt) + ": " + plural(p.DaysOverdue, "day", "days") + " overdue"
	case opencredit.TypeInquiry:
		var p opencredit.Inquiry
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		s := "Credit check"
		if p.Kind == "hard" {
			s = "Credit application (a hard inquiry, which counts in your score)"
		} else if p.Kind == "soft" {
			s = "Credit check (a soft inquiry, which does not count in your score)"
		}
		s += " for " + purposeWords(p.Purpose)
		if p.Counterparty != "" {
			s += ", by " + p.Counterparty
		}
		return s
	case opencredit.TypeIncomeVerified:
		var p opencredit.IncomeVerified
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		return "Income verified: " + money(p.MonthlyIncome, p.Currency) + " a month (" + strings.ReplaceAll(p.Method, "_", " ") + ")"
	case opencredit.TypeIdentityVerified:
		var p opencredit.IdentityVerified
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		return fmt.Sprintf("Identity verified at level %d of 3 (%s)", p.Level, p.Method)
	case opencredit.TypeCollectionOpened:
		var p opencredit.CollectionOpened
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		s := "Debt passed to collection: " + money(p.Amount, p.Currency)
		if p.OriginalCreditor != "" {
			s += ", first owed to " + p.OriginalCreditor
		}
		return s
	case opencredit.TypeJudgmentFiled:
		var p opencredit.JudgmentFiled
		if json.Unmarshal(e.Data, &p) != nil {
			return bad
		}
		s := "Court judgment filed"
		if p.Kind == "bankruptcy" {
			s = "Bankruptcy filed"
		}
		if p.Amount != nil {
			s += ": " + groupDigits(*p.Amount, 2)
		}
		return s + " (case " + p.CaseID + ")"
	}
	return bad
}
