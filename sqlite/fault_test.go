package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
	"github.com/opencredit/opencredit/storetest"
)

// faultTables are the tables the workload writes; a trigger on each counts
// every row it inserts, updates or deletes and fails the Nth.
var faultTables = []string{"subjects", "consents", "events", "feature_states", "erasures", "models", "model_transitions"}

// armFault makes the store's file fail its nth row write from now on, and
// every one after it, with SQLite's RAISE(ABORT) from triggers: a real
// failure inside the store's own statements and transactions, not a fake.
// n = 0 disarms it (the triggers stay, counting).
func armFault(t *testing.T, path string, n int) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	stmts := []string{`CREATE TABLE fault (left INTEGER NOT NULL, writes INTEGER NOT NULL)`,
		fmt.Sprintf(`INSERT INTO fault VALUES (%d, 0)`, n)}
	for _, table := range faultTables {
		for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
			stmts = append(stmts, fmt.Sprintf(`CREATE TRIGGER fault_%s_%s BEFORE %s ON %s BEGIN
  UPDATE fault SET left = left - 1, writes = writes + 1;
  SELECT RAISE(ABORT, 'injected fault') FROM fault WHERE left = 0;
END`, table, strings.ToLower(op), op, table))
		}
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return db
}

func disarm(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, table := range faultTables {
		for _, op := range []string{"insert", "update", "delete"} {
			if _, err := db.Exec(fmt.Sprintf(`DROP TRIGGER fault_%s_%s`, table, op)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestNoPartialStateAtNthWrite runs storetest.RunNthWriteFaults on SQLite,
// the failures raised by triggers.
func TestNoPartialStateAtNthWrite(t *testing.T) {
	storetest.RunNthWriteFaults(t, func(t *testing.T, n int) storetest.FaultRun {
		path := filepath.Join(t.TempDir(), "opencredit.db")
		open := func() storetest.FaultStore {
			st, err := sqlite.Open(context.Background(), path, pii.DemoKeys())
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		st := open()
		fault := armFault(t, path, n)
		return storetest.FaultRun{
			Store: st,
			Writes: func() int {
				var w int
				if err := fault.QueryRow(`SELECT writes FROM fault`).Scan(&w); err != nil {
					t.Fatal(err)
				}
				return w
			},
			Disarm: func() { disarm(t, fault) },
			Reopen: open,
		}
	})
}
