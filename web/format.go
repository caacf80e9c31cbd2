package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
)

// humanDate writes a date as people do in the UK and much of Europe:
// "3 December 2026" (GOV.UK style guide, Dates), in UTC like every date of
// the file.
func humanDate(t time.Time) string { return t.UTC().Format("2 January 2006") }

// shortDate is humanDate with a three-letter month, for chart axes.
func shortDate(t time.Time) string { return t.UTC().Format("Jan 2006") }

// dateOf parses an event's calendar date; a date that does not parse is
// shown as it is.
func dateOf(d opencredit.Date) string {
	t, err := time.Parse(time.DateOnly, string(d))
	if err != nil {
		return string(d)
	}
	return humanDate(t)
}

// signed writes a change of points with its sign: "+18", "−5" (a true
// minus sign, which screen readers read as "minus"), "no change".
func signed(n int) string {
	switch {
	case n > 0:
		return "+" + strconv.Itoa(n)
	case n < 0:
		return "−" + strconv.Itoa(-n)
	}
	return "no change"
}

// percent writes a share 0–1 as a whole percentage, "82%".
func percent(x float64) string { return strconv.Itoa(int(math.Round(x*100))) + "%" }

// plural writes n and the noun, "1 month", "3 months".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// groupDigits writes a number with thousands separators and dec decimals:
// 12345.6 → "12,345.60".
func groupDigits(x float64, dec int) string {
	s := strconv.FormatFloat(math.Abs(x), 'f', dec, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if x < 0 {
		b.WriteString("−")
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// money writes an amount and its currency, "1,234.50 EUR".
func money(x float64, currency string) string {
	s := groupDigits(x, 2)
	if currency != "" {
		s += " " + currency
	}
	return s
}

// unitOf is the unit of a live feature (features.Registry), "" if unknown.
func unitOf(feature string) string {
	d, ok := features.Lookup(feature)
	if !ok {
		return ""
	}
	return d.Unit
}

// featureValue writes a feature's value in its unit: a share as a
// percentage, months and days counted, a level named.
func featureValue(feature string, x float64) string {
	switch unitOf(feature) {
	case "ratio":
		return percent(x)
	case "days":
		return plural(int(math.Round(x)), "day", "days")
	case "months":
		return plural(int(math.Round(x)), "month", "months")
	case "level":
		return "level " + strconv.Itoa(int(math.Round(x)))
	case "currency":
		return groupDigits(x, 2)
	}
	return groupDigits(x, 0)
}

// labelOf is the registry's label of the live feature called name, or the
// name itself when it is none.
func labelOf(name string) string {
	if l, ok := features.Labels[name]; ok {
		return l
	}
	return name
}

// featureLabel is a feature's plain-language name.
func featureLabel(f *model.Feature) string {
	if l, ok := features.Labels[f.Name]; ok {
		return l
	}
	if f.Label != "" {
		return f.Label
	}
	return f.Name
}

// binPhrase writes the range of bin b of f as the target of an advice:
// "under 30%", "at least 95%", "2 or fewer", "none", "12 to 23 months".
func binPhrase(f *model.Feature, b int) string {
	bin := &f.Bins[b]
	if f.Kind == model.Categorical {
		return strings.Join(bin.Categories, " or ")
	}
	unit := unitOf(f.Name)
	num := func(x float64) string {
		switch unit {
		case "ratio":
			return percent(x)
		case "level":
			return "level " + groupDigits(x, 0)
		}
		if x == math.Trunc(x) {
			return groupDigits(x, 0)
		}
		return groupDigits(x, 2)
	}
	suffix := ""
	switch unit {
	case "days", "months":
		suffix = " " + unit
	}
	integer := f.Integer || unit == "count" || unit == "days" || unit == "months" || unit == "level"
	switch {
	case bin.Lower == nil && bin.Upper == nil:
		return "any value"
	case bin.Lower == nil && integer:
		top := math.Ceil(*bin.Upper) - 1
		if top <= 0 {
			return "none"
		}
		return num(top) + suffix + " or fewer"
	case bin.Lower == nil:
		return "under " + num(*bin.Upper) + suffix
	case bin.Upper == nil:
		return "at least " + num(*bin.Lower) + suffix
	case integer && math.Ceil(*bin.Upper)-1 <= *bin.Lower:
		if *bin.Lower == 0 {
			return "none"
		}
		return num(*bin.Lower) + suffix
	case integer:
		return num(*bin.Lower) + " to " + num(math.Ceil(*bin.Upper)-1) + suffix
	}
	return "from " + num(*bin.Lower) + " to under " + num(*bin.Upper) + suffix
}

// advice is, per feature, what a person can do, with %s the target range
// (binPhrase). Features a person cannot change by acting say that time
// changes them.
var advice = map[string]string{
	features.OnTimePaymentRatio24m: "Pay every credit payment on time, so that %s of those due over 24 months were paid on time",
	features.WorstDaysPastDue24m:   "Avoid paying late: keep your worst delay over 24 months to %s",
	features.MonthsSince30DPD:      "Keep paying on time: a payment 30 or more days late counts for less as it ages (aim: %s since the last one)",
	features.MissedPayments12m:     "Miss no payments: %s missed in 12 months",
	features.Defaults7y:            "Avoid charge-offs, collections and court judgments, which count for 7 years (bankruptcies 10): %s on file",
	features.RevolvingUtilisation:  "Keep your card and credit-line balances %s of their limits",
	features.TotalBalance:          "Pay down what you owe, to a total balance of %s",
	features.DebtToIncome:          "Owe less compared with your verified income: debts of %s of a year's income",
	features.OpenAccounts:          "Open credit accounts: aim for %s",
	features.OldestAccountMonths:   "This grows with time: an oldest account of %s",
	features.MonthsOnFile:          "This grows with time: %s on file",
	features.IdentityLevel:         "Have your identity verified further, to %s",
	features.HardInquiries6m:       "Make fewer credit applications, each of which counts for 6 months here: %s in 6 months",
	features.HardInquiries12m:      "Make fewer credit applications, each of which counts for 12 months here: %s in 12 months",
	features.AccountsOpened12m:     "Open fewer new accounts: %s in 12 months",
	features.BillsOnTimeRatio12m:   "Pay your utility, telecom and rent bills on time: %s of them on time over 12 months",
	features.RentOnTimeRatio12m:    "Pay your rent on time: %s of it on time over 12 months",
	features.RentalsOnTimeRatio12m: "Return rentals on time: %s of them on time over 12 months",
	features.Bills12m:              "Have your utility, telecom or rent bills reported to your file: %s in 12 months",
}

// better is, per feature, the way its advice moves it: +1 when the advice
// asks for more (a longer record, more on time), −1 for less (fewer
// missed payments, lower utilisation). A model may have learned the other
// way for some range (a points table need not be monotone); the advice is
// then not given, and the sentence says only where the points are.
var better = map[string]int{
	features.OnTimePaymentRatio24m: +1, features.MonthsSince30DPD: +1, features.OldestAccountMonths: +1,
	features.MonthsOnFile: +1, features.IdentityLevel: +1, features.BillsOnTimeRatio12m: +1,
	features.RentOnTimeRatio12m: +1, features.RentalsOnTimeRatio12m: +1, features.Bills12m: +1,
	features.WorstDaysPastDue24m: -1, features.MissedPayments12m: -1, features.Defaults7y: -1,
	features.RevolvingUtilisation: -1, features.TotalBalance: -1, features.DebtToIncome: -1,
	features.HardInquiries6m: -1, features.HardInquiries12m: -1, features.AccountsOpened12m: -1,
}

// againstAdvice reports whether an improvement would move the feature the
// way its advice warns against (owe more, verify less): a points table
// that need not be monotone may pay for that over some range. The pages
// ask for improvements among the advised bins only, so this is true only
// of an improvement found without that filter.
func againstAdvice(f *model.Feature, im model.Improvement, fv opencredit.FeatureVector) bool {
	return !advised(fv)(f.Name, im.Target)
}

// advised returns, for a person's features fv, the bins a page may point
// a person to: none against a feature's advice (more debt, less
// verification), whatever points a model gives there.
func advised(fv opencredit.FeatureVector) func(string, model.Value) bool {
	return func(name string, target model.Value) bool {
		x, has := fv.Values[name]
		d := better[name]
		return !has || target.Missing || !((d > 0 && target.Num < x) || (d < 0 && target.Num > x))
	}
}

// improvementSentence says an improvement in words: "Keep your card and
// credit-line balances under 30% of their limits — worth about +18
// points". A feature without advice, or an improvement against it, gets
// only where the model's points are.
func improvementSentence(f *model.Feature, im model.Improvement, fv opencredit.FeatureVector) string {
	target := binPhrase(f, im.ToBin)
	s, ok := advice[f.Name]
	if !ok || againstAdvice(f, im, fv) {
		return fmt.Sprintf("%s: the model gives the most points for %s", featureLabel(f), target) + " — worth about " + signed(im.Gain) + " points"
	}
	return fmt.Sprintf(s, target) + " — worth about " + signed(im.Gain) + " points"
}

// dimensionNames are the five dimensions in words.
var dimensionNames = map[string]string{
	string(opencredit.PaymentHistory):      "Payment history",
	string(opencredit.Capacity):            "Capacity",
	string(opencredit.HistoryStability):    "History and stability",
	string(opencredit.NewCredit):           "New credit",
	string(opencredit.EverydayObligations): "Everyday bills",
}

// dimensionMeaning says what each dimension measures (the brief's table).
var dimensionMeaning = map[string]string{
	string(opencredit.PaymentHistory):      "whether you paid what you owed when it was due",
	string(opencredit.Capacity):            "how much more debt you could carry",
	string(opencredit.HistoryStability):    "how long and how deep your record is",
	string(opencredit.NewCredit):           "how much new credit you have asked for lately",
	string(opencredit.EverydayObligations): "your utility, telephone and rent bills and rentals",
}

// dimensionShort are the dimensions' names on the radar, short enough to
// read at 320 px.
var dimensionShort = map[string]string{
	string(opencredit.PaymentHistory):      "Payments",
	string(opencredit.Capacity):            "Capacity",
	string(opencredit.HistoryStability):    "History",
	string(opencredit.NewCredit):           "New credit",
	string(opencredit.EverydayObligations): "Bills",
}

func dimensionName(d string) string {
	if n, ok := dimensionNames[d]; ok {
		return n
	}
	return strings.ReplaceAll(d, "_", " ")
}

// purposeWords writes a purpose in words.
func purposeWords(p string) string {
	switch p {
	case opencredit.PurposeSubjectSelfAccess:
		return "your own access"
	case opencredit.PurposeFurnishing:
		return "reporting records about you"
	}
	return strings.ReplaceAll(p, "_", " ")
}
