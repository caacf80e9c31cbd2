package audit

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/opencredit/opencredit"
)

// Actions a record names. Others are accepted; these are the ones the
// scoring service writes.
const (
	ActionScore       = "score"        // a score was requested
	ActionDecision    = "decision"     // a program decision was requested
	ActionEvents      = "events"       // a furnisher sent events
	ActionSubjectData = "subject_data" // a subject's own data was read or exported

	// An operator's reads, the same from the API and the operators' pages.
	ActionModelRead   = "model_read"    // the model in service
	ActionModelsRead  = "models_read"   // the model registry or one of its models
	ActionAuditRead   = "audit_read"    // the audit log's records
	ActionProgramRead = "programs_read" // the programs
)

// Limits on one record, so that a log entry stays small and a caller cannot
// smuggle a payload into it.
const (
	MaxFieldBytes  = 256  // any one string field
	MaxReasons     = 16   // reason codes in a Result
	MaxRecordBytes = 8192 // the canonical encoding
)

// recordVersion is written first in every record. A later encoding gets a
// new number; records already in the log keep their bytes, and so their hashes.
const recordVersion = 1

// Record is one audited access: who asked (client and role), why (purpose),
// about whom (subject), what they did (action), what they got (result), when,
// and under which request id.
//
// A Record holds no personal data beyond the subject's id: Result has fields
// only for scores, bands, decisions and reason codes, never a name or a
// national id.
type Record struct {
	Time      time.Time // when the access was served; encoded in UTC, to the nanosecond
	Client    string    // the API client's id
	Role      string    // furnisher, lender, operator, subject
	Purpose   string    // the permissible purpose the client stated
	Subject   string    // the subject's id; empty for an access that names none
	Action    string    // one of the Action constants, or another short name
	Result    Result    // what was returned
	RequestID string    // ties the record to the server's request log
}

// Result summarises what an access returned. Zero fields are left out of the
// encoding.
type Result struct {
	Score    int      // the score, 350–950
	Band     string   // the score's band
	Decision string   // approved or declined
	Reasons  []string // reason codes, in the order they were returned
	Model    string   // the id of the model that scored
	Items    int      // events accepted, or items of subject data returned
	Error    string   // the error code when the access was refused or failed
}

// Encode returns the record's canonical encoding: the bytes that are stored
// and hashed. It is JSON with a fixed field order and no insignificant
// whitespace, written by hand rather than by encoding/json so that no change
// of library behaviour can ever change the bytes of a record:
//
//	{"v":1,"time":"2024-03-01T09:30:00.000000000Z","client":"c","role":"lender",
//	 "purpose":"credit_application","subject":"s","action":"score",
//	 "result":{"score":640,"band":"good","reasons":["R01"]},"request":"r"}
//
// (one line). Every top-level field is always present; a Result field is left
// out when it is zero. Strings are escaped as JSON requires and no further:
// '"', '\\' and control characters. Encode fails with EINVALID for a record
// that Validate rejects.
func (r Record) Encode() ([]byte, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return r.appendCanonical(make([]byte, 0, 256)), nil
}

// timeLayout has a fixed nine-digit fraction, so every time has one spelling.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func (r Record) appendCanonical(b []byte) []byte {
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, recordVersion, 10)
	b = append(b, `,"time":"`...)
	b = r.Time.UTC().AppendFormat(b, timeLayout)
	b = append(b, '"')
	b = appendField(b, "client", r.Client)
	b = appendField(b, "role", r.Role)
	b = appendField(b, "purpose", r.Purpose)
	b = appendField(b, "subject", r.Subject)
	b = appendField(b, "action", r.Action)
	b = append(b, `,"result":{`...)
	mark := len(b)
	res := r.Result
	if res.Score != 0 {
		b = append(b, `"score":`...)
		b = strconv.AppendInt(b, int64(res.Score), 10)
	}
	if res.Band != "" {
		b = appendField(b, "band", res.Band)
	}
	if res.Decision != "" {
		b = appendField(b, "decision", res.Decision)
	}
	if len(res.Reasons) > 0 {
		b = append(b, `,"reasons":[`...)
		for i, c := range res.Reasons {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, c)
		}
		b = append(b, ']')
	}
	if res.Model != "" {
		b = appendField(b, "model", res.Model)
	}
	if res.Items != 0 {
		b = append(b, `,"items":`...)
		b = strconv.AppendInt(b, int64(res.Items), 10)
	}
	if res.Error != "" {
		b = appendField(b, "error", res.Error)
	}
	if len(b) > mark && b[mark] == ',' {
		// The first field written inside result carries a comma it must not have.
		b = append(b[:mark], b[mark+1:]...)
	}
	b = append(b, '}')
	b = appendField(b, "request", r.RequestID)
	return append(b, '}')
}

