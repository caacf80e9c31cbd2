package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/audit"
)

// started runs a long-running command (serve, audit witness) until the test
// ends and returns the URL it reports listening on.
func started(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel) // should it not start
	url, done, _ := startServe(t, ctx, args)
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Errorf("%s did not stop after its context ended", args[0])
		}
	})
	return url
}

// runFor runs a command that should end, with a deadline.
func runFor(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr lockedBuffer
	err := run(ctx, args, func(string) string { return "" }, &stdout, &stderr)
	return stdout.String() + stderr.String(), err
}

// readyz reads a server's /readyz.
func readyz(t *testing.T, base string) api.Status {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st api.Status
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz: %d %v", resp.StatusCode, err)
	}
	return st
}

// copyFile copies a closed SQLite file.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestWitnessedAuditLog runs the whole of issue 17's witnessed log from the
// command line: a witness, serve publishing to it, then each attack on a
// copy of the audit file, caught by audit verify --witness and by serve's
// start; a proof of a record checked offline; a witness that is down
// leaving serve ready.
func TestWitnessedAuditLog(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	for _, args := range [][]string{
		{"audit", "keygen", "--name", "test-audit", "--out", keys},
		{"audit", "witness", "keygen", "--name", "witness.test/w1", "--out", keys},
	} {
		if code, _, stderr := cli(args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	skeyPath, vkeyPath := filepath.Join(keys, "audit.skey"), filepath.Join(keys, "audit.vkey")
	wkeyPath, wvkeyPath := filepath.Join(keys, "witness.skey"), filepath.Join(keys, "witness.vkey")
	if code, _, stderr := cli("audit", "witness", "keygen", "--name", "w", "--out", keys); code == 0 || !strings.Contains(stderr, "refusing to replace") {
		t.Fatalf("witness keygen over existing keys: exit %d %s", code, stderr)
	}
	modelPath, _ := serveFiles(t, dir) // its audit key pair is not used: the test makes its own with audit keygen

	// A log of 100 records with a checkpoint, as serve leaves one.
	data := filepath.Join(dir, "data")
	signer, verifier, err := auditKeys(skeyPath, vkeyPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	log, closeLog, err := openAuditLog(ctx, filepath.Join(data, "audit.db"), signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	for i := range 100 {
		r := audit.Record{Time: at.Add(time.Duration(i) * time.Second), Client: "lender-1", Role: "lender", Purpose: "credit_application",
			Subject: fmt.Sprintf("s%03d", i), Action: audit.ActionScore, Result: audit.Result{Score: 600 + i, Band: "good"}, RequestID: fmt.Sprint("r", i)}
		if _, err := log.Append(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := log.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	closeLog()

	wURL := started(t, "audit", "witness", "--listen", "127.0.0.1:0", "--key", wkeyPath,
		"--state", filepath.Join(dir, "witness.json"), "--log-key", vkeyPath)
	witnessFlag := wURL + "=" + wvkeyPath
	serveArgs := func(data string, witness string) []string {
		return []string{"serve", "--dir", data, "--demo-key", "--addr", "127.0.0.1:0", "--model", modelPath,
			"--audit-key", skeyPath, "--witness", witness}
	}

	// serve publishes the latest checkpoint at start; the witness cosigns it.
	func() {
		sctx, cancel := context.WithCancel(ctx)
		defer cancel() // should it not start
		base, done, stderr := startServe(t, sctx, serveArgs(data, witnessFlag))
		defer func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v\n%s", err, stderr.String())
			}
		}()
		var st api.Status
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if st = readyz(t, base); len(st.Witnesses) == 1 && st.Witnesses[0].CosignedSize == 100 {
				break
			}
		}
		if len(st.Witnesses) != 1 || st.Witnesses[0].CosignedSize != 100 || st.Witnesses[0].Witness != "witness.test/w1" || st.Witnesses[0].CosignedAt == nil || st.Witnesses[0].Error != "" {
			t.Fatalf("/readyz witnesses = %+v; want w1 having cosigned 100 records", st.Witnesses)
		}
	}()
	pristine := filepath.Join(dir, "pristine.db")
	copyFile(t, filepath.Join(data, "audit.db"), pristine)
	if out, err := runFor("audit", "verify", "--db", pristine, "--vkey", vkeyPath, "--witness", witnessFlag); err != nil {
		t.Fatalf("verify of the untouched log against the witness: %v\n%s", err, out)
	}

	// A proof of record 42, checked offline; changed, it fails.
	proof, err := runFor("audit", "prove", "--index", "42", "--db", pristine, "--vkey", vkeyPath)
	if err != nil {
		t.Fatalf("audit prove: %v %s", err, proof)
	}
	proofPath := filepath.Join(dir, "proof.json")
	if err := os.WriteFile(proofPath, []byte(proof), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runFor("audit", "check-proof", proofPath, "--log-key", vkeyPath, "--witness-key", wvkeyPath); err != nil || !strings.Contains(out, "record 42 is in the log's tree of 100 records") || !strings.Contains(out, "s042") {
		t.Fatalf("check-proof: %v\n%s", err, out)
	}
	var p audit.Proof
	if err := json.Unmarshal([]byte(proof), &p); err != nil {
		t.Fatal(err)
	}
	p.Record = []byte(strings.Replace(string(p.Record), `"score":642`, `"score":942`, 1))
	p.LeafHash = tlog.RecordHash(p.Record)
	b, _ := json.Marshal(p)
	if err := os.WriteFile(proofPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runFor("audit", "check-proof", proofPath, "--log-key", vkeyPath, "--witness-key", wvkeyPath); exitCode(err, io.Discard) != 2 || !strings.Contains(out+err.Error(), "not in the signed tree") {
		t.Fatalf("check-proof of a changed record: %v\n%s", err, out)
	}

	for _, c := range []struct {
		name    string
		tamper  []string // SQL on the audit file
		alone   bool     // verify without the witness passes (the attack of the issue)
		verify  string   // what verify --witness says
		serveNo string   // what serve's refusal says
	}{
		{"truncate", []string{
			`DELETE FROM audit_records WHERE n >= 60`, fmt.Sprintf(`DELETE FROM audit_hashes WHERE i >= %d`, tlog.StoredHashCount(60)),
			`DELETE FROM audit_checkpoints`, `DELETE FROM audit_cosignatures`,
		}, true, "records 60..99 were removed", "records 60..99 were removed"},
		{"empty", []string{
			`DELETE FROM audit_records`, `DELETE FROM audit_hashes`, `DELETE FROM audit_checkpoints`, `DELETE FROM audit_cosignatures`,
		}, true, "records 0..99 were removed", "records 0..99 were removed"},
		{"rewrite with recomputed hashes", nil, true, "the stored tree of 100 records has root", "were rewritten"},
		{"leftover hashes", []string{
			`DELETE FROM audit_records WHERE n >= 90`, `DELETE FROM audit_checkpoints`, `DELETE FROM audit_cosignatures`,
		}, false, "records 90..99 were removed", "stored hashes remain past its end"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cdata := filepath.Join(t.TempDir(), "data")
			path := filepath.Join(cdata, "audit.db")
			copyFile(t, pristine, path)
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range c.tamper {
				if _, err := db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if c.tamper == nil {
				rewrite(t, db)
			}
			db.Close()
			if c.alone {
				if out, err := runFor("audit", "verify", "--db", path, "--vkey", vkeyPath); err != nil {
					t.Fatalf("verify without the witness: %v\n%s (the attack was meant to pass it)", err, out)
				}
			}
			out, err := runFor("audit", "verify", "--db", path, "--vkey", vkeyPath, "--witness", witnessFlag)
			if exitCode(err, io.Discard) != 2 || !strings.Contains(out, c.verify) || !strings.Contains(out, "witness.test/w1") {
				t.Fatalf("verify --witness: %v\n%s\nwant exit 2 saying %q", err, out, c.verify)
			}
			out, err = runFor(serveArgs(cdata, witnessFlag)...)
			if err == nil || !strings.Contains(err.Error(), c.serveNo) || strings.Contains(out, "listening on") {
				t.Fatalf("serve on the attacked log: %v\n%s\nwant a refusal to start saying %q", err, out, c.serveNo)
			}
		})
	}

	// A witness that cannot be reached does not keep serve from starting
	// or from being ready; /readyz shows it.
	down := "http://127.0.0.1:1=" + wvkeyPath
	base := started(t, serveArgs(filepath.Join(dir, "data2"), down)...)
	st := readyz(t, base)
	if st.Status != "ready" || len(st.Witnesses) != 1 || st.Witnesses[0].Error == "" {
		t.Fatalf("/readyz with a witness down = %+v; want ready, the witness's error shown", st)
	}
}

// rewrite changes record 30 of the log in db to a better score and
// recomputes every hash above it as the log would have, then deletes the
// checkpoints and cosignatures that would show it: the rewrite.
func rewrite(t *testing.T, db *sql.DB) {
	t.Helper()
	rows, err := db.Query(`SELECT data FROM audit_records ORDER BY n`)
	if err != nil {
		t.Fatal(err)
	}
	var recs [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, b)
	}
	rows.Close()
	recs[30] = []byte(strings.Replace(string(recs[30]), `"score":630`, `"score":930`, 1))
	var hashes []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for k, i := range idx {
			out[k] = hashes[i]
		}
		return out, nil
	})
	for n, b := range recs {
		hs, err := tlog.StoredHashes(int64(n), b, r)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, hs...)
	}
	if _, err := db.Exec(`UPDATE audit_records SET data = ? WHERE n = 30`, recs[30]); err != nil {
		t.Fatal(err)
	}
	for i, h := range hashes {
		if _, err := db.Exec(`UPDATE audit_hashes SET hash = ? WHERE i = ?`, h[:], i); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{`DELETE FROM audit_checkpoints`, `DELETE FROM audit_cosignatures`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}
