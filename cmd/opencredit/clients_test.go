package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

// TestClients creates, lists and revokes clients through the command line
// and checks the key it prints against the store.
func TestClients(t *testing.T) {
	dir := t.TempDir()
	store := []string{"--demo-key", "--dir", dir}
	clients := func(args ...string) (int, string, string) {
		return cli(append(append([]string{"clients"}, args...), store...)...)
	}

	code, out, stderr := clients("create", "--id", "bank", "--name", "Bank of Examples", "--role", "lender", "--purpose", "credit_application,account_review")
	if code != 0 {
		t.Fatalf("create: exit %d, stderr %q", code, stderr)
	}
	m := regexp.MustCompile(`(?m)^key: (oc_[A-Za-z0-9_-]{43})$`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "cannot be shown again") {
		t.Fatalf("create printed %q: want the key and that it cannot be shown again", out)
	}
	key := m[1]
	if !opencredit.LooksLikeAPIKey(key) {
		t.Fatalf("printed key %q does not look like an API key", key)
	}
	if code, _, stderr := clients("create", "--id", "app-s1", "--role", "subject", "--subject", "s1"); code != 0 {
		t.Fatalf("create subject client: exit %d, stderr %q", code, stderr)
	}

	// Refused before anything is stored: bad input exits 2, a taken id 1.
	for _, args := range [][]string{
		{"create", "--id", "x", "--role", "lender", "--purpose", "furnishing"},
		{"create", "--id", "x", "--role", "lender", "--purpose", "employment"},
		{"create", "--id", "x", "--role", "furnisher", "--purpose", "credit_application"},
		{"create", "--id", "x", "--role", "subject"},
		{"create", "--id", "x", "--role", "admin"},
		{"create", "--role", "operator"},
		{"revoke"},
	} {
		if code, _, stderr := clients(args...); code != 2 {
			t.Errorf("%v: exit %d, stderr %q; want 2", args, code, stderr)
		}
	}
	if code, _, stderr := clients("create", "--id", "bank", "--role", "operator"); code != 1 || !strings.Contains(stderr, "exists") {
		t.Errorf("duplicate id: exit %d, stderr %q; want 1", code, stderr)
	}

	code, out, stderr = clients("list")
	if code != 0 {
		t.Fatalf("list: exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "app-s1 ") || !strings.HasPrefix(lines[2], "bank ") ||
		!strings.Contains(lines[2], "credit_application,account_review") || strings.Contains(out, key) {
		t.Fatalf("list printed:\n%s", out)
	}

	// The printed key finds the client; the database holds only its hash.
	lookup := func() error {
		t.Helper()
		db, err := sqlite.Open(context.Background(), filepath.Join(dir, "opencredit.db"), pii.DemoKeys())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		c, err := db.ClientByKey(context.Background(), opencredit.HashAPIKey(key))
		if err == nil && (c.ID != "bank" || c.Role != opencredit.RoleLender) {
			t.Fatalf("the key finds %+v, want bank", c)
		}
		return err
	}
	if err := lookup(); err != nil {
		t.Fatalf("the printed key finds no client: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "opencredit.db*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(key)) || bytes.Contains(b, []byte(key[len(opencredit.APIKeyPrefix):])) {
			t.Errorf("%s holds the API key in clear", filepath.Base(f))
		}
	}

	if code, out, stderr := clients("revoke", "--id", "bank"); code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	if err := lookup(); opencredit.ErrorCode(err) != opencredit.ENOTFOUND {
		t.Fatalf("the revoked key: %v, want not found", err)
	}
	if code, _, stderr := clients("revoke", "--id", "nobody"); code != 1 || !strings.Contains(stderr, "no client nobody") {
		t.Errorf("revoke unknown: exit %d, stderr %q; want 1", code, stderr)
	}
	_, out, _ = clients("list")
	if l := strings.Split(strings.TrimSpace(out), "\n"); len(l) != 3 || strings.HasSuffix(l[2], " -") {
		t.Errorf("bank is not listed as revoked:\n%s", out)
	}
}
