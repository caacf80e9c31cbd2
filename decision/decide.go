package decision

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

// Outcomes of a decision.
const (
	Approved = "approved"
	Declined = "declined"
)

// Sources of a reason.
const (
	FromScore   = "score"   // a factor of the score: a feature on which points were lost
	FromProgram = "program" // a rule of the program that the applicant's data did not meet
)

// Reason codes of the program's own rules. A failed condition's code is its
// ReasonCode, by default the feature name in capitals.
const (
	CodeBandNotOffered = "LIMIT_BAND"         // the score's band has no row in the limit table
	CodeNoIncome       = "NO_VERIFIED_INCOME" // the limit needs a verified income and none is known
	CodeIncomeTooLow   = "INCOME_TOO_LOW"     // the income-based limit is below the program's minimum
	CodeScoreNoFactor  = "SCORE_NO_FACTOR"    // the score is below the minimum and no factor lost points
)

// Reason is one principal reason for a decline (ECOA Reg. B, 12 CFR
// 1002.9(b)(2)): specific, and drawn from the factors actually scored or
// from the program rule the applicant's own data did not meet.
type Reason struct {
	Code       string `json:"code"`
	Source     string `json:"source"` // FromScore or FromProgram
	Feature    string `json:"feature,omitempty"`
	Text       string `json:"text"`
	PointsLost int    `json:"points_lost,omitempty"`
}

// Decision is the outcome of a program for one scored subject.
type Decision struct {
	Subject     string    `json:"subject"`
	Program     string    `json:"program"`
	ProgramName string    `json:"program_name"`
	Purpose     string    `json:"purpose"`
	Outcome     string    `json:"outcome"`         // Approved or Declined
	Limit       *float64  `json:"limit,omitempty"` // the credit line, when the program sets one and approves
	Currency    string    `json:"currency,omitempty"`
	Score       int       `json:"score"`
	Band        string    `json:"band"`
	MinScore    int       `json:"min_score"`
	AsOf        time.Time `json:"features_as_of"`
	// Reasons are the principal reasons of a decline, at most
	// model.MaxReasons, in the order the rules are checked; empty when
	// approved.
	Reasons []Reason `json:"reasons,omitempty"`
	// KeyFactors are the score's own reasons, whatever the outcome: the
	// key factors an adverse-action notice discloses with the score (FCRA
	// §615(a), §609(f)).
	KeyFactors []model.Reason `json:"key_factors"`
}

// Decide applies program p to a subject's score r and features fv. income is
// the verified monthly income, if the caller knows it; otherwise the limit
// uses the program's income feature, if any. A negative, zero or non-finite
// income counts as none.
//
// The rules are checked in order — the minimum score, each condition, then
// the limit — and the decline reasons follow that order:
//   - a score below the minimum gives the score's own reasons (r.Reasons:
//     the features on which most points were lost), never the bare
//     statement that the score is too low;
//   - a failed condition states the person's value and the requirement:
//     "Worst delay in the last 24 months: 92 days; this program requires
//     less than 60 days", or that the data is missing;
//   - the limit is computed only when everything else passed.
//
// Each failed rule keeps at least one of the four places; the rest go in
// order. A score reason about the same feature as a failed condition is left
// out: the condition says it more precisely.
//
// Decide panics if p is not valid (see Program.Validate): programs come from
// LoadPrograms, which refuses invalid ones, so an invalid program here is a
// programming error — and a refused purpose must never yield a decision.
func Decide(p Program, r model.Result, fv opencredit.FeatureVector, income *float64) Decision {
	if err := p.Validate(); err != nil {
		panic("decision: Decide with an invalid program: " + err.Error())
	}
	d := Decision{
		Subject: fv.Subject, Program: p.ID, ProgramName: p.Name, Purpose: p.Purpose,
		Score: r.Score, Band: r.Band, MinScore: p.MinScore, AsOf: fv.AsOf,
		KeyFactors: append([]model.Reason{}, r.Reasons...),
	}
	var conds []Reason
	for _, c := range p.Conditions {
		if reason, ok := c.check(fv); !ok {
			conds = append(conds, reason)
		}
	}
	var groups [][]Reason
	if r.Score < p.MinScore {
		groups = append(groups, scoreReasons(r, p.MinScore, conds))
	}
	groups = append(groups, conds)
	if len(groups) == 1 && len(conds) == 0 && p.Limit != nil {
		d.Currency = p.Limit.Currency
		amount, reason, ok := p.Limit.compute(r.Band, fv, income)
		switch {
		case ok:
			d.Limit = &amount
		case reason.Code == CodeBandNotOffered:
			// The band comes from the score: say which factors held it there.
			groups = append(groups, []Reason{reason}, scoreReasons(r, p.MinScore, nil))
		default:
			groups = append(groups, []Reason{reason})
		}
	}
	d.Reasons = principal(groups...)
	d.Outcome = Approved
	if len(d.Reasons) > 0 {
		d.Outcome = Declined
	}
	return d
}

// principal keeps at most model.MaxReasons reasons: first one from each
// non-empty group, then the rest of each group in order, and returns them
// group by group.
func principal(groups ...[]Reason) []Reason {
	take := make([]int, len(groups))
	total := 0
	for i, g := range groups {
		if len(g) > 0 && total < model.MaxReasons {
			take[i], total = 1, total+1
		}
	}
	for i, g := range groups {
		for take[i] < len(g) && total < model.MaxReasons {
			take[i]++
			total++
		}
	}
	var out []Reason
	for i, g := range groups {
		out = append(out, g[:take[i]]...)
	}
	return out
}

