package simulate

import (
	"math"

	"github.com/opencredit/opencredit"
)

// seekCredit makes the month's credit applications. Routine ones come at
// low monthly rates; a person under strain (short of money this month, or
// with cards nearly full) applies far more often, for a loan or a card, and
// tries a second bank when declined — credit seeking under stress. BNPL
// users buy now and then; lenders review accounts and raise limits.
func (p *person) seekCredit() {
	r := p.r
	if p.thin {
		if r.Float64() < graduate && p.apply(opencredit.ProductCard, 0, 0, false) != nil {
			p.thin = false
		}
		return
	}
	if p.short || p.utilisation() > 0.85 {
		if r.Float64() < 0.2*(1.3-p.disc) {
			product := opencredit.ProductCard
			if r.Float64() < 0.6 {
				product = opencredit.ProductLoan
			}
			if p.apply(product, p.base*(1+3*r.Float64()), 24+12*r.IntN(4), true) == nil && r.Float64() < 0.5 {
				p.apply(product, p.base*(1+3*r.Float64()), 24+12*r.IntN(4), true)
			}
		}
	}
	switch u := r.Float64(); {
	case u < 0.007:
		if p.cards() < 4 {
			p.apply(opencredit.ProductCard, 0, 0, false)
		}
	case u < 0.015:
		p.apply(opencredit.ProductLoan, p.base*(3+9*r.Float64()), 12*(2+r.IntN(5)), false)
	case u < 0.018:
		p.apply(opencredit.ProductLine, 0, 0, false)
	case u < 0.021:
		if rent := p.rent(); rent != nil && p.savings > 2*p.base && p.zInc > -0.3 {
			if p.apply(opencredit.ProductMortgage, 12*p.base*(3+2*r.Float64()), 300, false) != nil {
				p.dropBill(rent) // moved into the bought home
				p.savings *= 0.3 // the deposit
			}
		}
	}
	if p.bnpl > 0 && r.Float64() < p.bnpl {
		src := p.pick(roleBNPL)
		d := r.IntN(25)
		if p.live {
			p.emit(p.at(d), src, opencredit.TypeInquiry, &opencredit.Inquiry{Kind: "soft", Purpose: opencredit.PurposeCreditApplication})
		}
		if p.behind() == 0 || r.Float64() < 0.3 {
			p.openLoan(opencredit.ProductBNPL, src, 40+400*r.Float64()*r.Float64()+60*(1-p.disc), 4, d+1)
		}
	}
	if len(p.accounts) > 0 && r.Float64() < 0.01 && p.live {
		a := p.accounts[r.IntN(len(p.accounts))]
		if a.product != opencredit.ProductBNPL {
			p.emit(p.at(r.IntN(27)), a.src, opencredit.TypeInquiry, &opencredit.Inquiry{Kind: "soft", Purpose: opencredit.PurposeAccountReview})
		}
	}
	for _, a := range p.accounts {
		if a.revolving() && !a.closed && len(a.unpaid) == 0 && a.limit < 30000 && r.Float64() < 0.004*(0.5+p.disc) {
			a.limit = math.Min(30000, roundTo(a.limit*1.25, 100))
		}
	}
}

