package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/dispute"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/sqlite"
)

// TestSweepDisputes runs serve's sweep on a service whose clock is past a
// dispute's deadline: the dispute is suppressed without any score, and the
// sweep stops when its context ends.
func TestSweepDisputes(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	past := time.Now().Add(-48 * time.Hour)
	if err := st.CreateSubject(ctx, "s1", opencredit.PII{}, past); err != nil {
		t.Fatal(err)
	}
	if err := st.GrantConsent(ctx, opencredit.Consent{Subject: "s1", Counterparty: "furn-a", Purpose: opencredit.PurposeFurnishing, GrantedAt: past}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Ingest(ctx, []opencredit.Event{apitest.Inquiry("furn-a", "s1", "e1")}); err != nil {
		t.Fatal(err)
	}
	opened := time.Now().UTC()
	if err := st.OpenDispute(ctx, opencredit.Dispute{ID: "d1", Subject: "s1", Source: "furn-a", EventID: "e1", Comment: "not mine",
		OpenedAt: opened, Status: opencredit.DisputeOpen}); err != nil {
		t.Fatal(err)
	}
	signer, verifier := audittest.Keys(t)
	log, err := audit.Open(ctx, audit.NewMemoryStorage(), signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := scoring.New(scoring.Config{Store: st, Model: apitest.Model(t), Log: log,
		Now: func() time.Time { return opened.Add(dispute.Deadline) }})
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); sweepDisputes(sctx, svc, time.Millisecond, slog.New(slog.DiscardHandler)) }()
	// The first sweep runs at once; wait for its effect, not for a time
	// (the bound only keeps a broken sweep from hanging the test).
	for polls := 0; ; polls++ {
		if polls == 60_000 {
			t.Fatal("no sweep suppressed the lapsed dispute")
		}
		d, err := st.Dispute(ctx, "d1")
		if err != nil {
			t.Fatal(err)
		}
		if d.Status == opencredit.DisputeSuppressed {
			break
		}
		select {
		case <-done:
			t.Fatal("the sweep stopped before suppressing")
		case <-time.After(time.Millisecond):
		}
	}
	cancel()
	<-done
	if log.Size() != 1 {
		t.Fatalf("%d audit records, want the one suppression", log.Size())
	}
}

