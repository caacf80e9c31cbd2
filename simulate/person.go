package simulate

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/opencredit/opencredit"
)

// person is one life while it is simulated: latent traits, the state
// carried from month to month, and the events made so far.
type person struct {
	s  *Simulator
	r  *rand.Rand
	id string

	// Latent traits, drawn once (a life event cuts base for good).
	zInc      float64 // standardised log income
	base      float64 // usual monthly net income
	vol       float64 // σ of log monthly income around base
	disc      float64 // financial discipline, uniform on (0, 1)
	exposure  float64 // multiplier of the shock hazards
	saveRate  float64 // share of income saved in an ordinary month
	target    float64 // the liquid buffer the person aims to hold
	cardShare float64 // share of consumption paid by card
	carry     float64 // share of a card's limit the person is happy to owe
	bnpl      float64 // monthly chance of a buy-now-pay-later purchase
	rentals   float64 // monthly chance of renting an item
	group     string  // audit-only label

	// State.
	thin        bool    // no credit account yet
	living      float64 // consumption in an ordinary month, adapting to the obligations
	savings     float64
	jobless     int     // months of unemployment left, 0 when employed
	replace     float64 // share of income kept while jobless
	idLevel     int
	bankrupt    bool
	lastCO      int // month of the latest charge-off, or a month long before
	accounts    []*account
	bills       []*bill
	collections []collection // charge-offs on their way to a collection agency
	debts       []debt       // collections, which a court may turn into judgments
	inquiries   []int        // months of the hard inquiries
	homeless    int          // months until a new rent after an eviction, -1 for none
	counter     int          // numbers the person's accounts, rentals, collections and cases
	collector   int          // the collection agency and court this person's debts go to
	court       int

	// The month being simulated.
	m        int   // month index: negative in the burn-in
	from, to int64 // its bounds, in Unix seconds
	live     bool  // m ≥ 0: events are kept
	income   float64
	cash     float64 // money at hand this month
	short    bool    // the person could not meet every need this month
	pend     []pending
	seq      int32
}

// collection is a charged-off debt a lender passes to a collection
// agency in a coming month.
type collection struct {
	month    int
	amount   float64
	creditor int
}

// debt is a collection a court may later turn into a judgment.
type debt struct {
	amount float64
	month  int
}

