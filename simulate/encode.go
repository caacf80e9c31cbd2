package simulate

import (
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/opencredit/opencredit"
)

// The simulator writes its JSON itself, for speed: encoding/json spends
// most of its time on reflection and, for an Event's json.RawMessage, on
// compacting data that is compact already. The output is byte for byte
// what encoding/json writes (TestEncodingMatchesEncodingJSON), so readers
// of either cannot tell them apart.

// AppendNDJSON appends the person's events to dst as NDJSON — one JSON
// object and a newline per event — exactly as a json.Encoder would write
// them, and returns the extended slice.
func (p Person) AppendNDJSON(dst []byte) []byte {
	for i := range p.Events {
		dst = appendEvent(dst, &p.Events[i])
		dst = append(dst, '\n')
	}
	return dst
}

// appendEvent appends e as json.Marshal would.
func appendEvent(b []byte, e *opencredit.Event) []byte {
	b = append(b, `{"specversion":`...)
	b = appendString(b, e.SpecVersion)
	b = append(b, `,"id":`...)
	b = appendString(b, e.ID)
	b = append(b, `,"source":`...)
	b = appendString(b, e.Source)
	b = append(b, `,"type":`...)
	b = appendString(b, e.Type)
	b = append(b, `,"subject":`...)
	b = appendString(b, e.Subject)
	b = append(b, `,"time":`...)
	b = appendTime(b, e.Time)
	if e.DataContentType != "" {
		b = append(b, `,"datacontenttype":`...)
		b = appendString(b, e.DataContentType)
	}
	b = append(b, `,"data":`...)
	if len(e.Data) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, e.Data...) // compact already: the simulator wrote it
	}
	return append(b, '}')
}

// appendString appends s as a JSON string. Strings of printable ASCII
// that encoding/json does not escape (it escapes ", \, <, > and &) are
// copied; anything else goes through encoding/json.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendTime appends t as time.Time's MarshalJSON does (RFC 3339 with
// nanoseconds when there are any).
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendFloat appends x as encoding/json writes a float64: the shortest
// decimal that reads back as x, without an exponent between 1e-6 and
// 1e21. The simulator's amounts always fall there; others go through
// encoding/json.
func appendFloat(b []byte, x float64) []byte {
	if a := math.Abs(x); a != 0 && (a < 1e-6 || a >= 1e21) || math.IsNaN(x) || math.IsInf(x, 0) {
		q, _ := json.Marshal(x)
		return append(b, q...)
	}
	return strconv.AppendFloat(b, x, 'f', -1, 64)
}

func appendKey(b []byte, comma bool, key string) []byte {
	if comma {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

// appendPayload appends the JSON of a payload as json.Marshal would, by
// the field order and omitempty rules of the root package's structs.
func appendPayload(b []byte, data any) []byte {
	switch d := data.(type) {
	case *opencredit.AccountStatement:
		b = appendKey(append(b, '{'), false, "account_id")
		b = appendString(b, d.AccountID)
		b = appendFloat(appendKey(b, true, "balance"), d.Balance)
		if d.CreditLimit != nil {
			b = appendFloat(appendKey(b, true, "credit_limit"), *d.CreditLimit)
		}
		if d.MinimumDue != nil {
			b = appendFloat(appendKey(b, true, "minimum_due"), *d.MinimumDue)
		}
		b = strconv.AppendInt(appendKey(b, true, "days_past_due"), int64(d.DaysPastDue), 10)
		b = appendString(appendKey(b, true, "currency"), d.Currency)
	case *opencredit.PaymentMade:
		b = appendKey(append(b, '{'), false, "account_id")
		b = appendString(b, d.AccountID)
		b = appendString(appendKey(b, true, "due_date"), string(d.DueDate))
		b = appendFloat(appendKey(b, true, "amount"), d.Amount)
		b = appendFloat(appendKey(b, true, "amount_due"), d.AmountDue)
		b = strconv.AppendInt(appendKey(b, true, "days_late"), int64(d.DaysLate), 10)
		b = appendString(appendKey(b, true, "currency"), d.Currency)
	case *opencredit.PaymentMissed:
		b = appendKey(append(b, '{'), false, "account_id")
		b = appendString(b, d.AccountID)
		b = appendString(appendKey(b, true, "due_date"), string(d.DueDate))
		b = appendFloat(appendKey(b, true, "amount_due"), d.AmountDue)
		b = strconv.AppendInt(appendKey(b, true, "days_past_due"), int64(d.DaysPastDue), 10)
		b = appendString(appendKey(b, true, "currency"), d.Currency)
	case *opencredit.BillPaid:
		b = appendBill(b, d.BillType, d.AccountID, d.DueDate, d.Amount, "days_late", d.DaysLate, d.Currency)
	case *opencredit.BillMissed:
		b = appendBill(b, d.BillType, d.AccountID, d.DueDate, d.Amount, "days_past_due", d.DaysPastDue, d.Currency)
	default:
		// The rarer types: encoding/json itself.
		q, err := json.Marshal(data)
		if err != nil {
			panic("simulate: encoding a payload: " + err.Error())
		}
		return append(b, q...)
	}
	return append(b, '}')
}

// appendBill appends the fields of a bill.paid or bill.missed payload,
// which differ only in the name of the days field, without the closing
// brace.
func appendBill(b []byte, typ, id string, due opencredit.Date, amount float64, daysKey string, days int, cur string) []byte {
	b = appendKey(append(b, '{'), false, "bill_type")
	b = appendString(b, typ)
	b = appendString(appendKey(b, true, "account_id"), id)
	b = appendString(appendKey(b, true, "due_date"), string(due))
	b = appendFloat(appendKey(b, true, "amount"), amount)
	b = strconv.AppendInt(appendKey(b, true, daysKey), int64(days), 10)
	return appendString(appendKey(b, true, "currency"), cur)
}