// TestDisputesAndReviewsCLI lists and resolves a dispute and a review on the
// store, as an operator without the API, and checks each read and
// resolution left its audit record and a signed checkpoint covers them.
func TestDisputesAndReviewsCLI(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	if code, _, stderr := cli("audit", "keygen", "--name", "test-audit", "--out", keys); code != 0 {
		t.Fatalf("keygen: %s", stderr)
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-48 * time.Hour)
	for _, step := range []error{
		st.CreateSubject(ctx, "s1", opencredit.PII{}, past),
		st.GrantConsent(ctx, opencredit.Consent{Subject: "s1", Counterparty: "furn-a", Purpose: opencredit.PurposeFurnishing, GrantedAt: past}),
	} {
		if step != nil {
			t.Fatal(step)
		}
	}
	if _, err := st.Ingest(ctx, []opencredit.Event{apitest.Inquiry("furn-a", "s1", "e1"), apitest.Inquiry("furn-a", "s1", "e2")}); err != nil {
		t.Fatal(err)
	}
	opened := time.Now().UTC().Add(-time.Hour)
	for _, d := range []opencredit.Dispute{
		{ID: "d1", Subject: "s1", Source: "furn-a", EventID: "e1", Comment: "not mine", OpenedAt: opened, Status: opencredit.DisputeOpen},
		{ID: "d2", Subject: "s1", Source: "furn-a", EventID: "e2", Comment: "old", OpenedAt: opened.AddDate(0, 0, -31), Status: opencredit.DisputeOpen},
	} {
		if err := st.OpenDispute(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.RequestReview(ctx, opencredit.Review{ID: "r1", Subject: "s1", DecisionID: 3, Lender: "l", Purpose: "credit_application",
		Outcome: "declined", Score: 540, RequestedAt: opened, Status: opencredit.ReviewRequested}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	flags := []string{"--demo-key", "--dir", dir, "--audit-key", filepath.Join(keys, "audit.skey"), "--operator", "ops-1"}
	run := func(args ...string) (int, string, string) { return cli(append(args, flags...)...) }

	// d2 is 31 days old: the listing suppresses it first.
	code, out, stderr := run("disputes", "list", "--json")
	if code != 0 {
		t.Fatalf("disputes list: exit %d %s", code, stderr)
	}
	var ds []opencredit.Dispute
	if err := json.Unmarshal([]byte(out), &ds); err != nil || len(ds) != 2 || ds[0].ID != "d2" || ds[0].Status != opencredit.DisputeSuppressed || ds[1].Status != opencredit.DisputeOpen {
		t.Fatalf("disputes list: %v %s", err, out)
	}
	if code, out, _ := run("disputes", "list", "--status", "open"); code != 0 || !strings.Contains(out, "d1") || strings.Contains(out, "d2") {
		t.Fatalf("disputes list --status open: %s", out)
	}
	for _, args := range [][]string{
		{"disputes", "list", "--status", "pending"},
		{"disputes", "resolve", "--id", "d1", "--outcome", "maybe"},
		{"disputes", "resolve", "--id", "d1", "--outcome", "corrected"},
		{"disputes", "resolve", "--id", "d1", "--outcome", "verified", "--time", "2026-01-01T00:00:00Z"},
		{"disputes", "resolve", "--outcome", "verified"},
		{"reviews", "resolve", "--id", "r1", "--outcome", "upheld"},
		{"reviews", "list", "--status", "open"},
	} {
		if code, _, stderr := run(args...); code != 2 {
			t.Errorf("%v: exit %d %s, want 2", args, code, stderr)
		}
	}
	if code, _, stderr := cli("disputes", "list", "--demo-key", "--dir", dir, "--audit-key", filepath.Join(keys, "audit.skey")); code != 2 || !strings.Contains(stderr, "operator") {
		t.Errorf("without --operator: exit %d %s", code, stderr)
	}
	data := filepath.Join(dir, "fix.json")
	if err := os.WriteFile(data, []byte(`{"kind":"soft","purpose":"account_review"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := run("disputes", "resolve", "--id", "d1", "--outcome", "corrected", "--data", data, "--note", "soft"); code != 0 || out != "dispute d1 corrected\n" {
		t.Fatalf("disputes resolve: exit %d %q %s", code, out, stderr)
	}
	if code, _, stderr := run("disputes", "resolve", "--id", "d1", "--outcome", "deleted"); code != 1 || !strings.Contains(stderr, "resolved already") {
		t.Errorf("resolving twice: exit %d %s", code, stderr)
	}
	if code, out, stderr := run("reviews", "list", "--status", "requested"); code != 0 || !strings.Contains(out, "r1") {
		t.Fatalf("reviews list: exit %d %s %s", code, out, stderr)
	}
	if code, out, stderr := run("reviews", "resolve", "--id", "r1", "--outcome", "changed", "--note", "income missed"); code != 0 || out != "review r1 changed\n" {
		t.Fatalf("reviews resolve: exit %d %q %s", code, out, stderr)
	}

	st, err = sqlite.Open(ctx, filepath.Join(dir, "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	evs, err := st.Events(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.ID == "e1" && !strings.Contains(string(e.Data), "soft") || e.ID == "e2" && !e.Suppressed {
			t.Errorf("event %s: %s suppressed %v", e.ID, e.Data, e.Suppressed)
		}
	}
	if r, err := st.Review(ctx, "r1"); err != nil || r.Status != opencredit.ReviewChanged || r.Resolver != "ops-1" {
		t.Errorf("review %+v %v", r, err)
	}
	ast, err := sqlite.OpenAudit(ctx, filepath.Join(dir, "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ast.Close()
	var got []string
	if err := ast.Records(ctx, 0, 100, func(_ int64, b []byte) error {
		r, err := audit.ParseRecord(b)
		got = append(got, r.Client+":"+r.Action)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	want := "opencredit:dispute_suppressed ops-1:disputes_read ops-1:disputes_read ops-1:dispute_corrected ops-1:reviews_read ops-1:review_changed"
	if strings.Join(got, " ") != want {
		t.Errorf("audit records\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	if code, out, stderr := cli("audit", "verify", "--db", filepath.Join(dir, "audit.db"), "--vkey", filepath.Join(keys, "audit.vkey")); code != 0 {
		t.Errorf("audit verify: exit %d %s %s", code, out, stderr)
	}
}
