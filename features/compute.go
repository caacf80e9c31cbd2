package features

import (
	"slices"
	"time"

	"github.com/opencredit/opencredit"
)

// Config sets how long negative items count.
type Config struct {
	// NegativeYears is how long charge-offs, collections, judgments and
	// delays of 30 days or more count: 7 years under FCRA §605(a)(2), (4)
	// and (5).
	NegativeYears int
	// BankruptcyYears is how long a bankruptcy counts: 10 years under FCRA
	// §605(a)(1).
	BankruptcyYears int
}

// DefaultConfig returns the FCRA §605 periods: 7 years, 10 for bankruptcies.
func DefaultConfig() Config { return Config{NegativeYears: 7, BankruptcyYears: 10} }

// withDefaults replaces zero or negative periods with the defaults.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.NegativeYears <= 0 {
		c.NegativeYears = d.NegativeYears
	}
	if c.BankruptcyYears <= 0 {
		c.BankruptcyYears = d.BankruptcyYears
	}
	return c
}

// Compute returns the subject's features as of asOf. Only events with time
// ≤ asOf count, whatever later events the state holds. Windows count
// calendar months in UTC; a negative item counts while its time is no more
// than cfg's years before asOf. Zero fields of cfg take DefaultConfig's.
func (s *State) Compute(subject string, asOf time.Time, cfg Config) opencredit.FeatureVector {
	cfg = cfg.withDefaults()
	given := asOf
	asOf = asOf.UTC() // calendar arithmetic in UTC, like the months
	now := clampNanos(asOf)
	month := monthIndex(asOf)
	start6, start12, start24 := monthStart(month-5), monthStart(month-11), monthStart(month-23)
	negCut := clampNanos(asOf.AddDate(-cfg.NegativeYears, 0, 0))
	bankCut := clampNanos(asOf.AddDate(-cfg.BankruptcyYears, 0, 0))
	v := make(map[string]float64, len(Registry))

	// Items in [from, now], from the earliest instant any feature reads.
	from := min(start24, negCut, bankCut)
	lo, _ := slices.BinarySearchFunc(s.items, from, func(it item, t int64) int { return cmpInt(it.t, t) })
	var (
		paid24, due24, missed12, defaults     int
		bills, billsOnTime, rent, rentOnTime  int
		rentals, rentalsOnTime, hard6, hard12 int
		worst                                 = -1 // no statement or payment yet
		latest30                              = int64(never)
		runs                                  [len(products)]shoppingRun
	)
	for i := range runs {
		runs[i].start = never
	}
	for _, it := range s.items[lo:] {
		if it.t > now {
			break
		}
		in24, in12, in6 := it.t >= start24, it.t >= start12, it.t >= start6
		switch it.kind {
		case kPayMade, kPayMissed:
			if it.val >= 30 && it.t >= negCut {
				latest30 = it.t // items ascend, so the last one wins
			}
			if !in24 {
				break
			}
			due24++
			worst = max(worst, int(it.val))
			if it.kind == kPayMade && it.val == 0 {
				paid24++
			}
			if it.kind == kPayMissed && in12 {
				missed12++
			}
		case kBillPaid, kBillMissed, kRentPaid, kRentMissed:
			if !in12 {
				break
			}
			onTime := (it.kind == kBillPaid || it.kind == kRentPaid) && it.val == 0
			bills++
			if onTime {
				billsOnTime++
			}
			if it.kind == kRentPaid || it.kind == kRentMissed {
				rent++
				if onTime {
					rentOnTime++
				}
			}
		case kRentalReturned, kRentalOverdue:
			if in12 {
				rentals++
				if it.kind == kRentalReturned && it.val == 0 {
					rentalsOnTime++
				}
			}
		case kHardInquiry:
			// Rate shopping: a hard inquiry for a loan or a mortgage within
			// ShoppingWindow of the first of its run is the same search; the
			// run counts once in each window that any of its inquiries
			// falls in.
			var run *shoppingRun
			if it.val < uint32(len(runs)) && shopped(uint8(it.val)) {
				run = &runs[it.val]
				if run.start == never || it.t-run.start > int64(ShoppingWindow) {
					*run = shoppingRun{start: it.t}
				}
			}
			if in12 && (run == nil || !run.in12) {
				hard12++
			}
			if in6 && (run == nil || !run.in6) {
				hard6++
			}
			if run != nil {
				run.in12, run.in6 = run.in12 || in12, run.in6 || in6
			}
		case kChargeOff, kCollection, kJudgment:
			if it.t >= negCut {
				defaults++
			}
		case kBankruptcy:
			if it.t >= bankCut {
				defaults++
			}
		}
	}

	var (
		open, opened12              int
		oldest                      = int64(never)
		total, revBalance, revLimit float64
	)
	for i := range s.accounts {
		a := &s.accounts[i]
		// Statements up to now: their delays, then the latest one's balance.
		n, _ := slices.BinarySearchFunc(a.stmts, now+1, func(st stmt, t int64) int { return cmpInt(st.t, t) })
		for j := n - 1; j >= 0; j-- {
			st := &a.stmts[j]
			if st.t < start24 && (st.t < negCut || latest30 != never && st.t <= latest30) {
				break // nothing older can change worst or latest30
			}
			if st.t >= start24 {
				worst = max(worst, int(st.dpd))
			}
			if st.dpd >= 30 && st.t >= negCut && (latest30 == never || st.t > latest30) {
				latest30 = st.t
			}
		}
		if !a.opened || a.openT > now {
			continue
		}
		oldest = min(oldest, a.openT)
		if a.openT >= start12 {
			opened12++
		}
		if a.closed && a.closeT <= now {
			continue
		}
		open++
		balance := 0.0
		if n > 0 {
			balance = a.stmts[n-1].balance
		}
		total += balance
		if revolving(a.product) {
			limit, ok := a.openLimit, a.hasLimit
			for j := n - 1; j >= 0; j-- {
				if a.stmts[j].hasLimit {
					limit, ok = a.stmts[j].limit, true
					break
				}
			}
			if ok {
				revBalance += balance
				revLimit += limit
			}
		}
	}

	// payment_history
	if due24 > 0 {
		v[OnTimePaymentRatio24m] = float64(paid24) / float64(due24)
	}
	if worst >= 0 {
		v[WorstDaysPastDue24m] = float64(worst)
	}
	if latest30 != never {
		v[MonthsSince30DPD] = float64(month - monthIndex(time.Unix(0, latest30)))
	}
	v[MissedPayments12m] = float64(missed12)
	v[Defaults7y] = float64(defaults)

	// capacity
	if revLimit > 0 {
		v[RevolvingUtilisation] = revBalance / revLimit
	}
	v[TotalBalance] = total
	if k := s.latestIncome(now); k > 0 {
		v[DebtToIncome] = total / (12 * k)
	}
	v[OpenAccounts] = float64(open)

	// history_stability
	if oldest != never {
		v[OldestAccountMonths] = float64(month - monthIndex(time.Unix(0, oldest)))
	}
	if s.first <= now {
		v[MonthsOnFile] = float64(month - monthIndex(time.Unix(0, s.first)))
	}
	level := 0
	for l, t := range s.identity {
		if t <= now {
			level = l + 1
		}
	}
	v[IdentityLevel] = float64(level)

	// new_credit
	v[HardInquiries6m] = float64(hard6)
	v[HardInquiries12m] = float64(hard12)
	v[AccountsOpened12m] = float64(opened12)

	// everyday_obligations
	if bills > 0 {
		v[BillsOnTimeRatio12m] = float64(billsOnTime) / float64(bills)
	}
	if rent > 0 {
		v[RentOnTimeRatio12m] = float64(rentOnTime) / float64(rent)
	}
	if rentals > 0 {
		v[RentalsOnTimeRatio12m] = float64(rentalsOnTime) / float64(rentals)
	}
	v[Bills12m] = float64(bills)

	return opencredit.FeatureVector{Subject: subject, AsOf: given, Values: v}
}

// latestIncome returns the monthly income of the latest verification by
// (time, id) up to now, or 0 without one.
func (s *State) latestIncome(now int64) float64 {
	n, _ := slices.BinarySearchFunc(s.incomes, now+1, func(in income, t int64) int { return cmpInt(in.t, t) })
	if n == 0 {
		return 0
	}
	return s.incomes[n-1].monthly
}

// ShoppingWindow is how close hard inquiries for one kind of loan must be to
// the first of them to count as one: people compare offers for a mortgage
// or a car loan, and each lender they ask leaves an inquiry. 14 days is the
// narrowest window the industry's scores use (VantageScore and older FICO
// versions; newer FICO versions use 45), so the rule forgives no more
// than any bureau score would.
const ShoppingWindow = 14 * 24 * time.Hour

// shopped reports whether hard inquiries for the product are rate shopping:
// loans and mortgages are shopped for; every application for a card, a
// credit line or a BNPL plan opens credit of its own and counts.
func shopped(product uint8) bool { return product == pLoan || product == pMortgage }

// shoppingRun is the current run of hard inquiries for one product.
type shoppingRun struct {
	start     int64 // the first inquiry of the run; never before any
	in12, in6 bool  // the run has counted in the 12- and 6-month windows
}
