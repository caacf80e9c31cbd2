package features

import "github.com/opencredit/opencredit"

// Def describes one feature: its name in FeatureVector.Values, the dimension
// it belongs to (one of opencredit.Dimensions), its exact definition and its
// unit (ratio, days, months, count, currency or level).
type Def struct {
	Name, Dimension, Meaning, Unit string
}

// Feature names, as keys of opencredit.FeatureVector.Values.
const (
	OnTimePaymentRatio24m = "on_time_payment_ratio_24m"
	WorstDaysPastDue24m   = "worst_days_past_due_24m"
	MonthsSince30DPD      = "months_since_30dpd"
	MissedPayments12m     = "missed_payments_12m"
	Defaults7y            = "defaults_7y"
	RevolvingUtilisation  = "revolving_utilisation"
	TotalBalance          = "total_balance"
	DebtToIncome          = "debt_to_income"
	OpenAccounts          = "open_accounts"
	OldestAccountMonths   = "oldest_account_months"
	MonthsOnFile          = "months_on_file"
	IdentityLevel         = "identity_level"
	HardInquiries6m       = "hard_inquiries_6m"
	HardInquiries12m      = "hard_inquiries_12m"
	AccountsOpened12m     = "accounts_opened_12m"
	BillsOnTimeRatio12m   = "bills_on_time_ratio_12m"
	RentOnTimeRatio12m    = "rent_on_time_ratio_12m"
	RentalsOnTimeRatio12m = "rentals_on_time_ratio_12m"
	Bills12m              = "bills_12m"
)

// Registry lists every feature Compute returns, grouped by dimension in the
// brief's order. "The last n months" as of asOf are asOf's calendar month
// and the n−1 before it (UTC), and only events with time ≤ asOf count.
var Registry = []Def{
	{OnTimePaymentRatio24m, string(opencredit.PaymentHistory),
		"Share of the credit payments due in the last 24 months that were paid on time: payment.made with days_late 0 over payment.made + payment.missed. Absent when no payment fell due.", "ratio"},
	{WorstDaysPastDue24m, string(opencredit.PaymentHistory),
		"Largest delay in the last 24 months: the maximum of statement days_past_due, payment.made days_late and payment.missed days_past_due; 0 when there were statements or payments but no delay. Absent when there were none.", "days"},
	{MonthsSince30DPD, string(opencredit.PaymentHistory),
		"Calendar months from the latest month with a delay of 30 days or more (statement days_past_due, payment.made days_late or payment.missed days_past_due) to asOf's month; 0 in asOf's month. Absent when there was none within the last NegativeYears (7) years.", "months"},
	{MissedPayments12m, string(opencredit.PaymentHistory),
		"Number of payment.missed events in the last 12 months.", "count"},
	{Defaults7y, string(opencredit.PaymentHistory),
		"Number of charge-offs, collections and court judgments in the last NegativeYears (7) years plus bankruptcies in the last BankruptcyYears (10) years (FCRA §605).", "count"},
	{RevolvingUtilisation, string(opencredit.Capacity),
		"Sum of the latest statement balances of open revolving accounts (card, line) over the sum of their credit limits; an account's limit is that of its latest statement carrying one, else its opening limit. Absent when the limits sum to 0.", "ratio"},
	{TotalBalance, string(opencredit.Capacity),
		"Sum of the latest statement balances of all open accounts; an account without a statement yet adds 0.", "currency"},
	{DebtToIncome, string(opencredit.Capacity),
		"total_balance over 12 × the latest verified monthly income. Absent without a verified income or when it is 0.", "ratio"},
	{OpenAccounts, string(opencredit.Capacity),
		"Number of accounts opened and not closed by asOf.", "count"},
	{OldestAccountMonths, string(opencredit.HistoryStability),
		"Calendar months from the month the earliest account was opened (closed accounts included) to asOf's month. Absent without an account.", "months"},
	{MonthsOnFile, string(opencredit.HistoryStability),
		"Calendar months from the month of the person's first event of any kind to asOf's month. Absent without an event.", "months"},
	{IdentityLevel, string(opencredit.HistoryStability),
		"Highest identity verification level reached: 0 none, 1 basic data match, 2 document, 3 document and liveness.", "level"},
	{HardInquiries6m, string(opencredit.NewCredit),
		"Number of hard inquiries (credit applications) in the last 6 months; loan or mortgage inquiries within 14 days of the first of their run count once (rate shopping).", "count"},
	{HardInquiries12m, string(opencredit.NewCredit),
		"Number of hard inquiries (credit applications) in the last 12 months.", "count"},
	{AccountsOpened12m, string(opencredit.NewCredit),
		"Number of accounts opened in the last 12 months, closed ones included.", "count"},
	{BillsOnTimeRatio12m, string(opencredit.EverydayObligations),
		"Share of the utility, telecom and rent bills due in the last 12 months paid on time: bill.paid with days_late 0 over bill.paid + bill.missed. Absent without a bill.", "ratio"},
	{RentOnTimeRatio12m, string(opencredit.EverydayObligations),
		"The same share for rent bills only (bill_type rent). Absent without a rent bill.", "ratio"},
	{RentalsOnTimeRatio12m, string(opencredit.EverydayObligations),
		"Share of rentals returned on time in the last 12 months: rental.returned with days_late 0 over rental.returned + rental.overdue. Absent without a rental event.", "ratio"},
	{Bills12m, string(opencredit.EverydayObligations),
		"Number of bills due in the last 12 months: bill.paid + bill.missed.", "count"},
}

var byName = func() map[string]Def {
	m := make(map[string]Def, len(Registry))
	for _, d := range Registry {
		m[d.Name] = d
	}
	return m
}()

// Lookup returns the definition of the named feature.
func Lookup(name string) (Def, bool) {
	d, ok := byName[name]
	return d, ok
}
