package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/apiclient"
	"github.com/opencredit/opencredit/internal/pgtest"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/postgres"
)

// TestPostgresRestartUnderLoad (issue 15): a private PostgreSQL server is
// stopped, as a crash stops it, while a lender pulls scores through serve,
// and started again. While it is down every pull answers 503 with code
// unavailable and a Retry-After, never a 500 or a score; once it is back
// the same server process answers again, without a restart, and the audit
// log verifies.
func TestPostgresRestartUnderLoad(t *testing.T) {
	pg := pgtest.Start(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, pg.DSN, pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-48 * time.Hour)
	key, hash, err := opencredit.NewAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateClient(ctx, opencredit.Client{ID: "bank", Role: opencredit.RoleLender, Purposes: []string{opencredit.PurposeAccountReview}, CreatedAt: past}, hash); err != nil {
		t.Fatal(err)
	}
	if err := db.Register(ctx, []string{"p1"}, past, []opencredit.Consent{{Subject: "p1", Counterparty: "bank", Purpose: opencredit.PurposeAccountReview, GrantedAt: past}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	dir := t.TempDir()
	modelPath, skeyPath := serveFiles(t, dir)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	url, done, stderr := startServe(t, sctx, []string{"serve", "--store", "postgres", "--postgres", pg.DSN, "--dir", filepath.Join(dir, "data"), "--demo-key",
		"--addr", "127.0.0.1:0", "--model", modelPath, "--audit-key", skeyPath, "--rate", "0", "--address-rate", "0"})
	pull := func() (int, string, string) {
		req, _ := http.NewRequest("GET", url+"/v1/subjects/p1/score?purpose=account_review", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, resp.Header.Get("Retry-After"), string(b)
	}
	if code, _, body := pull(); code != http.StatusOK {
		t.Fatalf("before the restart: %d %s", code, body)
	}
	pg.Stop()
	for i := range 5 {
		code, retry, body := pull()
		if code != http.StatusServiceUnavailable || retry == "" || !strings.Contains(body, `"code":"unavailable"`) {
			t.Errorf("pull %d with the database down: %d (Retry-After %q) %s; want 503 unavailable", i, code, retry, body)
		}
	}
	pg.Start()
	ok := false
	for deadline := time.Now().Add(20 * time.Second); !ok && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		code, _, body := pull()
		switch code {
		case http.StatusOK:
			ok = true
		case http.StatusServiceUnavailable:
		default:
			t.Fatalf("while the database comes back: %d %s", code, body)
		}
	}
	if !ok {
		t.Fatalf("serve did not answer again after the database came back:\n%s", stderr.String())
	}
	// And keeps answering.
	bank := apiclient.New(url, key)
	for range 5 {
		if _, err := bank.Score(ctx, "p1", opencredit.PurposeAccountReview); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	vkey := strings.TrimSuffix(skeyPath, ".skey") + ".vkey"
	if code, out, errs := cli("audit", "verify", "--store", "postgres", "--postgres", pg.DSN, "--vkey", vkey); code != 0 {
		t.Fatalf("audit verify after the restart: exit %d: %s %s", code, out, errs)
	}
}
