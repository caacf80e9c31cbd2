package features

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

var (
	seedFlag  = flag.Uint64("features.seed", 0, "run the property test with this seed only")
	streamsFl = flag.Int("features.streams", 300, "number of random event streams in the property test")
)

// rng is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom
// number generators", OOPSLA 2014): small, seeded, the same on every platform.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func (r *rng) intn(n int) int        { return int(r.next() % uint64(n)) }
func (r *rng) chance(p float64) bool { return float64(r.next()>>11)/(1<<53) < p }
func pick[T any](r *rng, xs ...T) T  { return xs[r.intn(len(xs))] }

// genNow is the random streams' "now": most events fall in the 30 months
// before it, some up to 12 years before (for ageing), some after (late
// asOf checks and events after an asOf).
var genNow = time.Date(2026, 3, 15, 10, 30, 0, 0, time.UTC)

// genStream returns a random event stream covering every type, several
// accounts and furnishers, ties in time, sub-second times, month edges and
// events far in the past.
func genStream(r *rng) []opencredit.Event {
	n := r.intn(90)
	var evs []opencredit.Event
	used := map[string]bool{}
	sources := []string{"bank", "card-co", "telco"}
	accounts := []string{"a1", "a2", "a3"}
	for len(evs) < n {
		typ := pick(r, opencredit.EventTypes...)
		var when time.Time
		switch k := r.intn(20); {
		case k < 11: // the last 30 months
			when = genNow.Add(-time.Duration(r.intn(30*31*24*3600)) * time.Second)
		case k < 14: // up to 12 years back
			when = genNow.Add(-time.Duration(r.intn(12*366*24*3600)) * time.Second)
		case k < 16: // a month's first or last instant
			m := time.Date(2026, time.Month(3-r.intn(30)), 1, 0, 0, 0, 0, time.UTC)
			if r.chance(0.5) {
				m = m.Add(-time.Nanosecond)
			}
			when = m
		case k < 18 && len(evs) > 0: // the same instant as an earlier event
			when = evs[r.intn(len(evs))].Time
		default: // up to 3 months after now
			when = genNow.Add(time.Duration(r.intn(92*24*3600)) * time.Second)
		}
		if r.chance(0.1) {
			when = when.Add(time.Duration(r.intn(1e9)))
		}
		src := pick(r, sources...)
		id := fmt.Sprintf("e%d", r.intn(40))
		if used[src+"/"+id] {
			continue // (source, id) is unique: the store drops duplicates
		}
		used[src+"/"+id] = true
		acct := pick(r, accounts...)
		dd := pick(r, 0, 0, 0, 0, 3, 15, 29, 30, 45, 60, 89, 90, 120, -2)
		var p any
		switch typ {
		case opencredit.TypeAccountOpened:
			o := opencredit.AccountOpened{AccountID: acct, Product: pick(r, "card", "line", "loan", "bnpl", "mortgage"), Currency: "EUR"}
			if r.chance(0.8) {
				o.CreditLimit = num(genAmount(r))
			}
			p = o
		case opencredit.TypeAccountStatement:
			st := opencredit.AccountStatement{AccountID: acct, Balance: genAmount(r), DaysPastDue: max(dd, 0), Currency: "EUR"}
			if r.chance(0.6) {
				st.CreditLimit = num(genAmount(r))
			}
			p = st
		case opencredit.TypeAccountClosed:
			p = opencredit.AccountClosed{AccountID: acct, Reason: "paid_off"}
		case opencredit.TypeAccountChargedOff:
			p = opencredit.AccountChargedOff{AccountID: acct, Amount: genAmount(r)}
		case opencredit.TypePaymentMade:
			p = opencredit.PaymentMade{AccountID: acct, Amount: 10, DaysLate: dd}
		case opencredit.TypePaymentMissed:
			p = opencredit.PaymentMissed{AccountID: acct, AmountDue: 10, DaysPastDue: dd}
		case opencredit.TypeBillPaid:
			p = opencredit.BillPaid{BillType: pick(r, "utility", "telecom", "rent"), AccountID: "b", DaysLate: dd}
		case opencredit.TypeBillMissed:
			p = opencredit.BillMissed{BillType: pick(r, "utility", "telecom", "rent"), AccountID: "b", DaysPastDue: dd}
		case opencredit.TypeRentalReturned:
			p = opencredit.RentalReturned{RentalID: "r", Item: "bike", DaysLate: dd}
		case opencredit.TypeRentalOverdue:
			p = opencredit.RentalOverdue{RentalID: "r", Item: "bike", DaysOverdue: max(dd, 1)}
		case opencredit.TypeInquiry:
			p = opencredit.Inquiry{Kind: pick(r, "hard", "soft"), Purpose: "credit_application"}
		case opencredit.TypeIncomeVerified:
			p = opencredit.IncomeVerified{MonthlyIncome: pick(r, 0, 1500, 2500.5, genAmount(r)), Method: "payslip"}
		case opencredit.TypeIdentityVerified:
			p = opencredit.IdentityVerified{Level: 1 + r.intn(3)}
		case opencredit.TypeCollectionOpened:
			p = opencredit.CollectionOpened{CollectionID: id, Amount: 5}
		case opencredit.TypeJudgmentFiled:
			p = opencredit.JudgmentFiled{CaseID: id, Kind: pick(r, "judgment", "bankruptcy")}
		}
		data, err := json.Marshal(p)
		if err != nil {
			panic(err)
		}
		evs = append(evs, opencredit.Event{SpecVersion: "1.0", ID: id, Source: src, Type: typ, Subject: "s", Time: when, Data: data})
	}
	return evs
}

