package simulate

import (
	"math"

	"github.com/opencredit/opencredit"
)

// account is a credit account. Closed and charged-off accounts are
// dropped, so memory does not grow with the months.
type account struct {
	id        string
	product   string
	src       int
	opened    int  // the month it was opened
	reported  bool // its account.opened was sent
	limit     float64
	principal float64
	rate      float64 // monthly interest
	instal    float64 // instalment products: the scheduled payment
	term      int
	left      int     // instalments still to fall due
	balance   float64 // owed, as of the last statement or payment
	pending   float64 // card purchases since the last statement
	carried   bool    // the last statement was not paid in full: interest accrues
	stmtDay   int
	dueDay    int
	frozen    bool // the lender blocks purchases
	closed    bool // closed by the lender while money is still owed
	unpaid    dues
	due       float64 // the amount falling due this month, set by the statement
	gone      bool    // closed or charged off this month
}

func (a *account) revolving() bool { return opencredit.Revolving(a.product) }

// headroom is what can still be charged to a card or line.
func (a *account) headroom() float64 {
	if !a.revolving() || a.frozen || a.closed {
		return 0
	}
	return math.Max(0, a.limit-a.balance-a.pending)
}

// addAccount numbers an account opened on day d of the current month,
// chooses its statement and due days, and reports its opening when the
// month is live.
func (p *person) addAccount(a *account, d int) *account {
	a.id, a.opened, a.stmtDay = p.newID("a"), p.m, 1+p.r.IntN(10)
	a.dueDay = a.stmtDay + 14 + p.r.IntN(4)
	p.accounts = append(p.accounts, a)
	if p.live {
		p.report(a, d)
	}
	return a
}

// openRevolving opens a card or a credit line with bank src on day d,
// with a limit that grows with income.
func (p *person) openRevolving(product string, src, d int) *account {
	limit := p.base * (0.6 + 1.6*p.r.Float64())
	if product == opencredit.ProductLine {
		limit = p.base * (0.3 + 0.7*p.r.Float64())
	}
	return p.addAccount(&account{product: product, src: src, rate: aprOf(product) / 12,
		limit: math.Min(30000, math.Max(300, roundTo(limit, 100)))}, d)
}

// openLoan opens an instalment product with furnisher src on day d: an
// annuity of term months.
func (p *person) openLoan(product string, src int, principal float64, term, d int) *account {
	switch product {
	case opencredit.ProductMortgage:
		principal = roundTo(principal, 1000)
	case opencredit.ProductBNPL:
		principal = round2(principal)
	default:
		principal = roundTo(principal, 100)
	}
	principal = math.Max(principal, 50)
	apr := aprOf(product)
	return p.addAccount(&account{product: product, src: src, principal: principal, balance: principal,
		rate: apr / 12, term: term, left: term, instal: round2(annuity(principal, apr, term))}, d)
}

// aprOf is a product's yearly interest rate (BNPL plans are interest-free).
func aprOf(product string) float64 {
	switch product {
	case opencredit.ProductCard:
		return cardAPR
	case opencredit.ProductLine:
		return cardAPR - 0.04
	case opencredit.ProductMortgage:
		return mortgageAPR
	case opencredit.ProductBNPL:
		return 0
	}
	return loanAPR
}

// annuity is the monthly payment that repays principal in term months at
// a yearly rate apr: P·r / (1 − (1 + r)^−n), r = apr/12.
func annuity(principal, apr float64, term int) float64 {
	r := apr / 12
	if r == 0 {
		return principal / float64(term)
	}
	return principal * r / (1 - math.Pow(1+r, -float64(term)))
}

// report sends an account's account.opened on day d.
func (p *person) report(a *account, d int) {
	a.reported = true
	data := &opencredit.AccountOpened{AccountID: a.id, Product: a.product, Currency: p.s.cur}
	if a.revolving() {
		data.CreditLimit = ptr(a.limit)
	} else {
		data.Principal = ptr(a.principal)
	}
	p.emit(p.at(d), a.src, opencredit.TypeAccountOpened, data)
}

// age advances an instalment account by k scheduled payments made on time.
func (a *account) age(k int) {
	for range k {
		a.balance = round2(math.Max(0, a.balance*(1+a.rate)-a.instal))
		a.left--
	}
}

// statement accrues interest and purchases, sets the amount due this month
// and reports the statement. It returns false when the account is settled
// and dropped silently (a lender-closed card paid down to zero).
func (p *person) statement(a *account) bool {
	if a.opened == p.m {
		a.due = 0
		return true // the first statement comes the month after opening
	}
	if a.revolving() {
		if a.carried {
			a.balance += a.balance * a.rate
		}
		a.balance = round2(a.balance + a.pending)
		a.pending = 0
		a.due = 0
		if a.balance > 0 {
			a.due = math.Min(a.balance, math.Max(minDueFloor, round2(minDueShare*a.balance)))
		}
	} else {
		a.due = 0
		a.balance = round2(a.balance * (1 + a.rate))
		if a.left > 0 {
			a.due = math.Min(a.instal, a.balance)
			if a.left--; a.left == 0 {
				a.due = a.balance // the last instalment settles what rounding left
			}
		}
	}
	if a.closed && a.balance <= 0 && len(a.unpaid) == 0 {
		return false
	}
	if p.live {
		t := p.at(a.stmtDay)
		st := &opencredit.AccountStatement{AccountID: a.id, Balance: a.balance, Currency: p.s.cur,
			MinimumDue: ptr(round2(math.Min(a.balance, a.due+a.unpaid.total())))}
		if a.revolving() {
			st.CreditLimit = ptr(a.limit)
		}
		if len(a.unpaid) > 0 {
			st.DaysPastDue = int((t - a.unpaid[0].t) / day)
		}
		p.emit(t, a.src, opencredit.TypeAccountStatement, st)
	}
	return true
}