// scoreReasons are the reasons a score falls short: the score's own reasons,
// less those about a feature a failed condition already states. When the
// result has no reasons at all, the weakest dimensions stand in, so that a
// decline never says only that the score was too low.
func scoreReasons(r model.Result, minScore int, conds []Reason) []Reason {
	var out []Reason
	for _, mr := range r.Reasons {
		if slices.ContainsFunc(conds, func(c Reason) bool { return c.Feature == mr.Feature }) {
			continue
		}
		out = append(out, Reason{Code: mr.Code, Source: FromScore, Feature: mr.Feature, Text: mr.Text, PointsLost: mr.PointsLost})
	}
	if len(r.Reasons) > 0 {
		return out
	}
	dims := slices.Clone(r.Dimensions)
	slices.SortStableFunc(dims, func(a, b model.DimensionScore) int {
		return cmp.Compare(a.Score, b.Score)
	})
	for _, ds := range dims {
		if ds.Score < 100 {
			out = append(out, Reason{
				Code: "DIM_" + strings.ToUpper(ds.Dimension), Source: FromScore,
				Text: fmt.Sprintf("%s: %s of the points available earned", dimensionLabel(ds.Dimension), fmtNum(ds.Score)+"%"),
			})
		}
	}
	if len(out) == 0 {
		out = append(out, Reason{Code: CodeScoreNoFactor, Source: FromScore, Text: fmt.Sprintf(
			"Score %d is below this program's minimum of %d although no factor of the model lost points; "+
				"the model gives no one more than this score", r.Score, minScore)})
	}
	return out
}

func dimensionLabel(d string) string {
	s := strings.ReplaceAll(d, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// check reports whether fv meets the condition, and if not, the reason.
func (c Condition) check(fv opencredit.FeatureVector) (Reason, bool) {
	code := c.ReasonCode
	if code == "" {
		code = strings.ToUpper(c.Feature)
	}
	reason := Reason{Code: code, Source: FromProgram, Feature: c.Feature}
	x, ok := fv.Values[c.Feature]
	if !ok || math.IsNaN(x) {
		if c.IfMissing == Pass {
			return Reason{}, true
		}
		reason.Text = fmt.Sprintf("%s: no data on file; this program requires %s and declines without that data",
			c.label(), c.requirement())
		return reason, false
	}
	if c.Op.holds(x, c.Value) {
		return Reason{}, true
	}
	reason.Text = fmt.Sprintf("%s: %s; this program requires %s", c.label(), fmtValue(c.Feature, x), c.requirement())
	return reason, false
}

func (o Op) holds(x, v float64) bool {
	switch o {
	case Less:
		return x < v
	case LessEqual:
		return x <= v
	case Greater:
		return x > v
	case GreaterEqual:
		return x >= v
	case Equal:
		return x == v
	case NotEqual:
		return x != v
	}
	return false
}

// compute returns the credit line for band, or the reason there is none.
func (l *Limit) compute(band string, fv opencredit.FeatureVector, income *float64) (float64, Reason, bool) {
	row, ok := l.Bands[band]
	if !ok {
		return 0, Reason{Code: CodeBandNotOffered, Source: FromProgram, Text: fmt.Sprintf(
			"Score band: %s; this program offers a credit line only in the bands %s", band, strings.Join(sortedKeys(l.Bands), ", "))}, false
	}
	amount := l.Cap
	if row.Amount > 0 {
		amount = min(amount, row.Amount)
	}
	if row.IncomeMultiple > 0 {
		inc, have := l.income(fv, income)
		if have {
			amount = l.round(min(amount, row.IncomeMultiple*inc))
			if amount <= 0 || amount < l.Minimum {
				return 0, Reason{Code: CodeIncomeTooLow, Source: FromProgram, Text: fmt.Sprintf(
					"Verified monthly income: %s; at %s× income the credit line would be %s, below this program's smallest line of %s",
					fmtMoney(inc, l.Currency), fmtNum(row.IncomeMultiple), fmtMoney(amount, l.Currency),
					fmtMoney(max(l.Minimum, l.smallest()), l.Currency))}, false
			}
			return amount, Reason{}, true
		}
		if l.WithoutIncome != NoIncomeBandAmount {
			return 0, Reason{Code: CodeNoIncome, Source: FromProgram, Text: "Verified monthly income: none on file; " +
				"this program sets its credit line from verified income"}, false
		}
	}
	return l.round(amount), Reason{}, true
}

// income is the verified monthly income: the caller's, else the income
// feature's.
func (l *Limit) income(fv opencredit.FeatureVector, income *float64) (float64, bool) {
	usable := func(x float64) bool { return x > 0 && !math.IsInf(x, 0) && !math.IsNaN(x) }
	if income != nil {
		return *income, usable(*income)
	}
	if l.IncomeFeature != "" {
		x, ok := fv.Values[l.IncomeFeature]
		return x, ok && usable(x)
	}
	return 0, false
}

// round rounds a limit down to the step, or to cents.
func (l *Limit) round(x float64) float64 {
	if l.Step > 0 {
		return math.Floor(x/l.Step+1e-9) * l.Step
	}
	return math.Floor(x*100+1e-9) / 100
}

// smallest is the least line the program grants: one step, or one cent.
func (l *Limit) smallest() float64 {
	if l.Step > 0 {
		return l.Step
	}
	return 0.01
}
