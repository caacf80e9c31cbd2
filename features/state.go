package features

import (
	"math"
	"slices"
	"strings"
	"time"
)

// State is one subject's history, reduced to what the features need. Every
// collection is kept in a canonical order that depends only on the set of
// events applied, never on the order they came in: this is what makes Apply
// commutative, Equal a plain comparison and MarshalBinary deterministic.
//
// Dated facts keep their exact time (Unix nanoseconds, UTC) rather than only
// their month: the sums of a monthly bucket cannot say which of its events
// happened after an asOf inside that month, and Compute must not let a later
// event leak into an earlier asOf (a point-in-time guarantee that training
// sets depend on). The items are sorted by time, so a month's bucket is a
// contiguous run of them, found by binary search.
type State struct {
	first    int64    // time of the earliest event of any kind; never when none
	identity [3]int64 // identity[l-1]: earliest time level l was verified; never when not
	items    []item   // dated counting facts, sorted by (t, kind, val)
	accounts []account
	incomes  []income // sorted by (t, id, monthly)

	// itemsEnc is the encoding of items[:itemsEncN] that UnmarshalBinary
	// read, for MarshalBinary to copy: new events mostly come last in time,
	// so most batches leave most of a state's encoding as it was.
	itemsEnc  string
	itemsEncN int
}

// never marks a time that has not happened.
const never = math.MaxInt64

// An item is one dated fact that windowed counts and ageing read.
type item struct {
	t    int64
	val  uint32 // days late or past due; 0 for kinds without a delay
	kind uint8
}

// Item kinds. The numbering is part of the binary format.
const (
	kPayMade        = 1  // payment.made, val days_late
	kPayMissed      = 2  // payment.missed, val days_past_due
	kBillPaid       = 3  // bill.paid of a utility or telecom bill, val days_late
	kBillMissed     = 4  // bill.missed of a utility or telecom bill, val days_past_due
	kRentPaid       = 5  // bill.paid with bill_type rent
	kRentMissed     = 6  // bill.missed with bill_type rent
	kRentalReturned = 7  // rental.returned, val days_late
	kRentalOverdue  = 8  // rental.overdue, val days_overdue
	kHardInquiry    = 9  // inquiry.made of kind hard, val the product code (0 when not given)
	kChargeOff      = 10 // account.charged_off
	kCollection     = 11 // collection.opened
	kJudgment       = 12 // judgment.filed of kind judgment
	kBankruptcy     = 13 // judgment.filed of kind bankruptcy
	kindMax         = 13
)

// maxDays caps a delay in days, so that it fits the item and the encoding.
const maxDays = 1 << 24

// account holds what the features need of one credit account, keyed by the
// furnisher (the event's source) and the furnisher's account id.
type account struct {
	source, id string

	opened    bool // an account.opened was applied; openT to openLimit hold the least by openCmp
	openT     int64
	openID    string
	product   uint8
	hasLimit  bool
	openLimit float64

	closed bool
	closeT int64 // earliest account.closed

	stmts []stmt // every statement, sorted by stmtCmp

	stmtsEnc  string // the encoding of stmts[:stmtsEncN], like State.itemsEnc
	stmtsEncN int
}

// Product codes; the numbering is part of the binary format.
const (
	pCard     = 1
	pLine     = 2
	pLoan     = 3
	pBNPL     = 4
	pMortgage = 5
)

var products = [...]string{pCard: "card", pLine: "line", pLoan: "loan", pBNPL: "bnpl", pMortgage: "mortgage"}

func productCode(p string) uint8 {
	for i, s := range products {
		if i > 0 && s == p {
			return uint8(i)
		}
	}
	return 0
}

func revolving(p uint8) bool { return p == pCard || p == pLine }

// stmt is one account statement.
type stmt struct {
	t        int64
	id       string
	balance  float64
	limit    float64 // meaningful when hasLimit
	hasLimit bool
	dpd      uint32
}

// income is one verified monthly income.
type income struct {
	t       int64
	id      string
	monthly float64
}

// NewState returns the state of a person with no events.
func NewState() *State {
	return &State{first: never, identity: [3]int64{never, never, never}}
}

