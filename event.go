package opencredit

import (
	"encoding/json"
	"time"
)

// Event is one fact about a person's payment behaviour, sent by a data
// furnisher in the CloudEvents 1.0 JSON envelope. Source is the furnisher's
// id, Subject the person's pseudonymous id, Time when the fact happened (a
// statement date, a payment, a return), and Data the type's payload.
type Event struct {
	SpecVersion     string          `json:"specversion"`
	ID              string          `json:"id"`
	Source          string          `json:"source"`
	Type            string          `json:"type"`
	Subject         string          `json:"subject"`
	Time            time.Time       `json:"time"`
	DataContentType string          `json:"datacontenttype,omitempty"`
	Data            json.RawMessage `json:"data"`
}

// Values of the envelope's attributes.
const (
	SpecVersion     = "1.0"              // the CloudEvents version
	DataContentType = "application/json" // the only datacontenttype accepted
)

// IncomeMethods are the ways an income may be verified (IncomeVerified.Method).
var IncomeMethods = []string{"payslip", "bank_statement", "tax_return", "employer"}

// Event types. Each names one payload struct below.
const (
	TypeAccountOpened     = "org.opencredit.account.opened"      // AccountOpened
	TypeAccountStatement  = "org.opencredit.account.statement"   // AccountStatement
	TypeAccountClosed     = "org.opencredit.account.closed"      // AccountClosed
	TypeAccountChargedOff = "org.opencredit.account.charged_off" // AccountChargedOff
	TypePaymentMade       = "org.opencredit.payment.made"        // PaymentMade
	TypePaymentMissed     = "org.opencredit.payment.missed"      // PaymentMissed
	TypeBillPaid          = "org.opencredit.bill.paid"           // BillPaid
	TypeBillMissed        = "org.opencredit.bill.missed"         // BillMissed
	TypeRentalReturned    = "org.opencredit.rental.returned"     // RentalReturned
	TypeRentalOverdue     = "org.opencredit.rental.overdue"      // RentalOverdue
	TypeInquiry           = "org.opencredit.inquiry.made"        // Inquiry
	TypeIncomeVerified    = "org.opencredit.income.verified"     // IncomeVerified
	TypeIdentityVerified  = "org.opencredit.identity.verified"   // IdentityVerified
	TypeCollectionOpened  = "org.opencredit.collection.opened"   // CollectionOpened
	TypeJudgmentFiled     = "org.opencredit.judgment.filed"      // JudgmentFiled
)

// EventTypes lists every event type in a stable order.
var EventTypes = []string{
	TypeAccountOpened, TypeAccountStatement, TypeAccountClosed, TypeAccountChargedOff,
	TypePaymentMade, TypePaymentMissed, TypeBillPaid, TypeBillMissed,
	TypeRentalReturned, TypeRentalOverdue, TypeInquiry, TypeIncomeVerified,
	TypeIdentityVerified, TypeCollectionOpened, TypeJudgmentFiled,
}

// Date is a calendar date, "2026-03-31" in JSON.
type Date string

// Products of credit accounts.
const (
	ProductCard     = "card"     // revolving credit card
	ProductLine     = "line"     // revolving credit line or overdraft
	ProductLoan     = "loan"     // instalment loan
	ProductBNPL     = "bnpl"     // buy now, pay later
	ProductMortgage = "mortgage" // secured instalment loan
)

// Products lists every product of credit accounts.
func Products() []string {
	return []string{ProductCard, ProductLine, ProductLoan, ProductBNPL, ProductMortgage}
}

// Revolving reports whether a product has a credit limit that utilisation is measured against.
func Revolving(product string) bool { return product == ProductCard || product == ProductLine }

// AccountOpened: a credit account was opened (at the event's time).
type AccountOpened struct {
	AccountID   string   `json:"account_id"`
	Product     string   `json:"product"`                // card, line, loan, bnpl, mortgage
	CreditLimit *float64 `json:"credit_limit,omitempty"` // revolving products: required
	Principal   *float64 `json:"principal,omitempty"`    // instalment products: required
	Currency    string   `json:"currency"`               // ISO 4217, e.g. "EUR"
}

// AccountStatement: a periodic statement of an account (the event's time is the statement date).
type AccountStatement struct {
	AccountID   string   `json:"account_id"`
	Balance     float64  `json:"balance"`                // ≥ 0
	CreditLimit *float64 `json:"credit_limit,omitempty"` // revolving products
	MinimumDue  *float64 `json:"minimum_due,omitempty"`
	DaysPastDue int      `json:"days_past_due"` // 0 when current
	Currency    string   `json:"currency"`
}

