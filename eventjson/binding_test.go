package eventjson

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
)

const missedData = `{"account_id":"acc-1001","due_date":"2026-02-25","amount_due":50,"days_past_due":30,"currency":"EUR"}`

// binaryHeaders are baseEvent's attributes as binary-mode headers, in
// http.Header's canonical case.
func binaryHeaders() map[string][]string {
	return map[string][]string{
		"Ce-Specversion": {"1.0"},
		"Ce-Id":          {"e1"},
		"Ce-Source":      {"furnisher-01"},
		"Ce-Type":        {"org.opencredit.payment.missed"},
		"Ce-Subject":     {"s0000001"},
		"Ce-Time":        {"2026-03-31T09:30:00Z"},
		"Content-Type":   {"application/json"},
		"Authorization":  {"Bearer x"}, // not an attribute: ignored
	}
}

// TestDecodeBinary: the binary mode of baseEvent decodes to the event
// Decode reads from baseEvent itself, with its payload.
func TestDecodeBinary(t *testing.T) {
	want, wantP, prob := Decode([]byte(baseEvent), testNow)
	if prob != nil {
		t.Fatal(prob)
	}
	h := binaryHeaders()
	h["Ce-Traceparent"] = []string{"00-abc-01"} // an extension: allowed, ignored
	h["Content-Type"] = []string{"application/json; charset=UTF-8"}
	got, p, prob := DecodeBinary(h, []byte(missedData), testNow)
	if prob != nil {
		t.Fatal(prob)
	}
	if !sameJSON(got, want) || !sameJSON(p, wantP) {
		t.Errorf("binary mode gives %+v %+v, want %+v %+v", got, p, want, wantP)
	}
}

// TestDecodeBinaryHeaderValues: values are unquoted and percent-decoded as
// §3.1.3.2 says, lower-case hex included, and an overlong UTF-8 encoding is
// refused.
func TestDecodeBinaryHeaderValues(t *testing.T) {
	for _, c := range []struct{ in, want, problem string }{
		{"Euro%20%E2%82%AC%20%F0%9F%98%80", "Euro € 😀", ""}, // the spec's example
		{"e%c3%a9", "eé", ""},
		{`"quoted \"id\""`, `quoted "id"`, ""},
		{"  padded\t", "padded", ""},
		{"%C0%A0", "", "not UTF-8"},
		{"bad%2", "", "not a percent-encoded byte"},
		{"bad%zz", "", "not a percent-encoded byte"},
		{`"open`, "", "without its closing quote"},
		{`"a"b`, "", "after its quoted string"},
	} {
		h := binaryHeaders()
		h["Ce-Id"] = []string{c.in}
		e, _, prob := DecodeBinary(h, []byte(missedData), testNow)
		switch {
		case c.problem == "" && (prob != nil || e.ID != c.want):
			t.Errorf("ce-id %q: id %q, %v; want %q", c.in, e.ID, prob, c.want)
		case c.problem != "" && (prob == nil || prob.Path != "ce-id" || !strings.Contains(prob.Message, c.problem)):
			t.Errorf("ce-id %q: %v, want a ce-id problem with %q", c.in, prob, c.problem)
		}
	}
}

