package features

import (
	"maps"
	"slices"
	"testing"

	"github.com/opencredit/opencredit"
)

// All hand cases are computed as of asOf, in March 2026. Its last 24 months
// start on 2024-04-01, its last 12 on 2025-04-01, its last 6 on 2025-10-01;
// 7 years before it is 2019-03-15T12:00:00Z, 10 years 2016-03-15T12:00:00Z.
const asOf = "2026-03-15T12:00:00Z"

func TestPaymentHistory(t *testing.T) {
	var b events
	b.add(opencredit.TypePaymentMade, "2026-03-01T09:00:00Z", opencredit.PaymentMade{AccountID: "a", DaysLate: 0})
	b.add(opencredit.TypePaymentMade, "2026-01-10T09:00:00Z", opencredit.PaymentMade{AccountID: "a", DaysLate: 0})
	b.add(opencredit.TypePaymentMade, "2025-12-01T09:00:00Z", opencredit.PaymentMade{AccountID: "a", DaysLate: 5})
	// The first instant of the 24th month back is in the window …
	b.add(opencredit.TypePaymentMade, "2024-04-01T00:00:00Z", opencredit.PaymentMade{AccountID: "a", DaysLate: 0})
	// … the last instant of the 25th is not.
	b.add(opencredit.TypePaymentMade, "2024-03-31T23:59:59.999999999Z", opencredit.PaymentMade{AccountID: "a", DaysLate: 0})
	b.add(opencredit.TypePaymentMissed, "2025-06-05T09:00:00Z", opencredit.PaymentMissed{AccountID: "a", DaysPastDue: 30})
	// In the 24 months, but in the 13th month back: not in the last 12.
	b.add(opencredit.TypePaymentMissed, "2025-03-31T23:00:00Z", opencredit.PaymentMissed{AccountID: "a", DaysPastDue: 60})
	// A statement 90 days past due, out of the 24 months but within 7 years.
	b.add(opencredit.TypeAccountStatement, "2024-03-15T00:00:00Z", opencredit.AccountStatement{AccountID: "a", Balance: 10, DaysPastDue: 90})
	// After asOf, in its month and later: they must change nothing.
	b.add(opencredit.TypePaymentMissed, "2026-03-15T12:00:01Z", opencredit.PaymentMissed{AccountID: "a", DaysPastDue: 120})
	b.add(opencredit.TypeAccountStatement, "2026-03-20T00:00:00Z", opencredit.AccountStatement{AccountID: "a", Balance: 10, DaysPastDue: 150})
	b.add(opencredit.TypePaymentMade, "2026-04-02T00:00:00Z", opencredit.PaymentMade{AccountID: "a", DaysLate: 0})

	got := compute(t, b.list, asOf, DefaultConfig())
	// Due in the 24 months: made on 2026-03-01, 2026-01-10, 2024-04-01 (on
	// time), 2025-12-01 (5 days late), missed 2025-06-05 and 2025-03-31:
	// 3 on time of 6 → 0.5.
	want(t, got, OnTimePaymentRatio24m, 0.5, 1e-12)
	// Delays in the 24 months: 0, 0, 5, 0, 30, 60 → 60; the statement's 90
	// is in the 25th month back.
	want(t, got, WorstDaysPastDue24m, 60, 0)
	// Latest month with 30+ days: June 2025 (the missed payment of 30 days);
	// March 2026 − June 2025 = 9 months.
	want(t, got, MonthsSince30DPD, 9, 0)
	// Missed in the last 12 months: only 2025-06-05.
	want(t, got, MissedPayments12m, 1, 0)
	want(t, got, Defaults7y, 0, 0)

	// One second after asOf the late missed payment (120 days) counts:
	// 3 on time of 7, worst 120, 30+ in this month, 2 missed in 12 months.
	got = compute(t, b.list, "2026-03-15T12:00:01Z", DefaultConfig())
	want(t, got, OnTimePaymentRatio24m, 3.0/7, 1e-12)
	want(t, got, WorstDaysPastDue24m, 120, 0)
	want(t, got, MonthsSince30DPD, 0, 0)
	want(t, got, MissedPayments12m, 2, 0)

	// As of 2026-04-30 the window starts on 2024-05-01: the 2024-04-01
	// payment drops out, the 2026-04-02 one and the two later statements
	// come in. Due: on time 2026-04-02, 2026-03-01, 2026-01-10; late
	// 2025-12-01; missed 2025-06-05, 2025-03-31, 2026-03-15 → 3/7.
	got = compute(t, b.list, "2026-04-30T23:59:59Z", DefaultConfig())
	want(t, got, OnTimePaymentRatio24m, 3.0/7, 1e-12)
	want(t, got, WorstDaysPastDue24m, 150, 0)
	want(t, got, MonthsSince30DPD, 1, 0)
}

