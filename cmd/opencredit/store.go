package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"golang.org/x/mod/sumdb/note"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/postgres"
	"github.com/opencredit/opencredit/sqlite"
)

// storeFlags choose and open a store and its audit log: the embedded SQLite
// file in a data directory (the default) with the audit log in audit.db
// beside it, or PostgreSQL with the audit log's tables in the store's
// schema. Every command that opens a store or an audit log opens it here.
type storeFlags struct {
	kind string
	dir  string
	dsn  string
	demo bool
}

func (s *storeFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&s.kind, "store", "sqlite", "sqlite (embedded, one file in --dir) or postgres (--postgres)")
	c.Flags().StringVar(&s.dir, "dir", "opencredit-data", "data directory of the embedded store")
	c.Flags().StringVar(&s.dsn, "postgres", "", "PostgreSQL connection string (default: $OPENCREDIT_POSTGRES)")
	c.Flags().BoolVar(&s.demo, "demo-key", false, "use the fixed, public demo key for PII instead of $OPENCREDIT_KEY (never in production)")
}

// keys loads the PII keys from the environment, or the demo key when asked.
func (s *storeFlags) keys(getenv func(string) string) (pii.Keys, error) {
	if s.demo {
		return pii.DemoKeys(), nil
	}
	return pii.LoadKeys(getenv)
}

// postgres returns the connection string of --store postgres: --postgres,
// or $OPENCREDIT_POSTGRES.
func (s *storeFlags) postgres(getenv func(string) string) (string, error) {
	dsn := s.dsn
	if dsn == "" {
		dsn = getenv("OPENCREDIT_POSTGRES")
	}
	if dsn == "" {
		return "", opencredit.Errorf(opencredit.EINVALID, "--store postgres needs --postgres DSN or $OPENCREDIT_POSTGRES")
	}
	return dsn, nil
}

func badStore(kind string) error {
	return opencredit.Errorf(opencredit.EINVALID, "--store %q: want sqlite or postgres", kind)
}

// open opens the store: opencredit.db in --dir, created with the directory
// if missing, or the PostgreSQL database of --postgres.
func (s *storeFlags) open(ctx context.Context, getenv func(string) string) (opencredit.Store, error) {
	keys, err := s.keys(getenv)
	if err != nil {
		return nil, err
	}
	return s.openWith(ctx, getenv, keys)
}

// openWith is open under the given PII keys.
func (s *storeFlags) openWith(ctx context.Context, getenv func(string) string, keys pii.Keys) (opencredit.Store, error) {
	switch s.kind {
	case "sqlite":
		if err := os.MkdirAll(s.dir, 0o700); err != nil {
			return nil, err
		}
		return sqlite.Open(ctx, filepath.Join(s.dir, "opencredit.db"), keys)
	case "postgres":
		dsn, err := s.postgres(getenv)
		if err != nil {
			return nil, err
		}
		return postgres.Open(ctx, dsn, keys)
	}
	return nil, badStore(s.kind)
}

// auditStorage is where an audit log is kept, closed when done with.
type auditStorage interface {
	audit.Storage
	Close() error
}

// openAuditStorage opens the audit log's storage in the store: the SQLite
// file at path (audit.db in --dir when path is ""), or the audit tables in
// the schema of --postgres, which need no PII key.
func (s *storeFlags) openAuditStorage(ctx context.Context, getenv func(string) string, path string) (auditStorage, error) {
	switch s.kind {
	case "sqlite":
		if path == "" {
			if err := os.MkdirAll(s.dir, 0o700); err != nil {
				return nil, err
			}
			path = filepath.Join(s.dir, "audit.db")
		}
		return sqlite.OpenAudit(ctx, path)
	case "postgres":
		dsn, err := s.postgres(getenv)
		if err != nil {
			return nil, err
		}
		return postgres.OpenAudit(ctx, dsn)
	}
	return nil, badStore(s.kind)
}

// openAudit opens (or creates) the audit log of the store, signed by
// signer; close closes its storage.
func (s *storeFlags) openAudit(ctx context.Context, getenv func(string) string, signer note.Signer, verifier note.Verifier) (log *audit.Log, close func(), err error) {
	st, err := s.openAuditStorage(ctx, getenv, "")
	if err != nil {
		return nil, nil, err
	}
	if log, err = audit.Open(ctx, st, signer, verifier); err != nil {
		st.Close()
		return nil, nil, err
	}
	return log, func() { st.Close() }, nil
}

// openAuditLog opens (or creates) the audit log kept in the SQLite file at
// path; close closes it.
func openAuditLog(ctx context.Context, path string, signer note.Signer, verifier note.Verifier) (log *audit.Log, close func(), err error) {
	sf := storeFlags{kind: "sqlite"}
	st, err := sf.openAuditStorage(ctx, nil, path)
	if err != nil {
		return nil, nil, err
	}
	if log, err = audit.Open(ctx, st, signer, verifier); err != nil {
		st.Close()
		return nil, nil, err
	}
	return log, func() { st.Close() }, nil
}

// openFresh opens an empty store for a benchmark run: a new SQLite file in
// s.dir, or a new PostgreSQL schema named after the run.
func openFresh(ctx context.Context, s *storeFlags, getenv func(string) string, name string) (opencredit.Store, error) {
	switch s.kind {
	case "sqlite":
		if err := os.RemoveAll(s.dir); err != nil {
			return nil, err
		}
		return s.open(ctx, getenv)
	case "postgres":
		keys, err := s.keys(getenv)
		if err != nil {
			return nil, err
		}
		dsn, err := s.postgres(getenv)
		if err != nil {
			return nil, err
		}
		schema := "opencredit_bench_" + name
		if err := postgres.DropSchema(ctx, dsn, schema); err != nil {
			return nil, err
		}
		db, err := postgres.OpenSchema(ctx, dsn, schema, keys)
		if err != nil {
			return nil, err
		}
		return &droppingStore{DB: db, dsn: dsn, schema: schema}, nil
	}
	return nil, badStore(s.kind)
}

// droppingStore drops its benchmark schema when closed.
type droppingStore struct {
	*postgres.DB
	dsn, schema string
}

func (d *droppingStore) Close() error {
	err := d.DB.Close()
	if derr := postgres.DropSchema(context.Background(), d.dsn, d.schema); err == nil {
		err = derr
	}
	return err
}