// TestDecodeBinaryRejects: each refusal names the header or the body field.
func TestDecodeBinaryRejects(t *testing.T) {
	cases := []struct {
		name   string
		change func(h map[string][]string)
		body   string
		reason string
		path   string
		msg    string
	}{
		{"no id", func(h map[string][]string) { delete(h, "Ce-Id") }, missedData, "invalid", "ce-id", "header is missing"},
		{"no specversion", func(h map[string][]string) { delete(h, "Ce-Specversion") }, missedData, "invalid", "ce-specversion", "header is missing"},
		{"bad time", func(h map[string][]string) { h["Ce-Time"] = []string{"yesterday"} }, missedData, "invalid", "ce-time", ""},
		{"future", func(h map[string][]string) { h["Ce-Time"] = []string{"2030-01-01T00:00:00Z"} }, missedData, "future_time", "ce-time", ""},
		{"unknown type", func(h map[string][]string) { h["Ce-Type"] = []string{"com.example.post"} }, missedData, "unknown_type", "ce-type", ""},
		{"id twice", func(h map[string][]string) { h["Ce-Id"] = []string{"a", "b"} }, missedData, "invalid", "ce-id", "given twice"},
		{"id twice, two cases", func(h map[string][]string) { h["ce-id"] = []string{"b"} }, missedData, "invalid", "ce-id", "given twice"},
		{"datacontenttype header", func(h map[string][]string) { h["Ce-Datacontenttype"] = []string{"application/json"} }, missedData, "invalid", "ce-datacontenttype", "must not be sent"},
		{"data header", func(h map[string][]string) { h["Ce-Data"] = []string{"{}"} }, missedData, "invalid", "ce-data", "the data is the body"},
		{"bad extension name", func(h map[string][]string) { h["Ce-Trace_id"] = []string{"x"} }, missedData, "invalid", "ce-trace_id", "lower-case letters"},
		{"no content type", func(h map[string][]string) { delete(h, "Content-Type") }, missedData, "invalid", "Content-Type", "is required"},
		{"xml", func(h map[string][]string) { h["Content-Type"] = []string{"application/xml"} }, missedData, "invalid", "Content-Type", "application/xml is not accepted"},
		{"latin-1", func(h map[string][]string) { h["Content-Type"] = []string{"application/json; charset=latin1"} }, missedData, "invalid", "Content-Type", "charset=latin1"},
		{"empty body", nil, " ", "invalid", "data", "the body is empty"},
		{"body not an object", nil, `[1]`, "invalid", "data", "must be a JSON object"},
		{"trailing data smuggles an attribute", nil, missedData + `,"extra":"x"`, "invalid", "data", "after the end of the top-level value"},
		{"broken body", nil, `{"account_id":`, "invalid", "data", "malformed JSON"},
		{"bad field", nil, strings.Replace(missedData, `"days_past_due":30`, `"days_past_due":-1`, 1), "invalid", "data.days_past_due", ""},
		{"field twice", nil, strings.Replace(missedData, `"currency":"EUR"`, `"currency":"EUR","currency":"USD"`, 1), "invalid", "data.currency", "given twice"},
	}
	for _, c := range cases {
		h := binaryHeaders()
		if c.change != nil {
			c.change(h)
		}
		e, p, prob := DecodeBinary(h, []byte(c.body), testNow)
		if prob == nil {
			t.Errorf("%s: accepted %+v", c.name, e)
			continue
		}
		if prob.Reason != c.reason || prob.Path != c.path || !strings.Contains(prob.Message, c.msg) {
			t.Errorf("%s: %s %q %q, want %s %q with %q", c.name, prob.Reason, prob.Path, prob.Message, c.reason, c.path, c.msg)
		}
		if p != nil || e.Data != nil {
			t.Errorf("%s: refused with a payload or data", c.name)
		}
	}
	// A NUL byte after the value is not the end of the input (FuzzSplitBatch
	// found reader.end taking it for one, which Decode shared).
	if _, _, prob := Decode([]byte(baseEvent+"\x00"), testNow); prob == nil || !strings.Contains(prob.Message, "byte 0x00") {
		t.Errorf("an event followed by a NUL byte: %v, want refused", prob)
	}
	big := `{"account_id":"` + strings.Repeat("a", opencredit.MaxEventBytes) + `"}`
	if _, _, prob := DecodeBinary(binaryHeaders(), []byte(big), testNow); prob == nil || prob.Reason != opencredit.ReasonTooLarge {
		t.Errorf("a body over the limit: %v, want too_large", prob)
	}
}