func TestPaymentHistoryWithoutPayments(t *testing.T) {
	var b events
	b.add(opencredit.TypeAccountStatement, "2026-02-28T00:00:00Z", opencredit.AccountStatement{AccountID: "a", Balance: 10})
	got := compute(t, b.list, asOf, DefaultConfig())
	// A statement but no payment due: no on-time ratio; the worst delay is
	// the statement's 0; no delay of 30 days ever.
	want(t, got, OnTimePaymentRatio24m, absent, 0)
	want(t, got, WorstDaysPastDue24m, 0, 0)
	want(t, got, MonthsSince30DPD, absent, 0)
	want(t, got, MissedPayments12m, 0, 0)
}

func TestAgeing(t *testing.T) {
	var b events
	// 7 years and 1 month before asOf: no longer counts (FCRA §605(a)(4)).
	b.add(opencredit.TypeCollectionOpened, "2019-02-15T12:00:00Z", opencredit.CollectionOpened{CollectionID: "c1", Amount: 100})
	// Exactly 7 years before asOf: does not antedate it by more than 7 years.
	b.add(opencredit.TypeAccountChargedOff, "2019-03-15T12:00:00Z", opencredit.AccountChargedOff{AccountID: "a", Amount: 100})
	b.add(opencredit.TypeJudgmentFiled, "2020-01-01T00:00:00Z", opencredit.JudgmentFiled{CaseID: "j1", Kind: "judgment"})
	// A bankruptcy 9 years ago still counts, one 10 years and 1 month ago not.
	b.add(opencredit.TypeJudgmentFiled, "2017-03-15T00:00:00Z", opencredit.JudgmentFiled{CaseID: "b1", Kind: "bankruptcy"})
	b.add(opencredit.TypeJudgmentFiled, "2016-02-15T00:00:00Z", opencredit.JudgmentFiled{CaseID: "b0", Kind: "bankruptcy"})
	// A delay of 45 days 7 years and 1 month ago, and one of 30 exactly
	// 7 years and 1 second ago: both aged out.
	b.add(opencredit.TypePaymentMissed, "2019-02-15T00:00:00Z", opencredit.PaymentMissed{AccountID: "a", DaysPastDue: 45})
	b.add(opencredit.TypeAccountStatement, "2019-03-15T11:59:59Z", opencredit.AccountStatement{AccountID: "a", DaysPastDue: 30})
	// After asOf: a collection that must not count.
	b.add(opencredit.TypeCollectionOpened, "2026-03-16T00:00:00Z", opencredit.CollectionOpened{CollectionID: "c2", Amount: 100})

	got := compute(t, b.list, asOf, DefaultConfig())
	// Charge-off (exactly 7 y) + judgment (6 y 2 m) + bankruptcy (9 y) = 3.
	want(t, got, Defaults7y, 3, 0)
	want(t, got, MonthsSince30DPD, absent, 0)
	// The zero Config means the defaults.
	want(t, compute(t, b.list, asOf, Config{}), Defaults7y, 3, 0)

	// With 6 and 8 years: the charge-off (7 y) and the bankruptcy (9 y) go;
	// the judgment (6 y 2 m ago) goes too.
	got = compute(t, b.list, asOf, Config{NegativeYears: 6, BankruptcyYears: 8})
	want(t, got, Defaults7y, 0, 0)

	// A month earlier, the statement of 30 days is 6 years 11 months old and
	// counts: February 2026 − March 2019 = 83 months; the missed payment of
	// 45 days (7 years exactly, at 2019-02-15T00:00) counts too but is older.
	// Defaults: collection (7 y minus 12 h) + charge-off + judgment +
	// bankruptcy 2017 + bankruptcy 2016 (10 y exactly on 2026-02-15T00:00) = 5.
	got = compute(t, b.list, "2026-02-15T00:00:00Z", DefaultConfig())
	want(t, got, MonthsSince30DPD, 83, 0)
	want(t, got, Defaults7y, 5, 0)
}

