package features

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/opencredit/opencredit"
)

// Apply folds one accepted event into the state. payload is the event's
// decoded payload — a pointer to (or a value of) the root payload struct of
// its type — or nil, in which case Apply decodes e.Data itself.
//
// Apply is commutative and associative: any order of the same events gives
// an Equal state, so late and out-of-order events need no special handling.
// It does not filter duplicates; the store does that before. An event Apply
// cannot fold (an unknown type, a payload that does not decode or match the
// type, a time outside 1900–2199) is an EINVALID error and leaves the state
// unchanged.
func (s *State) Apply(e opencredit.Event, payload any) error {
	t, err := eventTime(e)
	if err != nil {
		return err
	}
	var it item // the item to insert, if kind != 0
	switch e.Type {
	case opencredit.TypeAccountOpened:
		p, err := payloadOf[opencredit.AccountOpened](e, payload)
		if err != nil {
			return err
		}
		code := productCode(p.Product)
		if code == 0 {
			return invalid(e, "product %q is not one of card, line, loan, bnpl, mortgage", p.Product)
		}
		lim, hasLim := 0.0, p.CreditLimit != nil
		if hasLim {
			if lim, err = amount(e, "credit_limit", *p.CreditLimit); err != nil {
				return err
			}
		}
		a, err := s.account(e, p.AccountID)
		if err != nil {
			return err
		}
		if !a.opened || openCmp(t, e.ID, code, hasLim, lim, a.openT, a.openID, a.product, a.hasLimit, a.openLimit) < 0 {
			a.opened, a.openT, a.openID, a.product, a.hasLimit, a.openLimit = true, t, e.ID, code, hasLim, lim
		}
	case opencredit.TypeAccountStatement:
		p, err := payloadOf[opencredit.AccountStatement](e, payload)
		if err != nil {
			return err
		}
		st := stmt{t: t, id: e.ID, dpd: days(p.DaysPastDue)}
		if st.balance, err = amount(e, "balance", p.Balance); err != nil {
			return err
		}
		if p.CreditLimit != nil {
			st.hasLimit = true
			if st.limit, err = amount(e, "credit_limit", *p.CreditLimit); err != nil {
				return err
			}
		}
		a, err := s.account(e, p.AccountID)
		if err != nil {
			return err
		}
		i, _ := slices.BinarySearchFunc(a.stmts, st, stmtCmp)
		a.stmts = slices.Insert(a.stmts, i, st)
		if i < a.stmtsEncN {
			a.stmtsEnc, a.stmtsEncN = "", 0
		}
	case opencredit.TypeAccountClosed:
		p, err := payloadOf[opencredit.AccountClosed](e, payload)
		if err != nil {
			return err
		}
		a, err := s.account(e, p.AccountID)
		if err != nil {
			return err
		}
		if !a.closed || t < a.closeT {
			a.closed, a.closeT = true, t
		}
	case opencredit.TypeAccountChargedOff:
		if _, err := payloadOf[opencredit.AccountChargedOff](e, payload); err != nil {
			return err
		}
		it = item{kind: kChargeOff}
	case opencredit.TypePaymentMade:
		p, err := payloadOf[opencredit.PaymentMade](e, payload)
		if err != nil {
			return err
		}
		it = item{kind: kPayMade, val: days(p.DaysLate)}
	case opencredit.TypePaymentMissed:
		p, err := payloadOf[opencredit.PaymentMissed](e, payload)
		if err != nil {
			return err
		}
		it = item{kind: kPayMissed, val: days(p.DaysPastDue)}
	case opencredit.TypeBillPaid:
		p, err := payloadOf[opencredit.BillPaid](e, payload)
		if err != nil {
			return err
		}
		it = item{kind: kBillPaid, val: days(p.DaysLate)}
		if p.BillType == opencredit.BillRent {
			it.kind = kRentPaid
		}
	case opencredit.TypeBillMissed:
		p, err := payloadOf[opencredit.BillMissed](e, payload)
		if err != nil {
			return err
		}
		it = item{kind: kBillMissed, val: days(p.DaysPastDue)}
		if p.BillType == opencredit.BillRent {
			it.kind = kRentMissed
		}
	case opencredit.TypeRentalReturned:
		p, err := payloadOf[opencredit.RentalReturned](e, payload)
		if err != nil {
			return err
		}
		it = item{kind: kRentalReturned, val: days(p.DaysLate)}
	case opencredit.TypeRentalOverdue:
		p, err := payloadOf[opencredit.RentalOverdue](e, payload)
		if err != nil {
			return err
		}
		it = item{kind: kRentalOverdue, val: days(p.DaysOverdue)}
	case opencredit.TypeInquiry:
		p, err := payloadOf[opencredit.Inquiry](e, payload)
		if err != nil {
			return err
		}
		if p.Kind == "hard" {
			it = item{kind: kHardInquiry, val: uint32(productCode(p.Product))}
		}
		// A soft inquiry counts only towards months_on_file.
	case opencredit.TypeIncomeVerified:
		p, err := payloadOf[opencredit.IncomeVerified](e, payload)
		if err != nil {
			return err
		}
		in := income{t: t, id: e.ID}
		if in.monthly, err = amount(e, "monthly_income", p.MonthlyIncome); err != nil {
			return err
		}
		i, _ := slices.BinarySearchFunc(s.incomes, in, incomeCmp)
		s.incomes = slices.Insert(s.incomes, i, in)
	case opencredit.TypeIdentityVerified:
		p, err := payloadOf[opencredit.IdentityVerified](e, payload)
		if err != nil {
			return err
		}
		if p.Level < 1 || p.Level > 3 {
			return invalid(e, "identity level %d is not 1, 2 or 3", p.Level)
		}
		s.identity[p.Level-1] = min(s.identity[p.Level-1], t)
	case opencredit.TypeCollectionOpened:
		if _, err := payloadOf[opencredit.CollectionOpened](e, payload); err != nil {
			return err
		}
		it = item{kind: kCollection}
	case opencredit.TypeJudgmentFiled:
		p, err := payloadOf[opencredit.JudgmentFiled](e, payload)
		if err != nil {
			return err
		}
		it = item{kind: kJudgment}
		if p.Kind == "bankruptcy" {
			it.kind = kBankruptcy
		}
	default:
		return invalid(e, "unknown event type %q", e.Type)
	}
	if it.kind != 0 {
		it.t = t
		i, _ := slices.BinarySearchFunc(s.items, it, itemCmp)
		s.items = slices.Insert(s.items, i, it)
		if i < s.itemsEncN {
			s.itemsEnc, s.itemsEncN = "", 0
		}
	}
	s.first = min(s.first, t)
	return nil
}

