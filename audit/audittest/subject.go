package audittest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/opencredit/opencredit/audit"
)

// SubjectRecords returns n records about three subjects in turn, every
// fourth one about no subject (an operator's read), from index 0.
func SubjectRecords(n int) []audit.Record {
	out := Records(0, n)
	for i := range out {
		if i%4 == 3 {
			out[i].Subject = ""
		} else {
			out[i].Subject = fmt.Sprintf("person-%d", i%3)
		}
	}
	return out
}

// testSubjectRecords: Log.SubjectRecords lists exactly the records about
// a subject, in index order, each with its index, page by page.
func testSubjectRecords(t *testing.T, st audit.Storage) {
	ctx := context.Background()
	s, v := Keys(t)
	l, err := audit.Open(ctx, st, s, v)
	if err != nil {
		t.Fatal(err)
	}
	recs := SubjectRecords(50)
	// One at a time and in a group, so that both insert paths index.
	for _, r := range recs[:10] {
		if _, err := l.Append(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Append(ctx, recs[10:]...); err != nil {
		t.Fatal(err)
	}
	for _, subject := range []string{"person-0", "person-1", "person-2", "nobody"} {
		var want []audit.Entry
		for i, r := range recs {
			if r.Subject == subject {
				want = append(want, audit.Entry{N: int64(i), Record: r})
			}
		}
		var got []audit.Entry
		from := int64(0)
		for pages := 0; ; pages++ {
			page, err := l.SubjectRecords(ctx, subject, from, 4)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, page...)
			if len(page) < 4 {
				break
			}
			from = page[len(page)-1].N + 1
			if pages > 50 {
				t.Fatal("paging does not end")
			}
		}
		for i := range got {
			got[i].Record.Time = got[i].Record.Time.Round(time.Duration(0)) // strip the monotonic reading, if any
		}
		for i := range want {
			want[i].Record.Time = want[i].Record.Time.UTC()
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("SubjectRecords(%s) = %+v,\nwant %+v", subject, got, want)
		}
	}
	if _, err := l.SubjectRecords(ctx, "", 0, 10); err == nil {
		t.Error("SubjectRecords of no subject: no error")
	}
	if _, err := l.SubjectRecords(ctx, "person-0", 0, audit.MaxSubjectPage+1); err == nil {
		t.Error("a page over the maximum: no error")
	}
}
