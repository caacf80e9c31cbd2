package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/sqlite"
)

func TestAuditStorage(t *testing.T) {
	audittest.Run(t, func(t *testing.T) audit.Storage {
		st, _ := newAuditStorage(t)
		return st
	})
}

func TestOpenAudit(t *testing.T) {
	audittest.Run(t, func(t *testing.T) audit.Storage {
		st, err := sqlite.OpenAudit(context.Background(), filepath.Join(t.TempDir(), "audit.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
	for _, path := range []string{"", "audit.db?mode=ro"} {
		if _, err := sqlite.OpenAudit(context.Background(), path); opencredit.ErrorCode(err) != opencredit.EINVALID {
			t.Errorf("OpenAudit(%q) = %v, want %s", path, err, opencredit.EINVALID)
		}
	}
}

// TestOpenAuditBeforeMigrations opens an audit file as builds before the
// migration runner left it, three tables and no audit_migrations, with a
// log in it: it opens, keeps its records, and verifies.
func TestOpenAuditBeforeMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit.db")
	st, err := sqlite.OpenAudit(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	audittest.Fill(t, st, 40)
	st.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DROP TABLE audit_migrations`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	st, err = sqlite.OpenAudit(ctx, path)
	if err != nil {
		t.Fatalf("reopening an audit file from before migrations: %v", err)
	}
	defer st.Close()
	_, v := audittest.Keys(t)
	if rep, err := audit.Verify(ctx, st, v); err != nil || !rep.OK() || rep.Records != 40 || rep.CheckpointSize != 40 {
		t.Fatalf("Verify = %+v, %v; want 40 records under a checkpoint", rep, err)
	}
}

// openAuditDB opens a new SQLite file in a temporary directory the way the
// audit benchmarks were always measured: WAL, synchronous=NORMAL, write
// transactions that take the lock at BEGIN.
func openAuditDB(tb testing.TB) *sql.DB {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "audit.db")
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// newAuditStorage returns a storage in a new SQLite file and the handle,
// for tampering with the tables.
func newAuditStorage(tb testing.TB) (*sqlite.AuditStorage, *sql.DB) {
	tb.Helper()
	db := openAuditDB(tb)
	st, err := sqlite.NewAuditStorage(context.Background(), db)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st, db
}