// apply makes a credit application to a bank (a hard inquiry, and for
// loans often an income verification first) and, if the lender approves,
// opens the account a few days later; it returns the account or nil. A
// stress loan pays its principal out to the person. Lenders decline more
// often when the applicant is behind on a payment, recently charged off,
// bankrupt, out of work (as a verified income shows), near their limits or
// has applied a lot lately, or when the new instalment would take the
// person's instalments over half of their income.
func (p *person) apply(product string, principal float64, term int, stress bool) *account {
	r := p.r
	if len(p.accounts) >= maxCreditAccs {
		return nil
	}
	bank := p.pick(roleBank)
	d := r.IntN(20)
	instalment := product == opencredit.ProductLoan || product == opencredit.ProductMortgage
	verified := instalment && r.Float64() < 0.7
	if verified {
		p.verifyIncome(d)
	}
	if p.live {
		p.emit(p.at(d)+1800, bank, opencredit.TypeInquiry, &opencredit.Inquiry{Kind: "hard", Purpose: opencredit.PurposeCreditApplication})
	}
	p.inquiries = append(p.inquiries, p.m)
	odds := 0.85
	switch product {
	case opencredit.ProductLoan:
		odds = 0.75
	case opencredit.ProductMortgage:
		odds = 0.6
	}
	if p.behind() > 0 || p.m-p.lastCO < 24 {
		odds *= 0.15
	}
	if p.bankrupt {
		odds *= 0.05
	}
	if verified && p.jobless > 0 {
		odds *= 0.2
	}
	if p.utilisation() > 0.8 {
		odds *= 0.5
	}
	if p.recentInquiries(6) > 3 {
		odds *= 0.6
	}
	if r.Float64() >= odds {
		return nil
	}
	open := min(27, d+1+r.IntN(3))
	var a *account
	if instalment {
		if p.instalments()+annuity(principal, aprOf(product), term) > 0.5*p.base {
			return nil // unaffordable
		}
		a = p.openLoan(product, bank, principal, term, open)
		if stress {
			p.cash += a.principal
		}
	} else {
		a = p.openRevolving(product, bank, open)
	}
	if p.live && p.idLevel < 2 && r.Float64() < 0.5 {
		p.verifyIdentity(2+r.IntN(2), open)
	}
	return a
}

// behind counts the accounts with an unpaid payment.
func (p *person) behind() int {
	n := 0
	for _, a := range p.accounts {
		if len(a.unpaid) > 0 {
			n++
		}
	}
	return n
}

// utilisation is the share of the revolving limits in use, purchases since
// the last statement included.
func (p *person) utilisation() float64 {
	var used, limit float64
	for _, a := range p.accounts {
		if a.revolving() && !a.closed {
			used += a.balance + a.pending
			limit += a.limit
		}
	}
	if limit == 0 {
		return 0
	}
	return used / limit
}

// instalments is the sum of the scheduled instalments of open accounts.
func (p *person) instalments() float64 {
	s := 0.0
	for _, a := range p.accounts {
		if a.left > 0 {
			s += a.instal
		}
	}
	return s
}

// recentInquiries counts the hard inquiries of the last n months.
func (p *person) recentInquiries(n int) int {
	k := 0
	for _, m := range p.inquiries {
		if m > p.m-n {
			k++
		}
	}
	return k
}

var incomeMethods = [...]string{"payslip", "bank_statement", "tax_return", "employer"}

// verifyIncome verifies this month's income on day d.
func (p *person) verifyIncome(d int) {
	method := incomeMethods[p.r.IntN(len(incomeMethods))]
	if p.live {
		p.emit(p.at(d), firstOf[roleVerifier], opencredit.TypeIncomeVerified, &opencredit.IncomeVerified{
			MonthlyIncome: roundTo(p.income, 10), Currency: p.s.cur, Method: method})
	}
}

var identityMethods = [...]string{"", "data_match", "passport", "passport+selfie"}

// verifyIdentity verifies the person's identity at level on day d, if
// that raises it.
func (p *person) verifyIdentity(level, d int) {
	if level <= p.idLevel || !p.live {
		return
	}
	p.idLevel = level
	p.emit(p.at(d), firstOf[roleVerifier], opencredit.TypeIdentityVerified,
		&opencredit.IdentityVerified{Level: level, Method: identityMethods[level]})
}

// verifications verifies identities (most people when the period starts,
// some later) and incomes now and then.
func (p *person) verifications() {
	r := p.r
	if !p.live {
		return
	}
	if p.m == 0 && r.Float64() < 0.55 {
		level := 1
		if u := r.Float64(); u > 0.8 {
			level = 3
		} else if u > 0.45 {
			level = 2
		}
		p.verifyIdentity(level, r.IntN(27))
	} else if p.idLevel < 3 && r.Float64() < 0.004 {
		p.verifyIdentity(p.idLevel+1, r.IntN(27))
	}
	if r.Float64() < 0.015 {
		p.verifyIncome(r.IntN(27))
	}
}
