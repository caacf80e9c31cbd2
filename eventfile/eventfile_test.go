package eventfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
)

func readAll(t testing.TB, r Reader) []Record {
	var out []Record
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rec)
	}
}

func TestNDJSON(t *testing.T) {
	huge := `{"id":"` + strings.Repeat("x", 10<<20) + `"}`
	in := "{\"id\":\"a\"}\n\n  {\"id\":\"b\"}  \r\n" + huge + "\n{\"id\":\"c\"}"
	r, _ := NewReader(strings.NewReader(in), NDJSON)
	recs := readAll(t, r)
	if len(recs) != 4 {
		t.Fatalf("%d records, want 4", len(recs))
	}
	want := []struct {
		line     int
		raw      string
		tooLarge bool
	}{{1, `{"id":"a"}`, false}, {3, `{"id":"b"}`, false}, {4, "", true}, {5, `{"id":"c"}`, false}}
	for i, w := range want {
		if recs[i].Line != w.line || string(recs[i].Raw) != w.raw || recs[i].TooLarge != w.tooLarge {
			t.Errorf("record %d: line %d raw %.20q tooLarge %v; want %+v", i, recs[i].Line, recs[i].Raw, recs[i].TooLarge, w)
		}
	}
}

func TestCSV(t *testing.T) {
	in := "id,source,type,subject,time,data\n" +
		`e1,f1,org.opencredit.inquiry.made,s1,2026-01-02T03:04:05Z,"{""kind"":""hard"",""purpose"":""credit_application""}"` + "\n" +
		"e2,f1,t,s1,2026-01-02T03:04:05Z,not json\n" +
		"e3,f1\n"
	r, err := NewReader(strings.NewReader(in), CSV)
	if err != nil {
		t.Fatal(err)
	}
	recs := readAll(t, r)
	if len(recs) != 3 {
		t.Fatalf("%d records", len(recs))
	}
	var e opencredit.Event
	if err := json.Unmarshal(recs[0].Raw, &e); err != nil || e.ID != "e1" || e.Source != "f1" || e.Subject != "s1" || e.SpecVersion != "1.0" || !bytes.Contains(e.Data, []byte("hard")) {
		t.Errorf("record 1: %+v %v", e, err)
	}
	if recs[1].Line != 3 || recs[1].Err == nil || !strings.Contains(recs[1].Err.Error(), "data") {
		t.Errorf("record 2: %+v", recs[1])
	}
	if recs[2].Line != 4 || recs[2].Err == nil || !strings.Contains(recs[2].Err.Error(), "2 fields") {
		t.Errorf("record 3: %+v", recs[2])
	}
	for _, bad := range []string{"", "id,source\n", "id,source,type,subject,when,data\n"} {
		if _, err := NewReader(strings.NewReader(bad), CSV); opencredit.ErrorCode(err) != opencredit.EINVALID {
			t.Errorf("header %q: %v", bad, err)
		}
	}
}

func TestFormatOf(t *testing.T) {
	if FormatOf("x.CSV") != CSV || FormatOf("x.ndjson") != NDJSON || FormatOf("x.jsonl") != NDJSON {
		t.Error("FormatOf")
	}
}

// FuzzReaders: any bytes, either format: no panic, no record both raw and
// failed, line numbers increase.
func FuzzReaders(f *testing.F) {
	f.Add([]byte("{\"a\":1}\n{\"b\":2}\n"), false)
	f.Add([]byte("id,source,type,subject,time,data\ne,f,t,s,2026-01-01T00:00:00Z,{}\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, csvFormat bool) {
		format := NDJSON
		if csvFormat {
			format = CSV
		}
		r, err := NewReader(bytes.NewReader(data), format)
		if err != nil {
			return
		}
		last := 0
		for {
			rec, err := r.Next()
			if err != nil {
				return
			}
			if rec.Line < last {
				t.Fatalf("line %d after %d", rec.Line, last)
			}
			last = rec.Line
			if rec.Raw != nil && (rec.Err != nil || rec.TooLarge) {
				t.Fatalf("record both raw and failed: %+v", rec)
			}
		}
	})
}
