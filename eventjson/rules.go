package eventjson

import (
	"time"

	"github.com/opencredit/opencredit"
)

// Limits of the validation rules, stated in docs/events.md and the schema files.
const (
	MaxAmount    = 1e12  // largest amount of money accepted
	MaxDays      = 10000 // largest count of days accepted
	MaxIDBytes   = 128   // longest identifier in data (account_id, ...)
	MaxTextBytes = 256   // longest free text in data, and longest envelope attribute
	ClockSkew    = 5 * time.Minute
)

// kind is the rule a payload field follows.
type kind uint8

const (
	kindID       kind = iota // identifier: 1–MaxIDBytes bytes of printable UTF-8
	kindText                 // free text: 1–MaxTextBytes bytes of graphic UTF-8
	kindEnum                 // one of field.enum
	kindCurrency             // ISO 4217 code: three upper-case letters
	kindDate                 // calendar date "YYYY-MM-DD"
	kindTime                 // RFC 3339 timestamp
	kindAmount               // number, 0 ≤ x ≤ MaxAmount
	kindPositive             // number, 0 < x ≤ MaxAmount
	kindInt                  // integer, field.min ≤ x ≤ field.max
)

// field is one field of a payload and its rule.
type field struct {
	name     string // the JSON name
	path     string // "data." + name
	kind     kind
	optional bool
	enum     []string // kindEnum
	min, max int      // kindInt
}

// spec is the payload of one event type.
type spec struct {
	typ    string
	file   string // schema file name
	fields []field
	// build makes the payload struct from the fields' values, in fields order.
	build func(v values) any
	// check applies rules across fields; it returns the index of the field
	// at fault and a message, or -1.
	check func(v values) (int, string)
}

// maxFields is the most fields a payload has.
const maxFields = 6

// value is one decoded field.
type value struct {
	set bool
	s   string
	f   float64
	n   int
	t   time.Time
}

type values [maxFields]value

// ptr returns the number of an optional field, nil when absent.
func (v value) ptr() *float64 {
	if !v.set {
		return nil
	}
	f := v.f
	return &f
}

// Enumerations of payload fields.
var (
	products       = opencredit.Products()
	billTypes      = []string{opencredit.BillUtility, opencredit.BillTelecom, opencredit.BillRent}
	closeReasons   = []string{"paid_off", "by_consumer", "by_lender", "transferred"}
	inquiryKinds   = []string{"hard", "soft"}
	purposes       = opencredit.ScorePurposes()
	judgmentKinds  = []string{"judgment", "bankruptcy"}
	identityLevels = [2]int{1, 3}
)

// Field constructors, to keep the table below readable.
func id(name string) field        { return field{name: name, kind: kindID} }
func text(name string) field      { return field{name: name, kind: kindText} }
func currency() field             { return field{name: "currency", kind: kindCurrency} }
func date(name string) field      { return field{name: name, kind: kindDate} }
func timestamp(name string) field { return field{name: name, kind: kindTime} }
func amount(name string) field    { return field{name: name, kind: kindAmount} }
func positive(name string) field  { return field{name: name, kind: kindPositive} }
func days(name string, min int) field {
	return field{name: name, kind: kindInt, min: min, max: MaxDays}
}
func enum(name string, values []string) field { return field{name: name, kind: kindEnum, enum: values} }
func optional(f field) field                  { f.optional = true; return f }