func TestCapacity(t *testing.T) {
	var b events
	// Card a: limit 1000 at opening; the February statement carries no
	// limit, so the January one's 1000 holds; the March statement is after asOf.
	b.add(opencredit.TypeAccountOpened, "2024-01-10T00:00:00Z", opencredit.AccountOpened{AccountID: "a", Product: "card", CreditLimit: num(1000)})
	b.add(opencredit.TypeAccountStatement, "2026-01-31T00:00:00Z", opencredit.AccountStatement{AccountID: "a", Balance: 200, CreditLimit: num(1000)})
	b.add(opencredit.TypeAccountStatement, "2026-02-28T00:00:00Z", opencredit.AccountStatement{AccountID: "a", Balance: 300})
	b.add(opencredit.TypeAccountStatement, "2026-03-31T00:00:00Z", opencredit.AccountStatement{AccountID: "a", Balance: 900, CreditLimit: num(2000)})
	// Line b: no statement yet, balance 0 against its opening limit 500.
	b.add(opencredit.TypeAccountOpened, "2025-05-01T00:00:00Z", opencredit.AccountOpened{AccountID: "b", Product: "line", CreditLimit: num(500)})
	// Card c: closed on 2026-03-01, before asOf.
	b.add(opencredit.TypeAccountOpened, "2023-01-01T00:00:00Z", opencredit.AccountOpened{AccountID: "c", Product: "card", CreditLimit: num(4000)})
	b.add(opencredit.TypeAccountStatement, "2025-12-31T00:00:00Z", opencredit.AccountStatement{AccountID: "c", Balance: 1000, CreditLimit: num(4000)})
	b.add(opencredit.TypeAccountClosed, "2026-03-01T00:00:00Z", opencredit.AccountClosed{AccountID: "c", Reason: "by_consumer"})
	// Loan d: instalment, in total_balance but not in utilisation.
	b.add(opencredit.TypeAccountOpened, "2025-09-01T00:00:00Z", opencredit.AccountOpened{AccountID: "d", Product: "loan", Principal: num(10000)})
	b.add(opencredit.TypeAccountStatement, "2026-02-15T00:00:00Z", opencredit.AccountStatement{AccountID: "d", Balance: 9000})
	b.add(opencredit.TypeIncomeVerified, "2025-06-01T00:00:00Z", opencredit.IncomeVerified{MonthlyIncome: 3000})
	b.add(opencredit.TypeIncomeVerified, "2026-04-01T00:00:00Z", opencredit.IncomeVerified{MonthlyIncome: 10000})
	// Another furnisher's account "a" (a mortgage) is a different account,
	// opened after asOf.
	o := events{source: "lender2"}
	o.add(opencredit.TypeAccountOpened, "2026-03-20T00:00:00Z", opencredit.AccountOpened{AccountID: "a", Product: "mortgage", Principal: num(200000)})
	o.add(opencredit.TypeAccountStatement, "2026-03-21T00:00:00Z", opencredit.AccountStatement{AccountID: "a", Balance: 200000})
	evs := append(b.list, o.list...)

	got := compute(t, evs, asOf, DefaultConfig())
	// Open revolving: a (300 of 1000) and b (0 of 500): 300/1500 = 0.2.
	want(t, got, RevolvingUtilisation, 0.2, 1e-12)
	// Open: a 300 + b 0 + d 9000 = 9300.
	want(t, got, TotalBalance, 9300, 1e-9)
	// 9300 / (12 × 3000): the April income is after asOf.
	want(t, got, DebtToIncome, 9300.0/36000, 1e-12)
	want(t, got, OpenAccounts, 3, 0)
	// Opened since 2025-04-01: b and d.
	want(t, got, AccountsOpened12m, 2, 0)
	// Oldest: c, January 2023 → March 2026 − January 2023 = 38 months.
	want(t, got, OldestAccountMonths, 38, 0)

	// Before c closed: a's latest statement is January's (200 of 1000),
	// b 0 of 500, c 1000 of 4000: 1200/5500.
	got = compute(t, evs, "2026-02-20T00:00:00Z", DefaultConfig())
	want(t, got, RevolvingUtilisation, 1200.0/5500, 1e-12)
	want(t, got, TotalBalance, 200+1000+9000, 1e-9)
	want(t, got, OpenAccounts, 4, 0)

	// At the end of March: a's March statement (900 of 2000), b 0 of 500;
	// the mortgage is open: 900 + 0 + 9000 + 200000; income 3000 still.
	got = compute(t, evs, "2026-03-31T23:59:59Z", DefaultConfig())
	want(t, got, RevolvingUtilisation, 900.0/2500, 1e-12)
	want(t, got, TotalBalance, 209900, 1e-9)
	want(t, got, DebtToIncome, 209900.0/36000, 1e-12)
	want(t, got, OpenAccounts, 4, 0)
}