// phi is the standard normal distribution function.
func phi(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func roundTo(x, unit float64) float64 { return math.Round(x/unit) * unit }

func ptr(x float64) *float64 { return &x }

// newPerson draws the traits and the starting products of person i. Every
// draw comes from the person's own stream, in a fixed order.
func newPerson(s *Simulator, i int) *person {
	p := &person{s: s, r: personRand(s.cfg.Seed, i), id: SubjectID(i), homeless: -1, lastCO: -1 << 20}
	r := p.r
	p.zInc = r.NormFloat64()
	zDisc, zExp := r.NormFloat64(), r.NormFloat64()
	p.base = math.Max(400, roundTo(medianIncome*math.Exp(incomeSigma*p.zInc), 10))
	p.disc = phi(zDisc)
	p.exposure = math.Exp(exposureSigma*(exposureIncome*p.zInc+math.Sqrt(1-exposureIncome*exposureIncome)*zExp) -
		exposureSigma*exposureSigma/2)
	p.vol = regularVol
	if r.Float64() < irregularShare {
		p.vol = irregularVol
	}
	p.saveRate = saveBase + saveDisc*p.disc + saveSD*r.NormFloat64()
	p.target = p.base * bufferMedian * math.Exp(bufferDisc*(p.disc-0.5)+bufferIncome*p.zInc+bufferSigma*r.NormFloat64())
	p.savings = p.target * math.Exp(0.5*r.NormFloat64())
	p.thin = r.Float64() < logistic(thinIntercept+thinIncome*p.zInc)
	// The group is always drawn, so that AuditGroup changes no event.
	if u := r.Float64(); s.cfg.AuditGroup {
		p.group = "A"
		if u < logistic(groupIntercept+groupIncome*p.zInc) {
			p.group = "B"
		}
	}
	p.collector = firstOf[roleCollector] + r.IntN(furnishers[roleCollector].n)
	p.court = firstOf[roleCourt] + r.IntN(furnishers[roleCourt].n)
	p.cardShare = 0.2 + 0.3*r.Float64()
	if p.disc < revolveBelow {
		p.carry = carryMax * (1 - p.disc/revolveBelow)
	}
	p.rentals = 0.03
	if r.Float64() < 0.3 || p.thin && r.Float64() < 0.4 {
		p.rentals = 0.10 + 0.10*r.Float64()
	}
	if !p.thin && r.Float64() < 0.12+0.12*(1-p.disc) {
		p.bnpl = 0.06 + 0.12*r.Float64()
	}
	p.m = -burnIn
	p.initialProducts()
	return p
}

// initialProducts opens the accounts and bills a person holds when the
// burn-in starts, and sets consumption so that an ordinary month leaves
// saveRate of income over.
func (p *person) initialProducts() {
	r := p.r
	mortgage := false
	if !p.thin {
		// Cards: most credit users hold one to three (Fed SHED 2023: 82 %
		// of adults have a credit card).
		n := 1
		switch u := r.Float64(); {
		case u < 0.05:
			n = 0
		case u < 0.45:
			n = 1
		case u < 0.80:
			n = 2
		default:
			n = 3
		}
		for range n {
			p.openRevolving(opencredit.ProductCard, p.pick(roleBank), 0)
		}
		if r.Float64() < 0.2 {
			p.openRevolving(opencredit.ProductLine, p.pick(roleBank), 0)
		}
		if r.Float64() < 0.3 {
			a := p.openLoan(opencredit.ProductLoan, p.pick(roleBank), p.base*(2+8*r.Float64()), 12*(1+r.IntN(6)), 0)
			a.age(r.IntN(a.term))
		}
		if r.Float64() < 0.12+0.3*phi(p.zInc) {
			a := p.openLoan(opencredit.ProductMortgage, p.pick(roleBank), 12*p.base*(2.5+2*r.Float64()), 300, 0)
			a.age(r.IntN(240))
			mortgage = true
		}
		if len(p.accounts) == 0 {
			p.openRevolving(opencredit.ProductCard, p.pick(roleBank), 0)
		}
		// Revolvers start with a balance around the one they carry.
		for _, a := range p.accounts {
			if a.revolving() {
				a.balance = round2(a.limit * math.Min(0.95, p.carry*2*r.Float64()))
			}
		}
	}
	if !mortgage && r.Float64() < 0.65 {
		ratio := math.Min(0.6, math.Max(0.1, 0.28*math.Exp(0.3*r.NormFloat64())))
		p.newBill(opencredit.BillRent, roundTo(ratio*p.base, 10))
	}
	if r.Float64() < 0.85 {
		p.newBill(opencredit.BillUtility, round2(40+0.03*p.base*(0.6+0.8*r.Float64())))
	}
	if r.Float64() < 0.92 {
		p.newBill(opencredit.BillTelecom, round2(15+0.015*p.base*(0.5+r.Float64())))
	}
	p.living = p.sustainable()
}

// sustainable is the consumption that leaves saveRate of income over after
// the person's fixed obligations: bills, instalments, and the interest and
// some principal of the revolving balances. It is at least minLiving of
// income.
func (p *person) sustainable() float64 {
	fixed := 0.0
	for _, b := range p.bills {
		fixed += b.amount
	}
	for _, a := range p.accounts {
		switch {
		case a.left > 0:
			fixed += a.instal
		case a.revolving():
			fixed += a.balance * (a.rate + 0.01)
		}
	}
	return math.Max(minLiving*p.base, p.base*(1-p.saveRate)-fixed)
}

// newID returns a new id of the person's, such as "sim-0000001-a3".
func (p *person) newID(prefix string) string {
	p.counter++
	return p.id + "-" + prefix + strconv.Itoa(p.counter)
}

// pick returns one of the furnishers playing role.
func (p *person) pick(role int) int {
	return firstOf[role] + p.r.IntN(furnishers[role].n)
}

// personRand returns person i's random stream: a PCG whose two seeds mix
// the simulation's seed with i (the finaliser of MurmurHash3), so that
// neighbouring people and seeds get unrelated streams.
func personRand(seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(fmix64(seed^0x243f6a8885a308d3+uint64(i)), fmix64(^seed+uint64(i)<<1)))
}

func fmix64(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	return k ^ k>>33
}
