package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

// TestPIIRotateKey: a store made under key A by `subject add` is rotated
// to key B from key files; afterwards A is refused, B opens it and reads
// the person back, and a second rotation from A fails naming --old.
func TestPIIRotateKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	a, b := strings.Repeat("a1", 32), strings.Repeat("b2", 32)
	aFile, bFile := filepath.Join(dir, "a.key"), filepath.Join(dir, "b.key")
	for path, k := range map[string]string{aFile: a, bFile: b} {
		if err := os.WriteFile(path, []byte(k+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	runEnv := func(env map[string]string, args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		err := run(ctx, args, func(k string) string { return env[k] }, &stdout, &stderr)
		return stdout.String() + stderr.String(), err
	}
	if out, err := runEnv(map[string]string{pii.EnvKey: a}, "subject", "add", "--dir", data, "--id", "s1", "--name", "Ada", "--national-id", "N-1"); err != nil {
		t.Fatalf("subject add: %v %s", err, out)
	}
	out, err := runEnv(nil, "pii", "rotate-key", "--dir", data, "--old", aFile, "--new", bFile)
	if err != nil || !strings.Contains(out, "1 subjects re-sealed") {
		t.Fatalf("rotate-key: %v %s", err, out)
	}
	if out, err := runEnv(nil, "pii", "rotate-key", "--dir", data, "--old", aFile, "--new", bFile); err == nil || !strings.Contains(err.Error(), "--old") {
		t.Fatalf("a second rotation from the old key: %v %s", err, out)
	}
	path := filepath.Join(data, "opencredit.db")
	keyA, _ := pii.ParseKey(a)
	if _, err := sqlite.Open(ctx, path, keyA); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Fatalf("opening under the old key: %v", err)
	}
	keyB, _ := pii.ParseKey(b)
	db, err := sqlite.Open(ctx, path, keyB)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.SubjectPII(ctx, "s1")
	if err != nil || p.Name != "Ada" || p.NationalID != "N-1" {
		t.Fatalf("SubjectPII under the new key = %+v, %v", p, err)
	}
	if id, err := db.SubjectByNationalID(ctx, "N-1"); err != nil || id != "s1" {
		t.Fatalf("SubjectByNationalID under the new key = %q, %v", id, err)
	}
	if out, err := runEnv(nil, "pii", "rotate-key", "--dir", data, "--old", bFile, "--new", bFile); err == nil || !strings.Contains(err.Error(), "the new key is the old key") {
		t.Fatalf("rotation to the same key: %v %s", err, out)
	}
}