func TestCapacityWithoutData(t *testing.T) {
	var b events
	b.add(opencredit.TypeAccountOpened, "2025-01-01T00:00:00Z", opencredit.AccountOpened{AccountID: "l", Product: "loan", Principal: num(5000)})
	b.add(opencredit.TypeIncomeVerified, "2025-01-01T00:00:00Z", opencredit.IncomeVerified{MonthlyIncome: 0})
	got := compute(t, b.list, asOf, DefaultConfig())
	// No revolving account: no utilisation; income 0: no debt-to-income.
	want(t, got, RevolvingUtilisation, absent, 0)
	want(t, got, DebtToIncome, absent, 0)
	want(t, got, TotalBalance, 0, 0)
	want(t, got, OpenAccounts, 1, 0)
}

func TestLatestStatementTie(t *testing.T) {
	// Two statements of one account at the same instant: the greater event
	// id wins, "s-2" > "s-10" byte by byte, whatever the order applied.
	var b events
	b.add(opencredit.TypeAccountOpened, "2025-01-01T00:00:00Z", opencredit.AccountOpened{AccountID: "a", Product: "card", CreditLimit: num(1000)})
	b.addID("s-2", opencredit.TypeAccountStatement, "2026-02-28T00:00:00Z", opencredit.AccountStatement{AccountID: "a", Balance: 400})
	b.addID("s-10", opencredit.TypeAccountStatement, "2026-02-28T00:00:00Z", opencredit.AccountStatement{AccountID: "a", Balance: 100})
	rev := []opencredit.Event{b.list[2], b.list[1], b.list[0]}
	for _, evs := range [][]opencredit.Event{b.list, rev} {
		got := compute(t, evs, asOf, DefaultConfig())
		want(t, got, TotalBalance, 400, 0)
		want(t, got, RevolvingUtilisation, 0.4, 1e-12)
	}
}

