package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/postgres"
	"github.com/opencredit/opencredit/storetest"
)

// faultTables are the tables the fault workload writes.
var faultTables = []string{"subjects", "consents", "events", "feature_states", "erasures", "models", "model_transitions"}

// TestNoPartialStateAtNthWrite runs storetest.RunNthWriteFaults on
// PostgreSQL: a row trigger on every table the workload writes counts each
// row write and raises at the Nth, inside the store's own transactions.
func TestNoPartialStateAtNthWrite(t *testing.T) {
	ctx := context.Background()
	storetest.RunNthWriteFaults(t, func(t *testing.T, n int) storetest.FaultRun {
		schema := newSchema(t)
		open := func() storetest.FaultStore {
			db, err := postgres.OpenSchema(ctx, testDSN(t), schema, pii.DemoKeys())
			if err != nil {
				t.Fatal(err)
			}
			return db
		}
		st := open()
		conn := rawConn(t, schema)
		stmts := []string{
			`CREATE TABLE fault (left_n BIGINT NOT NULL, writes BIGINT NOT NULL)`,
			fmt.Sprintf(`INSERT INTO fault VALUES (%d, 0)`, n),
			`CREATE FUNCTION fault_fire() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE fault SET left_n = left_n - 1, writes = writes + 1;
  IF (SELECT left_n FROM fault) = 0 THEN RAISE EXCEPTION 'injected fault'; END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$`,
		}
		for _, table := range faultTables {
			stmts = append(stmts, fmt.Sprintf(`CREATE TRIGGER fault_%s BEFORE INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION fault_fire()`, table, table))
		}
		for _, s := range stmts {
			if _, err := conn.Exec(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		return storetest.FaultRun{
			Store: st,
			Writes: func() int {
				var w int
				if err := conn.QueryRow(ctx, `SELECT writes FROM fault`).Scan(&w); err != nil {
					t.Fatal(err)
				}
				return w
			},
			Disarm: func() {
				for _, table := range faultTables {
					if _, err := conn.Exec(ctx, fmt.Sprintf(`DROP TRIGGER fault_%s ON %s`, table, table)); err != nil {
						t.Fatal(err)
					}
				}
				// One connection per N would otherwise stay open to the
				// test's end: 86 of PostgreSQL's 100, with other packages'
				// tests running beside this one.
				conn.Close(ctx)
			},
			Reopen: open,
		}
	})
}
