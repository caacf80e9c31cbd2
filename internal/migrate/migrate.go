// Package migrate brings a database schema up to date from SQL files
// embedded in the program: the one migration runner of the SQLite and
// PostgreSQL stores and of their audit logs.
//
// Migrations are the files dir/NNNN_name.sql of an fs.FS, applied in the
// order of their numbers. A version table records each applied migration
// by its file name without ".sql" (version TEXT PRIMARY KEY, applied_at
// BIGINT, Unix nanoseconds), the form the stores have recorded since their
// first release. Each migration runs in its own transaction together with
// the row that records it, so a failed migration leaves the schema as the
// previous one left it. A database that records a migration the program does
// not have was written by a newer (or another) build: Run refuses it rather
// than run code against a schema it does not know.
package migrate

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
)

// Migration is one embedded SQL file.
type Migration struct {
	Version string // the file name without ".sql", e.g. "0003_clients"
	File    string // the path in the fs.FS, for error messages
	SQL     string
}

// fileName is what Load accepts: four digits, an underscore and a name in
// lower case. The version is written into SQL as a literal, so its
// alphabet is also what keeps that safe.
var fileName = regexp.MustCompile(`^([0-9]{4})_[a-z0-9_]+\.sql$`)

// Load reads the migrations dir/*.sql of fsys in the order of their numbers.
// It fails, naming the file, on a name not of the form NNNN_name.sql, on two
// files with one number, and when there is no file at all.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("migrate: no migrations in %s", dir)
	}
	slices.Sort(names)
	out := make([]Migration, 0, len(names))
	for _, name := range names {
		base := path.Base(name)
		m := fileName.FindStringSubmatch(base)
		if m == nil {
			return nil, fmt.Errorf("migrate: %s: want a name of the form 0001_name.sql (digits, lower-case letters and _)", name)
		}
		if len(out) > 0 && strings.HasPrefix(out[len(out)-1].Version, m[1]+"_") {
			return nil, fmt.Errorf("migrate: %s and %s have one number", out[len(out)-1].File, name)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("migrate: %s: %w", name, err)
		}
		out = append(out, Migration{Version: strings.TrimSuffix(base, ".sql"), File: name, SQL: string(body)})
	}
	return out, nil
}

// Tx is the part of a database transaction Run uses. The stores adapt
// their drivers to it (SQL for database/sql).
type Tx interface {
	// Exec runs query, which may hold several statements.
	Exec(ctx context.Context, query string) error
	// Strings runs query and returns its one text column.
	Strings(ctx context.Context, query string) ([]string, error)
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// Config says where and how Run records migrations.
type Config struct {
	// Name prefixes every error, e.g. "sqlite" or "postgres audit".
	Name string
	// Table is the version table, created if missing; "schema_migrations"
	// when empty. A set of migrations sharing a schema with another set
	// needs a table of its own, or each would take the other's versions
	// for a newer build's.
	Table string
	// Begin starts a transaction. Run calls it once to read the versions
	// and once per migration to apply.
	Begin func(ctx context.Context) (Tx, error)
	// Lock, if set, runs first in every transaction Run begins: a lock that
	// other processes migrating the same schema wait for (an advisory lock
	// in PostgreSQL). Run reads the applied versions again under it, so a
	// migration another process applied meanwhile is not applied twice.
	Lock func(ctx context.Context, tx Tx) error
	// Now stamps applied_at; time.Now when nil.
	Now func() time.Time
}

var tableName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Run applies the migrations not yet recorded in cfg.Table, in order, each
// in its own transaction. It refuses (ECONFLICT) a database that records a
// migration not among ms. A failed migration fails Run with an EINTERNAL
// error that names its file; the ones before it stay applied.
func Run(ctx context.Context, cfg Config, ms []Migration) error {
	if cfg.Table == "" {
		cfg.Table = "schema_migrations"
	}
	if !tableName.MatchString(cfg.Table) {
		panic(fmt.Sprintf("migrate: bad version table name %q", cfg.Table))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	known := make(map[string]bool, len(ms))
	for _, m := range ms {
		if !fileName.MatchString(m.Version + ".sql") {
			panic(fmt.Sprintf("migrate: bad version %q (use Load)", m.Version))
		}
		known[m.Version] = true
	}
	applied, err := cfg.versions(ctx)
	if err != nil {
		return err
	}
	for _, v := range applied {
		if !known[v] {
			last := "none"
			if len(ms) > 0 {
				last = ms[len(ms)-1].Version
			}
			return opencredit.Errorf(opencredit.ECONFLICT,
				"%s: the database records migration %s, which this build does not have (its last is %s): it was written by a newer version; upgrade the program", cfg.Name, v, last)
		}
	}
	for _, m := range ms {
		if slices.Contains(applied, m.Version) {
			continue
		}
		if err := cfg.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// versions creates the version table if missing and reads it.
func (cfg Config) versions(ctx context.Context) (vs []string, err error) {
	tx, err := cfg.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+cfg.Table+` (
    version    TEXT PRIMARY KEY,
    applied_at BIGINT NOT NULL
)`); err != nil {
		return nil, cfg.fail("creating "+cfg.Table, err)
	}
	if vs, err = tx.Strings(ctx, `SELECT version FROM `+cfg.Table+` ORDER BY version`); err != nil {
		return nil, cfg.fail("reading "+cfg.Table, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, cfg.fail("reading "+cfg.Table, err)
	}
	return vs, nil
}

func (cfg Config) begin(ctx context.Context) (Tx, error) {
	tx, err := cfg.Begin(ctx)
	if err != nil {
		return nil, cfg.fail("beginning a transaction", err)
	}
	if cfg.Lock != nil {
		if err := cfg.Lock(ctx, tx); err != nil {
			tx.Rollback(context.WithoutCancel(ctx))
			return nil, cfg.fail("locking for migration", err)
		}
	}
	return tx, nil
}

// apply runs one migration and records it, in one transaction, unless it
// was recorded since Run read the versions.
func (cfg Config) apply(ctx context.Context, m Migration) (err error) {
	tx, err := cfg.begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	done, err := tx.Strings(ctx, `SELECT version FROM `+cfg.Table+` WHERE version = '`+m.Version+`'`)
	if err != nil {
		return cfg.fail("reading "+cfg.Table, err)
	}
	if len(done) > 0 {
		return tx.Rollback(ctx)
	}
	if err := tx.Exec(ctx, m.SQL); err != nil {
		return cfg.fail("migration "+m.File, err)
	}
	if err := tx.Exec(ctx, fmt.Sprintf(`INSERT INTO %s (version, applied_at) VALUES ('%s', %d)`, cfg.Table, m.Version, cfg.Now().UnixNano())); err != nil {
		return cfg.fail("recording migration "+m.File, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return cfg.fail("committing migration "+m.File, err)
	}
	return nil
}

func (cfg Config) fail(what string, err error) error {
	return &opencredit.Error{Code: opencredit.EINTERNAL, Message: cfg.Name + ": " + what, Err: err}
}
