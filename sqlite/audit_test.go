package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
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
	if _, err := raw.Exec(`DROP TABLE audit_migrations; DROP INDEX audit_records_subject; ALTER TABLE audit_records DROP COLUMN subject`); err != nil {
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
	l, err := audit.Open(ctx, st, nil, v)
	if err != nil {
		t.Fatal(err)
	}
	// audittest.Records: record i is about subject s-i.
	if es, err := l.SubjectRecords(ctx, "s-7", 0, 10); err != nil || len(es) != 1 || es[0].N != 7 {
		t.Fatalf("SubjectRecords(s-7) after the migration = %+v, %v; want record 7, indexed from its JSON", es, err)
	}
}

// TestAuditMigration0002Backfills takes an audit file back to before
// migration 0002, with a damaged record among good ones, and reopens it:
// the migration indexes every good record by its subject from its JSON
// and leaves the damaged one out, instead of failing the open.
func TestAuditMigration0002Backfills(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit.db")
	st, err := sqlite.OpenAudit(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	audittest.Fill(t, st, 30)
	st.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DROP INDEX audit_records_subject; ALTER TABLE audit_records DROP COLUMN subject;
DELETE FROM audit_migrations WHERE version = '0002_subject';
INSERT INTO audit_records (n, data) VALUES (30, X'00FF6E6F74206A736F6E')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	st, err = sqlite.OpenAudit(ctx, path)
	if err != nil {
		t.Fatalf("reopening with a damaged record: %v", err)
	}
	defer st.Close()
	for i := range 30 {
		var got []int64
		err := st.SubjectRecords(ctx, fmt.Sprintf("s-%d", i), 0, 10, func(n int64, _ []byte) error {
			got = append(got, n)
			return nil
		})
		if err != nil || len(got) != 1 || got[0] != int64(i) {
			t.Fatalf("subject s-%d: records %v, %v; want [%d]", i, got, err, i)
		}
	}
	var unindexed int
	if err := sqlOpen(t, path).QueryRow(`SELECT count(*) FROM audit_records WHERE subject IS NULL`).Scan(&unindexed); err != nil || unindexed != 1 {
		t.Fatalf("%d records without a subject, %v; want 1, the damaged one", unindexed, err)
	}
}

func sqlOpen(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
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
