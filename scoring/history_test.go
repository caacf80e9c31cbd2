package scoring_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/scoring"
)

func TestMonthEnds(t *testing.T) {
	got := scoring.MonthEnds(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC), 3)
	want := []time.Time{
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond),
		time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond),
		time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MonthEnds: %v, want %v", got, want)
	}
}

// TestHistory scores Own's file at six month ends. apitest.Model gives 540
// plus the hard_inquiries_12m points: 80 with none, 40 with one or two, 0
// with three or more. The inquiries are dated 15 January, 15 March and 15
// April 2026, so the month ends from December 2025 to May 2026 count 0, 1,
// 1, 2, 3, 3 of them.
func TestHistory(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC)
	st := &memStore{events: map[string][]opencredit.StoredEvent{}}
	for i, d := range []time.Time{
		time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC),
	} {
		data, _ := json.Marshal(opencredit.Inquiry{Kind: "hard", Purpose: opencredit.PurposeCreditApplication})
		e := opencredit.Event{SpecVersion: "1.0", ID: string(rune('a' + i)), Source: apitest.Furnisher, Type: opencredit.TypeInquiry,
			Subject: apitest.Own, Time: d, Data: data}
		if _, err := st.Ingest(ctx, []opencredit.Event{e}); err != nil {
			t.Fatal(err)
		}
	}
	signer, verifier := audittest.Keys(t)
	log, err := audit.Open(ctx, audit.NewMemoryStorage(), signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := scoring.New(scoring.Config{Store: st, Model: apitest.Model(t), Log: log, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	pts, err := svc.History(ctx, scoring.Caller{Client: self}, apitest.Own, scoring.MonthEnds(now, 6))
	if err != nil {
		t.Fatal(err)
	}
	var scores []int
	for _, p := range pts {
		scores = append(scores, p.Score)
	}
	if want := []int{620, 580, 580, 580, 540, 540}; !reflect.DeepEqual(scores, want) {
		t.Errorf("history %v, want %v", scores, want)
	}
	recs := records(t, log)
	if len(recs) != 1 || recs[0].Action != scoring.ActionScoreHistory || recs[0].Result.Items != 6 || recs[0].Subject != apitest.Own {
		t.Errorf("audit records %+v, want one score_history record of 6 points", recs)
	}

	// A lender, or the person for another person, gets nothing; each refusal
	// is recorded with its code. A bad point is the caller's mistake, no access.
	if _, err := svc.History(ctx, scoring.Caller{Client: lender}, apitest.Own, scoring.MonthEnds(now, 2)); opencredit.ErrorCode(err) != opencredit.EFORBIDDEN {
		t.Errorf("lender: %v, want forbidden", err)
	}
	if _, err := svc.History(ctx, scoring.Caller{Client: self}, apitest.Other, scoring.MonthEnds(now, 2)); opencredit.ErrorCode(err) != opencredit.EFORBIDDEN {
		t.Errorf("another subject: %v, want forbidden", err)
	}
	if _, err := svc.History(ctx, scoring.Caller{Client: self}, apitest.Own, []time.Time{now.Add(time.Hour)}); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("a point after now: %v, want invalid", err)
	}
	recs = records(t, log)
	if len(recs) != 3 {
		t.Fatalf("%d records after refusals, want 3 (the history and two refusals)", len(recs))
	}
	for i, want := range []struct{ client, subject string }{{apitest.Lender, apitest.Own}, {apitest.Self, apitest.Other}} {
		r := recs[1+i]
		if r.Client != want.client || r.Subject != want.subject || r.Action != scoring.ActionScoreHistory || r.Result.Error != opencredit.EFORBIDDEN {
			t.Errorf("refusal %d recorded as %+v, want %s refused %s's history with forbidden", i, r, want.client, want.subject)
		}
	}
}
