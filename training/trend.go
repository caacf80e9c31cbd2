package training

import "github.com/opencredit/opencredit/features"

// Bad-rate trends a feature's spec may declare. Ascending means the bad rate
// rises with the feature's value (or, for categories, with their order by bad
// rate); Peak rises then falls; Valley falls then rises; None is unconstrained.
// The scorecard holds its binning to any of them; the EBM holds a shape to
// Ascending or Descending, and None lifts its default constraint.
const (
	Auto       = "auto" // monotone (the better of Ascending and Descending), unless the data reject monotonicity
	Ascending  = "ascending"
	Descending = "descending"
	Peak       = "peak"
	Valley     = "valley"
	None       = "none"
)

// ValidTrend reports whether s names a trend a feature may declare.
func ValidTrend(s string) bool {
	switch s {
	case Auto, Ascending, Descending, Peak, Valley, None:
		return true
	}
	return false
}

// LiveTrends holds the bad-rate trend that the meaning of each
// OpenCredit feature (package features) implies, so that no person can earn
// points by looking riskier: one more missed payment, default or credit
// application never earns more points, and a higher share of bills paid on
// time never earns fewer. Both trainers apply it to a column named after a
// live feature (a training set written by 'opencredit snapshot'); a spec
// trend overrides an entry, and "none" lifts it.
//
// Left out on purpose, because their meaning does not fix a direction:
// total_balance (a high balance also means lenders trusted the person with
// credit), open_accounts (few accounts is a thin file, many is
// over-extension) and bills_12m (the depth of the record, not its quality).
// Revolving utilisation is held ascending although a person using no credit
// at all is often slightly riskier than one using a little: a rule the person
// can understand ("using more of your limits never helps") is worth the small
// loss, and the shape can still be flat at the low end.
var LiveTrends = map[string]string{
	features.OnTimePaymentRatio24m: Descending,
	features.WorstDaysPastDue24m:   Ascending,
	features.MonthsSince30DPD:      Descending,
	features.MissedPayments12m:     Ascending,
	features.Defaults7y:            Ascending,
	features.RevolvingUtilisation:  Ascending,
	features.DebtToIncome:          Ascending,
	features.OldestAccountMonths:   Descending,
	features.MonthsOnFile:          Descending,
	features.IdentityLevel:         Descending,
	features.HardInquiries6m:       Ascending,
	features.HardInquiries12m:      Ascending,
	features.AccountsOpened12m:     Ascending,
	features.BillsOnTimeRatio12m:   Descending,
	features.RentOnTimeRatio12m:    Descending,
	features.RentalsOnTimeRatio12m: Descending,
}
