package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
	"github.com/opencredit/opencredit/storetest"
)

// keyOf returns the Keys of a master key made of one repeated byte.
func keyOf(t *testing.T, b byte) pii.Keys {
	t.Helper()
	k, err := pii.NewKeys(bytes.Repeat([]byte{b}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestKeyCheck: a store created under one key refuses another, the demo key
// included, with an error naming the remedy, even when it holds no subject
// yet; a store from before the check is judged by a sealed record; the
// right key still opens it.
func TestKeyCheck(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "opencredit.db")
	a, b := keyOf(t, 1), keyOf(t, 2)
	reopen := func(k pii.Keys) error {
		t.Helper()
		db, err := sqlite.Open(ctx, path, k)
		if err == nil {
			db.Close()
		}
		return err
	}
	if err := reopen(a); err != nil {
		t.Fatal(err)
	}
	for name, k := range map[string]pii.Keys{"another key": b, "the demo key": pii.DemoKeys()} {
		err := reopen(k)
		if opencredit.ErrorCode(err) != opencredit.EINVALID || !strings.Contains(err.Error(), "sealed under another key") {
			t.Errorf("empty store, %s: %v", name, err)
		}
	}
	db, err := sqlite.Open(ctx, path, a)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSubject(ctx, "s1", opencredit.PII{Name: "A. Person"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// A store from before the check: no recorded value, one sealed record.
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM key_check`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if err := reopen(b); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("old store, another key: %v", err)
	}
	if err := reopen(a); err != nil {
		t.Errorf("old store, its key: %v", err)
	}
	if err := reopen(b); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("old store after the check was recorded, another key: %v", err)
	}
	db, err = sqlite.Open(ctx, path, a)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if p, err := db.SubjectPII(ctx, "s1"); err != nil || p.Name != "A. Person" {
		t.Errorf("PII under the right key: %+v, %v", p, err)
	}
}

// TestKeyRotation runs the conformance suite's key rotation on SQLite.
func TestKeyRotation(t *testing.T) {
	storetest.RunKeyRotation(t, func(t *testing.T) storetest.RotationStore {
		path := filepath.Join(t.TempDir(), "opencredit.db")
		return storetest.RotationStore{
			Open: func(t *testing.T, keys pii.Keys) (storetest.KeyRotator, error) {
				db, err := sqlite.Open(context.Background(), path, keys)
				if err != nil {
					return nil, err
				}
				return db, nil
			},
			Damage: func(t *testing.T, subject string, sealed []byte) {
				raw, err := sql.Open("sqlite", path)
				if err != nil {
					t.Fatal(err)
				}
				defer raw.Close()
				if _, err := raw.Exec(`UPDATE subjects SET pii = ? WHERE id = ?`, sealed, subject); err != nil {
					t.Fatal(err)
				}
			},
		}
	})
}
