package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/lifecycle"
	"github.com/opencredit/opencredit/model/modeltest"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

// TestModelsPerformance back-tests a model from its audit records and the
// events after them. Ten people were scored on 2025-01-01 (p9 on
// 2025-12-01, still in its window at the 2026-06-01 measurement); p1 (500)
// and p3 (560) had a collection within 12 months, p5 (610) one after its
// window. Both bads score below every good: AUC 1, KS 1 (at 560 every bad
// and no good lies at or below). A second pull of p0, another model's
// score and a refused pull are not counted.
func TestModelsPerformance(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(data, "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m, err := modeltest.Scorecard(500, modeltest.Step("x", "capacity", "X", []float64{1}, []int{0, 50}, 0))
	if err != nil {
		t.Fatal(err)
	}
	v, err := lifecycle.Add(ctx, st, m, "", "alice", nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	scored := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	scores := []int{700, 500, 650, 560, 720, 610, 680, 600, 640, 630}
	var subjects []string
	var consents []opencredit.Consent
	for i := range scores {
		s := fmt.Sprintf("p%d", i)
		subjects = append(subjects, s)
		consents = append(consents, opencredit.Consent{Subject: s, Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: scored.AddDate(-1, 0, 0)})
	}
	if err := st.Register(ctx, subjects, scored.AddDate(-1, 0, 0), consents); err != nil {
		t.Fatal(err)
	}
	collection := func(s string, at time.Time) opencredit.Event {
		b, _ := json.Marshal(opencredit.CollectionOpened{CollectionID: "c-" + s, Amount: 120, Currency: "EUR"})
		return opencredit.Event{SpecVersion: "1.0", ID: "c-" + s, Source: "f1", Subject: s, Type: opencredit.TypeCollectionOpened, Time: at, DataContentType: "application/json", Data: b}
	}
	res, err := st.Ingest(ctx, []opencredit.Event{collection("p1", scored.AddDate(0, 5, 0)), collection("p3", scored.AddDate(0, 11, 0)), collection("p5", scored.AddDate(1, 2, 0))})
	if err != nil || res[0].Status != opencredit.Accepted || res[2].Status != opencredit.Accepted {
		t.Fatalf("%+v %v", res, err)
	}
	as, err := sqlite.OpenAudit(ctx, filepath.Join(data, "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	signer, verifier := audittest.Keys(t)
	log, err := audit.Open(ctx, as, signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	var recs []audit.Record
	for i, sc := range scores {
		at := scored
		if i == 9 {
			at = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
		}
		recs = append(recs, audit.Record{Time: at, Client: "bank", Role: "lender", Purpose: "credit_application", Subject: subjects[i],
			Action: audit.ActionScore, Result: audit.Result{Score: sc, Model: v.ID}, RequestID: fmt.Sprint("r", i)})
	}
	recs = append(recs,
		audit.Record{Time: scored.AddDate(0, 1, 0), Client: "bank", Role: "lender", Subject: "p0", Action: audit.ActionScore, Result: audit.Result{Score: 400, Model: v.ID}, RequestID: "again"},
		audit.Record{Time: scored, Client: "bank", Role: "lender", Subject: "p2", Action: audit.ActionScore, Result: audit.Result{Score: 360, Model: "scorecard-other"}, RequestID: "other"},
		audit.Record{Time: scored, Client: "bank", Role: "lender", Subject: "p4", Action: audit.ActionScore, Result: audit.Result{Error: "forbidden", Model: v.ID}, RequestID: "refused"},
	)
	if _, err := log.Append(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	as.Close()
	code, stdout, stderr := cli("models", "performance", v.ID, "--dir", data, "--demo-key", "--as-of", "2026-06-01T00:00:00Z")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"9 people scored with a 12-month outcome window", "(1 more still in their window); 2 went bad", "AUC 1.0000   KS 1.0000", "good       600   3       0    0.0%"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("performance lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, _ = cli("models", "performance", v.ID, "--dir", data, "--demo-key", "--as-of", "2026-06-01T00:00:00Z", "--json")
	var p struct {
		Scored, Bads, Pending int
		AUC                   float64
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &p) != nil || p.Scored != 9 || p.Bads != 2 || p.Pending != 1 || p.AUC != 1 {
		t.Errorf("--json: exit %d %s", code, stdout)
	}
	if code, _, stderr := cli("models", "performance", v.ID, "--dir", data, "--demo-key", "--horizon-months", "0"); code != 2 || !strings.Contains(stderr, "--horizon-months") {
		t.Errorf("--horizon-months 0: exit %d %s", code, stderr)
	}
}
