package simulate

import (
	"math"

	"github.com/opencredit/opencredit"
)

// Priorities of payments when money is short: housing first, then
// utilities and phone, then instalment loans, cards and lines, and BNPL
// plans last.
const (
	prioHousing = iota
	prioUtility
	prioTelecom
	prioLoan
	prioRevolving
	prioBNPL
	nPrios
)

func (a *account) priority() int {
	switch a.product {
	case opencredit.ProductMortgage:
		return prioHousing
	case opencredit.ProductLoan:
		return prioLoan
	case opencredit.ProductBNPL:
		return prioBNPL
	}
	return prioRevolving
}

func (b *bill) priority() int {
	switch b.typ {
	case opencredit.BillRent:
		return prioHousing
	case opencredit.BillUtility:
		return prioUtility
	}
	return prioTelecom
}

// month simulates month m of a life: shocks and income, essential
// spending, statements, payments in order of priority while the money
// lasts, credit seeking, discretionary spending, collections and courts,
// rentals and verifications, and what is left saved.
func (p *person) month(m int) {
	s, r := p.s, p.r
	p.m, p.live, p.short = m, m >= 0, false
	p.from, p.to = s.bounds[m+burnIn], s.bounds[m+burnIn+1]
	if m == 0 {
		// Furnishers join the platform: they report the accounts already
		// open on the first day, and those they have closed while money is
		// still owed as closed.
		for _, a := range p.accounts {
			if !a.reported {
				p.report(a, 0)
				if a.closed {
					p.emit(p.from+20*3600+1800, a.src, opencredit.TypeAccountClosed, &opencredit.AccountClosed{AccountID: a.id, Reason: "by_lender"})
				}
			}
		}
	}

	// Shocks and income.
	if p.jobless == 0 && r.Float64() < jobLossHazard*p.exposure*s.cfg.ShockScale {
		p.jobless = 1
		for r.Float64() > 1/spellMean {
			p.jobless++
		}
		p.replace = replaceMin + (replaceMax-replaceMin)*r.Float64()
	}
	life := 0.0
	if r.Float64() < lifeHazard*p.exposure*s.cfg.ShockScale {
		p.base = roundTo(p.base*(1-lifeCutMin-(lifeCutMax-lifeCutMin)*r.Float64()), 10)
		life = p.base * lifeCost * math.Exp(0.5*r.NormFloat64())
	}
	p.income = p.base * math.Exp(p.vol*r.NormFloat64()-p.vol*p.vol/2)
	if p.jobless > 0 {
		p.income *= p.replace
	}
	p.cash = p.savings + p.income
	// Someone behind on a payment tightens the belt to catch up: essentials
	// a little, discretionary spending the more the more disciplined.
	squeeze := 1.0
	if p.arrears() {
		squeeze = behindSqueeze
	}
	essential := squeeze*essentialShare*p.living + life
	if r.Float64() < emergencyHazard*p.exposure*s.cfg.ShockScale {
		essential += p.base * emergencyMedian * math.Exp(emergencySigma*r.NormFloat64())
	}
	p.spend(essential, true)

	// Statements, then payments by priority.
	n := len(p.accounts)
	for _, a := range p.accounts[:n] {
		if !p.statement(a) {
			a.gone = true
		}
	}
	for prio := range nPrios {
		for _, b := range p.bills {
			if b.priority() == prio && !p.settleBill(b) {
				b.gone = true
			}
		}
		for _, a := range p.accounts[:n] {
			if !a.gone && a.priority() == prio && !p.settle(a) {
				a.gone = true
			}
		}
	}
	p.sweep()

	p.seekCredit()
	discretionary := (1 - essentialShare) * p.living
	if p.jobless > 0 {
		discretionary *= 0.4
	}
	if squeeze < 1 {
		discretionary *= 1 - p.disc
	}
	p.spend(discretionary, false)
	p.courts()
	p.rehouse()
	if p.live {
		p.verifications()
		if r.Float64() < p.rentals {
			p.rental()
		}
	}

	// Consumption drifts towards what the obligations leave room for,
	// faster for the disciplined.
	p.living += (adaptBase + adaptDisc*p.disc) * (p.sustainable() - p.living)
	p.savings = math.Max(0, p.cash)
	if p.savings > p.target {
		p.savings -= spendExcess * (p.savings - p.target)
	}
	if p.jobless > 0 {
		p.jobless--
	}
}

// arrears reports whether any account or bill has an unpaid payment.
func (p *person) arrears() bool {
	for _, a := range p.accounts {
		if len(a.unpaid) > 0 {
			return true
		}
	}
	for _, b := range p.bills {
		if len(b.unpaid) > 0 {
			return true
		}
	}
	return false
}

// sweep drops the accounts and bills that went this month.
func (p *person) sweep() {
	kept := p.accounts[:0]
	for _, a := range p.accounts {
		if !a.gone {
			kept = append(kept, a)
		}
	}
	clear(p.accounts[len(kept):])
	p.accounts = kept
	keptBills := p.bills[:0]
	for _, b := range p.bills {
		if !b.gone {
			keptBills = append(keptBills, b)
		}
	}
	clear(p.bills[len(keptBills):])
	p.bills = keptBills
}

// spend pays for consumption: a share by card while the cards have room,
// the rest from the money at hand. When that runs out, essential spending
// (and emergencies) is borrowed on the cards or, failing that, done
// without; discretionary spending is borrowed with probability
// (1 − discipline)², otherwise cut.
func (p *person) spend(amount float64, essential bool) {
	cashPart := amount - p.charge(amount*p.cardShare)
	if cashPart <= p.cash {
		p.cash -= cashPart
		return
	}
	borrowed := 0.0
	if essential {
		p.short = true
		borrowed = p.charge(cashPart - p.cash)
	} else if p.r.Float64() < (1-p.disc)*(1-p.disc) {
		borrowed = p.charge(cashPart - p.cash)
	}
	// What was neither paid nor borrowed is gone without.
	p.cash = math.Max(0, p.cash-(cashPart-borrowed))
}

// charge puts up to amount on the person's cards and lines, fullest
// headroom first, and returns what was charged.
func (p *person) charge(amount float64) float64 {
	charged := 0.0
	for amount-charged > 0.005 {
		var best *account
		for _, a := range p.accounts {
			if a.opened < p.m && a.headroom() > 0 && (best == nil || a.headroom() > best.headroom()) {
				best = a
			}
		}
		if best == nil {
			break
		}
		x := math.Min(best.headroom(), amount-charged)
		best.pending += x
		charged += x
	}
	return charged
}