// genAmount returns cents mostly, sometimes an amount that is not a whole
// number of cents, a negative balance or zero.
func genAmount(r *rng) float64 {
	switch r.intn(10) {
	case 0:
		return float64(r.intn(100000)) / 3
	case 1:
		return -float64(r.intn(10000)) / 100
	case 2:
		return 0
	}
	return float64(r.intn(1000000)) / 100
}

// asOfs returns the dates to compute features at: now, mid-month dates,
// month edges, each event's exact time and the nanosecond before it, a date
// before everything and one far after.
func asOfs(r *rng, evs []opencredit.Event) []time.Time {
	ts := []time.Time{genNow, genNow.AddDate(0, 4, 0), time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)}
	for k := 0; k < 4; k++ {
		ts = append(ts, genNow.AddDate(0, -r.intn(40), -r.intn(28)))
		ts = append(ts, time.Date(2026, time.Month(4-r.intn(40)), 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(r.intn(2))))
	}
	for k := 0; k < 4 && len(evs) > 0; k++ {
		e := evs[r.intn(len(evs))]
		ts = append(ts, e.Time, e.Time.Add(-time.Nanosecond))
	}
	return ts
}

// TestProperty applies random event streams in random orders and in
// batches through MarshalBinary and UnmarshalBinary, as ingestion does, and
// checks that every way gives a state Equal to Recompute's, the same bytes
// and the same features — and that the features match a direct
// computation from the events' definitions (reference, below).
func TestProperty(t *testing.T) {
	seeds := make([]uint64, 0, *streamsFl)
	if *seedFlag != 0 {
		seeds = append(seeds, *seedFlag)
	} else {
		for i := 1; i <= *streamsFl; i++ {
			seeds = append(seeds, uint64(i))
		}
	}
	for _, seed := range seeds {
		if !checkStream(t, seed) {
			t.Fatalf("seed %d failed; rerun with -features.seed=%d", seed, seed)
		}
	}
}

func checkStream(t *testing.T, seed uint64) bool {
	t.Helper()
	r := &rng{s: seed}
	evs := genStream(r)
	ref, err := Recompute(evs)
	if err != nil {
		t.Errorf("seed %d: Recompute: %v", seed, err)
		return false
	}
	refBytes, err := ref.MarshalBinary()
	if err != nil {
		t.Errorf("seed %d: MarshalBinary: %v", seed, err)
		return false
	}
	cfgs := []Config{DefaultConfig(), {NegativeYears: 2, BankruptcyYears: 3}}
	dates := asOfs(r, evs)

	check := func(how string, s *State) bool {
		if !s.Equal(ref) {
			t.Errorf("seed %d: %s: state differs from Recompute's", seed, how)
			return false
		}
		b, err := s.MarshalBinary()
		if err != nil || string(b) != string(refBytes) {
			t.Errorf("seed %d: %s: MarshalBinary differs (err %v)", seed, how, err)
			return false
		}
		for _, d := range dates {
			for _, cfg := range cfgs {
				got, exp := s.Compute("s", d, cfg).Values, ref.Compute("s", d, cfg).Values
				if !maps.Equal(got, exp) {
					t.Errorf("seed %d: %s: features as of %s: %v, want %v", seed, how, d, got, exp)
					return false
				}
			}
		}
		return true
	}

	// The reference state against the definitions.
	for _, d := range dates {
		for _, cfg := range cfgs {
			got, exp := ref.Compute("s", d, cfg).Values, reference(evs, d, cfg)
			if !sameFeatures(got, exp) {
				t.Errorf("seed %d: features as of %s with %+v:\n got %v\nwant %v", seed, d, cfg, got, exp)
				return false
			}
		}
	}

	// The events one by one in reverse and in three random orders, with the
	// payload decoded by the caller half of the time.
	for k := 0; k < 4; k++ {
		order := slices.Clone(evs)
		if k == 0 {
			slices.Reverse(order)
		} else {
			shuffle(r, order)
		}
		s := NewState()
		for _, e := range order {
			var p any
			if r.chance(0.5) {
				p = decodePayload(e)
			}
			if err := s.Apply(e, p); err != nil {
				t.Errorf("seed %d: Apply: %v", seed, err)
				return false
			}
		}
		if !check(fmt.Sprintf("order %d", k), s) {
			return false
		}
	}

	// In random batches, unmarshalling the state before each batch and
	// marshalling it after, as ingestion does.
	order := slices.Clone(evs)
	shuffle(r, order)
	b, _ := NewState().MarshalBinary()
	for len(order) > 0 {
		k := 1 + r.intn(min(len(order), 12))
		s := new(State)
		if err := s.UnmarshalBinary(b); err != nil {
			t.Errorf("seed %d: UnmarshalBinary: %v", seed, err)
			return false
		}
		for _, e := range order[:k] {
			if err := s.Apply(e, decodePayload(e)); err != nil {
				t.Errorf("seed %d: Apply: %v", seed, err)
				return false
			}
		}
		order = order[k:]
		b, _ = s.MarshalBinary()
	}
	s := new(State)
	if err := s.UnmarshalBinary(b); err != nil {
		t.Errorf("seed %d: UnmarshalBinary: %v", seed, err)
		return false
	}
	return check("batches", s)
}

