package postgres

import (
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	migration "github.com/opencredit/opencredit/internal/migrate"
	"github.com/opencredit/opencredit/pii"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the PostgreSQL store. It is safe for concurrent use, also by several
// processes sharing one database.
type DB struct {
	pool *pgxpool.Pool
	keys pii.Keys
	now  func() time.Time
	cfg  features.Config

	consents consentCache // see consentcache.go

	// lookFirst: the last batch met stored events, so the next one asks
	// which of its events are stored before inserting (see InsertEvents):
	// a file imported again pays for one failed INSERT, not one a batch.
	lookFirst atomic.Bool
}

var _ opencredit.Store = (*DB)(nil)

// Option configures Open and OpenSchema.
type Option func(*DB)

// WithClock sets the clock that stamps ingestion (received_at, the future-time
// check and the consent check); the default is time.Now.
func WithClock(now func() time.Time) Option { return func(db *DB) { db.now = now } }

// WithFeatureConfig sets how Features computes vectors from states; the
// default is features.DefaultConfig().
func WithFeatureConfig(cfg features.Config) Option { return func(db *DB) { db.cfg = cfg } }

// Open connects to the database named by dsn (a postgres:// URL or a
// key=value string), creates its tables in the first schema of the
// connection's search_path and brings them up to date. keys protect the PII;
// without them Open refuses.
func Open(ctx context.Context, dsn string, keys pii.Keys, opts ...Option) (*DB, error) {
	return open(ctx, dsn, "", keys, opts)
}

// OpenSchema is Open inside a dedicated schema, created if missing: every
// connection of the store has it as its only search_path. Tests and
// benchmarks use it to run side by side in one database.
func OpenSchema(ctx context.Context, dsn, schema string, keys pii.Keys, opts ...Option) (*DB, error) {
	if err := checkSchema(schema); err != nil {
		return nil, err
	}
	return open(ctx, dsn, schema, keys, opts)
}

// DropSchema drops a schema that OpenSchema created, with everything in it.
// A missing schema is no error. It refuses the schemas PostgreSQL provides.
func DropSchema(ctx context.Context, dsn, schema string) error {
	if err := checkSchema(schema); err != nil {
		return err
	}
	cfg, err := parseConfig(dsn)
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		return internal("cannot connect", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
		return internal("dropping schema "+schema, err)
	}
	return nil
}

// schemaName is what OpenSchema accepts: an unquoted PostgreSQL identifier in
// lower case, so the name means the same quoted or not.
var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

func checkSchema(schema string) error {
	if !schemaName.MatchString(schema) {
		return opencredit.Errorf(opencredit.EINVALID, "postgres: schema name %q: want lower-case letters, digits and _, at most 63, not starting with a digit", schema)
	}
	if schema == "public" || schema == "information_schema" || strings.HasPrefix(schema, "pg_") {
		return opencredit.Errorf(opencredit.EINVALID, "postgres: schema %s is not one for a store of its own", schema)
	}
	return nil
}

func parseConfig(dsn string) (*pgxpool.Config, error) {
	if dsn == "" {
		return nil, opencredit.Errorf(opencredit.EINVALID, "postgres: empty connection string")
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx masks the password in its parse errors.
		return nil, &opencredit.Error{Code: opencredit.EINVALID, Message: "postgres: bad connection string", Err: err}
	}
	return cfg, nil
}

func open(ctx context.Context, dsn, schema string, keys pii.Keys, opts []Option) (*DB, error) {
	if !keys.Valid() {
		return nil, opencredit.Errorf(opencredit.EINVALID, "postgres: no key for personal data: set %s or %s", pii.EnvKey, pii.EnvKeyFile)
	}
	db := &DB{keys: keys, now: time.Now, cfg: features.DefaultConfig()}
	for _, o := range opts {
		o(db)
	}
	cfg, err := parseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
	}
	if db.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, internal("cannot create a connection pool", err)
	}
	if err := migrate(ctx, db.pool, schema, db.now()); err != nil {
		db.pool.Close()
		return nil, err
	}
	if err := checkKey(ctx, db.pool, keys, "postgres "+cmp.Or(schema, "store")); err != nil {
		db.pool.Close()
		return nil, err
	}
	return db, nil
}