func TestHistoryStability(t *testing.T) {
	var b events
	// The first event, a soft inquiry, in July 2020: March 2026 − July 2020
	// = 5 × 12 + 8 = 68 months, however late in July.
	b.add(opencredit.TypeInquiry, "2020-07-31T23:59:59Z", opencredit.Inquiry{Kind: "soft", Purpose: "account_review"})
	b.add(opencredit.TypeIdentityVerified, "2023-05-01T00:00:00Z", opencredit.IdentityVerified{Level: 1})
	b.add(opencredit.TypeIdentityVerified, "2024-01-01T00:00:00Z", opencredit.IdentityVerified{Level: 2})
	b.add(opencredit.TypeIdentityVerified, "2026-04-01T00:00:00Z", opencredit.IdentityVerified{Level: 3})
	got := compute(t, b.list, asOf, DefaultConfig())
	want(t, got, MonthsOnFile, 68, 0)
	// Level 3 comes after asOf.
	want(t, got, IdentityLevel, 2, 0)
	want(t, got, OldestAccountMonths, absent, 0)
	// In the month of the first event: 0 months on file, level 0.
	got = compute(t, b.list, "2020-07-31T23:59:59Z", DefaultConfig())
	want(t, got, MonthsOnFile, 0, 0)
	want(t, got, IdentityLevel, 0, 0)
	// Before the first event: nothing on file.
	want(t, compute(t, b.list, "2020-07-31T23:59:58Z", DefaultConfig()), MonthsOnFile, absent, 0)
}

func TestNewCredit(t *testing.T) {
	var b events
	hard := opencredit.Inquiry{Kind: "hard", Purpose: "credit_application"}
	b.add(opencredit.TypeInquiry, "2025-10-01T00:00:00Z", hard) // first instant of the 6 months
	b.add(opencredit.TypeInquiry, "2025-09-30T23:59:59Z", hard) // in the 12, not the 6
	b.add(opencredit.TypeInquiry, "2025-04-01T00:00:00Z", hard) // first instant of the 12
	b.add(opencredit.TypeInquiry, "2025-03-31T23:59:59Z", hard) // 13th month back
	b.add(opencredit.TypeInquiry, "2026-03-01T00:00:00Z", opencredit.Inquiry{Kind: "soft", Purpose: "account_review"})
	b.add(opencredit.TypeInquiry, "2026-03-15T12:00:00.000000001Z", hard) // 1 ns after asOf
	b.add(opencredit.TypeAccountOpened, "2025-04-01T00:00:00Z", opencredit.AccountOpened{AccountID: "x", Product: "bnpl", Principal: num(100)})
	b.add(opencredit.TypeAccountOpened, "2025-03-31T23:59:59Z", opencredit.AccountOpened{AccountID: "y", Product: "bnpl", Principal: num(100)})
	got := compute(t, b.list, asOf, DefaultConfig())
	want(t, got, HardInquiries6m, 1, 0)
	want(t, got, HardInquiries12m, 3, 0)
	want(t, got, AccountsOpened12m, 1, 0)
}

// TestRateShopping: hard inquiries for a loan or a mortgage within
// ShoppingWindow (14 days) of the first of their run count as one; those for
// cards and those without a product each count. Expected counts by hand,
// asOf 2026-03-15 (6 months from 2025-10-01, 12 from 2025-04-01).
func TestRateShopping(t *testing.T) {
	var b events
	inq := func(when, product string) {
		b.add(opencredit.TypeInquiry, when, opencredit.Inquiry{Kind: "hard", Purpose: "credit_application", Product: product})
	}
	inq("2026-01-05T00:00:00Z", "mortgage") // run 1
	inq("2026-01-10T00:00:00Z", "mortgage")
	inq("2026-01-19T00:00:00Z", "mortgage")           // exactly 14 days after the first: run 1
	inq("2026-01-19T00:00:00.000000001Z", "mortgage") // 1 ns more: run 2
	inq("2026-01-06T00:00:00Z", "loan")               // another product, its own run
	inq("2026-01-07T00:00:00Z", "loan")
	inq("2026-01-06T00:00:00Z", "card") // cards are not shopped: 2
	inq("2026-01-07T00:00:00Z", "card")
	inq("2026-02-01T00:00:00Z", "") // no product: 2
	inq("2026-02-02T00:00:00Z", "")
	inq("2025-09-25T00:00:00Z", "mortgage") // one run across the 6-month edge:
	inq("2025-10-03T00:00:00Z", "mortgage") // once in the 12 and once in the 6
	inq("2025-05-01T00:00:00Z", "loan")     // in the 12 only
	got := compute(t, b.list, asOf, DefaultConfig())
	// 6m: mortgage runs 2 + edge run 1 + loan run 1 + cards 2 + none 2.
	want(t, got, HardInquiries6m, 8, 0)
	// 12m: the same 8 + the May loan.
	want(t, got, HardInquiries12m, 9, 0)

	// A run is anchored at its first inquiry, whatever order they came in.
	slices.Reverse(b.list)
	if again := compute(t, b.list, asOf, DefaultConfig()); again[HardInquiries6m] != 8 || again[HardInquiries12m] != 9 {
		t.Errorf("in reverse order: %v and %v, want 8 and 9", again[HardInquiries6m], again[HardInquiries12m])
	}
}

