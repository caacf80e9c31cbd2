package decision

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/policy"
)

// Program is one product a counterparty decides on with a score: a
// deposit-free rental, a credit line. Its rules are checked in order: the
// minimum score, then each feature condition, then the credit limit.
type Program struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Purpose    string      `json:"purpose"` // one of policy.PermissiblePurposes, never subject_self_access
	MinScore   int         `json:"min_score"`
	Conditions []Condition `json:"conditions,omitempty"`
	Limit      *Limit      `json:"limit,omitempty"`
	// Product is what the program lends, when it is a credit product (card,
	// line, loan, bnpl, mortgage). The hard inquiry a credit_application
	// decision records carries it, so that applications to several lenders
	// for one loan or mortgage count as one (features.ShoppingWindow).
	Product string `json:"product,omitempty"`
}

// Condition is a rule on one feature of the subject's FeatureVector, such as
// worst_days_past_due_24m < 60.
type Condition struct {
	Feature string  `json:"feature"` // a name of features.Registry
	Op      Op      `json:"op"`
	Value   float64 `json:"value"`
	// IfMissing says what an absent feature (no data of that kind on file)
	// does: Fail, the default, declines and says the data is missing; Pass
	// lets the condition hold.
	IfMissing Missing `json:"if_missing,omitempty"`
	// Label names the feature in the decline reason; it defaults to a plain
	// description of the feature ("Worst delay in the last 24 months").
	Label string `json:"label,omitempty"`
	// ReasonCode is the code of the decline reason; it defaults to the
	// feature name in capitals.
	ReasonCode string `json:"reason_code,omitempty"`
}

// Op is a comparison of a feature value with a condition's value.
type Op string

// The comparisons a condition may make.
const (
	Less         Op = "<"
	LessEqual    Op = "<="
	Greater      Op = ">"
	GreaterEqual Op = ">="
	Equal        Op = "=="
	NotEqual     Op = "!="
)

var ops = []Op{Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual}

// Missing is what a condition does when its feature is absent.
type Missing string

// The two rules for a missing feature. The zero value means Fail.
const (
	Fail Missing = "fail" // fail closed: the condition is not met
	Pass Missing = "pass" // the condition holds when there is no data of that kind
)

// Limit sets a credit line from the score band and the verified monthly
// income:
//
//	limit = floor_step(min(amount[band], income_multiple[band] × income, cap))
//
// where a term the band's row leaves out is dropped. A band with no row gets
// no credit line and is declined.
type Limit struct {
	Currency string  `json:"currency,omitempty"` // shown with amounts, e.g. "EUR"
	Cap      float64 `json:"cap"`                // the largest limit, in any band
	// Step rounds the limit down to a multiple of itself (e.g. 50); 0 rounds
	// down to cents.
	Step float64 `json:"step,omitempty"`
	// Minimum is the smallest credit line worth granting; a computed limit
	// below it declines, saying the verified income is too low. 0 means any
	// limit above 0.
	Minimum float64              `json:"minimum,omitempty"`
	Bands   map[string]BandLimit `json:"bands"`
	// IncomeFeature names a FeatureVector value holding the verified monthly
	// income, used when Decide is given no income.
	IncomeFeature string `json:"income_feature,omitempty"`
	// WithoutIncome says what happens when a band's row uses income and none
	// is known: NoIncomeDecline (the default) declines, saying no verified income is
	// on file; NoIncomeBandAmount grants the band's amount, capped.
	WithoutIncome string `json:"without_income,omitempty"`
}

// BandLimit is one row of a Limit's table. At least one field is set.
type BandLimit struct {
	Amount         float64 `json:"amount,omitempty"`          // the band's largest line; 0: none
	IncomeMultiple float64 `json:"income_multiple,omitempty"` // times verified monthly income; 0: income not used
}

// What a Limit does without a verified income.
const (
	NoIncomeDecline    = "decline"
	NoIncomeBandAmount = "band_amount"
)

var programID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// Validate checks a program built in code the way LoadPrograms checks one
// read from a file, and returns the first problem: a refused purpose as
// policy.CheckPurpose's EREFUSED error, wrapped; any other as EINVALID. The
// error names the program and the field.
func (p Program) Validate() error {
	errs := p.problems()
	if len(errs) == 0 {
		return nil
	}
	return errs[0].as(p.name())
}

func (p Program) name() string {
	if p.ID != "" {
		return fmt.Sprintf("program %q", p.ID)
	}
	return "program"
}

// problem is one thing wrong with a program: the field, what is wrong, and
// the wrapped error of a refused purpose.
type problem struct {
	field, msg string
	refused    error
	line       int // in the programs file, when known
}

func (pr problem) as(program string) *opencredit.Error {
	where := program
	if pr.line > 0 {
		where = fmt.Sprintf("line %d: %s", pr.line, program)
	}
	if pr.refused != nil {
		return &opencredit.Error{Code: opencredit.EREFUSED, Message: where + ": " + pr.field, Err: pr.refused}
	}
	if pr.field == "" {
		return opencredit.Errorf(opencredit.EINVALID, "%s: %s", where, pr.msg)
	}
	return opencredit.Errorf(opencredit.EINVALID, "%s: %s: %s", where, pr.field, pr.msg)
}

