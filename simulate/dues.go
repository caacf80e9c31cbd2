package simulate

import "math"

// due is a scheduled payment that has not been paid.
type due struct {
	month  int   // the month it fell due
	t      int64 // its due date, Unix seconds at midnight
	amount float64
}

// dues are an account's or a bill's unpaid payments, oldest first. A
// payment pays the oldest first (contractual delinquency): paying one a
// month while one behind keeps the account one behind.
type dues []due

func (d dues) total() float64 {
	s := 0.0
	for _, x := range d {
		s += x.amount
	}
	return s
}

// push adds this month's payment, if anything fell due, to the unpaid.
func (d dues) push(m int, t int64, amount float64) dues {
	if amount <= 0 {
		return d
	}
	return append(d, due{month: m, t: t, amount: amount})
}

// settle pays the k oldest unpaid payments, leaving the month's payment
// of amount unpaid when k < len(d) + 1, and returns what was paid and the
// unpaid payments left.
func (d dues) settle(k, m int, t int64, amount float64) (float64, dues) {
	if k > len(d) {
		return d.total() + amount, d[:0]
	}
	paid := dues(d[:k]).total()
	return paid, append(d[:0], d[k:]...).push(m, t, amount)
}

// decide chooses how many of the unpaid payments and this month's current
// one to pay: k of them, oldest first, len(unpaid) + 1 meaning everything
// due. Ability: the money at hand pays as many as it covers. Willingness:
// now and then a payment is simply forgotten, more often the lower the
// discipline; and with probability skipDisc·(1 − discipline)² a creditor
// is paid only from what is left over the money kept for spending.
func (p *person) decide(unpaid dues, current float64, credit bool) int {
	if p.r.Float64() < forgetBase+forgetDisc*math.Pow(1-p.disc, 3) {
		return 0
	}
	money := p.cash
	if credit && p.r.Float64() < skipDisc*(1-p.disc)*(1-p.disc) {
		money -= p.reserve()
	}
	k, need := 0, 0.0
	for _, x := range unpaid {
		if need+x.amount > money {
			return k
		}
		need += x.amount
		k++
	}
	if need+current > money {
		return k
	}
	return k + 1
}

// reserve is the money a person keeps back for discretionary spending
// rather than pay a creditor: half of (1 − discipline)² of the month's
// discretionary budget.
func (p *person) reserve() float64 {
	return 0.5 * (1 - p.disc) * (1 - p.disc) * (1 - essentialShare) * p.living
}

// payTime returns when a payment due on day dueDay is made: around the due
// date when arrears are paid (late by the days since the oldest due date),
// otherwise on time or, now and then, a few days late.
func (p *person) payTime(arrears bool, dueDay int) int64 {
	switch {
	case arrears:
		return p.at(max(0, dueDay-p.r.IntN(3)))
	case dueDay < 27 && p.r.Float64() < lateBase+lateDisc*(1-p.disc)*(1-p.disc):
		return p.at(dueDay + 1 + p.r.IntN(min(12, 27-dueDay)))
	}
	return p.at(max(0, dueDay-p.r.IntN(5)))
}

// lateDays is how many days after the due date (a midnight) t is.
func lateDays(t, dueDate int64) int { return int(max(0, t-dueDate) / day) }
