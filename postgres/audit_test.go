package postgres_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/postgres"
)

// openAudit opens the audit storage of schema, closed when the test ends.
func openAudit(t testing.TB, schema string) *postgres.AuditStorage {
	t.Helper()
	st, err := postgres.OpenAuditSchema(context.Background(), testDSN(t), schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestAuditStorage(t *testing.T) {
	audittest.Run(t, func(t *testing.T) audit.Storage { return openAudit(t, newSchema(t)) })
}

// TestAuditBesideStore: the audit tables live in the store's schema, each
// set of migrations recorded in its own table, and both open again through
// a search_path in the connection string.
func TestAuditBesideStore(t *testing.T) {
	ctx := context.Background()
	db, schema := openDB(t, pii.DemoKeys())
	audittest.Fill(t, openAudit(t, schema), 10)
	db.Close()
	dsn := testDSN(t) + "&search_path=" + schema
	st, err := postgres.OpenAudit(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if db, err := postgres.Open(ctx, dsn, pii.DemoKeys()); err != nil {
		t.Fatalf("reopening the store beside its audit log: %v", err)
	} else {
		db.Close()
	}
	_, v := audittest.Keys(t)
	if rep, err := audit.Verify(ctx, st, v); err != nil || !rep.OK() || rep.Records != 10 {
		t.Fatalf("Verify = %+v, %v; want 10 records", rep, err)
	}
	conn := rawConn(t, schema)
	for table, want := range map[string]int{"schema_migrations": len(migrationVersions(t)), "audit_migrations": len(auditMigrationFiles(t))} {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil || n != want {
			t.Errorf("%s holds %d rows (%v), want %d", table, n, err, want)
		}
	}
}

// TestAuditTwoProcesses has two logs, each on a storage with its own
// connection pool as two API replicas would have, append concurrently to
// one schema, several goroutines each, and checkpoint as they go. Every
// append must succeed, each record must be stored once, and the result must
// be one tree that verifies under every checkpoint either signed.
func TestAuditTwoProcesses(t *testing.T) {
	ctx := context.Background()
	schema := newSchema(t)
	s, v := audittest.Keys(t)
	const logs, workers, each = 2, 4, 60
	var ls [logs]*audit.Log
	for i := range ls {
		l, err := audit.Open(ctx, openAudit(t, schema), s, v)
		if err != nil {
			t.Fatal(err)
		}
		ls[i] = l
	}
	at := make([][]int64, logs*workers) // where each worker's records went
	var wg sync.WaitGroup
	for w := range logs * workers {
		l := ls[w%logs]
		wg.Go(func() {
			for k, r := range audittest.Records(w*each, each) {
				n, err := l.Append(ctx, r)
				if err != nil {
					t.Errorf("log %d, worker %d, record %d: %v", w%logs, w, k, err)
					return
				}
				at[w] = append(at[w], n)
				if k%20 == 19 {
					if _, err := l.Checkpoint(ctx); err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	const total = logs * workers * each
	var all []int64
	for w, ns := range at {
		if !slices.IsSorted(ns) {
			t.Errorf("worker %d's records are out of order: %v", w, ns)
		}
		all = append(all, ns...)
	}
	slices.Sort(all)
	for k, n := range all {
		if n != int64(k) {
			t.Fatalf("record indexes handed out: %d at place %d; want 0..%d each once", n, k, total-1)
		}
	}
	st := openAudit(t, schema)
	seen := map[string]bool{}
	err := st.Records(ctx, 0, total, func(n int64, data []byte) error {
		r, err := audit.ParseRecord(data)
		if err != nil {
			return fmt.Errorf("record %d: %w", n, err)
		}
		seen[r.RequestID] = true
		return nil
	})
	if err != nil || len(seen) != total {
		t.Fatalf("%d distinct records stored (%v), want %d", len(seen), err, total)
	}
	for _, l := range ls {
		if _, err := l.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := audit.Verify(ctx, st, v)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Size != total || rep.Records != total || rep.CheckpointSize != total || rep.Checkpoints < 2 {
		t.Fatalf("Verify = %+v; want one tree of %d records under the checkpoints of both logs", rep, total)
	}
	// A third log opened afterwards takes over the same tree.
	l, err := audit.Open(ctx, st, s, v)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := l.Append(ctx, audittest.Records(total, 1)...); err != nil || n != total {
		t.Fatalf("append after the others = %d, %v; want %d", n, err, total)
	}
}

// TestAuditTamperedInPostgres: a record changed with SQL in PostgreSQL is
// found and named, as in SQLite (whose tamper tests cover every kind).
func TestAuditTamperedInPostgres(t *testing.T) {
	ctx := context.Background()
	schema := newSchema(t)
	st := openAudit(t, schema)
	audittest.Fill(t, st, 100)
	conn := rawConn(t, schema)
	var data []byte
	if err := conn.QueryRow(ctx, `SELECT data FROM audit_records WHERE n = 42`).Scan(&data); err != nil {
		t.Fatal(err)
	}
	data[len(data)-3] ^= 0x20
	if _, err := conn.Exec(ctx, `UPDATE audit_records SET data = $1 WHERE n = 42`, data); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `DELETE FROM audit_records WHERE n = 77`); err != nil {
		t.Fatal(err)
	}
	_, v := audittest.Keys(t)
	rep, err := audit.Verify(ctx, st, v)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, fmt.Sprintf("%s %d", p.Kind, p.Index))
	}
	if want := []string{audit.KindChanged + " 42", audit.KindMissing + " 77"}; !slices.Equal(got, want) {
		t.Fatalf("problems %v, want %v", rep.Problems, want)
	}
}

// TestAuditConcurrentOpen opens the audit storage of one new schema from
// several pools at once, as replicas starting together: the migration runs
// once and every open succeeds.
func TestAuditConcurrentOpen(t *testing.T) {
	schema := newSchema(t)
	const n = 5
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			st, err := postgres.OpenAuditSchema(context.Background(), testDSN(t), schema)
			if err == nil {
				st.Close()
			}
			errs[i] = err
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("open %d: %v", i, err)
		}
	}
	var rows int
	if err := rawConn(t, schema).QueryRow(context.Background(), `SELECT count(*) FROM audit_head`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("audit_head holds %d rows (%v), want 1", rows, err)
	}
}

// TestAuditMigration0002Backfills takes an audit schema back to before
// migration 0002, with a damaged record (not UTF-8) among good ones, and
// reopens it: the migration indexes every good record by its subject from
// its JSON and leaves the damaged one out, instead of failing the open.
func TestAuditMigration0002Backfills(t *testing.T) {
	ctx := context.Background()
	schema := newSchema(t)
	audittest.Fill(t, openAudit(t, schema), 30)
	conn := rawConn(t, schema)
	if _, err := conn.Exec(ctx, `DROP INDEX audit_records_subject;
ALTER TABLE audit_records DROP COLUMN subject;
DELETE FROM audit_migrations WHERE version = '0002_subject';
INSERT INTO audit_records (n, data) VALUES (30, '\x00ff6e6f74206a736f6e'::bytea)`); err != nil {
		t.Fatal(err)
	}
	st := openAudit(t, schema)
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
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM audit_records WHERE subject IS NULL`).Scan(&unindexed); err != nil || unindexed != 1 {
		t.Fatalf("%d records without a subject, %v; want 1, the damaged one", unindexed, err)
	}
}

// pgTamper is audittest.Tamper with PostgreSQL's SQL.
type pgTamper struct{ conn *pgx.Conn }

func (p pgTamper) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := p.conn.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
func (p pgTamper) DeleteRecordsFrom(t *testing.T, n int64) {
	p.exec(t, `DELETE FROM audit_records WHERE n >= $1`, n)
}
func (p pgTamper) DeleteHashesFrom(t *testing.T, i int64) {
	p.exec(t, `DELETE FROM audit_hashes WHERE i >= $1`, i)
}
func (p pgTamper) DeleteCheckpointsFrom(t *testing.T, size int64) {
	p.exec(t, `DELETE FROM audit_checkpoints WHERE size >= $1`, size)
}
func (p pgTamper) DeleteCosigned(t *testing.T) { p.exec(t, `DELETE FROM audit_cosignatures`) }
func (p pgTamper) SetRecord(t *testing.T, n int64, data []byte) {
	p.exec(t, `UPDATE audit_records SET data = $1 WHERE n = $2`, data, n)
}
func (p pgTamper) SetHash(t *testing.T, i int64, h tlog.Hash) {
	p.exec(t, `INSERT INTO audit_hashes (i, hash) VALUES ($1, $2) ON CONFLICT (i) DO UPDATE SET hash = EXCLUDED.hash`, i, h[:])
}

// TestAuditAttacks: issue 17's attacks on the log, each caught by a witness.
func TestAuditAttacks(t *testing.T) {
	audittest.RunAttacks(t, func(t *testing.T) (audit.Storage, audittest.Tamper) {
		schema := newSchema(t)
		return openAudit(t, schema), pgTamper{rawConn(t, schema)}
	})
}

// auditMigrationFiles lists the audit log's migration files.
func auditMigrationFiles(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("migrations", "audit", "*.sql"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no audit migration files (%v)", err)
	}
	return names
}
