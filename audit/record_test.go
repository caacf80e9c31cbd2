package audit_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenRecords are the records of testdata/records.golden, one per line.
// The file pins the canonical encoding: a change to it changes the hash of
// every record ever written, and must come with a new record version.
func goldenRecords() []audit.Record {
	paris := time.FixedZone("CET", 3600)
	return []audit.Record{
		{
			Time: time.Date(2024, 3, 1, 10, 30, 0, 123456789, paris), Client: "bank-7", Role: "lender",
			Purpose: "credit_application", Subject: "s-000123", Action: audit.ActionScore,
			Result:    audit.Result{Score: 642, Band: "good", Reasons: []string{"PH01", "CA03", "NC02", "HS01"}, Model: "m-2024-02"},
			RequestID: "req-0001",
		},
		{
			Time: time.Date(2024, 3, 1, 9, 31, 0, 0, time.UTC), Client: "bikes", Role: "lender",
			Purpose: "rental_deposit_waiver", Subject: "s-000123", Action: audit.ActionDecision,
			Result:    audit.Result{Score: 590, Band: "fair", Decision: "declined", Reasons: []string{"PH01"}, Model: "m-2024-02"},
			RequestID: "req-0002",
		},
		{
			Time: time.Date(2024, 3, 1, 9, 32, 0, 1, time.UTC), Client: "power-co", Role: "furnisher",
			Action: audit.ActionEvents, Result: audit.Result{Items: 250}, RequestID: "req-0003",
		},
		{
			Time: time.Date(2024, 3, 1, 9, 33, 0, 0, time.UTC), Client: "hr-firm", Role: "lender",
			Purpose: "employment", Subject: "s-000123", Action: audit.ActionScore,
			Result: audit.Result{Error: opencredit.EREFUSED}, RequestID: "req-0004",
		},
		{
			// Escapes: quote, backslash and non-ASCII text pass through as JSON needs.
			Time: time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.UTC), Client: `c"\x`, Role: "subject",
			Purpose: "subject_self_access", Subject: "s-ü", Action: audit.ActionSubjectData,
			RequestID: "",
		},
	}
}

func TestEncodeGolden(t *testing.T) {
	var got bytes.Buffer
	for _, r := range goldenRecords() {
		b, err := r.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(b) {
			t.Errorf("not JSON: %s", b)
		}
		got.Write(b)
		got.WriteByte('\n')
	}
	path := filepath.Join("testdata", "records.golden")
	if *update {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("canonical encoding changed (go test -update rewrites it; a change needs a new record version):\n got %s\nwant %s", got.Bytes(), want)
	}
}

func TestParseRecordRoundTrip(t *testing.T) {
	for _, r := range goldenRecords() {
		b, err := r.Encode()
		if err != nil {
			t.Fatal(err)
		}
		back, err := audit.ParseRecord(b)
		if err != nil {
			t.Fatalf("ParseRecord(%s): %v", b, err)
		}
		if !back.Time.Equal(r.Time) {
			t.Errorf("time %v, want %v", back.Time, r.Time)
		}
		back.Time, r.Time = time.Time{}, time.Time{}
		if !reflect.DeepEqual(back, r) {
			t.Errorf("ParseRecord(%s) =\n%+v, want\n%+v", b, back, r)
		}
	}
}

func TestParseRecordRefusesNonCanonical(t *testing.T) {
	b, err := goldenRecords()[0].Encode()
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for name, in := range map[string]string{
		"space":          strings.Replace(s, `"client":`, `"client": `, 1),
		"field order":    strings.Replace(s, `"role":"lender","purpose":"credit_application"`, `"purpose":"credit_application","role":"lender"`, 1),
		"zero written":   strings.Replace(s, `"result":{`, `"result":{"items":0,`, 1),
		"time precision": strings.Replace(s, `.123456789Z`, `.123456789000Z`, 1),
		"time zone":      strings.Replace(s, `09:30:00.123456789Z`, `10:30:00.123456789+01:00`, 1),
		"escape":         strings.Replace(s, `"bank-7"`, `"bank\u002d7"`, 1),
		"unknown field":  strings.Replace(s, `"request"`, `"name":"Ann","request"`, 1),
		"trailing":       s + " ",
		"version":        strings.Replace(s, `"v":1`, `"v":2`, 1),
		"missing field":  strings.Replace(s, `"subject":"s-000123",`, ``, 1),
	} {
		if in == s {
			t.Fatalf("%s: test bug, nothing replaced", name)
		}
		if _, err := audit.ParseRecord([]byte(in)); opencredit.ErrorCode(err) != opencredit.EINVALID {
			t.Errorf("%s: ParseRecord(%s) = %v, want %s", name, in, err, opencredit.EINVALID)
		}
	}
}

func TestValidate(t *testing.T) {
	ok := goldenRecords()[0]
	for _, c := range []struct {
		name  string
		edit  func(*audit.Record)
		field string
	}{
		{"no time", func(r *audit.Record) { r.Time = time.Time{} }, "time"},
		{"year 10000", func(r *audit.Record) { r.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "time"},
		{"no client", func(r *audit.Record) { r.Client = "" }, "client"},
		{"no action", func(r *audit.Record) { r.Action = "" }, "action"},
		{"long subject", func(r *audit.Record) { r.Subject = strings.Repeat("x", audit.MaxFieldBytes+1) }, "subject"},
		{"bad UTF-8", func(r *audit.Record) { r.Purpose = "\xff" }, "purpose"},
		{"newline", func(r *audit.Record) { r.RequestID = "a\nb" }, "request"},
		{"empty reason", func(r *audit.Record) { r.Result.Reasons = []string{"A", ""} }, "result.reasons[1]"},
		{"many reasons", func(r *audit.Record) { r.Result.Reasons = make([]string, audit.MaxReasons+1) }, "result.reasons"},
		{"negative score", func(r *audit.Record) { r.Result.Score = -1 }, "result.score"},
		{"negative items", func(r *audit.Record) { r.Result.Items = -1 }, "result.items"},
	} {
		r := ok
		r.Result.Reasons = append([]string(nil), ok.Result.Reasons...)
		c.edit(&r)
		_, err := r.Encode()
		if opencredit.ErrorCode(err) != opencredit.EINVALID || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: Encode = %v, want %s naming %s", c.name, err, opencredit.EINVALID, c.field)
		}
	}
}

// FuzzParseRecord checks that ParseRecord never panics and that whatever
// it accepts encodes back to the very same bytes.
func FuzzParseRecord(f *testing.F) {
	for _, r := range goldenRecords() {
		b, _ := r.Encode()
		f.Add(b)
	}
	f.Add([]byte(`{"v":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := audit.ParseRecord(data)
		if err != nil {
			return
		}
		b, err := r.Encode()
		if err != nil || !bytes.Equal(b, data) {
			t.Fatalf("ParseRecord accepted %q, which encodes to %q, %v", data, b, err)
		}
	})
}