func TestEverydayObligations(t *testing.T) {
	var b events
	b.add(opencredit.TypeBillPaid, "2026-02-01T00:00:00Z", opencredit.BillPaid{BillType: "utility", AccountID: "u", DaysLate: 0})
	b.add(opencredit.TypeBillPaid, "2025-11-01T00:00:00Z", opencredit.BillPaid{BillType: "telecom", AccountID: "t", DaysLate: 3})
	b.add(opencredit.TypeBillPaid, "2026-03-01T00:00:00Z", opencredit.BillPaid{BillType: "rent", AccountID: "r", DaysLate: 0})
	b.add(opencredit.TypeBillPaid, "2026-02-01T00:00:00Z", opencredit.BillPaid{BillType: "rent", AccountID: "r", DaysLate: 0})
	b.add(opencredit.TypeBillMissed, "2026-01-05T00:00:00Z", opencredit.BillMissed{BillType: "rent", AccountID: "r", DaysPastDue: 30})
	b.add(opencredit.TypeBillMissed, "2025-03-31T00:00:00Z", opencredit.BillMissed{BillType: "utility", AccountID: "u", DaysPastDue: 30}) // 13th month back
	b.add(opencredit.TypeBillMissed, "2026-03-31T00:00:00Z", opencredit.BillMissed{BillType: "rent", AccountID: "r", DaysPastDue: 30})    // after asOf
	b.add(opencredit.TypeRentalReturned, "2026-01-01T00:00:00Z", opencredit.RentalReturned{RentalID: "k1", Item: "bike", DaysLate: 0})
	b.add(opencredit.TypeRentalReturned, "2025-08-01T00:00:00Z", opencredit.RentalReturned{RentalID: "k2", Item: "car", DaysLate: 2})
	b.add(opencredit.TypeRentalOverdue, "2025-07-25T00:00:00Z", opencredit.RentalOverdue{RentalID: "k2", Item: "car", DaysOverdue: 1})
	got := compute(t, b.list, asOf, DefaultConfig())
	// Bills due in the 12 months: utility, telecom (3 days late), rent,
	// rent, rent missed = 5; on time: utility and two rents → 3/5.
	want(t, got, Bills12m, 5, 0)
	want(t, got, BillsOnTimeRatio12m, 0.6, 1e-12)
	// Rent: 2 on time of 3.
	want(t, got, RentOnTimeRatio12m, 2.0/3, 1e-12)
	// Rentals: 1 returned on time of 2 returned + 1 overdue.
	want(t, got, RentalsOnTimeRatio12m, 1.0/3, 1e-12)
	// None of them is credit: payment history stays empty.
	want(t, got, OnTimePaymentRatio24m, absent, 0)
	want(t, got, MonthsSince30DPD, absent, 0)
}