// appendField appends ,"key":"value".
func appendField(b []byte, key, value string) []byte {
	b = append(b, ',', '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return appendString(b, value)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Validate has already refused
// control characters and invalid UTF-8; the escapes here keep the output
// valid JSON whatever it is given.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// Validate reports, as an EINVALID error naming the field, what makes r
// unfit for the log: a zero time or one outside years 0–9999, a missing
// client or action, a string that is too long, not UTF-8 or holds a control
// character, a negative number, or too many reasons.
func (r Record) Validate() error {
	if r.Time.IsZero() {
		return opencredit.Errorf(opencredit.EINVALID, "audit: record: time is missing")
	}
	if y := r.Time.UTC().Year(); y < 0 || y > 9999 {
		return opencredit.Errorf(opencredit.EINVALID, "audit: record: time %s is outside years 0–9999", r.Time)
	}
	if r.Client == "" {
		return opencredit.Errorf(opencredit.EINVALID, "audit: record: client is missing")
	}
	if r.Action == "" {
		return opencredit.Errorf(opencredit.EINVALID, "audit: record: action is missing")
	}
	fields := []struct{ name, value string }{
		{"client", r.Client}, {"role", r.Role}, {"purpose", r.Purpose}, {"subject", r.Subject},
		{"action", r.Action}, {"request", r.RequestID}, {"result.band", r.Result.Band},
		{"result.decision", r.Result.Decision}, {"result.model", r.Result.Model}, {"result.error", r.Result.Error},
	}
	for _, f := range fields {
		if err := checkString(f.name, f.value); err != nil {
			return err
		}
	}
	if len(r.Result.Reasons) > MaxReasons {
		return opencredit.Errorf(opencredit.EINVALID, "audit: record: result.reasons has %d codes, more than %d", len(r.Result.Reasons), MaxReasons)
	}
	for i, c := range r.Result.Reasons {
		if c == "" {
			return opencredit.Errorf(opencredit.EINVALID, "audit: record: result.reasons[%d] is empty", i)
		}
		if err := checkString("result.reasons["+strconv.Itoa(i)+"]", c); err != nil {
			return err
		}
	}
	if r.Result.Score < 0 {
		return opencredit.Errorf(opencredit.EINVALID, "audit: record: result.score %d is negative", r.Result.Score)
	}
	if r.Result.Items < 0 {
		return opencredit.Errorf(opencredit.EINVALID, "audit: record: result.items %d is negative", r.Result.Items)
	}
	return nil
}

func checkString(name, s string) error {
	if len(s) > MaxFieldBytes {
		return opencredit.Errorf(opencredit.EINVALID, "audit: record: %s is %d bytes, more than %d", name, len(s), MaxFieldBytes)
	}
	if !utf8.ValidString(s) {
		return opencredit.Errorf(opencredit.EINVALID, "audit: record: %s is not valid UTF-8", name)
	}
	for _, c := range s {
		if unicode.IsControl(c) {
			return opencredit.Errorf(opencredit.EINVALID, "audit: record: %s holds the control character %U", name, c)
		}
	}
	return nil
}

// wireRecord mirrors the canonical encoding for decoding only.
type wireRecord struct {
	V       *int    `json:"v"`
	Time    *string `json:"time"`
	Client  *string `json:"client"`
	Role    *string `json:"role"`
	Purpose *string `json:"purpose"`
	Subject *string `json:"subject"`
	Action  *string `json:"action"`
	Result  *struct {
		Score    int      `json:"score"`
		Band     string   `json:"band"`
		Decision string   `json:"decision"`
		Reasons  []string `json:"reasons"`
		Model    string   `json:"model"`
		Items    int      `json:"items"`
		Error    string   `json:"error"`
	} `json:"result"`
	Request *string `json:"request"`
}

// ParseRecord decodes a record from its canonical encoding. It accepts only
// the canonical bytes: data that decodes but would encode differently (other
// field order, spacing, escapes, a zero field written out) is refused, so
// that one record has exactly one encoding and one hash.
func ParseRecord(data []byte) (Record, error) {
	if len(data) > MaxRecordBytes {
		return Record{}, opencredit.Errorf(opencredit.EINVALID, "audit: record is %d bytes, more than %d", len(data), MaxRecordBytes)
	}
	var w wireRecord
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Record{}, &opencredit.Error{Code: opencredit.EINVALID, Message: "audit: record is not valid JSON", Err: err}
	}
	if w.V == nil || *w.V != recordVersion {
		return Record{}, opencredit.Errorf(opencredit.EINVALID, "audit: record has no version %d", recordVersion)
	}
	for _, f := range []struct {
		name string
		p    *string
	}{{"time", w.Time}, {"client", w.Client}, {"role", w.Role}, {"purpose", w.Purpose}, {"subject", w.Subject}, {"action", w.Action}, {"request", w.Request}} {
		if f.p == nil {
			return Record{}, opencredit.Errorf(opencredit.EINVALID, "audit: record has no %q field", f.name)
		}
	}
	if w.Result == nil {
		return Record{}, opencredit.Errorf(opencredit.EINVALID, "audit: record has no \"result\" field")
	}
	t, err := time.Parse(timeLayout, *w.Time)
	if err != nil {
		return Record{}, &opencredit.Error{Code: opencredit.EINVALID, Message: "audit: record: bad time", Err: err}
	}
	r := Record{
		Time: t, Client: *w.Client, Role: *w.Role, Purpose: *w.Purpose, Subject: *w.Subject,
		Action: *w.Action, RequestID: *w.Request,
		Result: Result{
			Score: w.Result.Score, Band: w.Result.Band, Decision: w.Result.Decision,
			Reasons: w.Result.Reasons, Model: w.Result.Model, Items: w.Result.Items, Error: w.Result.Error,
		},
	}
	again, err := r.Encode()
	if err != nil {
		return Record{}, err
	}
	if !bytes.Equal(again, data) {
		return Record{}, opencredit.Errorf(opencredit.EINVALID, "audit: record is not in canonical form")
	}
	return r, nil
}
