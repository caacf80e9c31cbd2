package scoring_test

import (
	"context"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/dispute"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/sqlite"
)

// Clients of the dispute tests besides lender and self (scoring_test.go).
var (
	furnisher      = opencredit.Client{ID: apitest.Furnisher, Role: opencredit.RoleFurnisher}
	otherFurnisher = opencredit.Client{ID: "furn-b", Role: opencredit.RoleFurnisher}
	operator       = opencredit.Client{ID: apitest.Operator, Role: opencredit.RoleOperator}
	otherSelf      = opencredit.Client{ID: "self-other", Role: opencredit.RoleSubject, Subject: apitest.Other}
)

// disputeWorld is a service over a real SQLite store holding Own with
// three hard inquiries from Furnisher (inq-0, inq-1, inq-2), on a clock the
// test moves. apitest.Model scores three inquiries 540 and two 580.
type disputeWorld struct {
	st  *sqlite.DB
	log *audit.Log
	svc *scoring.Service
	now time.Time
}

func newDisputeWorld(t testing.TB) *disputeWorld {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	past := time.Now().Add(-48 * time.Hour)
	for _, s := range []string{apitest.Own, apitest.Other} {
		if err := st.CreateSubject(ctx, s, opencredit.PII{}, past); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []opencredit.Consent{
		{Subject: apitest.Own, Counterparty: apitest.Furnisher, Purpose: opencredit.PurposeFurnishing, GrantedAt: past},
		{Subject: apitest.Own, Counterparty: apitest.Lender, Purpose: opencredit.PurposeRentalDepositWaiver, GrantedAt: past},
	} {
		if err := st.GrantConsent(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Ingest(ctx, []opencredit.Event{apitest.Inquiry(apitest.Furnisher, apitest.Own, "inq-0"),
		apitest.Inquiry(apitest.Furnisher, apitest.Own, "inq-1"), apitest.Inquiry(apitest.Furnisher, apitest.Own, "inq-2")}); err != nil {
		t.Fatal(err)
	}
	signer, verifier := audittest.Keys(t)
	log, err := audit.Open(ctx, audit.NewMemoryStorage(), signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	programs, err := decision.LoadPrograms(strings.NewReader(apitest.Programs))
	if err != nil {
		t.Fatal(err)
	}
	w := &disputeWorld{st: st, log: log, now: time.Now().UTC()}
	w.svc, err = scoring.New(scoring.Config{Store: st, Model: apitest.Model(t), Programs: programs, Log: log,
		Now: func() time.Time { return w.now }, Random: rand.NewChaCha8([32]byte{1})})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// score pulls Own's score for the lender (a purpose that records no
// inquiry) and checks that the live features equal a recomputation.
func (w *disputeWorld) score(t *testing.T) scoring.Score {
	t.Helper()
	ctx := context.Background()
	sc, err := w.svc.Score(ctx, scoring.Caller{Client: lender}, apitest.Own, opencredit.PurposeRentalDepositWaiver)
	if err != nil {
		t.Fatal(err)
	}
	live, err := w.st.Features(ctx, apitest.Own, w.now)
	if err != nil {
		t.Fatal(err)
	}
	re, err := w.st.RecomputeFeatures(ctx, apitest.Own, w.now)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(live.Values, re.Values) {
		t.Fatalf("live features %v differ from a recomputation %v", live.Values, re.Values)
	}
	return sc
}

// recordsFrom returns the log's records from index from on, as written.
func recordsFrom(t *testing.T, log *audit.Log, from int64) []audit.Record {
	t.Helper()
	var out []audit.Record
	for n := from; n < log.Size(); n++ {
		b, err := log.Record(context.Background(), n)
		if err != nil {
			t.Fatal(err)
		}
		r, err := audit.ParseRecord(b)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func actions(rs []audit.Record) string {
	var a []string
	for _, r := range rs {
		if r.Result.Error != "" {
			a = append(a, r.Client+":"+r.Action+"!"+r.Result.Error)
			continue
		}
		a = append(a, r.Client+":"+r.Action)
	}
	return strings.Join(a, " ")
}

// TestDisputeLapsesBeforeAScore: an open dispute is scored, and says so,
// until dispute.Deadline; the first score at the deadline, with no sweep
// run, suppresses the event first (540 → 580) and records the suppression.
func TestDisputeLapsesBeforeAScore(t *testing.T) {
	ctx := context.Background()
	w := newDisputeWorld(t)
	if sc := w.score(t); sc.Result.Score != 540 || sc.OpenDisputes != 0 {
		t.Fatalf("before the dispute: %d with %d open disputes, want 540 with 0", sc.Result.Score, sc.OpenDisputes)
	}
	d, err := w.svc.OpenDispute(ctx, scoring.Caller{Client: self}, apitest.Own, apitest.Furnisher, "inq-0", "I never applied to them")
	if err != nil {
		t.Fatal(err)
	}
	opened := w.now
	w.now = opened.Add(dispute.Deadline - time.Nanosecond)
	if sc := w.score(t); sc.Result.Score != 540 || sc.OpenDisputes != 1 {
		t.Fatalf("a nanosecond before the deadline: %d with %d open disputes, want 540 with 1", sc.Result.Score, sc.OpenDisputes)
	}
	from := w.log.Size()
	w.now = opened.Add(dispute.Deadline)
	if sc := w.score(t); sc.Result.Score != 580 || sc.OpenDisputes != 0 {
		t.Fatalf("at the deadline: %d with %d open disputes, want 580 (two inquiries) with 0", sc.Result.Score, sc.OpenDisputes)
	}
	got, err := w.st.Dispute(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != opencredit.DisputeSuppressed || got.Resolver != opencredit.PlatformSource || !got.ResolvedAt.Equal(w.now) {
		t.Fatalf("the lapsed dispute: %+v", got)
	}
	rs := recordsFrom(t, w.log, from)
	if a := actions(rs); a != "opencredit:dispute_suppressed lender-a:score" {
		t.Fatalf("records %q, want the suppression before the score", a)
	}
	if rs[0].Subject != apitest.Own || rs[0].Role != scoring.RolePlatform {
		t.Fatalf("the suppression's record %+v", rs[0])
	}
	// The furnisher answers late: verified reinstates the event.
	if _, err := w.svc.ResolveDispute(ctx, scoring.Caller{Client: furnisher}, d.ID, scoring.Resolution{Outcome: opencredit.DisputeVerified, Note: "our records show the application"}); err != nil {
		t.Fatal(err)
	}
	if sc := w.score(t); sc.Result.Score != 540 {
		t.Fatalf("after a late verification: %d, want 540", sc.Result.Score)
	}
}

// TestDisputeSweep: SuppressLapsed suppresses what is past the deadline, and
// only that, each once.
func TestDisputeSweep(t *testing.T) {
	ctx := context.Background()
	w := newDisputeWorld(t)
	opened := w.now
	if _, err := w.svc.OpenDispute(ctx, scoring.Caller{Client: self}, apitest.Own, apitest.Furnisher, "inq-0", "not mine"); err != nil {
		t.Fatal(err)
	}
	w.now = opened.Add(24 * time.Hour)
	late, err := w.svc.OpenDispute(ctx, scoring.Caller{Client: self}, apitest.Own, apitest.Furnisher, "inq-1", "not mine either")
	if err != nil {
		t.Fatal(err)
	}
	w.now = opened.Add(dispute.Deadline)
	from := w.log.Size()
	if n, err := w.svc.SuppressLapsed(ctx); err != nil || n != 1 {
		t.Fatalf("first sweep: %d, %v; want 1", n, err)
	}
	if n, err := w.svc.SuppressLapsed(ctx); err != nil || n != 0 {
		t.Fatalf("second sweep: %d, %v; want 0", n, err)
	}
	if a := actions(recordsFrom(t, w.log, from)); a != "opencredit:dispute_suppressed" {
		t.Fatalf("sweep records %q", a)
	}
	if d, _ := w.st.Dispute(ctx, late.ID); d.Status != opencredit.DisputeOpen {
		t.Fatalf("a dispute a day younger is %s, want open", d.Status)
	}
	if sc := w.score(t); sc.Result.Score != 580 || sc.OpenDisputes != 1 {
		t.Fatalf("after the sweep: %d with %d open, want 580 with 1", sc.Result.Score, sc.OpenDisputes)
	}
	w.now = opened.Add(24*time.Hour + dispute.Deadline)
	if n, err := w.svc.SuppressLapsed(ctx); err != nil || n != 1 {
		t.Fatalf("third sweep: %d, %v; want 1", n, err)
	}
	// One inquiry left: 500 + 40 (no payments: missing) + 40 = 580 still.
	if sc := w.score(t); sc.Result.Score != 580 || sc.OpenDisputes != 0 {
		t.Fatalf("after the third sweep: %d with %d open, want 580 with 0", sc.Result.Score, sc.OpenDisputes)
	}
}

// TestDisputeAuthorization: who may open, read and resolve, and what the
// log holds of each allowed action.
func TestDisputeAuthorization(t *testing.T) {
	ctx := context.Background()
	w := newDisputeWorld(t)
	as := func(c opencredit.Client) scoring.Caller { return scoring.Caller{Client: c, RequestID: "r-" + c.ID} }
	refused := func(err error, code, what string) {
		t.Helper()
		if got := opencredit.ErrorCode(err); got != code {
			t.Errorf("%s: %v (code %q), want %q", what, err, got, code)
		}
	}
	start := w.log.Size()
	_, err := w.svc.OpenDispute(ctx, as(otherSelf), apitest.Own, apitest.Furnisher, "inq-0", "x")
	refused(err, opencredit.EFORBIDDEN, "another person opening a dispute on Own")
	_, err = w.svc.OpenDispute(ctx, as(lender), apitest.Own, apitest.Furnisher, "inq-0", "x")
	refused(err, opencredit.EFORBIDDEN, "a lender opening a dispute")
	_, err = w.svc.OpenDispute(ctx, as(self), apitest.Own, apitest.Furnisher, "no-such", "x")
	refused(err, opencredit.ENOTFOUND, "a dispute of an unknown event")
	_, err = w.svc.OpenDispute(ctx, as(self), apitest.Own, apitest.Furnisher, "inq-0", "")
	refused(err, opencredit.EINVALID, "a dispute without a comment")
	d, err := w.svc.OpenDispute(ctx, as(self), apitest.Own, apitest.Furnisher, "inq-0", "I never applied")
	if err != nil {
		t.Fatal(err)
	}
	evs, err := w.st.Events(ctx, apitest.Own)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Disputed != (e.ID == "inq-0") {
			t.Errorf("event %s disputed = %v", e.ID, e.Disputed)
		}
	}

	_, err = w.svc.SubjectDisputes(ctx, as(otherSelf), apitest.Own)
	refused(err, opencredit.EFORBIDDEN, "another person reading Own's disputes")
	_, err = w.svc.SubjectDisputes(ctx, as(furnisher), apitest.Own)
	refused(err, opencredit.EFORBIDDEN, "a furnisher reading a person's disputes")
	for _, c := range []opencredit.Client{self, operator} {
		ds, err := w.svc.SubjectDisputes(ctx, as(c), apitest.Own)
		if err != nil || len(ds) != 1 || ds[0].ID != d.ID {
			t.Errorf("%s reading Own's disputes: %+v, %v", c.ID, ds, err)
		}
	}
	_, err = w.svc.DisputeQueue(ctx, as(lender), "")
	refused(err, opencredit.EFORBIDDEN, "a lender's queue")
	_, err = w.svc.DisputeQueue(ctx, as(self), "")
	refused(err, opencredit.EFORBIDDEN, "a person's queue")
	_, err = w.svc.DisputeQueue(ctx, as(operator), "pending")
	refused(err, opencredit.EINVALID, "a queue of an unknown status")
	for _, tc := range []struct {
		c      opencredit.Client
		status string
		want   int
	}{{furnisher, "", 1}, {furnisher, opencredit.DisputeOpen, 1}, {furnisher, opencredit.DisputeVerified, 0}, {otherFurnisher, "", 0}, {operator, "", 1}} {
		ds, err := w.svc.DisputeQueue(ctx, as(tc.c), tc.status)
		if err != nil || len(ds) != tc.want {
			t.Errorf("%s's queue (%q): %d disputes, %v; want %d", tc.c.ID, tc.status, len(ds), err, tc.want)
		}
	}

	ok := scoring.Resolution{Outcome: opencredit.DisputeDeleted, Note: "withdrawn"}
	_, errOther := w.svc.ResolveDispute(ctx, as(otherFurnisher), d.ID, ok)
	_, errUnknown := w.svc.ResolveDispute(ctx, as(otherFurnisher), "dsp_unknown", ok)
	refused(errOther, opencredit.ENOTFOUND, "a furnisher resolving another furnisher's dispute")
	if errOther == nil || errUnknown == nil || strings.ReplaceAll(errOther.Error(), d.ID, "X") != strings.ReplaceAll(errUnknown.Error(), "dsp_unknown", "X") {
		t.Errorf("another's dispute (%v) and an unknown one (%v) answer differently", errOther, errUnknown)
	}
	_, err = w.svc.ResolveDispute(ctx, as(self), d.ID, ok)
	refused(err, opencredit.EFORBIDDEN, "a person resolving their own dispute")
	_, err = w.svc.ResolveDispute(ctx, as(lender), d.ID, ok)
	refused(err, opencredit.EFORBIDDEN, "a lender resolving a dispute")
	_, err = w.svc.ResolveDispute(ctx, as(furnisher), d.ID, scoring.Resolution{Outcome: opencredit.DisputeSuppressed})
	refused(err, opencredit.EINVALID, "a furnisher giving the platform's outcome")
	if got, _ := w.st.Dispute(ctx, d.ID); got.Status != opencredit.DisputeOpen {
		t.Fatalf("refused resolutions left the dispute %s", got.Status)
	}
	res, err := w.svc.ResolveDispute(ctx, as(furnisher), d.ID, ok)
	if err != nil || res.Status != opencredit.DisputeDeleted || res.Resolver != apitest.Furnisher {
		t.Fatalf("the furnisher's resolution: %+v, %v", res, err)
	}
	_, err = w.svc.ResolveDispute(ctx, as(operator), d.ID, scoring.Resolution{Outcome: opencredit.DisputeVerified})
	refused(err, opencredit.ECONFLICT, "resolving a resolved dispute")
	if sc := w.score(t); sc.Result.Score != 580 {
		t.Fatalf("after the deletion: %d, want 580", sc.Result.Score)
	}

	// Every allowed action left its record, under the caller and the subject.
	// Refusals naming Own's file are recorded with their code ("!code"); a
	// queue refused by role, or an unknown dispute, names no one.
	want := "self-other:dispute_open!forbidden lender-a:dispute_open!forbidden self-own:dispute_open!not_found " +
		"self-own:dispute_open!invalid self-own:dispute_open " +
		"self-other:disputes_read!forbidden furn-a:disputes_read!forbidden self-own:disputes_read ops:disputes_read " +
		"furn-a:disputes_read furn-a:disputes_read furn-a:disputes_read furn-b:disputes_read ops:disputes_read " +
		"furn-b:dispute_deleted!not_found furn-a:dispute_deleted ops:dispute_verified!conflict lender-a:score"
	rs := recordsFrom(t, w.log, start)
	if a := actions(rs); a != want {
		t.Fatalf("records\n%s\nwant\n%s", a, want)
	}
	for _, r := range rs {
		wantSubject := apitest.Own
		if (r.Client == "furn-b" || r.Client == "furn-a") && r.Action == scoring.ActionDisputesRead && r.Result.Items == 0 && r.Result.Error == "" {
			wantSubject = "" // an empty queue names nobody
		}
		if r.Subject != wantSubject || (r.Client != apitest.Lender && r.RequestID != "r-"+r.Client) {
			t.Errorf("record %+v: subject %q or request id wrong", r, wantSubject)
		}
	}
}
