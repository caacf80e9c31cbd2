package eventgen

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/opencredit/opencredit"
)

// Roles of furnishers: what they send.
const (
	roleBank      = iota // cards, lines, loans, mortgages; hard inquiries
	roleBNPL             // buy-now-pay-later plans; soft inquiries
	roleUtility          // utility bills
	roleTelecom          // telecom bills
	roleLandlord         // rent bills
	roleRental           // rentals; deposit-waiver inquiries
	roleVerifier         // income and identity verifications
	roleCollector        // collections
	roleCourt            // judgments and bankruptcies
	nRoles
)

const currencyCode = "EUR"

const day = 24 * 3600 // seconds

// life is one subject's state between months.
type life struct {
	index     int32
	id        string
	rng       *rand.Rand
	risk      float64 // chance of missing a payment in a month when current
	spend     float64 // share of a revolving limit spent in a month
	income    float64 // monthly
	thin      bool    // no credit: bills and rentals only
	idLevel   int
	furnisher [nRoles]int32 // -1 when the subject has no such relationship
	accounts  []*account
	bills     []*bill
	counter   int // numbers the subject's accounts, rentals, collections and cases
}

// account is a credit account. Closed accounts are dropped, and a subject
// holds at most maxOpen, so memory does not grow with the months.
type account struct {
	id         string
	product    string
	src        int32
	opened     int // the month it was opened
	limit      float64
	instalment float64
	balance    float64
	stmtDay    int
	missed     int   // consecutive payments missed
	firstDue   int64 // the due date of the oldest unpaid payment
	arrears    float64
	collectAt  int // after a charge-off: the month of the collection, -1 for none
	chargedOff bool
}

const maxOpen = 6

// bill is an everyday obligation: utility, telecom or rent.
type bill struct {
	id       string
	typ      string
	src      int32
	amount   float64
	dueDay   int
	missed   int
	firstDue int64
	unpaid   float64
}

func newLife(g *Generator, i int, id string) *life {
	r := newRand(g.cfg.Seed, i)
	l := &life{index: int32(i), id: id, rng: r}
	switch u := r.Float64(); {
	case u < 0.70:
		l.risk = 0.004 + 0.02*r.Float64()
	case u < 0.92:
		l.risk = 0.03 + 0.07*r.Float64()
	default:
		l.risk = 0.10 + 0.20*r.Float64()
	}
	l.spend = min(0.95, 0.1+2*l.risk+0.3*r.Float64())
	l.income = math.Round(math.Exp(math.Log(2400)+0.45*r.NormFloat64())/10) * 10
	l.thin = r.Float64() < 0.15
	has := [nRoles]bool{
		roleBank:      !l.thin,
		roleBNPL:      !l.thin && r.Float64() < 0.5,
		roleUtility:   r.Float64() < 0.85,
		roleTelecom:   r.Float64() < 0.9,
		roleLandlord:  r.Float64() < 0.45,
		roleRental:    r.Float64() < 0.5 || l.thin,
		roleVerifier:  true,
		roleCollector: true,
		roleCourt:     true,
	}
	for role := range nRoles {
		l.furnisher[role] = -1
		if has[role] {
			s := g.serving[role]
			l.furnisher[role] = int32(s[r.IntN(len(s))])
		}
	}
	for _, b := range []struct {
		role          int
		typ, idPrefix string
		min, max      float64
	}{
		{roleUtility, opencredit.BillUtility, "u", 40, 160},
		{roleTelecom, opencredit.BillTelecom, "t", 15, 70},
		{roleLandlord, opencredit.BillRent, "h", 350, 1600},
	} {
		if l.furnisher[b.role] >= 0 {
			l.bills = append(l.bills, &bill{id: l.newID(b.idPrefix), typ: b.typ, src: l.furnisher[b.role],
				amount: round2(b.min + (b.max-b.min)*r.Float64()), dueDay: r.IntN(15)})
		}
	}
	return l
}

// newID returns a new id of the subject's, such as "s0000001-a3".
func (l *life) newID(prefix string) string {
	l.counter++
	return l.id + "-" + prefix + strconv.Itoa(l.counter)
}

