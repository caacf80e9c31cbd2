package eventjson

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

// testNow is the moment of ingestion in these tests.
var testNow = time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)

// baseEvent is a valid event; tests change one thing in it at a time.
const baseEvent = `{"specversion":"1.0","id":"e1","source":"furnisher-01","type":"org.opencredit.payment.missed",` +
	`"subject":"s0000001","time":"2026-03-31T09:30:00Z","datacontenttype":"application/json",` +
	`"data":{"account_id":"acc-1001","due_date":"2026-02-25","amount_due":50,"days_past_due":30,"currency":"EUR"}}`

// mkEvent returns an event of type typ with data.
func mkEvent(typ, data string) []byte {
	return []byte(`{"specversion":"1.0","id":"e1","source":"furnisher-01","type":"` + typ +
		`","subject":"s0000001","time":"2026-03-31T09:30:00Z","data":` + data + `}`)
}

// edit returns baseEvent with old replaced by new, which must be there.
func edit(t *testing.T, old, new string) []byte {
	t.Helper()
	if !strings.Contains(baseEvent, old) {
		t.Fatalf("baseEvent has no %q", old)
	}
	return []byte(strings.Replace(baseEvent, old, new, 1))
}

// data returns an event of type typ whose data is the example with old
// replaced by new.
func data(t *testing.T, typ, old, new string) []byte {
	t.Helper()
	ex := examples[typ]
	if !strings.Contains(ex, old) {
		t.Fatalf("the example of %s has no %q", typ, old)
	}
	return mkEvent(typ, strings.Replace(ex, old, new, 1))
}

type reject struct {
	name   string
	in     []byte
	reason string
	path   string
	msg    string // a part of the message, if set
}

