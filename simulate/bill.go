package simulate

import (
	"math"
	"time"

	"github.com/opencredit/opencredit"
)

// bill is a utility, telecom or rent account, billed every month.
type bill struct {
	id     string
	typ    string
	src    int
	amount float64 // the usual monthly amount
	dueDay int
	unpaid dues
	gone   bool // ended this month
}

// billKinds gives, per bill type, the role of its furnishers and the
// prefix of its account ids.
var billKinds = map[string]struct {
	role   int
	prefix string
}{
	opencredit.BillUtility: {roleUtility, "u"},
	opencredit.BillTelecom: {roleTelecom, "t"},
	opencredit.BillRent:    {roleLandlord, "h"},
}

// newBill starts a bill of the given type with a new furnisher of its kind.
func (p *person) newBill(typ string, amount float64) *bill {
	k := billKinds[typ]
	b := &bill{id: p.newID(k.prefix), typ: typ, src: p.pick(k.role), amount: amount, dueDay: p.r.IntN(20)}
	if typ == opencredit.BillRent {
		b.dueDay = p.r.IntN(5)
	}
	p.bills = append(p.bills, b)
	return b
}

// rent returns the person's rent, nil if none.
func (p *person) rent() *bill {
	for _, b := range p.bills {
		if b.typ == opencredit.BillRent {
			return b
		}
	}
	return nil
}

func (p *person) dropBill(b *bill) {
	for i, c := range p.bills {
		if c == b {
			p.bills = append(p.bills[:i], p.bills[i+1:]...)
			return
		}
	}
}

// billAmount is this month's amount of a bill: utility bills follow the
// seasons (more in winter) and vary a little; the others are fixed.
func (p *person) billAmount(b *bill) float64 {
	if b.typ != opencredit.BillUtility {
		return b.amount
	}
	month := time.Unix(p.from, 0).UTC().Month()
	season := 1 + 0.25*math.Cos(2*math.Pi*float64(month-1)/12)
	return round2(b.amount * season * (0.85 + 0.3*p.r.Float64()))
}

// settleBill pays the month's bill, or misses it; it reports whether the
// bill stays. Unpaid bills go to a collection agency after billCollection
// months (the service is then cut and later reconnected under a new
// account), unpaid rent after rentEviction months, and the person is
// evicted.
func (p *person) settleBill(b *bill) bool {
	amount := p.billAmount(b)
	dueAt := p.from + int64(b.dueDay)*day
	if k := p.decide(b.unpaid, amount, false); k > 0 {
		dueDate := dueAt
		if len(b.unpaid) > 0 {
			dueDate = b.unpaid[0].t
		}
		arrears := len(b.unpaid) > 0
		paid, left := b.unpaid.settle(k, p.m, dueAt, amount)
		if p.live {
			t := p.payTime(arrears, b.dueDay)
			p.emit(t, b.src, opencredit.TypeBillPaid, &opencredit.BillPaid{BillType: b.typ, AccountID: b.id,
				DueDate: dateOf(dueDate), Amount: round2(paid), DaysLate: lateDays(t, dueDate), Currency: p.s.cur})
		}
		b.unpaid = left
		p.cash -= paid
		return true
	}
	p.short = true
	b.unpaid = b.unpaid.push(p.m, dueAt, amount)
	k := p.m - b.unpaid[0].month
	if k < 1 {
		return true
	}
	if p.live {
		p.emit(p.at(b.dueDay), b.src, opencredit.TypeBillMissed, &opencredit.BillMissed{BillType: b.typ, AccountID: b.id,
			DueDate: dateOf(b.unpaid[0].t), Amount: round2(b.unpaid.total()), DaysPastDue: 30 * k, Currency: p.s.cur})
	}
	limit := billCollection
	if b.typ == opencredit.BillRent {
		limit = rentEviction
	}
	if k < limit {
		return true
	}
	p.collect(round2(b.unpaid.total()), b.src, b.dueDay)
	if b.typ == opencredit.BillRent {
		p.homeless = 2 + p.r.IntN(4)
		return false
	}
	kind := billKinds[b.typ]
	b.id, b.unpaid, b.src = p.newID(kind.prefix), nil, p.pick(kind.role)
	return true
}