// month makes one subject's events of one month.
type month struct {
	g        *Generator
	l        *life
	r        *rand.Rand
	index    int
	from, to time.Time
	start    int64 // from in Unix seconds
	seq      int32
}

func (m *month) emit(t int64, src int32, typ string, data any) {
	if t < m.start || t >= m.to.Unix() {
		panic("event: generated time outside its month")
	}
	m.g.buf = append(m.g.buf, pending{t: t, subject: m.l.index, seq: m.seq, source: src, typ: typ, data: data})
	m.seq++
}

// at returns a moment in the working hours of day d of the month.
func (m *month) at(d int) int64 {
	return m.start + int64(d)*day + 8*3600 + m.r.Int64N(12*3600)
}

// midnight returns the start of the UTC day of t.
func midnight(t int64) int64 { return t - t%day }

func dateOf(t int64) opencredit.Date {
	return opencredit.Date(time.Unix(t, 0).UTC().Format(time.DateOnly))
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func ptr(x float64) *float64 { return &x }

func (m *month) run() {
	m.r = m.l.rng
	m.start = m.from.Unix()
	l, r := m.l, m.r
	if m.index == 0 {
		m.initialAccounts()
	}
	m.verifications()
	m.credit()
	kept := l.accounts[:0]
	for _, a := range l.accounts {
		if m.account(a) {
			kept = append(kept, a)
		}
	}
	clear(l.accounts[len(kept):])
	l.accounts = kept
	keptBills := l.bills[:0]
	for _, b := range l.bills {
		if m.bill(b) {
			keptBills = append(keptBills, b)
		}
	}
	clear(l.bills[len(keptBills):])
	l.bills = keptBills
	rentals := 0.06
	if l.thin {
		rentals = 0.12
	}
	if src := l.furnisher[roleRental]; src >= 0 && r.Float64() < rentals {
		m.rental(src)
	}
	if r.Float64() < 0.0005+0.008*l.risk {
		m.judgment()
	}
}

// initialAccounts opens the accounts a subject starts with.
func (m *month) initialAccounts() {
	l, r := m.l, m.r
	if l.thin {
		return
	}
	n := 0
	for _, p := range []struct {
		product string
		chance  float64
	}{{opencredit.ProductCard, 0.75}, {opencredit.ProductLine, 0.15}, {opencredit.ProductLoan, 0.3},
		{opencredit.ProductMortgage, 0.15}, {opencredit.ProductBNPL, 0.3}} {
		if r.Float64() < p.chance {
			n += m.open(p.product, r.IntN(21))
		}
	}
	if n == 0 {
		m.open(opencredit.ProductCard, r.IntN(21))
	}
}

// open opens an account on day d and reports whether it did.
func (m *month) open(product string, d int) int {
	l, r := m.l, m.r
	src := l.furnisher[roleBank]
	if product == opencredit.ProductBNPL {
		src = l.furnisher[roleBNPL]
	}
	if src < 0 || len(l.accounts) >= maxOpen {
		return 0
	}
	a := &account{id: l.newID("a"), product: product, src: src, opened: m.index, stmtDay: r.IntN(10), collectAt: -1}
	data := &opencredit.AccountOpened{AccountID: a.id, Product: product, Currency: currencyCode}
	var principal float64
	var term int
	switch product {
	case opencredit.ProductCard, opencredit.ProductLine:
		a.limit = math.Max(300, math.Round(l.income*(0.5+2.5*r.Float64())/100)*100)
		data.CreditLimit = ptr(a.limit)
	case opencredit.ProductLoan:
		principal, term = math.Round(1000+24000*r.Float64()), 12*(1+r.IntN(5))
	case opencredit.ProductMortgage:
		principal, term = math.Round(l.income*(40+80*r.Float64())/1000)*1000, 300
	case opencredit.ProductBNPL:
		principal, term = round2(30+570*r.Float64()), 4
	}
	if term > 0 {
		a.balance, a.instalment = principal, round2(principal/float64(term))
		data.Principal = ptr(principal)
	}
	m.emit(m.at(d), src, opencredit.TypeAccountOpened, data)
	l.accounts = append(l.accounts, a)
	return 1
}

// credit makes applications, new accounts and reviews.
func (m *month) credit() {
	l, r := m.l, m.r
	if l.thin {
		return
	}
	bank := l.furnisher[roleBank]
	if r.Float64() < 0.035 && len(l.accounts) < maxOpen {
		product := [...]string{opencredit.ProductCard, opencredit.ProductCard, opencredit.ProductLoan,
			opencredit.ProductLine, opencredit.ProductBNPL, opencredit.ProductBNPL}[r.IntN(6)]
		src, kind := bank, "hard"
		if product == opencredit.ProductBNPL {
			src, kind = l.furnisher[roleBNPL], "soft"
		}
		if src >= 0 {
			d := r.IntN(20)
			m.emit(m.at(d), src, opencredit.TypeInquiry, &opencredit.Inquiry{Kind: kind, Purpose: opencredit.PurposeCreditApplication})
			m.open(product, d+1+r.IntN(3))
			if product == opencredit.ProductLoan && r.Float64() < 0.6 {
				m.income(d)
			}
		}
	}
	if r.Float64() < 0.01+0.1*l.risk { // an application that was declined
		m.emit(m.at(r.IntN(27)), bank, opencredit.TypeInquiry, &opencredit.Inquiry{Kind: "hard", Purpose: opencredit.PurposeCreditApplication})
	}
	if len(l.accounts) > 0 && r.Float64() < 0.02 {
		m.emit(m.at(r.IntN(27)), bank, opencredit.TypeInquiry, &opencredit.Inquiry{Kind: "soft", Purpose: opencredit.PurposeAccountReview})
	}
}

// verifications verifies the subject's identity and income now and then.
func (m *month) verifications() {
	l, r := m.l, m.r
	src := l.furnisher[roleVerifier]
	chance := 0.1
	if m.index == 0 {
		chance = 0.5
	}
	verified := false
	switch {
	case l.idLevel == 0 && r.Float64() < chance:
		l.idLevel, verified = 1+r.IntN(3), true
	case l.idLevel > 0 && l.idLevel < 3 && r.Float64() < 0.005:
		l.idLevel, verified = l.idLevel+1, true
	}
	if verified {
		method := [...]string{"", "data_match", "passport", "passport+selfie"}[l.idLevel]
		m.emit(m.at(r.IntN(27)), src, opencredit.TypeIdentityVerified, &opencredit.IdentityVerified{Level: l.idLevel, Method: method})
	}
	if r.Float64() < 0.015 {
		m.income(r.IntN(27))
	}
}

// income verifies the subject's income on day d.
func (m *month) income(d int) {
	l, r := m.l, m.r
	l.income = math.Max(0, math.Round(l.income*(1+0.05*r.NormFloat64())/10)*10)
	method := opencredit.IncomeMethods[r.IntN(len(opencredit.IncomeMethods))]
	m.emit(m.at(d), l.furnisher[roleVerifier], opencredit.TypeIncomeVerified,
		&opencredit.IncomeVerified{MonthlyIncome: l.income, Currency: currencyCode, Method: method})
}

// minimumDue is a revolving account's minimum payment on balance b.
func minimumDue(b float64) float64 { return math.Min(b, math.Max(25, round2(0.03*b))) }

// account makes an account's events of the month: a statement, then a
// payment made or missed; it reports whether the account stays.
func (m *month) account(a *account) bool {
	l, r := m.l, m.r
	if a.chargedOff {
		if m.index < a.collectAt {
			return true
		}
		m.emit(m.at(r.IntN(20)), l.furnisher[roleCollector], opencredit.TypeCollectionOpened, &opencredit.CollectionOpened{
			CollectionID: l.newID("c"), Amount: a.balance, Currency: currencyCode, OriginalCreditor: m.g.furnishers[a.src]})
		return false
	}
	if a.opened >= m.index {
		return true // the first statement comes the month after opening
	}
	revolving := opencredit.Revolving(a.product)
	var due float64 // the amount that falls due this month
	if revolving {
		if a.missed == 0 {
			a.balance = math.Min(a.limit, round2(a.balance+a.limit*l.spend*(0.3+0.7*r.Float64())))
		} else {
			a.balance = round2(a.balance*1.015 + 25) // interest and a late fee
		}
		due = minimumDue(a.balance)
	} else {
		due = math.Max(0, round2(math.Min(a.instalment, a.balance-a.arrears)))
	}
	total := math.Min(a.balance, round2(due+a.arrears))
	stmt := &opencredit.AccountStatement{AccountID: a.id, Balance: a.balance, MinimumDue: ptr(total),
		DaysPastDue: 30 * a.missed, Currency: currencyCode}
	if revolving {
		stmt.CreditLimit = ptr(a.limit)
	}
	m.emit(m.at(a.stmtDay), a.src, opencredit.TypeAccountStatement, stmt)
	dueDay := a.stmtDay + 14
	dueAt := m.start + int64(dueDay)*day
	if total <= 0 {
		return true // nothing owed this month
	}
	var paid float64
	var paidAt int64
	pay := func(t int64, amount float64, dueDate int64) {
		paid, paidAt = amount, t
		m.emit(t, a.src, opencredit.TypePaymentMade, &opencredit.PaymentMade{AccountID: a.id, DueDate: dateOf(dueDate),
			Amount: amount, AmountDue: total, DaysLate: int(max(0, t-midnight(dueDate)) / day), Currency: currencyCode})
	}
	amount := total
	if revolving && r.Float64() < 0.7-2*l.risk {
		amount = a.balance // paid in full
	} else if revolving {
		amount = round2(total + (a.balance-total)*r.Float64())
	}
	switch u := r.Float64(); {
	case a.missed == 0 && u < l.risk:
		a.missed, a.firstDue, a.arrears = 1, dueAt, total
		return true
	case a.missed == 0 && u < l.risk+0.06:
		pay(m.at(dueDay+1+r.IntN(3))-8*3600, amount, dueAt) // 1–3 days late
	case a.missed == 0:
		pay(m.at(dueDay-r.IntN(4)), amount, dueAt)
	case u < 0.45/float64(a.missed): // the arrears are paid
		pay(m.at(dueDay+r.IntN(3)), math.Max(amount, total), a.firstDue)
		a.missed, a.arrears = 0, 0
	default:
		m.emit(m.at(dueDay), a.src, opencredit.TypePaymentMissed, &opencredit.PaymentMissed{AccountID: a.id,
			DueDate: dateOf(a.firstDue), AmountDue: a.arrears, DaysPastDue: 30 * a.missed, Currency: currencyCode})
		dpd := 30 * a.missed
		a.missed++
		a.arrears = total
		switch v := r.Float64(); {
		case dpd >= 180 || dpd >= 120 && v < 0.4:
			m.emit(m.at(dueDay+1), a.src, opencredit.TypeAccountChargedOff, &opencredit.AccountChargedOff{
				AccountID: a.id, Amount: math.Max(a.balance, 1), Currency: currencyCode})
			a.chargedOff, a.balance = true, math.Max(a.balance, 1)
			if r.Float64() < 0.7 {
				a.collectAt = m.index + 1 + r.IntN(2)
				return true
			}
			return false
		case dpd >= 90 && v > 0.97:
			m.emit(m.at(dueDay+1), a.src, opencredit.TypeAccountClosed, &opencredit.AccountClosed{AccountID: a.id, Reason: "by_lender"})
			return false
		}
		return true
	}
	a.balance = math.Max(0, round2(a.balance-paid))
	switch {
	case a.balance == 0 && !revolving:
		m.emit(paidAt+3600, a.src, opencredit.TypeAccountClosed, &opencredit.AccountClosed{AccountID: a.id, Reason: "paid_off"})
		return false
	case a.balance == 0 && r.Float64() < 0.01:
		m.emit(paidAt+3600, a.src, opencredit.TypeAccountClosed, &opencredit.AccountClosed{AccountID: a.id, Reason: "by_consumer"})
		return false
	case a.product == opencredit.ProductMortgage && r.Float64() < 0.002:
		m.emit(paidAt+3600, a.src, opencredit.TypeAccountClosed, &opencredit.AccountClosed{AccountID: a.id, Reason: "transferred"})
		return false
	}
	return true
}

// bill makes a bill's events of the month; it reports whether the bill
// stays.
func (m *month) bill(b *bill) bool {
	l, r := m.l, m.r
	amount := b.amount
	if b.typ == opencredit.BillUtility {
		amount = round2(amount * (0.7 + 0.6*r.Float64()))
	}
	dueAt := m.start + int64(b.dueDay)*day
	paid := func(t int64, amount float64, dueDate int64) {
		m.emit(t, b.src, opencredit.TypeBillPaid, &opencredit.BillPaid{BillType: b.typ, AccountID: b.id, DueDate: dateOf(dueDate),
			Amount: amount, DaysLate: int(max(0, t-midnight(dueDate)) / day), Currency: currencyCode})
	}
	switch u := r.Float64(); {
	case b.missed == 0 && u < 0.8*l.risk:
		b.missed, b.firstDue, b.unpaid = 1, dueAt, amount
	case b.missed == 0 && u < 0.8*l.risk+0.05:
		paid(m.at(b.dueDay+1+r.IntN(10))-8*3600, amount, dueAt)
	case b.missed == 0:
		paid(m.at(b.dueDay-r.IntN(min(b.dueDay, 5)+1)), amount, dueAt)
	case u < 0.5/float64(b.missed):
		paid(m.at(b.dueDay+r.IntN(3)), round2(b.unpaid+amount), b.firstDue)
		b.missed, b.unpaid = 0, 0
	default:
		m.emit(m.at(b.dueDay), b.src, opencredit.TypeBillMissed, &opencredit.BillMissed{BillType: b.typ, AccountID: b.id,
			DueDate: dateOf(b.firstDue), Amount: b.unpaid, DaysPastDue: 30 * b.missed, Currency: currencyCode})
		b.missed++
		b.unpaid = round2(b.unpaid + amount)
		if b.missed > 4 && r.Float64() < 0.4 || b.missed > 12 {
			m.emit(m.at(b.dueDay+1), l.furnisher[roleCollector], opencredit.TypeCollectionOpened, &opencredit.CollectionOpened{
				CollectionID: l.newID("c"), Amount: b.unpaid, Currency: currencyCode, OriginalCreditor: m.g.furnishers[b.src]})
			if b.typ == opencredit.BillRent {
				return false // evicted
			}
			b.missed, b.unpaid = 0, 0
		}
	}
	return true
}

var rentalItems = [...]string{"bike", "e-scooter", "car", "van", "power drill", "camera", "tent", "holiday flat"}

// rental makes a rental: an optional deposit-waiver inquiry, the return,
// and an overdue notice when it is very late.
func (m *month) rental(src int32) {
	l, r := m.l, m.r
	start := r.IntN(8)
	if r.Float64() < 0.4 {
		m.emit(m.start+int64(start)*day+7*3600, src, opencredit.TypeInquiry,
			&opencredit.Inquiry{Kind: "soft", Purpose: opencredit.PurposeRentalDepositWaiver})
	}
	id, item := l.newID("r"), rentalItems[r.IntN(len(rentalItems))]
	dueAt := m.start + int64(start+1+r.IntN(5))*day + 18*3600
	due := time.Unix(dueAt, 0).UTC()
	var back int64
	switch u := r.Float64(); {
	case u < 0.88:
		back = dueAt - 3600 - r.Int64N(20*3600)
	case u < 0.97:
		back = dueAt + int64(1+r.IntN(5))*day + r.Int64N(5*3600)
	default:
		m.emit(dueAt+7*day, src, opencredit.TypeRentalOverdue, &opencredit.RentalOverdue{RentalID: id, Item: item, DueAt: due, DaysOverdue: 7})
		back = dueAt + int64(8+r.IntN(5))*day + r.Int64N(5*3600)
	}
	m.emit(back, src, opencredit.TypeRentalReturned, &opencredit.RentalReturned{RentalID: id, Item: item, DueAt: due,
		DaysLate: int(max(0, back-dueAt) / day)})
}

// judgment files a court judgment, or rarely a bankruptcy.
func (m *month) judgment() {
	l, r := m.l, m.r
	j := &opencredit.JudgmentFiled{CaseID: l.newID("j"), Kind: "judgment"}
	if r.Float64() < 0.15 {
		j.Kind = "bankruptcy"
	} else {
		j.Amount = ptr(math.Round(200 + 19800*r.Float64()))
	}
	m.emit(m.at(r.IntN(27)), l.furnisher[roleCourt], opencredit.TypeJudgmentFiled, j)
}
