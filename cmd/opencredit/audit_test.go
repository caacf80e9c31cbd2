package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/sqlite"
)

// TestAuditVerify: keygen, a log of 50 records signed by a checkpoint, a clean
// verify; then one changed byte in record 17 makes verify exit 2 naming it.
func TestAuditVerify(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if code, _, stderr := cli("audit", "keygen", "--name", "test-audit", "--out", dir); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := cli("audit", "keygen", "--name", "test-audit", "--out", dir); code == 0 || !strings.Contains(stderr, "refusing to replace") {
		t.Fatalf("keygen over existing keys: exit %d %s", code, stderr)
	}
	skey, _ := os.ReadFile(filepath.Join(dir, "audit.skey"))
	vkey, _ := os.ReadFile(filepath.Join(dir, "audit.vkey"))
	signer, err := note.NewSigner(strings.TrimSpace(string(skey)))
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dir, "audit.db")
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.NewAuditStorage(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	log, err := audit.Open(ctx, st, signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for i := 0; i < 50; i++ {
		r := audit.Record{Time: at.Add(time.Duration(i) * time.Second), Client: "lender-1", Role: "lender", Purpose: "credit_application",
			Subject: fmt.Sprintf("s%03d", i), Action: audit.ActionScore, Result: audit.Result{Score: 600 + i, Band: "good"}, RequestID: fmt.Sprint("r", i)}
		if _, err := log.Append(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := log.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	vpath := filepath.Join(dir, "audit.vkey")
	code, stdout, stderr := cli("audit", "verify", "--db", dbPath, "--vkey", vpath)
	if code != 0 || !strings.Contains(stdout, "50 records") {
		t.Fatalf("clean log: exit %d: %s %s", code, stdout, stderr)
	}
	if _, err := db.Exec(`UPDATE audit_records SET data = replace(data, '"score":617', '"score":917') WHERE n = 17`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, stdout, _ = cli("audit", "verify", "--db", dbPath, "--vkey", vpath)
	if code != 2 || !strings.Contains(stdout, "17") {
		t.Fatalf("tampered log: exit %d: %s", code, stdout)
	}
}

// TestVerifyTakesSavedResponse: the body of GET /v1/audit/checkpoint saved
// as it came verifies with audit verify --checkpoint, as the note alone
// does; a response whose size disagrees with its note, or with a field
// more, is refused naming the file.
func TestVerifyTakesSavedResponse(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if code, _, stderr := cli("audit", "keygen", "--name", "test-audit", "--out", dir); code != 0 {
		t.Fatal(stderr)
	}
	skey, _ := os.ReadFile(filepath.Join(dir, "audit.skey"))
	vkey, _ := os.ReadFile(filepath.Join(dir, "audit.vkey"))
	signer, err := note.NewSigner(strings.TrimSpace(string(skey)))
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dir, "audit.db")
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := sqlite.NewAuditStorage(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	log, err := audit.Open(ctx, st, signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := log.Append(ctx, audit.Record{Time: time.Now(), Client: "ops", Role: "operator", Action: audit.ActionScore, RequestID: fmt.Sprint("r", i)}); err != nil {
			t.Fatal(err)
		}
	}
	cp, err := log.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	save := func(name string, v any) string {
		t.Helper()
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, append(b, '\n'), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := save("cp.json", api.CheckpointResponse{Size: log.Size(), Checkpoint: string(cp)})
	vpath := filepath.Join(dir, "audit.vkey")
	if code, stdout, stderr := cli("audit", "verify", "--db", dbPath, "--vkey", vpath, "--checkpoint", good); code != 0 || !strings.Contains(stdout, "5 records") {
		t.Fatalf("the saved response: exit %d: %s %s", code, stdout, stderr)
	}
	for name, v := range map[string]any{
		"size.json":  api.CheckpointResponse{Size: 4, Checkpoint: string(cp)},
		"extra.json": map[string]any{"size": 5, "checkpoint": string(cp), "note": "x"},
	} {
		p := save(name, v)
		if code, _, stderr := cli("audit", "verify", "--db", dbPath, "--vkey", vpath, "--checkpoint", p); code != 2 || !strings.Contains(stderr, p) {
			t.Errorf("%s: exit %d %s, want 2 naming the file", name, code, stderr)
		}
	}
}
