package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/postgres"
)

// TestAuditPostgres: serve --store postgres keeps its audit log in the
// store's schema, not in a file of --dir, and audit verify --store postgres
// reads it there, passes a clean log and exits 2 naming a changed record.
func TestAuditPostgres(t *testing.T) {
	pg := pgSchema(t, "the PostgreSQL audit test")
	ctx, schema, dsn := context.Background(), pg.schema, pg.dsn

	dir := t.TempDir()
	upper := 1.0
	m := &model.Model{
		SchemaVersion: model.SchemaVersion, Kind: "scorecard", Target: "bad",
		Scaling: model.DefaultScaling(), Bands: opencredit.DefaultBands(), Intercept: -3, BasePoints: 500,
		Features: []model.Feature{{Name: features.HardInquiries12m, Kind: model.Numeric, ReasonCode: "NC01",
			Bins: []model.Bin{{Upper: &upper, Points: 80}, {Lower: &upper, Points: 0}, {Missing: true, Points: 40}}}},
	}
	if err := m.Prepare(); err != nil {
		t.Fatal(err)
	}
	modelPath := filepath.Join(dir, "model.json")
	if err := m.SaveFile(modelPath); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := cli("audit", "keygen", "--name", audittest.KeyName, "--out", dir); code != 0 {
		t.Fatal(stderr)
	}
	data := filepath.Join(dir, "data")
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	_, done, _ := startServe(t, sctx, []string{"serve", "--store", "postgres", "--postgres", dsn, "--dir", data, "--demo-key", "--addr", "127.0.0.1:0",
		"--model", modelPath, "--audit-key", filepath.Join(dir, "audit.skey")})
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if _, err := os.Stat(filepath.Join(data, "audit.db")); !os.IsNotExist(err) {
		t.Errorf("serve --store postgres left an audit file in --dir (%v)", err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var tables int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE 'audit_%'`, schema).Scan(&tables); err != nil || tables != 6 {
		// records, hashes, checkpoints, cosignatures, head, migrations
		t.Fatalf("%d audit tables in schema %s (%v), want 6: serve did not open its log there", tables, schema, err)
	}

	// Records as the service appends them, signed with the key serve used.
	st, err := postgres.OpenAudit(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	signer, verifier, err := auditKeys(filepath.Join(dir, "audit.skey"), filepath.Join(dir, "audit.vkey"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := audit.Open(ctx, st, signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(ctx, audittest.Records(0, 30)...); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	vkey := filepath.Join(dir, "audit.vkey")
	code, out, errs := cli("audit", "verify", "--store", "postgres", "--postgres", dsn, "--vkey", vkey)
	if code != 0 || !strings.Contains(out, "30 records") {
		t.Fatalf("clean log: exit %d: %s %s", code, out, errs)
	}
	tag, err := conn.Exec(ctx, `UPDATE audit_records SET data = convert_to(replace(convert_from(data, 'UTF8'), '"score":362', '"score":962'), 'UTF8')
WHERE n = 12 AND strpos(convert_from(data, 'UTF8'), '"score":362') > 0`)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("changing record 12: %v, %d rows", err, tag.RowsAffected())
	}
	code, out, _ = cli("audit", "verify", "--store", "postgres", "--postgres", dsn, "--vkey", vkey)
	if code != 2 || !strings.Contains(out, "12") {
		t.Fatalf("tampered log: exit %d: %s", code, out)
	}
}

// TestAuditVerifyFlags: audit verify names what is missing or contradictory.
func TestAuditVerifyFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--vkey", "k"}, "--db FILE"},
		{[]string{"--store", "postgres", "--db", "audit.db", "--vkey", "k"}, "--db audit.db is a SQLite audit file"},
		{[]string{"--store", "postgres", "--vkey", "k"}, "--postgres DSN"},
		{[]string{"--store", "mysql", "--vkey", "k"}, `--store "mysql"`},
	} {
		dir := t.TempDir()
		_, vkey, _ := audit.GenerateKey("k")
		os.WriteFile(filepath.Join(dir, "k"), []byte(vkey), 0o644)
		for i, a := range c.args {
			if a == "k" {
				c.args[i] = filepath.Join(dir, "k")
			}
		}
		code, _, stderr := cli(append([]string{"audit", "verify"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("audit verify %v: exit %d, %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}