func (p Program) problems() []problem {
	var out []problem
	bad := func(field, format string, args ...any) {
		out = append(out, problem{field: field, msg: fmt.Sprintf(format, args...)})
	}
	switch {
	case p.ID == "":
		bad("id", "missing")
	case !programID.MatchString(p.ID):
		bad("id", "%q must be 1–64 lower-case letters, digits, '-' or '_', starting with a letter or digit", p.ID)
	}
	if p.Name == "" {
		bad("name", "missing")
	}
	switch err := policy.CheckPurpose(p.Purpose); {
	case p.Purpose == "":
		bad("purpose", "missing; use one of %s", strings.Join(opencredit.LenderPurposes(), ", "))
	case err != nil:
		out = append(out, problem{field: "purpose", refused: err})
	case p.Purpose == opencredit.PurposeSubjectSelfAccess:
		bad("purpose", "subject_self_access is a person reading their own score, never a decision; use one of %s", strings.Join(opencredit.LenderPurposes(), ", "))
	}
	if p.Product != "" && !slices.Contains(opencredit.Products(), p.Product) {
		bad("product", "%q is not one of %s", p.Product, strings.Join(opencredit.Products(), ", "))
	}
	if p.MinScore <= 0 {
		bad("min_score", "must be a positive score, such as 600")
	}
	for i, c := range p.Conditions {
		for _, pr := range c.problems() {
			pr.field = fmt.Sprintf("conditions[%d].%s", i, pr.field)
			out = append(out, pr)
		}
	}
	if p.Limit != nil {
		for _, pr := range p.Limit.problems() {
			pr.field = "limit." + pr.field
			out = append(out, pr)
		}
	}
	return out
}

func (c Condition) problems() []problem {
	var out []problem
	bad := func(field, format string, args ...any) {
		out = append(out, problem{field: field, msg: fmt.Sprintf(format, args...)})
	}
	if c.Feature == "" {
		bad("feature", "missing")
	} else if _, ok := features.Lookup(c.Feature); !ok {
		bad("feature", "unknown feature %q; a condition names one of the features OpenCredit computes: %s", c.Feature, featureNames())
	}
	if !c.Op.valid() {
		bad("op", "%q is not one of < <= > >= == !=", string(c.Op))
	}
	if math.IsNaN(c.Value) || math.IsInf(c.Value, 0) {
		bad("value", "must be a finite number")
	}
	if c.IfMissing != "" && c.IfMissing != Fail && c.IfMissing != Pass {
		bad("if_missing", "%q is not fail or pass", string(c.IfMissing))
	}
	return out
}

func (o Op) valid() bool { return slices.Contains(ops, o) }

func (l *Limit) problems() []problem {
	var out []problem
	bad := func(field, format string, args ...any) {
		out = append(out, problem{field: field, msg: fmt.Sprintf(format, args...)})
	}
	positive := func(field string, x float64, zeroOK bool) {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || (x == 0 && !zeroOK) {
			if zeroOK {
				bad(field, "must be a finite number, 0 or more")
			} else {
				bad(field, "must be a finite number above 0")
			}
		}
	}
	positive("cap", l.Cap, false)
	positive("step", l.Step, true)
	positive("minimum", l.Minimum, true)
	if l.Step > l.Cap && l.Cap > 0 {
		bad("step", "%s is above the cap %s: every line would round down to 0", fmtNum(l.Step), fmtNum(l.Cap))
	}
	if l.Minimum > l.Cap && l.Cap > 0 {
		bad("minimum", "%s is above the cap %s: no one could get a line", fmtNum(l.Minimum), fmtNum(l.Cap))
	}
	if len(l.Bands) == 0 {
		bad("bands", "missing: give at least one band's amount or income_multiple")
	}
	for _, band := range sortedKeys(l.Bands) {
		row := l.Bands[band]
		field := fmt.Sprintf("bands[%q]", band)
		if band == "" {
			bad("bands", "a band name is empty")
		}
		positive(field+".amount", row.Amount, true)
		positive(field+".income_multiple", row.IncomeMultiple, true)
		if row.Amount == 0 && row.IncomeMultiple == 0 {
			bad(field, "give amount, income_multiple or both")
		}
		if row.Amount > 0 && row.Amount < l.Minimum {
			bad(field+".amount", "%s is below the minimum %s: no one in the band could get a line", fmtNum(row.Amount), fmtNum(l.Minimum))
		}
	}
	if l.WithoutIncome != "" && l.WithoutIncome != NoIncomeDecline && l.WithoutIncome != NoIncomeBandAmount {
		bad("without_income", "%q is not decline or band_amount", l.WithoutIncome)
	}
	if l.WithoutIncome == NoIncomeBandAmount {
		for _, band := range sortedKeys(l.Bands) {
			if l.Bands[band].Amount == 0 {
				bad(fmt.Sprintf("bands[%q].amount", band), "missing: without_income: band_amount needs every band's amount")
			}
		}
	}
	return out
}

// CheckScale checks a program against the model it will decide with: the
// minimum score lies within the model's range, and every band the limit
// table names is one of the model's bands. Loading cannot check this,
// because models are configurable; call it when pairing programs with a
// model.
func (p Program) CheckScale(minScore, maxScore int, bands []opencredit.Band) error {
	if p.MinScore < minScore || p.MinScore > maxScore {
		return opencredit.Errorf(opencredit.EINVALID, "%s: min_score: %d is outside the model's range %d–%d",
			p.name(), p.MinScore, minScore, maxScore)
	}
	if p.Limit == nil {
		return nil
	}
	names := map[string]bool{}
	for _, b := range bands {
		names[b.Name] = true
	}
	for _, band := range sortedKeys(p.Limit.Bands) {
		if !names[band] {
			return opencredit.Errorf(opencredit.EINVALID, "%s: limit.bands: %q is not one of the model's bands (%s)",
				p.name(), band, bandNames(bands))
		}
	}
	return nil
}