func shuffle[T any](r *rng, xs []T) {
	for i := len(xs) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		xs[i], xs[j] = xs[j], xs[i]
	}
}

// sameFeatures compares feature sets; sums of amounts may differ in the last
// bits with the order of addition, so values match to 1e-9 relative.
func sameFeatures(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || math.Abs(x-y) > 1e-9*max(1, math.Abs(y)) {
			return false
		}
	}
	return true
}

// reference computes the features from the events directly, by the
// definitions in Registry, with none of State's machinery: it is the oracle
// the property test holds Compute to.
func reference(evs []opencredit.Event, asOf time.Time, cfg Config) map[string]float64 {
	month := func(t time.Time) int { y, m, _ := t.UTC().Date(); return y*12 + int(m) - 1 }
	m0 := month(asOf)
	within := func(t time.Time, n int) bool { return m0-month(t) < n }
	aged := func(t time.Time, years int) bool { return t.Before(asOf.AddDate(-years, 0, 0)) }

	type acct struct {
		opened          bool
		openT           time.Time
		openID, product string
		openLimit       *float64
		closed          bool
		closeT          time.Time
		stmtT           time.Time
		stmtID          string
		hasStmt         bool
		balance         float64
		limT            time.Time
		limID           string
		limit           *float64
	}
	accts := map[[2]string]*acct{}
	get := func(e opencredit.Event, id string) *acct {
		k := [2]string{e.Source, id}
		if accts[k] == nil {
			accts[k] = &acct{}
		}
		return accts[k]
	}
	later := func(t1 time.Time, id1 string, t2 time.Time, id2 string) bool {
		return t1.After(t2) || t1.Equal(t2) && id1 > id2
	}

	var (
		paid24, due24, missed12, defaults                        int
		bills, billsOnTime, rent, rentOnTime, rentals, rentalsOK int
		hard6, hard12, level                                     int
		worst                                                    = -1
		latest30, first                                          time.Time
		incT                                                     time.Time
		incID                                                    string
		inc                                                      float64
		hasInc                                                   bool
	)
	delay := func(t time.Time, d int) {
		if within(t, 24) {
			worst = max(worst, d)
		}
		if d >= 30 && !aged(t, cfg.NegativeYears) && t.After(latest30) {
			latest30 = t
		}
	}
	for _, e := range evs {
		if e.Time.After(asOf) {
			continue
		}
		if first.IsZero() || e.Time.Before(first) {
			first = e.Time
		}
		switch p := decodePayload(e).(type) {
		case *opencredit.AccountOpened:
			a := get(e, p.AccountID)
			if !a.opened || later(a.openT, a.openID, e.Time, e.ID) {
				a.opened, a.openT, a.openID, a.product, a.openLimit = true, e.Time, e.ID, p.Product, p.CreditLimit
			}
		case *opencredit.AccountStatement:
			a := get(e, p.AccountID)
			if !a.hasStmt || later(e.Time, e.ID, a.stmtT, a.stmtID) {
				a.hasStmt, a.stmtT, a.stmtID, a.balance = true, e.Time, e.ID, p.Balance
			}
			if p.CreditLimit != nil && (a.limit == nil || later(e.Time, e.ID, a.limT, a.limID)) {
				a.limT, a.limID, a.limit = e.Time, e.ID, p.CreditLimit
			}
			delay(e.Time, p.DaysPastDue)
		case *opencredit.AccountClosed:
			a := get(e, p.AccountID)
			if !a.closed || e.Time.Before(a.closeT) {
				a.closed, a.closeT = true, e.Time
			}
		case *opencredit.PaymentMade:
			d := max(p.DaysLate, 0)
			delay(e.Time, d)
			if within(e.Time, 24) {
				due24++
				if d == 0 {
					paid24++
				}
			}
		case *opencredit.PaymentMissed:
			delay(e.Time, max(p.DaysPastDue, 0))
			if within(e.Time, 24) {
				due24++
			}
			if within(e.Time, 12) {
				missed12++
			}
		case *opencredit.BillPaid:
			if within(e.Time, 12) {
				bills++
				onTime := max(p.DaysLate, 0) == 0
				if onTime {
					billsOnTime++
				}
				if p.BillType == "rent" {
					rent++
					if onTime {
						rentOnTime++
					}
				}
			}
		case *opencredit.BillMissed:
			if within(e.Time, 12) {
				bills++
				if p.BillType == "rent" {
					rent++
				}
			}
		case *opencredit.RentalReturned:
			if within(e.Time, 12) {
				rentals++
				if p.DaysLate <= 0 {
					rentalsOK++
				}
			}
		case *opencredit.RentalOverdue:
			if within(e.Time, 12) {
				rentals++
			}
		case *opencredit.Inquiry:
			if p.Kind == "hard" && within(e.Time, 12) {
				hard12++
			}
			if p.Kind == "hard" && within(e.Time, 6) {
				hard6++
			}
		case *opencredit.IncomeVerified:
			if !hasInc || later(e.Time, e.ID, incT, incID) || e.Time.Equal(incT) && e.ID == incID && p.MonthlyIncome > inc {
				hasInc, incT, incID, inc = true, e.Time, e.ID, p.MonthlyIncome
			}
		case *opencredit.IdentityVerified:
			level = max(level, p.Level)
		case *opencredit.AccountChargedOff, *opencredit.CollectionOpened:
			if !aged(e.Time, cfg.NegativeYears) {
				defaults++
			}
		case *opencredit.JudgmentFiled:
			years := cfg.NegativeYears
			if p.Kind == "bankruptcy" {
				years = cfg.BankruptcyYears
			}
			if !aged(e.Time, years) {
				defaults++
			}
		}
	}

	v := map[string]float64{}
	if due24 > 0 {
		v[OnTimePaymentRatio24m] = float64(paid24) / float64(due24)
	}
	if worst >= 0 {
		v[WorstDaysPastDue24m] = float64(worst)
	}
	if !latest30.IsZero() {
		v[MonthsSince30DPD] = float64(m0 - month(latest30))
	}
	v[MissedPayments12m] = float64(missed12)
	v[Defaults7y] = float64(defaults)

	var open, opened12 int
	var total, revBal, revLim float64
	var oldest time.Time
	keys := slices.SortedFunc(maps.Keys(accts), func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	})
	for _, k := range keys {
		a := accts[k]
		if !a.opened {
			continue
		}
		if oldest.IsZero() || a.openT.Before(oldest) {
			oldest = a.openT
		}
		if within(a.openT, 12) {
			opened12++
		}
		if a.closed {
			continue
		}
		open++
		total += a.balance
		if a.product == "card" || a.product == "line" {
			lim := a.openLimit
			if a.limit != nil {
				lim = a.limit
			}
			if lim != nil {
				revBal += a.balance
				revLim += *lim
			}
		}
	}
	if revLim > 0 {
		v[RevolvingUtilisation] = revBal / revLim
	}
	v[TotalBalance] = total
	if hasInc && inc > 0 {
		v[DebtToIncome] = total / (12 * inc)
	}
	v[OpenAccounts] = float64(open)
	if !oldest.IsZero() {
		v[OldestAccountMonths] = float64(m0 - month(oldest))
	}
	if !first.IsZero() {
		v[MonthsOnFile] = float64(m0 - month(first))
	}
	v[IdentityLevel] = float64(level)
	v[HardInquiries6m] = float64(hard6)
	v[HardInquiries12m] = float64(hard12)
	v[AccountsOpened12m] = float64(opened12)
	if bills > 0 {
		v[BillsOnTimeRatio12m] = float64(billsOnTime) / float64(bills)
	}
	if rent > 0 {
		v[RentOnTimeRatio12m] = float64(rentOnTime) / float64(rent)
	}
	if rentals > 0 {
		v[RentalsOnTimeRatio12m] = float64(rentalsOK) / float64(rentals)
	}
	v[Bills12m] = float64(bills)
	return v
}