func rejects(t *testing.T) []reject {
	const (
		inv  = opencredit.ReasonInvalid
		unk  = opencredit.ReasonUnknownType
		fut  = opencredit.ReasonFutureTime
		big  = opencredit.ReasonTooLarge
		pm   = opencredit.TypePaymentMissed
		ao   = opencredit.TypeAccountOpened
		stmt = opencredit.TypeAccountStatement
	)
	huge := make([]byte, 10<<20)
	copy(huge, baseEvent)
	justOver := append(edit(t, `"e1"`, `"`+strings.Repeat("x", opencredit.MaxEventBytes)+`"`)[:opencredit.MaxEventBytes-1], '}', '}')
	return []reject{
		// Size, checked before parsing.
		{"10 MB", huge, big, "", "10485760 bytes"},
		{"one byte over", justOver, big, "", ""},

		// Malformed JSON, with the byte offset.
		{"empty", []byte(""), inv, "", "byte offset 0: unexpected end of input"},
		{"cut short", []byte(baseEvent[:40]), inv, "", "byte offset 40: unexpected end of input"},
		{"missing value", []byte(`{"id":}`), inv, "", "byte offset 6: invalid character '}'"},
		{"trailing comma", []byte(`{"id":"e1",}`), inv, "", "byte offset 11"},
		{"single quotes", []byte(`{'id':'e1'}`), inv, "", "byte offset 1"},
		{"after the end", []byte(baseEvent + ` {}`), inv, "", "after the end of the top-level value"},
		{"bad literal", edit(t, `"datacontenttype":"application/json"`, `"flag":nul`), inv, "", "expecting \"null\""},
		{"bad number", edit(t, `"amount_due":50`, `"amount_due":05`), inv, "", "expecting ',' or '}'"},
		{"bad fraction", edit(t, `"amount_due":50`, `"amount_due":5.`), inv, "", "after the decimal point"},
		{"invalid UTF-8", edit(t, `"s0000001"`, "\"s\xff\""), inv, "", "invalid UTF-8"},
		{"raw control character", edit(t, `"s0000001"`, "\"s\n1\""), inv, "", "control character U+000A"},
		{"bad escape", edit(t, `"s0000001"`, `"s\x41"`), inv, "", `invalid escape \x`},
		{"lone high surrogate", edit(t, `"s0000001"`, `"s\ud800"`), inv, "", "high surrogate"},
		{"lone low surrogate", edit(t, `"s0000001"`, `"s\udc00x"`), inv, "", "low surrogate"},
		{"deep nesting", edit(t, `"datacontenttype":"application/json"`, `"x":`+strings.Repeat("[", 2000)), inv, "", "nested more than 1000 deep"},
		{"syntax error wins", edit(t, `"id":"e1"`, `"id":5,"x":[1 2]`), inv, "", "byte offset"},
		{"not an object", []byte(`["e1"]`), inv, "", "must be a JSON object, not an array"},
		{"a byte order mark", []byte("\ufeff" + baseEvent), inv, "", "byte offset 0"},

		// Names given twice.
		{"attribute twice", edit(t, `"id":"e1"`, `"id":"e1","id":"e2"`), inv, "id", "given twice"},
		{"field twice", edit(t, `"amount_due":50`, `"amount_due":50,"amount_due":60`), inv, "data.amount_due", "given twice"},
		{"extension twice", edit(t, `"datacontenttype":"application/json"`, `"ext1":"a","ext1":"b"`), inv, "ext1", "given twice"},

		// The envelope.
		{"specversion missing", edit(t, `"specversion":"1.0",`, ``), inv, "specversion", "required"},
		{"specversion 0.3", edit(t, `"1.0"`, `"0.3"`), inv, "specversion", `must be "1.0"`},
		{"specversion a number", edit(t, `"1.0"`, `1.0`), inv, "specversion", "must be a string, not a number"},
		{"id missing", edit(t, `"id":"e1",`, ``), inv, "id", "required"},
		{"id empty", edit(t, `"id":"e1"`, `"id":""`), inv, "id", "must not be empty"},
		{"id too long", edit(t, `"id":"e1"`, `"id":"`+strings.Repeat("x", 257)+`"`), inv, "id", "at most 256 bytes, not 257"},
		{"id with a control character", edit(t, `"id":"e1"`, `"id":"e\u0007"`), inv, "id", "U+0007"},
		{"id with a bidi override", edit(t, `"id":"e1"`, `"id":"e\u202e1"`), inv, "id", "U+202E"},
		{"id null", edit(t, `"id":"e1"`, `"id":null`), inv, "id", "must be a string, not null"},
		{"source missing", edit(t, `"source":"furnisher-01",`, ``), inv, "source", "required"},
		{"source an object", edit(t, `"source":"furnisher-01"`, `"source":{}`), inv, "source", "not an object"},
		{"subject missing", edit(t, `"subject":"s0000001",`, ``), inv, "subject", "required"},
		{"type missing", edit(t, `"type":"org.opencredit.payment.missed",`, ``), inv, "type", "required"},
		{"time missing", edit(t, `"time":"2026-03-31T09:30:00Z",`, ``), inv, "time", "required"},
		{"time not RFC 3339", edit(t, `2026-03-31T09:30:00Z`, `2026-03-31 09:30:00`), inv, "time", "RFC 3339"},
		{"time without zone", edit(t, `2026-03-31T09:30:00Z`, `2026-03-31T09:30:00`), inv, "time", "RFC 3339"},
		{"time month 13", edit(t, `2026-03-31T09:30:00Z`, `2026-13-31T09:30:00Z`), inv, "time", "RFC 3339"},
		{"time escaped", edit(t, `2026-03-31T09:30:00Z`, `2026-03-31T09:30:00\u005a`), inv, "time", "RFC 3339"},
		{"time offset 24h", edit(t, `2026-03-31T09:30:00Z`, `2026-03-31T09:30:00+24:00`), inv, "time", "less than 24 hours"},
		{"time before 1970", edit(t, `2026-03-31T09:30:00Z`, `1969-12-31T23:59:59Z`), inv, "time", "before 1970"},
		{"time a number", edit(t, `"2026-03-31T09:30:00Z"`, `1774949400`), inv, "time", "must be a string"},
		{"time in the future", edit(t, `2026-03-31T09:30:00Z`, `2026-04-01T12:05:01Z`), fut, "time", "at most 5m0s of clock skew"},
		{"time far in the future", edit(t, `2026-03-31T09:30:00Z`, `9999-12-31T23:59:59Z`), fut, "time", ""},
		{"datacontenttype text/plain", edit(t, `"application/json"`, `"text/plain"`), inv, "datacontenttype", "or absent"},
		{"data missing", edit(t, `,"data":{"account_id":"acc-1001","due_date":"2026-02-25","amount_due":50,"days_past_due":30,"currency":"EUR"}`, ``), inv, "data", "required"},
		{"data a string", mkEvent(pm, `"{}"`), inv, "data", "must be a JSON object, not a string"},
		{"data null", mkEvent(pm, `null`), inv, "data", "not null"},
		{"data an array", mkEvent(pm, `[]`), inv, "data", "not an array"},
		{"data_base64", edit(t, `"datacontenttype":"application/json"`, `"data_base64":"e30="`), inv, "data_base64", "binary data"},
		{"extension upper case", edit(t, `"datacontenttype":"application/json"`, `"Traceparent":"x"`), inv, "Traceparent", "lower-case letters"},
		{"extension with a dash", edit(t, `"datacontenttype":"application/json"`, `"trace-id":"x"`), inv, `["trace-id"]`, "lower-case letters"},
		{"extension misspelt attribute", edit(t, `"id":"e1"`, `"ID":"e1"`), inv, "id", "required"},
		{"extension like an attribute", edit(t, `"datacontenttype":"application/json"`, `"Subject":"s2"`), inv, "Subject", `did you mean "subject"?`},
		{"extension empty name", edit(t, `"datacontenttype":"application/json"`, `"":"x"`), inv, `[""]`, "lower-case letters"},
		{"extension an object", edit(t, `"datacontenttype":"application/json"`, `"ext":{"a":1}`), inv, "ext", "not an object"},
		{"unknown type", edit(t, `"org.opencredit.payment.missed"`, `"org.opencredit.payment.late"`), unk, "type", "not one of the 15 OpenCredit event types; see the README"},
		{"unknown type, long", edit(t, `"org.opencredit.payment.missed"`, `"`+strings.Repeat("t", 200)+`"`), unk, "type", "…"},
		{"type case", edit(t, `"org.opencredit.payment.missed"`, `"org.opencredit.Payment.missed"`), unk, "type", ""},

		// Precedence: invalid before unknown type, before the payload,
		// before the clock.
		{"bad id and unknown type", edit(t, `"id":"e1","source":"furnisher-01","type":"org.opencredit.payment.missed"`, `"id":"","source":"furnisher-01","type":"x"`), inv, "id", ""},
		{"future and bad data", edit(t, `"2026-03-31T09:30:00Z","datacontenttype":"application/json","data":{"account_id":"acc-1001"`, `"2030-01-01T00:00:00Z","datacontenttype":"application/json","data":{"account_id":""`), inv, "data.account_id", ""},
		{"data before type", []byte(`{"data":{"account_id":"acc-1001","due_date":"2026-02-25","amount_due":50,"days_past_due":0,"currency":"EUR"},"specversion":"1.0","id":"e1","source":"f","type":"org.opencredit.payment.missed","subject":"s","time":"2026-03-31T09:30:00Z"}`), inv, "data.days_past_due", "must be 1 or more"},

		// The payload.
		{"unknown field", data(t, pm, `"currency":"EUR"`, `"currency":"EUR","note":"x"`), inv, "data.note", "unknown field; the data of org.opencredit.payment.missed has account_id, due_date, amount_due, days_past_due, currency"},
		{"unknown field, odd name", data(t, pm, `"currency":"EUR"`, `"currency":"EUR","a b":1`), inv, `data["a b"]`, "unknown field"},
		{"field case", data(t, pm, `"account_id"`, `"Account_ID"`), inv, "data.Account_ID", "unknown field"},
		{"field missing", data(t, pm, `"account_id":"acc-1001",`, ``), inv, "data.account_id", "required"},
		{"string for a number", data(t, pm, `"amount_due":50`, `"amount_due":"50"`), inv, "data.amount_due", "must be a number, not a string"},
		{"number for a string", data(t, pm, `"acc-1001"`, `1001`), inv, "data.account_id", "must be a string, not a number"},
		{"boolean for an integer", data(t, pm, `"days_past_due":30`, `"days_past_due":true`), inv, "data.days_past_due", "must be an integer, not a boolean"},
		{"null for an optional field", data(t, stmt, `"minimum_due":25`, `"minimum_due":null`), inv, "data.minimum_due", "not null"},
		{"object for a string", data(t, pm, `"EUR"`, `{"code":"EUR"}`), inv, "data.currency", "not an object"},
		{"account_id empty", data(t, pm, `"acc-1001"`, `""`), inv, "data.account_id", "must not be empty"},
		{"account_id too long", data(t, pm, `"acc-1001"`, `"`+strings.Repeat("a", 129)+`"`), inv, "data.account_id", "at most 128 bytes"},
		{"account_id with a tab", data(t, pm, `"acc-1001"`, `"acc\t1001"`), inv, "data.account_id", "U+0009"},
		{"product", data(t, ao, `"card"`, `"cards"`), inv, "data.product", `must be one of card, line, loan, bnpl, mortgage; not "cards"`},
		{"bill_type", data(t, opencredit.TypeBillPaid, `"utility"`, `"water"`), inv, "data.bill_type", "utility, telecom, rent"},
		{"close reason", data(t, opencredit.TypeAccountClosed, `"paid_off"`, `"paid"`), inv, "data.reason", "paid_off, by_consumer, by_lender, transferred"},
		{"inquiry kind", data(t, opencredit.TypeInquiry, `"hard"`, `"Hard"`), inv, "data.kind", "hard, soft"},
		{"inquiry purpose", data(t, opencredit.TypeInquiry, `"credit_application"`, `"employment_screening"`), inv, "data.purpose", "credit_application, account_review, rental_deposit_waiver, subject_self_access"},
		{"identity level 0", data(t, opencredit.TypeIdentityVerified, `"level":3`, `"level":0`), inv, "data.level", "must be 1 or more"},
		{"identity level 4", data(t, opencredit.TypeIdentityVerified, `"level":3`, `"level":4`), inv, "data.level", "must be at most 3"},
		{"identity method empty", data(t, opencredit.TypeIdentityVerified, `"passport+selfie"`, `""`), inv, "data.method", "must not be empty"},
		{"judgment kind", data(t, opencredit.TypeJudgmentFiled, `"kind":"judgment"`, `"kind":"fine"`), inv, "data.kind", "judgment, bankruptcy"},
		{"income method", data(t, opencredit.TypeIncomeVerified, `"payslip"`, `"guess"`), inv, "data.method", "payslip, bank_statement, tax_return, employer"},
		{"negative amount", data(t, opencredit.TypeBillPaid, `64.2`, `-64.2`), inv, "data.amount", "must be 0 or more"},
		{"zero where more than 0", data(t, pm, `"amount_due":50`, `"amount_due":0`), inv, "data.amount_due", "must be more than 0"},
		{"zero charge-off", data(t, opencredit.TypeAccountChargedOff, `2380.55`, `-0`), inv, "data.amount", "must be more than 0"},
		{"amount over 1e12", data(t, opencredit.TypeBillPaid, `64.2`, `1.0000001e12`), inv, "data.amount", "at most 1e12"},
		{"amount overflowing", data(t, opencredit.TypeBillPaid, `64.2`, `1e400`), inv, "data.amount", "at most 1e12"},
		{"income negative", data(t, opencredit.TypeIncomeVerified, `2850`, `-1`), inv, "data.monthly_income", "0 or more"},
		{"days_past_due 0 when missed", data(t, pm, `"days_past_due":30`, `"days_past_due":0`), inv, "data.days_past_due", "must be 1 or more"},
		{"bill days_past_due 0", data(t, opencredit.TypeBillMissed, `"days_past_due":30`, `"days_past_due":0`), inv, "data.days_past_due", "must be 1 or more"},
		{"days_past_due negative", data(t, stmt, `"days_past_due":0`, `"days_past_due":-1`), inv, "data.days_past_due", "must be 0 or more"},
		{"days_past_due over 10000", data(t, stmt, `"days_past_due":0`, `"days_past_due":10001`), inv, "data.days_past_due", "must be at most 10000"},
		{"days_past_due huge", data(t, stmt, `"days_past_due":0`, `"days_past_due":99999999999999999999999`), inv, "data.days_past_due", "must be at most 10000"},
		{"days_late a fraction", data(t, opencredit.TypePaymentMade, `"days_late":0`, `"days_late":1.5`), inv, "data.days_late", "integer written with digits only"},
		{"days_late with an exponent", data(t, opencredit.TypePaymentMade, `"days_late":0`, `"days_late":3e1`), inv, "data.days_late", "integer written with digits only"},
		{"days_late 30.0", data(t, opencredit.TypePaymentMade, `"days_late":0`, `"days_late":30.0`), inv, "data.days_late", "integer"},
		{"days_overdue 0", data(t, opencredit.TypeRentalOverdue, `"days_overdue":7`, `"days_overdue":0`), inv, "data.days_overdue", "must be 1 or more"},
		{"rental days_late negative", data(t, opencredit.TypeRentalReturned, `"days_late":0`, `"days_late":-2`), inv, "data.days_late", "0 or more"},
		{"currency lower case", data(t, pm, `"EUR"`, `"eur"`), inv, "data.currency", `three upper-case letters`},
		{"currency four letters", data(t, pm, `"EUR"`, `"EURO"`), inv, "data.currency", `not "EURO"`},
		{"due_date not a calendar date", data(t, pm, `2026-02-25`, `2026-02-29`), inv, "data.due_date", `"2026-02-29" is not a calendar date`},
		{"due_date year 1", data(t, pm, `2026-02-25`, `0001-01-01`), inv, "data.due_date", `"0001-01-01" is out of range: a date is from 1970 to 2199`},
		{"due_date year 2200", data(t, pm, `2026-02-25`, `2200-01-01`), inv, "data.due_date", "out of range"},
		{"due_date unpadded", data(t, pm, `2026-02-25`, `2026-2-25`), inv, "data.due_date", "YYYY-MM-DD"},
		{"due_date a timestamp", data(t, pm, `2026-02-25`, `2026-02-25T00:00:00Z`), inv, "data.due_date", "YYYY-MM-DD"},
		{"due_at not RFC 3339", data(t, opencredit.TypeRentalReturned, `2026-03-20T18:00:00Z`, `2026-03-20`), inv, "data.due_at", "RFC 3339"},
		{"item with a line break", data(t, opencredit.TypeRentalReturned, `"bike"`, `"bi\nke"`), inv, "data.item", "U+000A"},
		{"original_creditor empty", data(t, opencredit.TypeCollectionOpened, `"furnisher-03"`, `""`), inv, "data.original_creditor", "must not be empty"},
		{"card without credit_limit", data(t, ao, `"credit_limit":2500,`, ``), inv, "data.credit_limit", "required for a card account"},
		{"card with credit_limit 0", data(t, ao, `"credit_limit":2500`, `"credit_limit":0`), inv, "data.credit_limit", "more than 0"},
		{"loan without principal", data(t, ao, `"product":"card"`, `"product":"loan"`), inv, "data.principal", "required for a loan account"},
		{"mortgage with principal 0", data(t, ao, `"product":"card","credit_limit":2500`, `"product":"mortgage","principal":0`), inv, "data.principal", "more than 0"},
		{"judgment amount negative", data(t, opencredit.TypeJudgmentFiled, `4200`, `-4200`), inv, "data.amount", "0 or more"},
		{"empty data", mkEvent(opencredit.TypeInquiry, `{}`), inv, "data.kind", "required"},
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, c := range rejects(t) {
		e, p, prob := Decode(c.in, testNow)
		switch {
		case prob == nil:
			t.Errorf("%s: accepted", c.name)
			continue
		case prob.Reason != c.reason || prob.Path != c.path || !strings.Contains(prob.Message, c.msg):
			t.Errorf("%s: got %s %q %q, want %s %q containing %q", c.name, prob.Reason, prob.Path, prob.Message, c.reason, c.path, c.msg)
		case p != nil || e.Data != nil:
			t.Errorf("%s: a payload or data with a problem", c.name)
		}
		if len(prob.Message) > 600 {
			t.Errorf("%s: a message of %d bytes", c.name, len(prob.Message))
		}
	}
}

// TestDecodeAccepts decodes an example of every type, and compares the
// payload with what encoding/json reads from the same data.
func TestDecodeAccepts(t *testing.T) {
	for _, typ := range opencredit.EventTypes {
		in := mkEvent(typ, examples[typ])
		e, p, prob := Decode(in, testNow)
		if prob != nil {
			t.Errorf("%s: %v", typ, prob)
			continue
		}
		want := reflect.New(payloadTypes[typ])
		if err := json.Unmarshal([]byte(examples[typ]), want.Interface()); err != nil {
			t.Fatal(err)
		}
		if reflect.TypeOf(p) != want.Type() || !sameJSON(p, want.Interface()) {
			t.Errorf("%s: payload %#v, want %#v", typ, p, want.Interface())
		}
		if e.Type != typ || e.ID != "e1" || e.Source != "furnisher-01" || e.Subject != "s0000001" || e.SpecVersion != "1.0" ||
			!e.Time.Equal(time.Date(2026, 3, 31, 9, 30, 0, 0, time.UTC)) || e.DataContentType != "" || string(e.Data) != examples[typ] {
			t.Errorf("%s: event %+v", typ, e)
		}
	}
}

func TestDecodeAcceptsVariants(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
	}{
		{"extensions", edit(t, `"datacontenttype":"application/json"`, `"traceparent":"00-ab","partitionkey":7,"sampled":true,"dataschema":"x","nothing":null`)},
		{"white space", []byte(" \n\t" + strings.ReplaceAll(baseEvent, ",", " ,\r\n ") + "\n")},
		{"data first", []byte(`{"data":{"account_id":"acc-1001","due_date":"2026-02-25","amount_due":50,"days_past_due":30,"currency":"EUR"},"specversion":"1.0","id":"e1","source":"f","type":"org.opencredit.payment.missed","subject":"s","time":"2026-03-31T09:30:00Z"}`)},
		{"escapes", edit(t, `"id":"e1"`, `"\u0069d":"\u00e9\ud83d\ude00\"\\\/"`)},
		{"clock skew", edit(t, `2026-03-31T09:30:00Z`, `2026-04-01T12:05:00Z`)},
		{"offset", edit(t, `2026-03-31T09:30:00Z`, `2026-03-31T09:30:00.123+02:00`)},
		{"1970", edit(t, `2026-03-31T09:30:00Z`, `1970-01-01T00:00:00Z`)},
		{"leap day", data(t, opencredit.TypePaymentMissed, `2026-02-25`, `2024-02-29`)},
		{"amount 1e12", data(t, opencredit.TypeBillPaid, `64.2`, `1e12`)},
		{"amount 0", data(t, opencredit.TypeBillPaid, `64.2`, `0`)},
		{"days -0", data(t, opencredit.TypeBillPaid, `"days_late":0`, `"days_late":-0`)},
		{"days 10000", data(t, opencredit.TypeBillPaid, `"days_late":0`, `"days_late":10000`)},
		{"loan", data(t, opencredit.TypeAccountOpened, `"product":"card","credit_limit":2500`, `"product":"loan","principal":12000`)},
		{"judgment without amount", data(t, opencredit.TypeJudgmentFiled, `,"amount":4200`, ``)},
		{"collection without creditor", data(t, opencredit.TypeCollectionOpened, `,"original_creditor":"furnisher-03"`, ``)},
		{"text with a no-break space", data(t, opencredit.TypeRentalReturned, `"bike"`, `"cargo\u00a0bike"`)},
	} {
		if _, p, prob := Decode(c.in, testNow); prob != nil || p == nil {
			t.Errorf("%s: %v", c.name, prob)
		}
	}
}

