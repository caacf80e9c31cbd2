package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

// TestFilesPrivate: a new store and a new audit log are created readable
// by their owner only, and so are their write-ahead log and shared-memory
// files, whatever the umask (set here to the common 022, which would give
// 0644).
func TestFilesPrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateSubject(ctx, "s1", opencredit.PII{Name: "A"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	au, err := sqlite.OpenAudit(ctx, filepath.Join(dir, "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer au.Close()
	if _, err := au.Count(ctx); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 4 {
		t.Fatalf("only %d files in the store's folder, want the two databases and their logs", len(entries))
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %o, want 600", e.Name(), mode)
		}
	}
}
