package features

// Labels are the short plain-language names of the features, for reasons
// ("Worst delay in the last 24 months: 60 days or more"); Units are the units
// a reason states after a value, empty where the number speaks for itself.
var Labels = map[string]string{
	OnTimePaymentRatio24m: "Share of payments made on time in the last 24 months",
	WorstDaysPastDue24m:   "Worst payment delay in the last 24 months",
	MonthsSince30DPD:      "Months since a payment was 30 or more days late",
	MissedPayments12m:     "Missed payments in the last 12 months",
	Defaults7y:            "Charge-offs, collections, judgments and bankruptcies on file",
	RevolvingUtilisation:  "Share of card and credit-line limits in use",
	TotalBalance:          "Total balance owed",
	DebtToIncome:          "Debt as a share of verified yearly income",
	OpenAccounts:          "Open credit accounts",
	OldestAccountMonths:   "Age of the oldest account",
	MonthsOnFile:          "Time on file",
	IdentityLevel:         "Identity verification level",
	HardInquiries6m:       "Credit applications in the last 6 months",
	HardInquiries12m:      "Credit applications in the last 12 months",
	AccountsOpened12m:     "Accounts opened in the last 12 months",
	BillsOnTimeRatio12m:   "Share of utility, telecom and rent bills paid on time in the last 12 months",
	RentOnTimeRatio12m:    "Share of rent paid on time in the last 12 months",
	RentalsOnTimeRatio12m: "Share of rentals returned on time in the last 12 months",
	Bills12m:              "Bills due in the last 12 months",
}

// ReasonUnit returns the unit a reason states after a value of the feature:
// "days" or "months", and "" for ratios, counts, levels and amounts.
func ReasonUnit(d Def) string {
	switch d.Unit {
	case "days", "months":
		return d.Unit
	}
	return ""
}