// settle pays the month's amount due on an account, or misses it. It
// returns false when the account goes: paid off, charged off or closed.
func (p *person) settle(a *account) bool {
	need := round2(a.due + a.unpaid.total())
	if a.revolving() {
		need = math.Min(need, a.balance)
	}
	if need <= 0 {
		return p.afterPayment(a)
	}
	dueAt := p.from + int64(a.dueDay)*day
	if k := p.decide(a.unpaid, math.Min(a.due, math.Max(0, need-a.unpaid.total())), true); k > 0 {
		dueDate := dueAt
		if len(a.unpaid) > 0 {
			dueDate = a.unpaid[0].t
		}
		all := k > len(a.unpaid)
		arrears := len(a.unpaid) > 0
		amount, left := a.unpaid.settle(k, p.m, dueAt, a.due)
		if all {
			amount = need
			if a.revolving() {
				amount = p.cardPayment(a, need)
			}
		}
		if p.live {
			t := p.payTime(arrears, a.dueDay)
			p.emit(t, a.src, opencredit.TypePaymentMade, &opencredit.PaymentMade{AccountID: a.id, DueDate: dateOf(dueDate),
				Amount: round2(amount), AmountDue: need, DaysLate: lateDays(t, dueDate), Currency: p.s.cur})
		}
		a.unpaid = left
		if len(left) == 0 {
			a.frozen = false
		}
		a.balance = round2(math.Max(0, a.balance-amount))
		a.carried = a.balance > 0
		p.cash -= amount
		return p.afterPayment(a)
	}
	p.short = true
	a.unpaid = a.unpaid.push(p.m, dueAt, a.due)
	a.carried = true
	if a.revolving() {
		a.balance = round2(a.balance + lateFee)
	}
	if len(a.unpaid) == 0 {
		return true
	}
	k := p.m - a.unpaid[0].month // months past due of the oldest unpaid payment
	if k < 1 {
		return true
	}
	if p.live {
		p.emit(p.at(a.dueDay), a.src, opencredit.TypePaymentMissed, &opencredit.PaymentMissed{AccountID: a.id,
			DueDate: dateOf(a.unpaid[0].t), AmountDue: round2(a.unpaid.total()), DaysPastDue: 30 * k, Currency: p.s.cur})
	}
	if a.revolving() && k >= 2 {
		a.frozen = true
	}
	limit := chargeOffClosed
	if a.revolving() || a.product == opencredit.ProductMortgage {
		limit = chargeOffOpen
	}
	if k >= limit {
		p.chargeOff(a, a.dueDay)
		return false
	}
	if a.revolving() && k == 3 && !a.closed && p.r.Float64() < 0.3 {
		a.closed = true
		if p.live {
			p.emit(p.at(a.dueDay)+3600, a.src, opencredit.TypeAccountClosed, &opencredit.AccountClosed{AccountID: a.id, Reason: "by_lender"})
		}
	}
	return true
}

// cardPayment chooses how much of a revolving balance to pay, at least
// need: down to the balance the person is comfortable carrying (nothing
// for a transactor) as far as the money allows once the reserve is kept.
func (p *person) cardPayment(a *account, need float64) float64 {
	spare := p.cash - p.reserve() - need
	target := p.carry * a.limit
	if spare <= 0 || a.balance-need <= target {
		return need
	}
	return round2(need + math.Min(spare, a.balance-need-target))
}

// afterPayment closes instalment accounts that are paid off and, now and
// then, cards the consumer no longer uses or refinanced mortgages.
func (p *person) afterPayment(a *account) bool {
	t := p.at(a.dueDay) + 3600
	switch {
	case !a.revolving() && a.left == 0 && a.balance < 1 && len(a.unpaid) == 0:
		if p.live {
			p.emit(t, a.src, opencredit.TypeAccountClosed, &opencredit.AccountClosed{AccountID: a.id, Reason: "paid_off"})
		}
		return false
	case a.closed && a.balance <= 0:
		return false
	case a.revolving() && a.balance == 0 && a.pending == 0 && p.cards() > 1 && p.r.Float64() < 0.004:
		if p.live {
			p.emit(t, a.src, opencredit.TypeAccountClosed, &opencredit.AccountClosed{AccountID: a.id, Reason: "by_consumer"})
		}
		return false
	case a.product == opencredit.ProductMortgage && len(a.unpaid) == 0 && a.left > 24 && p.r.Float64() < 0.001:
		// Refinanced, usually with another bank: the balance moves to a new mortgage.
		if p.apply(opencredit.ProductMortgage, a.balance, a.left, false) == nil {
			return true // declined: the mortgage stays
		}
		if p.live {
			p.emit(t, a.src, opencredit.TypeAccountClosed, &opencredit.AccountClosed{AccountID: a.id, Reason: "transferred"})
		}
		return false
	}
	return true
}

// chargeOff writes an account off on day d and passes the debt, usually,
// to a collection agency a month or two later.
func (p *person) chargeOff(a *account, d int) {
	amount := round2(math.Max(1, a.balance))
	if p.live {
		p.emit(p.at(d)+7200, a.src, opencredit.TypeAccountChargedOff, &opencredit.AccountChargedOff{
			AccountID: a.id, Amount: amount, Currency: p.s.cur})
	}
	p.lastCO = p.m
	if p.r.Float64() < 0.75 {
		p.collections = append(p.collections, collection{month: p.m + p.r.IntN(2), amount: amount, creditor: a.src})
	}
}

// cards counts the open cards.
func (p *person) cards() int {
	n := 0
	for _, a := range p.accounts {
		if a.product == opencredit.ProductCard && !a.closed {
			n++
		}
	}
	return n
}