// TestValidate checks envelopes parsed by encoding/json, as an HTTP batch is.
func TestValidate(t *testing.T) {
	parse := func(b []byte) *opencredit.Event {
		var e opencredit.Event
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatal(err)
		}
		return &e
	}
	p, prob := Validate(parse([]byte(baseEvent)), testNow)
	if prob != nil {
		t.Fatal(prob)
	}
	if m, ok := p.(*opencredit.PaymentMissed); !ok || m.DaysPastDue != 30 || m.AccountID != "acc-1001" {
		t.Fatalf("payload %#v", p)
	}
	for _, c := range []struct {
		name         string
		e            *opencredit.Event
		reason, path string
	}{
		{"zero", &opencredit.Event{}, opencredit.ReasonInvalid, "specversion"},
		{"no time", parse(edit(t, `"time":"2026-03-31T09:30:00Z",`, ``)), opencredit.ReasonInvalid, "time"},
		{"unknown type", parse(edit(t, `"org.opencredit.payment.missed"`, `"x.y"`)), opencredit.ReasonUnknownType, "type"},
		{"future", parse(edit(t, `2026-03-31T09:30:00Z`, `2027-01-01T00:00:00Z`)), opencredit.ReasonFutureTime, "time"},
		{"bad field", parse(edit(t, `"currency":"EUR"`, `"currency":"E"`)), opencredit.ReasonInvalid, "data.currency"},
		{"data null", parse(edit(t, `"data":{"account_id":"acc-1001","due_date":"2026-02-25","amount_due":50,"days_past_due":30,"currency":"EUR"}`, `"data":null`)), opencredit.ReasonInvalid, "data"},
		{"malformed data", &opencredit.Event{SpecVersion: "1.0", ID: "e", Source: "f", Subject: "s", Type: opencredit.TypeInquiry, Time: testNow, Data: []byte(`{"kind":"hard",}`)}, opencredit.ReasonInvalid, "data"},
		{"trailing data", &opencredit.Event{SpecVersion: "1.0", ID: "e", Source: "f", Subject: "s", Type: opencredit.TypeInquiry, Time: testNow, Data: []byte(`{"kind":"hard","purpose":"account_review"} 1`)}, opencredit.ReasonInvalid, "data"},
		{"huge data", &opencredit.Event{Data: make([]byte, opencredit.MaxEventBytes+1)}, opencredit.ReasonTooLarge, "data"},
		{"bad UTF-8 id", &opencredit.Event{SpecVersion: "1.0", ID: "e\xff", Source: "f", Subject: "s", Type: opencredit.TypeInquiry, Time: testNow, Data: []byte(`{"kind":"hard","purpose":"account_review"}`)}, opencredit.ReasonInvalid, "id"},
		{"offset 24h", &opencredit.Event{SpecVersion: "1.0", ID: "e", Source: "f", Subject: "s", Type: opencredit.TypeInquiry, Time: testNow.In(time.FixedZone("", 25*3600)), Data: []byte(`{"kind":"hard","purpose":"account_review"}`)}, opencredit.ReasonInvalid, "time"},
	} {
		p, prob := Validate(c.e, testNow)
		if prob == nil || p != nil || prob.Reason != c.reason || prob.Path != c.path {
			t.Errorf("%s: got %v, want %s at %q", c.name, prob, c.reason, c.path)
		}
	}
}

