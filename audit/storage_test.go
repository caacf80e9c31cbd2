package audit_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite" // registers the driver "sqlite"

	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
)

func TestMemoryStorage(t *testing.T) {
	audittest.Run(t, func(t *testing.T) audit.Storage { return audit.NewMemoryStorage() })
}

func TestSQLiteStorage(t *testing.T) {
	audittest.Run(t, func(t *testing.T) audit.Storage {
		st, _ := newSQLite(t)
		return st
	})
}

// openSQLite opens a new SQLite file in a temporary directory the way the
// embedded store does: WAL, synchronous=NORMAL, write transactions that take
// the lock at BEGIN.
func openSQLite(tb testing.TB) *sql.DB {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "audit.db")
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// newSQLite returns a storage in a new SQLite file and the handle, for
// tampering with the tables.
func newSQLite(tb testing.TB) (*audit.SQLiteStorage, *sql.DB) {
	tb.Helper()
	db := openSQLite(tb)
	st, err := audit.NewSQLiteStorage(context.Background(), db)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st, db
}
