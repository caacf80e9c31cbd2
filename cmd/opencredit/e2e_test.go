package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/apiclient"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/simulate"
	"github.com/opencredit/opencredit/sqlite"
)

// TestEndToEnd runs the product's whole path on a simulated population
// (issue 5): simulate → import → snapshot as of month 12 → train →
// out-of-time validation as of month 18 → scores through the API equal
// the CLI's for the same people at the same moment.
//
// The default run has 2,500 people (about 10 s); OPENCREDIT_E2E_SUBJECTS
// sets another size, such as 50000 for a scale run.
//
// The AUC bar, 0.75, is the issue's: the model must learn the latent
// process from the features alone. 4,000 people gave 0.866 (seed 7), so
// the bar leaves room for the noise of a smaller population.
func TestEndToEnd(t *testing.T) {
	subjects := 2500
	if s := os.Getenv("OPENCREDIT_E2E_SUBJECTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 100 {
			t.Fatalf("OPENCREDIT_E2E_SUBJECTS=%q: want a number of people, at least 100", s)
		}
		subjects = n
	}
	dir := t.TempDir()
	in := func(name string) string { return filepath.Join(dir, name) }
	store := []string{"--dir", in("store"), "--demo-key"}
	must := func(args ...string) string {
		t.Helper()
		start := time.Now()
		code, stdout, stderr := cli(args...)
		if code != 0 {
			t.Fatalf("opencredit %v: exit %d\n%s", args, code, stderr)
		}
		t.Logf("opencredit %s: %.1fs", args[0], time.Since(start).Seconds())
		return stdout
	}

	// 24 months, January 2024 to December 2025.
	must(append([]string{"simulate", "-q", "--subjects", strconv.Itoa(subjects), "--months", "24", "--seed", "7",
		"--end", "2026-01", "--out", in("events.ndjson"), "--register"}, store...)...)
	must(append([]string{"import", "-q", in("events.ndjson")}, store...)...)
	must(append([]string{"snapshot", "--as-of", "2024-12-31", "--window", "6m", "--out", in("train.csv")}, store...)...)
	must(append([]string{"snapshot", "--as-of", "2025-06-30", "--window", "6m", "--out", in("oot.csv")}, store...)...)
	must("train", "-q", "--data", in("train.csv"), "--target", "label", "--id", "subject", "--out", in("m.json"), "--report", "-")

	var ev struct {
		Rows int     `json:"rows"`
		Bads int     `json:"bads"`
		AUC  float64 `json:"auc"`
	}
	out := must("evaluate", "--model", in("m.json"), "--data", in("oot.csv"), "--target", "label", "--id", "subject", "--json")
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("evaluate --json: %v\n%s", err, out)
	}
	t.Logf("out of time, as of month 18: %d people, %d bad in the next 6 months, AUC %.4f", ev.Rows, ev.Bads, ev.AUC)
	if ev.Rows != subjects || ev.Bads == 0 || ev.AUC < 0.75 {
		t.Fatalf("out-of-time evaluation %+v: want every person, some bads and AUC ≥ 0.75", ev)
	}

	// The CLI's scores as of a fixed moment after the history...
	at := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	must(append([]string{"snapshot", "--as-of", at.Format(time.RFC3339), "--window", "1m", "--out", in("now.csv")}, store...)...)
	must("score", "--model", in("m.json"), "--data", in("now.csv"), "--id", "subject", "--out", in("scores.csv"))
	cliScores := readScores(t, in("scores.csv"))

	// ... and the API's, from the same store, with the clock at that moment.
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(in("store"), "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m, err := model.LoadFile(in("m.json"))
	if err != nil {
		t.Fatal(err)
	}
	key, hash, err := opencredit.NewAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateClient(ctx, opencredit.Client{ID: "e2e-lender", Role: opencredit.RoleLender,
		Purposes: []string{opencredit.PurposeAccountReview}, CreatedAt: at.Add(-time.Hour)}, hash); err != nil {
		t.Fatal(err)
	}
	const checked = 200
	for i := range min(checked, subjects) {
		c := opencredit.Consent{Subject: simulate.SubjectID(i), Counterparty: "e2e-lender", Purpose: opencredit.PurposeAccountReview, GrantedAt: at.Add(-time.Hour)}
		if err := st.GrantConsent(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	now := func() time.Time { return at }
	signer, verifier := audittest.Keys(t)
	log, err := audit.Open(ctx, audit.NewMemoryStorage(), signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := scoring.New(scoring.Config{Store: st, Model: m, Log: log, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.NewServer(httpapi.Deps{Store: st, Scoring: svc, Audit: log, Now: now}))
	defer srv.Close()
	lender := apiclient.New(srv.URL, key)
	for i := range min(checked, subjects) {
		id := simulate.SubjectID(i)
		got, err := lender.Score(ctx, id, opencredit.PurposeAccountReview)
		if err != nil {
			t.Fatalf("API score of %s: %v", id, err)
		}
		if want, ok := cliScores[id]; !ok || got.Score != want {
			t.Errorf("%s: API score %d, CLI score %d (found %v)", id, got.Score, want, ok)
		}
	}
}

// readScores reads the id and score columns of 'opencredit score' output.
func readScores(t *testing.T, path string) map[string]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) < 2 || recs[0][0] != "id" || recs[0][2] != "score" {
		t.Fatalf("%s: %v, header %v", path, err, recs[:min(1, len(recs))])
	}
	out := map[string]int{}
	for _, r := range recs[1:] {
		s, err := strconv.Atoi(r[2])
		if err != nil {
			t.Fatalf("%s: score %q", path, r[2])
		}
		out[r[0]] = s
	}
	return out
}
