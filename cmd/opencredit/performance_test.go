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
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/lifecycle"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
	"github.com/opencredit/opencredit/monitor"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

// performanceDir returns a new data folder for --dir and its store, open
// until the test ends.
func performanceDir(t *testing.T) (string, *sqlite.DB) {
	t.Helper()
	data := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(data, "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return data, st
}

// appendAudit writes recs to the audit log of the data folder, signed with
// the test keys, and closes it.
func appendAudit(t *testing.T, data string, recs []audit.Record) {
	t.Helper()
	ctx := context.Background()
	as, err := sqlite.OpenAudit(ctx, filepath.Join(data, "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer as.Close()
	signer, verifier := audittest.Keys(t)
	log, err := audit.Open(ctx, as, signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := log.Append(ctx, recs...); err != nil {
		t.Fatal(err)
	}
}

// TestModelsPerformance back-tests a model from its audit records and the
// events after them. Ten people were scored on 2025-01-01 (p9 on
// 2025-12-01, still in its window at the 2026-06-01 measurement); p1 (500)
// and p3 (560) had a collection within 12 months, p5 (610) one after its
// window. Both bads score below every good: AUC 1, KS 1 (at 560 every bad
// and no good lies at or below). A second pull of p0, another model's
// score and a refused pull are not counted.
func TestModelsPerformance(t *testing.T) {
	ctx := context.Background()
	data, st := performanceDir(t)
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
	appendAudit(t, data, recs)
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

// TestModelsPerformanceChallenger compares a champion with a challenger
// that is the champion with its points reversed, on seven people scored on
// 2025-01-01. The champion gives 100 points for no hard inquiry in 12
// months (600) and none for one or more (500); the challenger the other
// way. p0–p2 have no inquiry (champion 600, challenger 500), p2 went bad;
// p3–p6 had one or two inquiries before the score (500, 600), p3 and p4
// went bad; p7 was scored in 2025-12, still in its window. This is
// monitor.TestCompareOutcomesByHand's case: AUC 7/12 = 0.5833 for the
// champion, 5/12 = 0.4167 for the challenger; mean difference +100/7 =
// +14.3 points; at 600, 3 approved by the champion only (1 bad) and 4 by
// the challenger only (2 bad). An inquiry after the score (p0's, in
// 2025-03) must not move the challenger's score: features are as of the
// champion's score.
func TestModelsPerformanceChallenger(t *testing.T) {
	ctx := context.Background()
	data, st := performanceDir(t)
	step := func(pts []int, missing int) *model.Model {
		m, err := modeltest.Scorecard(500, modeltest.Step(features.HardInquiries12m, "new_credit", "NC01", []float64{1}, pts, missing))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	champion, err := lifecycle.Add(ctx, st, step([]int{100, 0}, 100), "", "alice", nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	challenger, err := lifecycle.Add(ctx, st, step([]int{0, 100}, 0), "", "alice", nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	scored := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	inquiries := []int{0, 0, 0, 2, 1, 1, 1, 0}
	bads := map[int]bool{2: true, 3: true, 4: true}
	var subjects []string
	var consents []opencredit.Consent
	for i := range inquiries {
		s := fmt.Sprintf("p%d", i)
		subjects = append(subjects, s)
		consents = append(consents, opencredit.Consent{Subject: s, Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: scored.AddDate(-1, 0, 0)})
	}
	if err := st.Register(ctx, subjects, scored.AddDate(-1, 0, 0), consents); err != nil {
		t.Fatal(err)
	}
	ev := func(id, s, typ string, at time.Time, v any) opencredit.Event {
		b, _ := json.Marshal(v)
		return opencredit.Event{SpecVersion: "1.0", ID: id, Source: "f1", Subject: s, Type: typ, Time: at, DataContentType: "application/json", Data: b}
	}
	var es []opencredit.Event
	for i, n := range inquiries {
		for k := range n {
			es = append(es, ev(fmt.Sprintf("inq-%d-%d", i, k), subjects[i], opencredit.TypeInquiry, scored.AddDate(0, -k-1, 0),
				opencredit.Inquiry{Kind: "hard", Purpose: "credit_application"}))
		}
		if bads[i] {
			es = append(es, ev("c-"+subjects[i], subjects[i], opencredit.TypeCollectionOpened, scored.AddDate(0, 6, 0),
				opencredit.CollectionOpened{CollectionID: "c-" + subjects[i], Amount: 120, Currency: "EUR"}))
		}
	}
	es = append(es, ev("inq-late", "p0", opencredit.TypeInquiry, scored.AddDate(0, 2, 0), opencredit.Inquiry{Kind: "hard", Purpose: "credit_application"}))
	res, err := st.Ingest(ctx, es)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Status != opencredit.Accepted {
			t.Fatalf("event %s: %+v", es[i].ID, r)
		}
	}
	var recs []audit.Record
	for i, n := range inquiries {
		at, score := scored, 600
		if n > 0 {
			score = 500
		}
		if i == 7 {
			at = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
		}
		recs = append(recs, audit.Record{Time: at, Client: "bank", Role: "lender", Purpose: "credit_application", Subject: subjects[i],
			Action: audit.ActionScore, Result: audit.Result{Score: score, Model: champion.ID}, RequestID: fmt.Sprint("r", i)})
	}
	appendAudit(t, data, recs)
	args := []string{"models", "performance", champion.ID, "--challenger", challenger.ID, "--cutoff", "600", "--cutoff", "700",
		"--dir", data, "--demo-key", "--as-of", "2026-06-01T00:00:00Z"}
	code, stdout, stderr := cli(args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"7 people the champion scored with a 12-month outcome window", "(1 more still in their window); 3 went bad",
		champion.ID + "  champion    0.5833", challenger.ID + "  challenger  0.4167", "mean +14.3 points, mean absolute 100.0 points",
		"600      3                          1            4                            2", "700      0"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the comparison lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "score differently") {
		t.Errorf("the champion's scores are restated, but every person's features at the score are as recorded:\n%s", stdout)
	}
	code, stdout, _ = cli(append(args, "--json")...)
	var c struct {
		Champion, Challenger struct{ AUC float64 }
		Swaps                []monitor.OutcomeSwap
		Pending, Restated    int
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &c) != nil {
		t.Fatalf("--json: exit %d %s", code, stdout)
	}
	if c.Champion.AUC <= c.Challenger.AUC || c.Pending != 1 || c.Restated != 0 || len(c.Swaps) != 2 ||
		c.Swaps[0] != (monitor.OutcomeSwap{Cutoff: 600, ChampionOnly: 3, ChampionOnlyBads: 1, ChallengerOnly: 4, ChallengerOnlyBads: 2}) {
		t.Errorf("--json: %+v", c)
	}
	// An inquiry of p0's dated the day before the score, furnished only
	// now: the challenger sees it (600, approving p0 too, so the champion
	// alone approves two at 600), the champion's recorded 600 did not, and
	// the report counts p0 as restated.
	late := ev("inq-furnished-late", "p0", opencredit.TypeInquiry, scored.AddDate(0, 0, -1), opencredit.Inquiry{Kind: "hard", Purpose: "credit_application"})
	if res, err := st.Ingest(ctx, []opencredit.Event{late}); err != nil || res[0].Status != opencredit.Accepted {
		t.Fatalf("the late inquiry: %+v %v", res, err)
	}
	code, stdout, _ = cli(append(args, "--json")...)
	c.Swaps = nil
	if code != 0 || json.Unmarshal([]byte(stdout), &c) != nil || c.Restated != 1 || c.Swaps[0].ChampionOnly != 2 {
		t.Errorf("after a late event: exit %d %+v", code, c)
	}
	code, stdout, _ = cli(args...)
	if code != 0 || !strings.Contains(stdout, "1 of them score differently with the champion today") {
		t.Errorf("the text report does not say one person is restated:\n%s", stdout)
	}
	if code, _, stderr := cli("models", "performance", champion.ID, "--challenger", "nope", "--dir", data, "--demo-key"); code == 0 || !strings.Contains(stderr, "--challenger nope") {
		t.Errorf("an unknown challenger: exit %d %s", code, stderr)
	}
	if code, _, stderr := cli("models", "performance", champion.ID, "--challenger", champion.ID, "--dir", data, "--demo-key"); code != 2 || !strings.Contains(stderr, "is the model measured") {
		t.Errorf("the champion as its own challenger: exit %d %s", code, stderr)
	}
}
