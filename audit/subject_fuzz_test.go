package audit_test

import (
	"testing"

	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
)

// FuzzRecordSubject feeds any bytes to RecordSubject, which the storages
// run on every record they index: no panic; and on the bytes of a record
// that parses, the subject is the record's.
func FuzzRecordSubject(f *testing.F) {
	for _, r := range audittest.SubjectRecords(4) {
		b, err := r.Encode()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"subject":1}`))
	f.Add([]byte(`{"subject":"a","subject":"b"}`))
	f.Add([]byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := audit.RecordSubject(data)
		r, perr := audit.ParseRecord(data)
		if perr == nil && (err != nil || s != r.Subject) {
			t.Fatalf("RecordSubject of a valid record = %q, %v; want %q", s, err, r.Subject)
		}
	})
}