func TestEmptyState(t *testing.T) {
	got := NewState().Compute("s1", at(asOf), DefaultConfig()).Values
	// Counts, total_balance and identity_level are 0; everything else absent.
	exp := map[string]float64{
		MissedPayments12m: 0, Defaults7y: 0, TotalBalance: 0, OpenAccounts: 0, IdentityLevel: 0,
		HardInquiries6m: 0, HardInquiries12m: 0, AccountsOpened12m: 0, Bills12m: 0,
	}
	if !maps.Equal(got, exp) {
		t.Errorf("empty state = %v, want %v", got, exp)
	}
}

// TestPointInTime checks that no event after asOf changes the features as of
// asOf, whether it falls in asOf's month, a later month or the same instant
// plus a nanosecond.
func TestPointInTime(t *testing.T) {
	var b events
	b.add(opencredit.TypeAccountOpened, "2024-01-10T00:00:00Z", opencredit.AccountOpened{AccountID: "a", Product: "card", CreditLimit: num(1000)})
	b.add(opencredit.TypeAccountStatement, "2026-02-28T00:00:00Z", opencredit.AccountStatement{AccountID: "a", Balance: 300})
	b.add(opencredit.TypePaymentMade, "2026-03-01T00:00:00Z", opencredit.PaymentMade{AccountID: "a"})
	b.add(opencredit.TypeBillPaid, "2026-03-02T00:00:00Z", opencredit.BillPaid{BillType: "rent", AccountID: "r"})
	before := compute(t, b.list, asOf, DefaultConfig())

	later := []struct {
		typ, when string
		p         any
	}{
		{opencredit.TypeAccountStatement, "2026-03-15T12:00:00.000000001Z", opencredit.AccountStatement{AccountID: "a", Balance: 999, DaysPastDue: 90}},
		{opencredit.TypeAccountClosed, "2026-03-20T00:00:00Z", opencredit.AccountClosed{AccountID: "a"}},
		{opencredit.TypePaymentMissed, "2026-03-31T23:59:59Z", opencredit.PaymentMissed{AccountID: "a", DaysPastDue: 30}},
		{opencredit.TypeBillMissed, "2026-03-16T00:00:00Z", opencredit.BillMissed{BillType: "rent", AccountID: "r"}},
		{opencredit.TypeRentalOverdue, "2026-03-16T00:00:00Z", opencredit.RentalOverdue{RentalID: "k", DaysOverdue: 3}},
		{opencredit.TypeInquiry, "2026-04-01T00:00:00Z", opencredit.Inquiry{Kind: "hard"}},
		{opencredit.TypeIncomeVerified, "2026-03-16T00:00:00Z", opencredit.IncomeVerified{MonthlyIncome: 1000}},
		{opencredit.TypeIdentityVerified, "2026-03-16T00:00:00Z", opencredit.IdentityVerified{Level: 3}},
		{opencredit.TypeCollectionOpened, "2026-03-16T00:00:00Z", opencredit.CollectionOpened{CollectionID: "c", Amount: 1}},
		{opencredit.TypeJudgmentFiled, "2027-01-01T00:00:00Z", opencredit.JudgmentFiled{CaseID: "j", Kind: "bankruptcy"}},
		{opencredit.TypeAccountChargedOff, "2026-03-16T00:00:00Z", opencredit.AccountChargedOff{AccountID: "a", Amount: 1}},
		{opencredit.TypeAccountOpened, "2026-03-16T00:00:00Z", opencredit.AccountOpened{AccountID: "n", Product: "line", CreditLimit: num(50)}},
	}
	for _, l := range later {
		b.add(l.typ, l.when, l.p)
		if got := compute(t, b.list, asOf, DefaultConfig()); !maps.Equal(got, before) {
			t.Fatalf("after adding a %s at %s: %v, want %v", l.typ, l.when, got, before)
		}
	}
}

func TestEveryFeatureHasALabel(t *testing.T) {
	for _, d := range Registry {
		if Labels[d.Name] == "" {
			t.Errorf("feature %s has no label", d.Name)
		}
	}
	if len(Labels) != len(Registry) {
		t.Errorf("%d labels for %d features", len(Labels), len(Registry))
	}
}
