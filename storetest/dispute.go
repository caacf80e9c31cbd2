package storetest

import (
	"context"
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

// opened is when the suite's disputes open: after every event of history.
var opened = day0.AddDate(0, 4, 0)

func openDispute(id, subject, source, event string, at time.Time) opencredit.Dispute {
	return opencredit.Dispute{ID: id, Subject: subject, Source: source, EventID: event,
		Comment: "I paid this on time", OpenedAt: at, Status: opencredit.DisputeOpen}
}

// disputedIDs lists the ids of subject's events flagged as disputed.
func disputedIDs(t *testing.T, st opencredit.Store, subject string) []string {
	t.Helper()
	evs, err := st.Events(context.Background(), subject)
	check(t, err)
	var out []string
	for _, e := range evs {
		if e.Disputed {
			out = append(out, e.ID)
		}
	}
	return out
}

func event(t *testing.T, st opencredit.Store, subject, id string) opencredit.StoredEvent {
	t.Helper()
	evs, err := st.Events(context.Background(), subject)
	check(t, err)
	for _, e := range evs {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("subject %s has no event %s", subject, id)
	return opencredit.StoredEvent{}
}

func testDisputeOpen(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	person(t, st, "s1", "f1")
	person(t, st, "s2", "f1")
	allAccepted(t, ingest(t, st, append(history("s1", "f1"), history("s2", "f1")...)))
	asOf := day0.AddDate(0, 6, 0)
	before := features(t, st, "s1", asOf)

	d := openDispute("d1", "s1", "f1", "s1-m1", opened)
	check(t, st.OpenDispute(ctx, d))
	got, err := st.Dispute(ctx, "d1")
	check(t, err)
	if got.ID != d.ID || got.Subject != d.Subject || got.Source != d.Source || got.EventID != d.EventID ||
		got.Comment != d.Comment || !got.OpenedAt.Equal(d.OpenedAt) || got.Status != opencredit.DisputeOpen ||
		got.ResolvedAt != nil || got.Note != "" || got.Resolver != "" || got.Original != nil {
		t.Fatalf("Dispute = %+v, want %+v", got, d)
	}
	// Flagged at once, and still scored: only the furnisher's answer or
	// the deadline takes it out.
	if ids := disputedIDs(t, st, "s1"); len(ids) != 1 || ids[0] != "s1-m1" {
		t.Fatalf("disputed events %v, want [s1-m1]", ids)
	}
	if after := features(t, st, "s1", asOf); !maps.Equal(before, after) {
		t.Fatalf("opening a dispute changed features:\n%s", diff(before, after))
	}
	if ids := disputedIDs(t, st, "s2"); len(ids) != 0 {
		t.Fatalf("s2's events %v are flagged by s1's dispute", ids)
	}

	mustCode(t, st.OpenDispute(ctx, openDispute("d2", "s1", "f1", "s1-m1", opened)), opencredit.ECONFLICT, "a second dispute of an event")
	mustCode(t, st.OpenDispute(ctx, openDispute("d1", "s1", "f1", "s1-p1", opened)), opencredit.ECONFLICT, "a dispute id taken")
	mustCode(t, st.OpenDispute(ctx, openDispute("d3", "s1", "f1", "s2-m1", opened)), opencredit.ENOTFOUND, "a dispute of another subject's event")
	mustCode(t, st.OpenDispute(ctx, openDispute("d3", "s1", "f9", "s1-m1", opened)), opencredit.ENOTFOUND, "a dispute naming another source")
	mustCode(t, st.OpenDispute(ctx, openDispute("d3", "ghost", "f1", "s1-m1", opened)), opencredit.ENOTFOUND, "a dispute of an unknown subject")
	blank := openDispute("d3", "s1", "f1", "s1-p1", opened)
	blank.Comment = "  "
	mustCode(t, st.OpenDispute(ctx, blank), opencredit.EINVALID, "a dispute without a comment")
	long := openDispute("d3", "s1", "f1", "s1-p1", opened)
	long.Comment = strings.Repeat("x", opencredit.MaxDisputeTextBytes+1)
	mustCode(t, st.OpenDispute(ctx, long), opencredit.EINVALID, "a dispute with an overlong comment")
	resolved := openDispute("d3", "s1", "f1", "s1-p1", opened)
	resolved.Status = opencredit.DisputeVerified
	mustCode(t, st.OpenDispute(ctx, resolved), opencredit.EINVALID, "a dispute opened resolved")
	_, err = st.Dispute(ctx, "d3")
	mustCode(t, err, opencredit.ENOTFOUND, "a dispute that was refused")

	// The filters: subject, source, status, opened before.
	check(t, st.OpenDispute(ctx, openDispute("d4", "s2", "f1", "s2-p1", opened.Add(time.Hour))))
	check(t, st.OpenDispute(ctx, openDispute("d5", "s1", "f1", "s1-inc", opened.Add(2*time.Hour))))
	for _, tc := range []struct {
		f    opencredit.DisputeFilter
		want string
	}{
		{opencredit.DisputeFilter{}, "d1 d4 d5"},
		{opencredit.DisputeFilter{Subject: "s1"}, "d1 d5"},
		{opencredit.DisputeFilter{Source: "f1", Status: opencredit.DisputeOpen}, "d1 d4 d5"},
		{opencredit.DisputeFilter{Source: "f9"}, ""},
		{opencredit.DisputeFilter{Status: opencredit.DisputeVerified}, ""},
		{opencredit.DisputeFilter{OpenedBefore: opened.Add(2 * time.Hour)}, "d1 d4"},
		{opencredit.DisputeFilter{Subject: "s2", OpenedBefore: opened.Add(time.Hour)}, ""},
	} {
		ds, err := st.Disputes(ctx, tc.f)
		check(t, err)
		var ids []string
		for _, d := range ds {
			ids = append(ids, d.ID)
		}
		if got := strings.Join(ids, " "); got != tc.want {
			t.Errorf("Disputes(%+v) = %q, want %q", tc.f, got, tc.want)
		}
	}

	// Erasure takes the person's disputes with their events.
	check(t, st.DeleteSubject(ctx, "s2", opened.Add(24*time.Hour)))
	ds, err := st.Disputes(ctx, opencredit.DisputeFilter{Subject: "s2"})
	check(t, err)
	if len(ds) != 0 {
		t.Fatalf("an erased subject still has disputes %+v", ds)
	}
	mustCode(t, st.OpenDispute(ctx, openDispute("d6", "s2", "f1", "s2-m1", opened)), opencredit.ENOTFOUND, "a dispute of an erased subject")
}

func resolution(id, status string, at time.Time) opencredit.DisputeResolution {
	return opencredit.DisputeResolution{ID: id, Status: status, Note: "checked our records", Resolver: "f1", At: at}
}

func testDisputeResolve(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	person(t, st, "s1", "f1")
	allAccepted(t, ingest(t, st, history("s1", "f1")))
	asOf := day0.AddDate(0, 6, 0)
	full := features(t, st, "s1", asOf)
	at := opened.Add(72 * time.Hour)

	// Verified: the event stays as it was, the flag goes.
	check(t, st.OpenDispute(ctx, openDispute("d1", "s1", "f1", "s1-m1", opened)))
	d, err := st.ResolveDispute(ctx, resolution("d1", opencredit.DisputeVerified, at))
	check(t, err)
	if d.Status != opencredit.DisputeVerified || d.ResolvedAt == nil || !d.ResolvedAt.Equal(at) || d.Resolver != "f1" || d.Note != "checked our records" {
		t.Fatalf("verified dispute = %+v", d)
	}
	if again, err := st.Dispute(ctx, "d1"); err != nil || again.Status != d.Status || !again.ResolvedAt.Equal(at) || again.Note != d.Note {
		t.Fatalf("the stored dispute %+v (%v) differs from the answer %+v", again, err, d)
	}
	if ids := disputedIDs(t, st, "s1"); len(ids) != 0 {
		t.Fatalf("a verified dispute still flags %v", ids)
	}
	if got := features(t, st, "s1", asOf); !maps.Equal(got, full) {
		t.Fatalf("a verified dispute changed features:\n%s", diff(got, full))
	}
	_, err = st.ResolveDispute(ctx, resolution("d1", opencredit.DisputeDeleted, at))
	mustCode(t, err, opencredit.ECONFLICT, "resolving a resolved dispute")
	_, err = st.ResolveDispute(ctx, resolution("nope", opencredit.DisputeDeleted, at))
	mustCode(t, err, opencredit.ENOTFOUND, "resolving an unknown dispute")

	// Deleted: the late payment leaves the features, for good.
	check(t, st.OpenDispute(ctx, openDispute("d2", "s1", "f1", "s1-p2", opened)))
	_, err = st.ResolveDispute(ctx, resolution("d2", opencredit.DisputeDeleted, at))
	check(t, err)
	if !event(t, st, "s1", "s1-p2").Suppressed {
		t.Fatal("a deleted dispute's event is not suppressed")
	}
	deleted := features(t, st, "s1", asOf)
	mustCode(t, st.OpenDispute(ctx, openDispute("d3", "s1", "f1", "s1-p2", opened)), opencredit.ENOTFOUND, "disputing a suppressed event")

	// Corrected: the statement's balance was 400; the furnisher says 100.
	// The new content replaces the old in features, as if it had been sent so.
	check(t, st.OpenDispute(ctx, openDispute("d4", "s1", "f1", "s1-st1", opened)))
	limit := 1000.0
	fixed := mkEvent("s1-st1", "f1", "s1", opencredit.TypeAccountStatement, day0.AddDate(0, 1, 0), opencredit.AccountStatement{
		AccountID: "acc-s1", Balance: 100, CreditLimit: &limit, Currency: "EUR"})
	bad := resolution("d4", opencredit.DisputeCorrected, at)
	bad.Corrected = &opencredit.Event{Data: json.RawMessage(`{"account_id":"acc-s1","balance":-5,"currency":"EUR"}`)}
	_, err = st.ResolveDispute(ctx, bad)
	mustCode(t, err, opencredit.EINVALID, "a correction with a negative balance")
	bad.Corrected = &opencredit.Event{Type: opencredit.TypePaymentMade, Data: fixed.Data}
	_, err = st.ResolveDispute(ctx, bad)
	mustCode(t, err, opencredit.EINVALID, "a correction changing the type")
	if d, _ := st.Dispute(ctx, "d4"); d.Status != opencredit.DisputeOpen {
		t.Fatalf("a refused correction left the dispute %s", d.Status)
	}
	if got := features(t, st, "s1", asOf); !maps.Equal(got, deleted) {
		t.Fatalf("a refused correction changed features:\n%s", diff(got, deleted))
	}
	ok := resolution("d4", opencredit.DisputeCorrected, at)
	ok.Corrected = &opencredit.Event{Data: fixed.Data}
	d, err = st.ResolveDispute(ctx, ok)
	check(t, err)
	var original opencredit.Event
	if err := json.Unmarshal(d.Original, &original); err != nil || original.ID != "s1-st1" || !strings.Contains(string(original.Data), `"balance":400`) {
		t.Fatalf("the corrected dispute keeps %s (%v), want the statement with balance 400", d.Original, err)
	}
	if got := event(t, st, "s1", "s1-st1"); string(got.Data) != string(fixed.Data) || got.Suppressed {
		t.Fatalf("the corrected event holds %s (suppressed %v), want %s", got.Data, got.Suppressed, fixed.Data)
	}
	corrected := features(t, st, "s1", asOf)
	if maps.Equal(corrected, deleted) {
		t.Fatal("correcting the balance from 400 to 100 changed no feature")
	}
	// The same file had the furnisher sent it right, without the deleted event.
	ref := newStore(t)
	person(t, ref, "s1", "f1")
	var right []opencredit.Event
	for _, e := range history("s1", "f1") {
		switch e.ID {
		case "s1-p2":
			continue
		case "s1-st1":
			e = fixed
		}
		right = append(right, e)
	}
	allAccepted(t, ingest(t, ref, right))
	if want := features(t, ref, "s1", asOf); !maps.Equal(corrected, want) {
		t.Fatalf("after the correction, features differ from a file sent right:\n%s", diff(corrected, want))
	}
	// The file now holds the corrected content: sent again it is a
	// duplicate, and the old content sent again is a conflict.
	res := ingest(t, st, []opencredit.Event{fixed})
	if res[0].Status != opencredit.Duplicate {
		t.Fatalf("the corrected event sent again: %+v, want duplicate", res[0])
	}
	res = ingest(t, st, []opencredit.Event{history("s1", "f1")[1]})
	if res[0].Status != opencredit.Rejected || res[0].Reason != opencredit.ReasonConflict {
		t.Fatalf("the content before the correction sent again: %+v, want rejected conflict", res[0])
	}
	// Ingestion after the correction keeps it.
	allAccepted(t, ingest(t, st, []opencredit.Event{inquiry("q9", "f1", "s1", day0.AddDate(0, 4, 1))}))
	corrected = features(t, st, "s1", asOf)

	// Suppressed at the deadline, then verified late: reinstated.
	check(t, st.OpenDispute(ctx, openDispute("d5", "s1", "f1", "s1-inc", opened)))
	lapse := opencredit.DisputeResolution{ID: "d5", Status: opencredit.DisputeSuppressed, Resolver: opencredit.PlatformSource, At: at}
	d, err = st.ResolveDispute(ctx, lapse)
	check(t, err)
	if d.Status != opencredit.DisputeSuppressed || !event(t, st, "s1", "s1-inc").Suppressed {
		t.Fatalf("a lapsed dispute: %+v, event suppressed %v", d, event(t, st, "s1", "s1-inc").Suppressed)
	}
	lapsed := features(t, st, "s1", asOf)
	if maps.Equal(lapsed, corrected) {
		t.Fatal("suppressing the verified income changed no feature")
	}
	_, err = st.ResolveDispute(ctx, lapse)
	mustCode(t, err, opencredit.ECONFLICT, "suppressing a suppressed dispute")
	mustCode(t, st.OpenDispute(ctx, openDispute("d6", "s1", "f1", "s1-inc", opened)), opencredit.ENOTFOUND, "disputing a lapsed event")
	d, err = st.ResolveDispute(ctx, resolution("d5", opencredit.DisputeVerified, at.Add(time.Hour)))
	check(t, err)
	if d.Status != opencredit.DisputeVerified || event(t, st, "s1", "s1-inc").Suppressed {
		t.Fatalf("a late verification: %+v", d)
	}
	if got := features(t, st, "s1", asOf); !maps.Equal(got, corrected) {
		t.Fatalf("a late verification did not reinstate the income:\n%s", diff(got, corrected))
	}

	// Shapes the store refuses before reading anything.
	for _, r := range []opencredit.DisputeResolution{
		{ID: "d9", Status: "maybe", Resolver: "f1", At: at},
		{ID: "d9", Status: opencredit.DisputeCorrected, Resolver: "f1", At: at},
		{ID: "d9", Status: opencredit.DisputeVerified, Resolver: "f1", At: at, Corrected: &fixed},
		{ID: "d9", Status: opencredit.DisputeVerified, Resolver: "", At: at},
		{ID: "d9", Status: opencredit.DisputeVerified, Resolver: "f1"},
	} {
		_, err := st.ResolveDispute(ctx, r)
		mustCode(t, err, opencredit.EINVALID, "resolution "+r.Status)
	}
}
