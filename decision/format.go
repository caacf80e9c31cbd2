package decision

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
)

// labels name the features in words an applicant understands, for the
// reasons of a failed condition. A feature without one is named by its
// identifier; a condition's own label overrides both.
var labels = map[string]string{
	features.OnTimePaymentRatio24m: "Credit payments made on time in the last 24 months",
	features.WorstDaysPastDue24m:   "Worst delay in the last 24 months",
	features.MonthsSince30DPD:      "Months since the last delay of 30 days or more",
	features.MissedPayments12m:     "Missed payments in the last 12 months",
	features.Defaults7y:            "Charge-offs, collections, judgments and bankruptcies on file",
	features.RevolvingUtilisation:  "Share of revolving credit limits in use",
	features.TotalBalance:          "Total balance owed",
	features.DebtToIncome:          "Total balance compared with verified yearly income",
	features.OpenAccounts:          "Open accounts",
	features.OldestAccountMonths:   "Age of the oldest account",
	features.MonthsOnFile:          "Length of the credit record",
	features.IdentityLevel:         "Identity verification level",
	features.HardInquiries6m:       "Credit applications in the last 6 months",
	features.HardInquiries12m:      "Credit applications in the last 12 months",
	features.AccountsOpened12m:     "Accounts opened in the last 12 months",
	features.BillsOnTimeRatio12m:   "Utility, telecom and rent bills paid on time in the last 12 months",
	features.RentOnTimeRatio12m:    "Rent paid on time in the last 12 months",
	features.RentalsOnTimeRatio12m: "Rentals returned on time in the last 12 months",
	features.Bills12m:              "Bills due in the last 12 months",
}

var opWords = map[Op]string{
	Less: "less than", LessEqual: "at most", Greater: "more than",
	GreaterEqual: "at least", Equal: "exactly", NotEqual: "other than",
}

// label is how a condition names its feature.
func (c Condition) label() string {
	if c.Label != "" {
		return c.Label
	}
	if l, ok := labels[c.Feature]; ok {
		return l
	}
	return c.Feature
}

// requirement states a condition in words: "less than 60 days".
func (c Condition) requirement() string {
	return opWords[c.Op] + " " + fmtValue(c.Feature, c.Value)
}

// fmtValue writes a feature value in its unit: ratios as percentages, days
// and months with their unit.
func fmtValue(feature string, x float64) string {
	d, _ := features.Lookup(feature)
	switch d.Unit {
	case "ratio":
		return fmtNum(100*x) + "%"
	case "days":
		return plural(x, "day")
	case "months":
		return plural(x, "month")
	case "level":
		return "level " + fmtNum(x)
	}
	return fmtNum(x)
}

func plural(x float64, unit string) string {
	if x == 1 {
		return "1 " + unit
	}
	return fmtNum(x) + " " + unit + "s"
}

// fmtNum writes x with at most two decimals and no trailing zeros.
func fmtNum(x float64) string {
	return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
}

// fmtMoney writes an amount with its currency, if any: "EUR 2500".
func fmtMoney(x float64, currency string) string {
	if currency == "" {
		return fmtNum(x)
	}
	return currency + " " + fmtNum(x)
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func featureNames() string {
	names := make([]string, len(features.Registry))
	for i, d := range features.Registry {
		names[i] = d.Name
	}
	return strings.Join(names, ", ")
}

func bandNames(bands []opencredit.Band) string {
	names := make([]string, len(bands))
	for i, b := range bands {
		names[i] = strconv.Quote(b.Name)
	}
	return strings.Join(names, ", ")
}