// TestSplitBatch: a JSON array splits into its events as written; what is
// not an array of objects is refused with the element and the offset.
func TestSplitBatch(t *testing.T) {
	other := strings.Replace(baseEvent, `"id":"e1"`, `"id":"e2"`, 1)
	got, prob := SplitBatch([]byte(" [ " + baseEvent + " ,\n" + other + "] \n"))
	if prob != nil || len(got) != 2 || string(got[0]) != baseEvent || string(got[1]) != other {
		t.Fatalf("split %q, %v", got, prob)
	}
	if got, prob := SplitBatch([]byte("[ ]")); prob != nil || got == nil || len(got) != 0 {
		t.Errorf("empty batch: %q, %v; want an empty batch", got, prob)
	}
	for _, c := range []struct{ in, msg string }{
		{``, "unexpected end of input"},
		{baseEvent, "must be a JSON array, not an object"},
		{`[` + baseEvent, "expecting ',' or ']'"},
		{`[` + baseEvent + `,]`, `[1]: an event must be a JSON object`},
		{`[` + baseEvent + `,1]`, `[1]: an event must be a JSON object, not a number`},
		{`[` + baseEvent + `] []`, "after the end of the top-level value"},
		{`[{"a":}]`, "malformed JSON at byte offset 6"},
		{"[]\x00", "invalid character byte 0x00 after the end"}, // found by FuzzSplitBatch
	} {
		if _, prob := SplitBatch([]byte(c.in)); prob == nil || !strings.Contains(prob.Error(), c.msg) {
			t.Errorf("%q: %v, want %q", c.in, prob, c.msg)
		}
	}
}

// FuzzDecodeBinary: DecodeBinary never panics, refuses with a reason and a
// path, and what it accepts is the event Decode accepts from the same
// attributes in the JSON format.
func FuzzDecodeBinary(f *testing.F) {
	f.Add("e1", "2026-03-31T09:30:00Z", "application/json", "x", []byte(missedData))
	f.Add("Euro%20%E2%82%AC", "2026-03-31T09:30:00.5+02:00", "application/json; charset=utf-8", `"q\"x"`, []byte(missedData))
	f.Add("%C0%A0", "2030-01-01T00:00:00Z", "text/plain", "%zz", []byte(`{"a":1}`))
	f.Add(`"e1"`, "2026-03-31T09:30:00Z", "application/json", "", []byte(missedData+`,"id":"x"`))
	f.Fuzz(func(t *testing.T, id, tm, ct, ext string, body []byte) {
		h := binaryHeaders()
		h["Ce-Id"], h["Ce-Time"], h["Content-Type"], h["Ce-Ext1"] = []string{id}, []string{tm}, []string{ct}, []string{ext}
		e, p, prob := DecodeBinary(h, body, testNow)
		if prob != nil {
			if prob.Reason == "" || prob.Message == "" || p != nil || e.Data != nil {
				t.Fatalf("refusal %+v with payload %v, data %q", prob, p, e.Data)
			}
			return
		}
		// The same event in the JSON format decodes the same.
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		e2, p2, prob := Decode(b, testNow)
		if prob != nil || !sameJSON(e, e2) || !sameJSON(p, p2) {
			t.Fatalf("%s decodes to %+v %v, binary mode gave %+v", b, e2, prob, e)
		}
		if !json.Valid(body) {
			t.Fatalf("accepted a body that is not JSON: %q", body)
		}
	})
}

// FuzzSplitBatch: SplitBatch never panics; what it accepts encoding/json
// reads as an array of exactly those objects.
func FuzzSplitBatch(f *testing.F) {
	f.Add([]byte(`[` + baseEvent + `]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{},{"a":[1,{"b":"]"}]}]`))
	f.Add([]byte(`[{}, 1]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		parts, prob := SplitBatch(in)
		if prob != nil {
			if prob.Message == "" || parts != nil {
				t.Fatalf("refusal %+v with parts", prob)
			}
			return
		}
		var arr []json.RawMessage
		if err := json.Unmarshal(in, &arr); err != nil {
			t.Fatalf("accepted what encoding/json refuses: %v", err)
		}
		if len(arr) != len(parts) {
			t.Fatalf("%d parts, encoding/json reads %d", len(parts), len(arr))
		}
		for i := range arr {
			if string(arr[i]) != string(parts[i]) || parts[i][0] != '{' {
				t.Fatalf("part %d: %q, encoding/json reads %q", i, parts[i], arr[i])
			}
		}
	})
}