// AccountClosed: an account was closed.
type AccountClosed struct {
	AccountID string `json:"account_id"`
	Reason    string `json:"reason"` // paid_off, by_consumer, by_lender, transferred
}

// AccountChargedOff: the lender wrote the account off as a loss (a default).
type AccountChargedOff struct {
	AccountID string  `json:"account_id"`
	Amount    float64 `json:"amount"` // > 0
	Currency  string  `json:"currency"`
}

// PaymentMade: a scheduled payment was made (the event's time is when).
type PaymentMade struct {
	AccountID string  `json:"account_id"`
	DueDate   Date    `json:"due_date"`
	Amount    float64 `json:"amount"`     // > 0
	AmountDue float64 `json:"amount_due"` // ≥ 0
	DaysLate  int     `json:"days_late"`  // 0 when on time
	Currency  string  `json:"currency"`
}

// PaymentMissed: a scheduled payment is overdue by DaysPastDue days (30, 60, 90, ...).
type PaymentMissed struct {
	AccountID   string  `json:"account_id"`
	DueDate     Date    `json:"due_date"`
	AmountDue   float64 `json:"amount_due"` // > 0
	DaysPastDue int     `json:"days_past_due"`
	Currency    string  `json:"currency"`
}

// Bill types of everyday obligations.
const (
	BillUtility = "utility"
	BillTelecom = "telecom"
	BillRent    = "rent"
)

// BillPaid: a utility, telecom or rent bill was paid.
type BillPaid struct {
	BillType  string  `json:"bill_type"` // utility, telecom, rent
	AccountID string  `json:"account_id"`
	DueDate   Date    `json:"due_date"`
	Amount    float64 `json:"amount"`
	DaysLate  int     `json:"days_late"`
	Currency  string  `json:"currency"`
}

// BillMissed: a bill is overdue by DaysPastDue days.
type BillMissed struct {
	BillType    string  `json:"bill_type"`
	AccountID   string  `json:"account_id"`
	DueDate     Date    `json:"due_date"`
	Amount      float64 `json:"amount"`
	DaysPastDue int     `json:"days_past_due"`
	Currency    string  `json:"currency"`
}

// RentalReturned: a rented item (bike, car, tool, flat) was returned.
type RentalReturned struct {
	RentalID string    `json:"rental_id"`
	Item     string    `json:"item"`
	DueAt    time.Time `json:"due_at"`
	// The event's time is the return time; DaysLate is derived from it.
	DaysLate int `json:"days_late"`
}

// RentalOverdue: a rented item is overdue by DaysOverdue days.
type RentalOverdue struct {
	RentalID    string    `json:"rental_id"`
	Item        string    `json:"item"`
	DueAt       time.Time `json:"due_at"`
	DaysOverdue int       `json:"days_overdue"` // > 0
}

// Inquiry: a lender asked for the person's score or file.
type Inquiry struct {
	Kind    string `json:"kind"`    // hard (a credit application) or soft
	Purpose string `json:"purpose"` // one of the permissible purposes
	// Counterparty is who asked, for an inquiry the platform records on a
	// lender's pull (FCRA §609(a)(3): the person learns who procured their
	// file); a furnisher's own inquiry leaves it out, its source being who
	// asked.
	Counterparty string `json:"counterparty,omitempty"`
	// Product is what the application is for, when known: one of the
	// account products (card, line, loan, bnpl, mortgage). Hard inquiries
	// for a loan or a mortgage within features.ShoppingWindow of each other
	// are one person shopping for one loan and count as one.
	Product string `json:"product,omitempty"`
}

// IncomeVerified: the person's income was verified.
type IncomeVerified struct {
	MonthlyIncome float64 `json:"monthly_income"` // ≥ 0
	Currency      string  `json:"currency"`
	Method        string  `json:"method"` // payslip, bank_statement, tax_return, employer
}

// IdentityVerified: the person's identity was verified at a level.
type IdentityVerified struct {
	Level  int    `json:"level"`  // 1 basic data match, 2 document, 3 document and liveness
	Method string `json:"method"` // free text, e.g. "passport+selfie"
}

// CollectionOpened: a debt was passed to collection (a default).
type CollectionOpened struct {
	CollectionID     string  `json:"collection_id"`
	Amount           float64 `json:"amount"` // > 0
	Currency         string  `json:"currency"`
	OriginalCreditor string  `json:"original_creditor,omitempty"`
}

// JudgmentFiled: a court judgment or a bankruptcy.
type JudgmentFiled struct {
	CaseID string   `json:"case_id"`
	Kind   string   `json:"kind"` // judgment or bankruptcy
	Amount *float64 `json:"amount,omitempty"`
}