// Close closes every connection of the store.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// migrate creates the schema if asked to, then applies the embedded
// migrations not yet recorded in schema_migrations, in file-name order, each
// in its own transaction: DDL is transactional in PostgreSQL, so a failed
// migration leaves the schema as the one before left it. Every transaction
// first takes an advisory lock named after the schema, so two processes
// starting together apply each migration once, and stores in different
// schemas do not wait on each other.
func migrate(ctx context.Context, pool *pgxpool.Pool, create string, now time.Time) error {
	ms, err := migration.Load(migrations, "migrations")
	if err != nil {
		return err
	}
	return runMigrations(ctx, pool, create, "postgres", "schema_migrations", "opencredit/postgres/migrate/", ms, now)
}

// runMigrations applies ms to the schema create, or when create is "" to
// the connection's current schema, recording them in table, under the
// advisory lock named lock + the schema.
func runMigrations(ctx context.Context, pool *pgxpool.Pool, create, name, table, lock string, ms []migration.Migration, now time.Time) error {
	schema := create
	if schema == "" {
		var current *string
		if err := pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&current); err != nil {
			return internal("reading the current schema", err)
		}
		if current == nil {
			return opencredit.Errorf(opencredit.EINVALID, "postgres: no schema of the search_path exists to create the tables in")
		}
		schema = *current
	}
	return migration.Run(ctx, migration.Config{
		Name:  name,
		Table: table,
		Begin: func(ctx context.Context) (migration.Tx, error) {
			tx, err := pool.Begin(ctx)
			if err != nil {
				return nil, err
			}
			return pgxTx{tx}, nil
		},
		Lock: func(ctx context.Context, tx migration.Tx) error {
			if err := tx.Exec(ctx, fmt.Sprintf(`SELECT pg_advisory_xact_lock(%d)`, advisoryLock(lock+schema))); err != nil {
				return err
			}
			if create == "" {
				return nil
			}
			return tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{create}.Sanitize())
		},
		Now: func() time.Time { return now },
	}, ms)
}

// pgxTx is a migration.Tx over pgx. Exec without arguments uses the simple
// protocol, which takes several statements in one string.
type pgxTx struct{ tx pgx.Tx }

func (t pgxTx) Exec(ctx context.Context, query string) error {
	_, err := t.tx.Exec(ctx, query)
	return err
}

func (t pgxTx) Strings(ctx context.Context, query string) ([]string, error) {
	rows, err := t.tx.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func (t pgxTx) Commit(ctx context.Context) error   { return t.tx.Commit(ctx) }
func (t pgxTx) Rollback(ctx context.Context) error { return t.tx.Rollback(ctx) }

// advisoryLock is the key of the advisory lock with the given name: FNV-1a
// of a name that says what it locks.
func advisoryLock(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return int64(h.Sum64())
}

// ts and fromTS convert times to the stored form, Unix nanoseconds in UTC.
func ts(t time.Time) int64 { return t.UnixNano() }

func fromTS(n int64) time.Time { return time.Unix(0, n).UTC() }

func fromNullTS(n *int64) *time.Time {
	if n == nil {
		return nil
	}
	t := fromTS(*n)
	return &t
}

func nullTS(t *time.Time) *int64 {
	if t == nil {
		return nil
	}
	n := ts(*t)
	return &n
}

// internal wraps a driver error for operators; users see the message. A
// database that does not answer — refused or lost connections, a server
// shutting down or starting — is unavailable, not a bug: the caller may
// retry, and the pool reconnects by itself once the server is back.
func internal(what string, err error) error {
	var e *opencredit.Error
	if errors.As(err, &e) {
		return err // already says what is wrong, with its code
	}
	if unavailable(err) {
		return &opencredit.Error{Code: opencredit.EUNAVAILABLE, Message: "postgres: the database does not answer (" + what + "); retry later", Err: err}
	}
	return &opencredit.Error{Code: opencredit.EINTERNAL, Message: "postgres: " + what, Err: err}
}

// unavailable reports whether err means the database cannot be reached
// now: a failed connect, a network error, a connection lost mid-way, or
// the SQLSTATEs of a connection exception (class 08) and of a server
// shutting down or starting (57P01–57P03).
func unavailable(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	switch s := sqlState(err); {
	case strings.HasPrefix(s, "08"), s == "57P01", s == "57P02", s == "57P03":
		return true
	}
	// pgx reports a connection it closed after a failure this way.
	return strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "connection reset")
}
