package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/rights"
)

// TestSubjectExportErase: `subject export` writes the person's document
// with their PII, `subject erase` erases it, a second export shows the
// tombstone without PII and lists both earlier accesses, and the audit
// log still verifies. Without --audit-vkey nothing runs.
func TestSubjectExportErase(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, stderr := cli("audit", "keygen", "--name", "test-audit", "--out", dir); code != 0 {
		t.Fatal(stderr)
	}
	vkey := filepath.Join(dir, "audit.vkey")
	store := []string{"--dir", data, "--demo-key"}
	if code, _, stderr := cli(append([]string{"subject", "add", "--id", "p1", "--name", "Ann Example", "--national-id", "X-1"}, store...)...); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := cli(append([]string{"subject", "export", "p1"}, store...)...); code != 2 || !strings.Contains(stderr, "--audit-vkey") {
		t.Fatalf("export without --audit-vkey: exit %d %s", code, stderr)
	}
	out := filepath.Join(dir, "p1.json")
	if code, _, stderr := cli(append([]string{"subject", "export", "p1", "--out", out, "--audit-vkey", vkey}, store...)...); code != 0 {
		t.Fatal(stderr)
	}
	var ex rights.Export
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ex); err != nil {
		t.Fatal(err)
	}
	if ex.Version != rights.ExportVersion || ex.Subject.ID != "p1" || ex.PII == nil || ex.PII.Name != "Ann Example" {
		t.Fatalf("export %+v", ex)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the export's mode is %v, %v; want 0600 (it holds PII)", fi.Mode().Perm(), err)
	}
	// Freeze and lift from the command line; a second freeze is a conflict.
	for _, c := range []struct {
		cmd, want string
		code      int
	}{{"freeze", "file frozen", 0}, {"freeze", "frozen already", 1}, {"unfreeze", "file not frozen", 0}} {
		code, stdout, stderr := cli(append([]string{"subject", c.cmd, "p1", "--audit-vkey", vkey}, store...)...)
		if code != c.code || !strings.Contains(stdout+stderr, c.want) {
			t.Errorf("subject %s: exit %d %s %s; want %d and %q", c.cmd, code, stdout, stderr, c.code, c.want)
		}
	}
	code, stdout, stderr := cli(append([]string{"subject", "erase", "p1", "--audit-vkey", vkey}, store...)...)
	if code != 0 || !strings.Contains(stdout, "subject p1 erased") {
		t.Fatalf("erase: exit %d %s %s", code, stdout, stderr)
	}
	if code, _, stderr := cli(append([]string{"subject", "erase", "p1", "--audit-vkey", vkey}, store...)...); code != 1 || !strings.Contains(stderr, "erased already") {
		t.Errorf("a second erase: exit %d %s", code, stderr)
	}
	code, stdout, stderr = cli(append([]string{"subject", "export", "p1", "--audit-vkey", vkey}, store...)...)
	if code != 0 {
		t.Fatal(stderr)
	}
	ex = rights.Export{}
	if err := json.Unmarshal([]byte(stdout), &ex); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range ex.Accesses {
		actions = append(actions, a.Action+"/"+a.Error)
	}
	if ex.PII != nil || ex.Subject.DeletedAt == nil || strings.Join(actions, " ") != "export/ freeze/ freeze/conflict unfreeze/ erasure/ erasure/not_found" {
		t.Errorf("export after erasure: PII %+v, deleted %v, accesses %v", ex.PII, ex.Subject.DeletedAt, actions)
	}
	if strings.Contains(stdout, "Ann Example") || strings.Contains(stdout, "X-1") {
		t.Error("the export after erasure holds the PII")
	}
	if code, stdout, stderr := cli("audit", "verify", "--db", filepath.Join(data, "audit.db"), "--vkey", vkey); code != 0 || !strings.Contains(stdout, "7 records") {
		t.Errorf("audit verify: exit %d %s %s", code, stdout, stderr)
	}
}