func TestPayload(t *testing.T) {
	for _, typ := range opencredit.EventTypes {
		e, want, prob := Decode(mkEvent(typ, examples[typ]), testNow)
		if prob != nil {
			t.Fatal(prob)
		}
		// Payload has no clock: a stored event is not refused for its time.
		e.Time = time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC)
		got, err := Payload(e)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Payload = %#v, %v; want %#v", typ, got, err, want)
		}
	}
	for _, e := range []opencredit.Event{
		{Type: "x"},
		{Type: opencredit.TypeInquiry},
		{Type: opencredit.TypeInquiry, Data: []byte(`[]`)},
		{Type: opencredit.TypeInquiry, Data: []byte(`{"kind":"hard"`)},
		{Type: opencredit.TypeInquiry, Data: []byte(`{"kind":"hard"}`)},
	} {
		if p, err := Payload(e); err == nil || p != nil {
			t.Errorf("Payload(%s %s) = %v, %v", e.Type, e.Data, p, err)
		} else if _, ok := err.(*Problem); !ok {
			t.Errorf("Payload error %T", err)
		}
	}
}

func TestProblemError(t *testing.T) {
	for _, c := range []struct {
		p    Problem
		want string
	}{
		{Problem{opencredit.ReasonInvalid, "data.days_past_due", "must be 0 or more"}, "data.days_past_due: must be 0 or more"},
		{Problem{opencredit.ReasonTooLarge, "", "the event is too large"}, "the event is too large"},
	} {
		if got := c.p.Error(); got != c.want {
			t.Errorf("Error() = %q, want %q", got, c.want)
		}
	}
	r := (&Problem{opencredit.ReasonInvalid, "id", "required"}).Result()
	if r.Status != opencredit.Rejected || r.Reason != opencredit.ReasonInvalid || r.Detail != "id: required" {
		t.Errorf("Result() = %+v", r)
	}
}

