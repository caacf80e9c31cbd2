package audit

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/opencredit/opencredit"
)

// SubjectIndex is implemented by a Storage that indexes records by their
// subject (sqlite.AuditStorage and postgres.AuditStorage: a subject column
// filled at Append, migration audit/0002). Log.SubjectRecords uses it, and
// scans the whole log when the storage has none.
type SubjectIndex interface {
	// SubjectRecords calls fn for at most limit records whose subject is
	// subject, with index n >= from, in increasing n. A record the index
	// could not read the subject of (damaged bytes) is not listed; Verify
	// finds it.
	SubjectRecords(ctx context.Context, subject string, from int64, limit int, fn func(n int64, data []byte) error) error
}

// RecordSubject returns the subject of a record in its canonical
// encoding, "" for a record that names none: what a SubjectIndex indexes.
// It reads the one field, without checking the rest.
func RecordSubject(data []byte) (string, error) {
	var w struct {
		Subject *string `json:"subject"`
	}
	if err := json.Unmarshal(data, &w); err != nil || w.Subject == nil {
		return "", &opencredit.Error{Code: opencredit.EINVALID, Message: "audit: the record has no subject field to index", Err: err}
	}
	return *w.Subject, nil
}

// Entry is a record of the log and its index, the number an inclusion
// proof (Log.Proof) is asked for.
type Entry struct {
	N      int64
	Record Record
}

// MaxSubjectPage bounds the entries one SubjectRecords call returns.
const MaxSubjectPage = 1000

// SubjectRecords returns at most limit records (1 to MaxSubjectPage) about
// subject, from index from on, oldest first: the person's access history.
// A record that does not parse fails the call (EINTERNAL): the log is
// damaged, and Verify says where.
func (l *Log) SubjectRecords(ctx context.Context, subject string, from int64, limit int) ([]Entry, error) {
	if subject == "" {
		return nil, opencredit.Errorf(opencredit.EINVALID, "audit: records of no subject")
	}
	if limit < 1 || limit > MaxSubjectPage {
		return nil, opencredit.Errorf(opencredit.EINVALID, "audit: a page of %d records; want 1 to %d", limit, MaxSubjectPage)
	}
	from = max(from, 0)
	var out []Entry
	add := func(n int64, data []byte) error {
		r, err := ParseRecord(data)
		if err != nil {
			return &opencredit.Error{Code: opencredit.EINTERNAL, Message: fmt.Sprintf("audit: record %d does not parse; run audit verify", n), Err: err}
		}
		out = append(out, Entry{N: n, Record: r})
		return nil
	}
	if ix, ok := l.st.(SubjectIndex); ok {
		if err := ix.SubjectRecords(ctx, subject, from, limit, add); err != nil {
			return nil, err
		}
		return out, nil
	}
	size, err := l.st.Count(ctx)
	if err != nil {
		return nil, err
	}
	errFull := opencredit.Errorf(opencredit.ECONFLICT, "page full") // stops the scan, not an error
	err = l.st.Records(ctx, from, size, func(n int64, data []byte) error {
		if s, err := RecordSubject(data); err != nil || s != subject {
			return nil
		}
		if err := add(n, data); err != nil {
			return err
		}
		if len(out) == limit {
			return errFull
		}
		return nil
	})
	if err != nil && err != errFull {
		return nil, err
	}
	return out, nil
}