// specs lists the payload of every event type, fields in the order of the
// struct's fields. TestSpecsMatchStructs holds the names and optionality to
// the structs' json tags.
var specs = []*spec{
	{
		typ: opencredit.TypeAccountOpened,
		fields: []field{id("account_id"), enum("product", products),
			optional(positive("credit_limit")), optional(positive("principal")), currency()},
		build: func(v values) any {
			return &opencredit.AccountOpened{AccountID: v[0].s, Product: v[1].s, CreditLimit: v[2].ptr(), Principal: v[3].ptr(), Currency: v[4].s}
		},
		check: func(v values) (int, string) {
			// Utilisation is measured against a revolving account's limit, and
			// an instalment account's principal is what it started at.
			if opencredit.Revolving(v[1].s) && !v[2].set {
				return 2, "required for a " + v[1].s + " account (revolving credit)"
			}
			if !opencredit.Revolving(v[1].s) && !v[3].set {
				return 3, "required for a " + v[1].s + " account (instalment credit)"
			}
			return -1, ""
		},
	},
	{
		typ: opencredit.TypeAccountStatement,
		fields: []field{id("account_id"), amount("balance"), optional(amount("credit_limit")),
			optional(amount("minimum_due")), days("days_past_due", 0), currency()},
		build: func(v values) any {
			return &opencredit.AccountStatement{AccountID: v[0].s, Balance: v[1].f, CreditLimit: v[2].ptr(), MinimumDue: v[3].ptr(), DaysPastDue: v[4].n, Currency: v[5].s}
		},
	},
	{
		typ:    opencredit.TypeAccountClosed,
		fields: []field{id("account_id"), enum("reason", closeReasons)},
		build: func(v values) any {
			return &opencredit.AccountClosed{AccountID: v[0].s, Reason: v[1].s}
		},
	},
	{
		typ:    opencredit.TypeAccountChargedOff,
		fields: []field{id("account_id"), positive("amount"), currency()},
		build: func(v values) any {
			return &opencredit.AccountChargedOff{AccountID: v[0].s, Amount: v[1].f, Currency: v[2].s}
		},
	},
	{
		typ: opencredit.TypePaymentMade,
		fields: []field{id("account_id"), date("due_date"), positive("amount"), amount("amount_due"),
			days("days_late", 0), currency()},
		build: func(v values) any {
			return &opencredit.PaymentMade{AccountID: v[0].s, DueDate: opencredit.Date(v[1].s), Amount: v[2].f, AmountDue: v[3].f, DaysLate: v[4].n, Currency: v[5].s}
		},
	},
	{
		typ:    opencredit.TypePaymentMissed,
		fields: []field{id("account_id"), date("due_date"), positive("amount_due"), days("days_past_due", 1), currency()},
		build: func(v values) any {
			return &opencredit.PaymentMissed{AccountID: v[0].s, DueDate: opencredit.Date(v[1].s), AmountDue: v[2].f, DaysPastDue: v[3].n, Currency: v[4].s}
		},
	},
	{
		typ: opencredit.TypeBillPaid,
		fields: []field{enum("bill_type", billTypes), id("account_id"), date("due_date"), amount("amount"),
			days("days_late", 0), currency()},
		build: func(v values) any {
			return &opencredit.BillPaid{BillType: v[0].s, AccountID: v[1].s, DueDate: opencredit.Date(v[2].s), Amount: v[3].f, DaysLate: v[4].n, Currency: v[5].s}
		},
	},
	{
		typ: opencredit.TypeBillMissed,
		fields: []field{enum("bill_type", billTypes), id("account_id"), date("due_date"), amount("amount"),
			days("days_past_due", 1), currency()},
		build: func(v values) any {
			return &opencredit.BillMissed{BillType: v[0].s, AccountID: v[1].s, DueDate: opencredit.Date(v[2].s), Amount: v[3].f, DaysPastDue: v[4].n, Currency: v[5].s}
		},
	},
	{
		typ:    opencredit.TypeRentalReturned,
		fields: []field{id("rental_id"), text("item"), timestamp("due_at"), days("days_late", 0)},
		build: func(v values) any {
			return &opencredit.RentalReturned{RentalID: v[0].s, Item: v[1].s, DueAt: v[2].t, DaysLate: v[3].n}
		},
	},
	{
		typ:    opencredit.TypeRentalOverdue,
		fields: []field{id("rental_id"), text("item"), timestamp("due_at"), days("days_overdue", 1)},
		build: func(v values) any {
			return &opencredit.RentalOverdue{RentalID: v[0].s, Item: v[1].s, DueAt: v[2].t, DaysOverdue: v[3].n}
		},
	},
	{
		typ:    opencredit.TypeInquiry,
		fields: []field{enum("kind", inquiryKinds), enum("purpose", purposes), optional(id("counterparty")), optional(enum("product", products))},
		build: func(v values) any {
			return &opencredit.Inquiry{Kind: v[0].s, Purpose: v[1].s, Counterparty: v[2].s, Product: v[3].s}
		},
	},
	{
		typ:    opencredit.TypeIncomeVerified,
		fields: []field{amount("monthly_income"), currency(), enum("method", opencredit.IncomeMethods)},
		build: func(v values) any {
			return &opencredit.IncomeVerified{MonthlyIncome: v[0].f, Currency: v[1].s, Method: v[2].s}
		},
	},
	{
		typ:    opencredit.TypeIdentityVerified,
		fields: []field{{name: "level", kind: kindInt, min: identityLevels[0], max: identityLevels[1]}, text("method")},
		build: func(v values) any {
			return &opencredit.IdentityVerified{Level: v[0].n, Method: v[1].s}
		},
	},
	{
		typ:    opencredit.TypeCollectionOpened,
		fields: []field{id("collection_id"), positive("amount"), currency(), optional(text("original_creditor"))},
		build: func(v values) any {
			return &opencredit.CollectionOpened{CollectionID: v[0].s, Amount: v[1].f, Currency: v[2].s, OriginalCreditor: v[3].s}
		},
	},
	{
		typ:    opencredit.TypeJudgmentFiled,
		fields: []field{id("case_id"), enum("kind", judgmentKinds), optional(amount("amount"))},
		build: func(v values) any {
			return &opencredit.JudgmentFiled{CaseID: v[0].s, Kind: v[1].s, Amount: v[2].ptr()}
		},
	},
}

// specByType finds a spec by its event type.
var specByType = map[string]*spec{}

// typePrefix is the common prefix of the event types, left out of schema
// file names.
const typePrefix = "org.opencredit."

func init() {
	for _, sp := range specs {
		sp.file = sp.typ[len(typePrefix):] + ".json"
		for i := range sp.fields {
			sp.fields[i].path = "data." + sp.fields[i].name
		}
		if len(sp.fields) > maxFields {
			panic("event: " + sp.typ + " has more than maxFields fields")
		}
		specByType[sp.typ] = sp
	}
}