// Equal reports whether s and o hold the same history.
func (s *State) Equal(o *State) bool {
	if s == nil || o == nil {
		return s == o
	}
	return s.first == o.first && s.identity == o.identity &&
		slices.Equal(s.items, o.items) && slices.Equal(s.incomes, o.incomes) &&
		slices.EqualFunc(s.accounts, o.accounts, func(a, b account) bool {
			return a.source == b.source && a.id == b.id &&
				a.opened == b.opened && a.openT == b.openT && a.openID == b.openID &&
				a.product == b.product && a.hasLimit == b.hasLimit && a.openLimit == b.openLimit &&
				a.closed == b.closed && a.closeT == b.closeT && slices.Equal(a.stmts, b.stmts)
		})
}

// The orders below are total over every field, so that two facts that tie on
// the order the definitions name (time, then event id) still sort the same
// way whatever order they came in. Event ids are unique per source only.

func itemCmp(a, b item) int {
	if c := cmpInt(a.t, b.t); c != 0 {
		return c
	}
	if c := cmpInt(a.kind, b.kind); c != 0 {
		return c
	}
	return cmpInt(a.val, b.val)
}

func stmtCmp(a, b stmt) int {
	if c := cmpInt(a.t, b.t); c != 0 {
		return c
	}
	if c := strings.Compare(a.id, b.id); c != 0 {
		return c
	}
	if c := cmpFloat(a.balance, b.balance); c != 0 {
		return c
	}
	if c := cmpBool(a.hasLimit, b.hasLimit); c != 0 {
		return c
	}
	if c := cmpFloat(a.limit, b.limit); c != 0 {
		return c
	}
	return cmpInt(a.dpd, b.dpd)
}

func incomeCmp(a, b income) int {
	if c := cmpInt(a.t, b.t); c != 0 {
		return c
	}
	if c := strings.Compare(a.id, b.id); c != 0 {
		return c
	}
	return cmpFloat(a.monthly, b.monthly)
}

func accountCmp(a *account, source, id string) int {
	if c := strings.Compare(a.source, source); c != 0 {
		return c
	}
	return strings.Compare(a.id, id)
}

// openCmp orders account openings; the least one is kept.
func openCmp(t1 int64, id1 string, p1 uint8, h1 bool, l1 float64, t2 int64, id2 string, p2 uint8, h2 bool, l2 float64) int {
	if c := cmpInt(t1, t2); c != 0 {
		return c
	}
	if c := strings.Compare(id1, id2); c != 0 {
		return c
	}
	if c := cmpInt(p1, p2); c != 0 {
		return c
	}
	if c := cmpBool(h1, h2); c != 0 {
		return c
	}
	return cmpFloat(l1, l2)
}

func cmpInt[T int64 | uint32 | uint8](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpFloat orders finite floats; NaN never reaches the state.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case b:
		return -1
	}
	return 1
}

// Event times must fall in [minTime, maxTime): wide enough for any credit
// history, narrow enough for Unix nanoseconds.
var (
	minTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	minNano = minTime.UnixNano()
	maxNano = maxTime.UnixNano()
)

// clampNanos returns t in Unix nanoseconds, clamped to [minNano−1, maxNano]:
// every event time lies strictly inside, so comparisons with stored times
// keep their meaning for any t.
func clampNanos(t time.Time) int64 {
	switch {
	case t.Before(minTime):
		return minNano - 1
	case !t.Before(maxTime):
		return maxNano
	}
	return t.UnixNano()
}

// monthIndex numbers calendar months: year*12 + month − 1, in UTC.
func monthIndex(t time.Time) int {
	y, m, _ := t.UTC().Date()
	return y*12 + int(m) - 1
}

// monthStart returns the first instant of month index m in Unix nanoseconds,
// clamped like clampNanos.
func monthStart(m int) int64 {
	y, mo := m/12, m%12
	if mo < 0 {
		y, mo = y-1, mo+12
	}
	return clampNanos(time.Date(y, time.Month(mo+1), 1, 0, 0, 0, 0, time.UTC))
}