// rehouse gives an evicted person a new rent after some months, or lets
// them live with family.
func (p *person) rehouse() {
	if p.homeless < 0 {
		return
	}
	p.homeless--
	if p.homeless == 0 {
		p.homeless = -1
		if p.r.Float64() < 0.6 {
			p.newBill(opencredit.BillRent, roundTo(0.25*p.base, 10))
		}
	}
}

var rentalItems = [...]string{"bike", "e-scooter", "car", "van", "power drill", "camera", "tent", "holiday flat"}

// rental rents an item: often a deposit-waiver inquiry first, then the
// return — on time, a few days late, or so late that the rental service
// sends an overdue notice first. Lateness grows with low discipline and
// with money trouble.
func (p *person) rental() {
	r := p.r
	src := p.pick(roleRental)
	start := r.IntN(10)
	if r.Float64() < 0.5 {
		p.emit(p.from+int64(start)*day+7*3600, src, opencredit.TypeInquiry,
			&opencredit.Inquiry{Kind: "soft", Purpose: opencredit.PurposeRentalDepositWaiver})
	}
	id, item := p.newID("r"), rentalItems[r.IntN(len(rentalItems))]
	dueAt := p.from + int64(start+1+r.IntN(7))*day + 18*3600
	late := 0.02 + 0.2*(1-p.disc)*(1-p.disc)
	if p.short {
		late += 0.1
	}
	var back int64
	switch u := r.Float64(); {
	case u < late/4:
		p.emit(dueAt+7*day, src, opencredit.TypeRentalOverdue, &opencredit.RentalOverdue{RentalID: id, Item: item,
			DueAt: time.Unix(dueAt, 0).UTC(), DaysOverdue: 7})
		back = min(p.to-3600, dueAt+int64(8+r.IntN(4))*day+r.Int64N(5*3600))
	case u < late:
		back = dueAt + int64(1+r.IntN(4))*day + r.Int64N(5*3600)
	default:
		back = dueAt - 3600 - r.Int64N(20*3600)
	}
	p.emit(back, src, opencredit.TypeRentalReturned, &opencredit.RentalReturned{RentalID: id, Item: item,
		DueAt: time.Unix(dueAt, 0).UTC(), DaysLate: int(max(0, back-dueAt) / day)})
}

// collect passes a debt to the person's collection agency on day d.
func (p *person) collect(amount float64, creditor, d int) {
	if p.live {
		p.emit(p.at(d)+3*3600, p.collector, opencredit.TypeCollectionOpened, &opencredit.CollectionOpened{
			CollectionID: p.newID("c"), Amount: math.Max(1, amount), Currency: p.s.cur, OriginalCreditor: furnisherIDs[creditor]})
	}
	p.debts = append(p.debts, debt{amount: amount, month: p.m})
}

// courts opens the collections lenders scheduled for this month, lets
// courts turn old collections into judgments, and, rarely, files a
// bankruptcy for someone overwhelmed by defaulted debt.
func (p *person) courts() {
	r := p.r
	kept := p.collections[:0]
	for _, c := range p.collections {
		if c.month == p.m {
			p.collect(c.amount, c.creditor, r.IntN(20))
		} else {
			kept = append(kept, c)
		}
	}
	p.collections = kept
	total := 0.0
	keptDebts := p.debts[:0]
	for _, d := range p.debts {
		if p.m-d.month >= 3 && d.amount > 300 && r.Float64() < 0.012 {
			if p.live {
				p.emit(p.at(r.IntN(27)), p.court, opencredit.TypeJudgmentFiled, &opencredit.JudgmentFiled{
					CaseID: p.newID("j"), Kind: "judgment", Amount: ptr(round2(d.amount))})
			}
			continue
		}
		total += d.amount
		keptDebts = append(keptDebts, d)
	}
	p.debts = keptDebts
	if !p.bankrupt && p.m-p.lastCO < 12 && total > 3*p.base && r.Float64() < 0.01 {
		p.bankrupt = true
		d := r.IntN(27)
		if p.live {
			p.emit(p.at(d), p.court, opencredit.TypeJudgmentFiled, &opencredit.JudgmentFiled{CaseID: p.newID("j"), Kind: "bankruptcy"})
		}
		p.debts = p.debts[:0]
	}
}