// Recompute builds the state from events from scratch: the reference the
// incrementally kept state must equal.
func Recompute(events []opencredit.Event) (*State, error) {
	s := NewState()
	for _, e := range events {
		if err := s.Apply(e, nil); err != nil {
			return nil, err // it names the event
		}
	}
	return s, nil
}

// account returns the account the event names, adding it when new. It is
// called only once the event is known to be valid, so that a rejected event
// adds no empty account.
func (s *State) account(e opencredit.Event, id string) (*account, error) {
	if id == "" {
		return nil, invalid(e, "account_id is empty")
	}
	i, found := slices.BinarySearchFunc(s.accounts, e.Source, func(a account, src string) int {
		return accountCmp(&a, src, id)
	})
	if !found {
		s.accounts = slices.Insert(s.accounts, i, account{source: e.Source, id: id})
	}
	return &s.accounts[i], nil
}

func eventTime(e opencredit.Event) (int64, error) {
	if e.Time.Before(minTime) || !e.Time.Before(maxTime) {
		return 0, invalid(e, "time %s is outside 1900–2199", e.Time.Format("2006-01-02T15:04:05Z07:00"))
	}
	return e.Time.UnixNano(), nil
}

// payloadOf returns the event's payload as a *T: payload itself when it is a
// *T or a T, else e.Data decoded.
func payloadOf[T any](e opencredit.Event, payload any) (*T, error) {
	switch p := payload.(type) {
	case *T:
		if p != nil {
			return p, nil
		}
	case T:
		return &p, nil
	case nil:
	default:
		var zero T
		return nil, invalid(e, "payload is a %T, want a %T", payload, &zero)
	}
	v := new(T)
	if err := json.Unmarshal(e.Data, v); err != nil {
		return nil, invalid(e, "data: %v", err)
	}
	return v, nil
}

// amount checks that a currency amount is finite and returns it with a
// negative zero made positive, so that equal amounts encode alike.
func amount(e opencredit.Event, field string, v float64) (float64, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, invalid(e, "%s is %v", field, v)
	}
	if v == 0 {
		v = 0
	}
	return v, nil
}

// days clamps a delay to [0, maxDays]: a negative delay is a payment made
// early, which is on time.
func days(d int) uint32 {
	return uint32(min(max(d, 0), maxDays))
}

func invalid(e opencredit.Event, format string, args ...any) error {
	typ := strings.TrimPrefix(e.Type, "org.opencredit.")
	return opencredit.Errorf(opencredit.EINVALID, "features: %s event %q from %q: %s", typ, e.ID, e.Source, fmt.Sprintf(format, args...))
}
