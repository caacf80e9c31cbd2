package dispute_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dispute"
)

var opened = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestLapsed(t *testing.T) {
	d := opencredit.Dispute{ID: "d1", OpenedAt: opened, Status: opencredit.DisputeOpen}
	// 30 days of 24 hours after 2026-03-01 12:00 UTC is 2026-03-31 12:00 UTC.
	due := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	if got := dispute.Due(d); !got.Equal(due) {
		t.Fatalf("Due = %s, want %s", got, due)
	}
	for _, tc := range []struct {
		now    time.Time
		status string
		want   bool
	}{
		{due.Add(-time.Nanosecond), opencredit.DisputeOpen, false},
		{due, opencredit.DisputeOpen, true},
		{due.AddDate(1, 0, 0), opencredit.DisputeOpen, true},
		{due.AddDate(1, 0, 0), opencredit.DisputeVerified, false},
		{due.AddDate(1, 0, 0), opencredit.DisputeSuppressed, false},
	} {
		d.Status = tc.status
		if got := dispute.Lapsed(d, tc.now); got != tc.want {
			t.Errorf("Lapsed(%s, %s) = %v, want %v", tc.status, tc.now, got, tc.want)
		}
	}
}

func statement(balance string) opencredit.Event {
	return opencredit.Event{SpecVersion: "1.0", ID: "e1", Source: "f1", Subject: "s1", Type: opencredit.TypeAccountStatement,
		Time: opened.AddDate(0, -1, 0), DataContentType: "application/json",
		Data: json.RawMessage(`{"account_id":"a1","balance":` + balance + `,"credit_limit":1000,"days_past_due":0,"currency":"EUR"}`)}
}

// TestResolve walks every transition of the package comment's diagram,
// and the ones it does not have.
func TestResolve(t *testing.T) {
	at := opened.Add(time.Hour)
	old := statement("400")
	fix := statement("100")
	for _, tc := range []struct {
		from, to   string
		corrected  *opencredit.Event
		code       string
		suppressed bool
	}{
		{opencredit.DisputeOpen, opencredit.DisputeVerified, nil, "", false},
		{opencredit.DisputeOpen, opencredit.DisputeDeleted, nil, "", true},
		{opencredit.DisputeOpen, opencredit.DisputeSuppressed, nil, "", true},
		{opencredit.DisputeOpen, opencredit.DisputeCorrected, &opencredit.Event{Data: fix.Data}, "", false},
		{opencredit.DisputeSuppressed, opencredit.DisputeVerified, nil, "", false},
		{opencredit.DisputeSuppressed, opencredit.DisputeCorrected, &opencredit.Event{Data: fix.Data}, "", false},
		{opencredit.DisputeSuppressed, opencredit.DisputeDeleted, nil, "", true},
		{opencredit.DisputeSuppressed, opencredit.DisputeSuppressed, nil, opencredit.ECONFLICT, false},
		{opencredit.DisputeVerified, opencredit.DisputeDeleted, nil, opencredit.ECONFLICT, false},
		{opencredit.DisputeDeleted, opencredit.DisputeVerified, nil, opencredit.ECONFLICT, false},
		{opencredit.DisputeCorrected, opencredit.DisputeCorrected, &opencredit.Event{Data: fix.Data}, opencredit.ECONFLICT, false},
		{opencredit.DisputeOpen, opencredit.DisputeCorrected, nil, opencredit.EINVALID, false},
		{opencredit.DisputeOpen, opencredit.DisputeVerified, &opencredit.Event{Data: fix.Data}, opencredit.EINVALID, false},
		{opencredit.DisputeOpen, opencredit.DisputeCorrected, &opencredit.Event{Data: json.RawMessage(`{"balance":1}`)}, opencredit.EINVALID, false},
		{opencredit.DisputeOpen, opencredit.DisputeCorrected, &opencredit.Event{ID: "e2", Data: fix.Data}, opencredit.EINVALID, false},
		{opencredit.DisputeOpen, opencredit.DisputeCorrected, &opencredit.Event{Data: fix.Data, Time: at.Add(time.Hour)}, opencredit.EINVALID, false}, // in the future
		{opencredit.DisputeOpen, "open", nil, opencredit.EINVALID, false},
	} {
		d := opencredit.Dispute{ID: "d1", Subject: "s1", Source: "f1", EventID: "e1", Comment: "wrong", OpenedAt: opened, Status: tc.from}
		ch, err := dispute.Resolve(d, old, opencredit.DisputeResolution{ID: "d1", Status: tc.to, Note: "n", Resolver: "f1", At: at, Corrected: tc.corrected})
		if got := opencredit.ErrorCode(err); got != tc.code {
			t.Errorf("%s → %s: error %v, want code %q", tc.from, tc.to, err, tc.code)
			continue
		}
		if err != nil {
			continue
		}
		if ch.Dispute.Status != tc.to || !ch.Dispute.ResolvedAt.Equal(at) || ch.Suppressed != tc.suppressed {
			t.Errorf("%s → %s: %+v, suppressed %v", tc.from, tc.to, ch.Dispute, ch.Suppressed)
		}
		wantData := string(old.Data)
		if tc.to == opencredit.DisputeCorrected {
			wantData = string(fix.Data)
			var orig opencredit.Event
			if err := json.Unmarshal(ch.Dispute.Original, &orig); err != nil || string(orig.Data) != string(old.Data) {
				t.Errorf("%s → corrected keeps %s as the original", tc.from, ch.Dispute.Original)
			}
		} else if ch.Dispute.Original != nil {
			t.Errorf("%s → %s keeps an original", tc.from, tc.to)
		}
		if string(ch.Event.Data) != wantData || ch.Event.ID != "e1" || !ch.Event.Time.Equal(old.Time) {
			t.Errorf("%s → %s: event %+v", tc.from, tc.to, ch.Event)
		}
	}
}
