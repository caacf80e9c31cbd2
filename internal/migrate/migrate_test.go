package migrate_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	_ "modernc.org/sqlite" // registers the driver "sqlite"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/internal/migrate"
)

func openDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func files(kv ...string) fstest.MapFS {
	fs := fstest.MapFS{}
	for i := 0; i < len(kv); i += 2 {
		fs[kv[i]] = &fstest.MapFile{Data: []byte(kv[i+1])}
	}
	return fs
}

func load(t *testing.T, fs fstest.MapFS) []migrate.Migration {
	t.Helper()
	ms, err := migrate.Load(fs, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func versions(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT version FROM ` + table + ` ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func TestLoadOrdersAndRefusesBadNames(t *testing.T) {
	ms := load(t, files(
		"migrations/0010_ten.sql", "SELECT 10",
		"migrations/0002_two.sql", "SELECT 2",
		"migrations/README", "not a migration",
		"migrations/0001_one.sql", "SELECT 1",
	))
	var got []string
	for _, m := range ms {
		got = append(got, m.Version+"@"+m.File+"="+m.SQL)
	}
	want := []string{"0001_one@migrations/0001_one.sql=SELECT 1", "0002_two@migrations/0002_two.sql=SELECT 2", "0010_ten@migrations/0010_ten.sql=SELECT 10"}
	if !slices.Equal(got, want) {
		t.Fatalf("Load = %q, want %q", got, want)
	}
	for _, c := range []struct {
		fs   fstest.MapFS
		want string // in the error
	}{
		{files("migrations/1_one.sql", ""), "migrations/1_one.sql"},
		{files("migrations/0001_One.sql", ""), "migrations/0001_One.sql"},
		{files("migrations/0001-one.sql", ""), "migrations/0001-one.sql"},
		{files("migrations/0001_a.sql", "", "migrations/0001_b.sql", ""), "migrations/0001_a.sql and migrations/0001_b.sql have one number"},
		{files("other/0001_a.sql", ""), "no migrations in migrations"},
	} {
		if _, err := migrate.Load(c.fs, "migrations"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%v) = %v, want an error naming %q", slices.Collect(func(yield func(string) bool) {
				for k := range c.fs {
					yield(k)
				}
			}), err, c.want)
		}
	}
}

// TestRunAppliesEachOnce applies two migrations, then a third added
// later, and checks each ran once, in order, recorded with the clock's time,
// with the lock taken in every transaction.
func TestRunAppliesEachOnce(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	locks := 0
	cfg := migrate.Config{
		Name: "test", Begin: migrate.SQL(db), Now: func() time.Time { return now },
		Lock: func(ctx context.Context, tx migrate.Tx) error { locks++; return nil },
	}
	fs := files(
		"migrations/0001_init.sql", "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);",
		"migrations/0002_more.sql", "INSERT INTO t VALUES (2);",
	)
	if err := migrate.Run(ctx, cfg, load(t, fs)); err != nil {
		t.Fatal(err)
	}
	if locks != 3 { // reading the versions, then one per migration
		t.Errorf("%d locked transactions, want 3", locks)
	}
	if err := migrate.Run(ctx, cfg, load(t, fs)); err != nil {
		t.Fatalf("second run: %v", err)
	}
	fs["migrations/0003_last.sql"] = &fstest.MapFile{Data: []byte("INSERT INTO t VALUES (3)")}
	if err := migrate.Run(ctx, cfg, load(t, fs)); err != nil {
		t.Fatalf("run with a new migration: %v", err)
	}
	var xs []int
	rows, err := db.Query(`SELECT x FROM t ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var x int
		rows.Scan(&x)
		xs = append(xs, x)
	}
	rows.Close()
	if !slices.Equal(xs, []int{1, 2, 3}) {
		t.Fatalf("rows %v, want each migration's once: [1 2 3]", xs)
	}
	if v := versions(t, db, "schema_migrations"); !slices.Equal(v, []string{"0001_init", "0002_more", "0003_last"}) {
		t.Fatalf("versions %v", v)
	}
	var at int64
	if err := db.QueryRow(`SELECT applied_at FROM schema_migrations WHERE version = '0001_init'`).Scan(&at); err != nil || at != now.UnixNano() {
		t.Fatalf("applied_at = %d, %v; want %d", at, err, now.UnixNano())
	}
}

// TestRunFailedMigration: the failing file is named, the migrations before it
// stay applied, and nothing of it stays, not even its first statement.
func TestRunFailedMigration(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	cfg := migrate.Config{Name: "test", Table: "other_migrations", Begin: migrate.SQL(db)}
	fs := files(
		"migrations/0001_init.sql", "CREATE TABLE t (x INTEGER);",
		"migrations/0002_bad.sql", "CREATE TABLE u (y INTEGER); INSERT INTO nowhere VALUES (1);",
	)
	err := migrate.Run(ctx, cfg, load(t, fs))
	if opencredit.ErrorCode(err) != opencredit.EINTERNAL || !strings.Contains(err.Error(), "test: migration migrations/0002_bad.sql") || !strings.Contains(err.Error(), "nowhere") {
		t.Fatalf("Run = %v, want an error naming migrations/0002_bad.sql and the driver's reason", err)
	}
	if v := versions(t, db, "other_migrations"); !slices.Equal(v, []string{"0001_init"}) {
		t.Fatalf("versions %v, want [0001_init]", v)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'u'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("table u of the failed migration: %d, %v; want it rolled back", n, err)
	}
	fs["migrations/0002_bad.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE u (y INTEGER);")}
	if err := migrate.Run(ctx, cfg, load(t, fs)); err != nil {
		t.Fatalf("run after the fix: %v", err)
	}
}

// TestRunRefusesNewerDatabase: a database that records a migration this
// build lacks is refused, naming the migration, and is left alone.
func TestRunRefusesNewerDatabase(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	cfg := migrate.Config{Name: "test", Begin: migrate.SQL(db)}
	newer := files(
		"migrations/0001_init.sql", "CREATE TABLE t (x INTEGER);",
		"migrations/0002_next.sql", "CREATE TABLE u (x INTEGER);",
	)
	if err := migrate.Run(ctx, cfg, load(t, newer)); err != nil {
		t.Fatal(err)
	}
	older := files(
		"migrations/0001_init.sql", "CREATE TABLE t (x INTEGER);",
		"migrations/0003_other.sql", "CREATE TABLE w (x INTEGER);",
	)
	err := migrate.Run(ctx, cfg, load(t, older))
	if opencredit.ErrorCode(err) != opencredit.ECONFLICT || !strings.Contains(err.Error(), "0002_next") || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Run of an older build = %v, want ECONFLICT naming 0002_next", err)
	}
	if v := versions(t, db, "schema_migrations"); !slices.Equal(v, []string{"0001_init", "0002_next"}) {
		t.Fatalf("versions %v: the refused run changed them", v)
	}
}