// TestDecodeCopies checks that a decoded event keeps no reference to the
// input, which callers reuse.
func TestDecodeCopies(t *testing.T) {
	in := []byte(baseEvent)
	e, p, prob := Decode(in, testNow)
	if prob != nil {
		t.Fatal(prob)
	}
	before, _ := json.Marshal(e)
	beforeP, _ := json.Marshal(p)
	for i := range in {
		in[i] = 'x'
	}
	after, _ := json.Marshal(e)
	afterP, _ := json.Marshal(p)
	if !bytes.Equal(before, after) || !bytes.Equal(beforeP, afterP) {
		t.Error("the event changed with its input")
	}
}

// sameJSON reports whether a and b encode alike (time.Time values with
// equal instants and offsets but distinct *Location compare unequal with
// reflect.DeepEqual).
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// TestDecodePartialEvent checks that a refused event still tells which it
// was, for the log.
func TestDecodePartialEvent(t *testing.T) {
	e, _, prob := Decode(edit(t, `"days_past_due":30`, `"days_past_due":0`), testNow)
	if prob == nil || e.ID != "e1" || e.Source != "furnisher-01" || e.Subject != "s0000001" || e.Type != opencredit.TypePaymentMissed || e.Data != nil {
		t.Errorf("got %+v, %v", e, prob)
	}
	e, _, _ = Decode(edit(t, `"id":"e1"`, `"id":"e\u0000"`), testNow)
	if e.ID != "" || e.Source != "furnisher-01" {
		t.Errorf("an invalid id was kept: %+v", e)
	}
}
