package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/postgres"
	"github.com/opencredit/opencredit/sqlite"
)

// storeFlags choose and open a store: the embedded SQLite file in a data
// directory (the default), or PostgreSQL.
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

func (s *storeFlags) open(ctx context.Context, getenv func(string) string) (opencredit.Store, error) {
	keys, err := s.keys(getenv)
	if err != nil {
		return nil, err
	}
	switch s.kind {
	case "sqlite":
		if err := os.MkdirAll(s.dir, 0o700); err != nil {
			return nil, err
		}
		return sqlite.Open(ctx, filepath.Join(s.dir, "opencredit.db"), keys)
	case "postgres":
		dsn := s.dsn
		if dsn == "" {
			dsn = getenv("OPENCREDIT_POSTGRES")
		}
		if dsn == "" {
			return nil, opencredit.Errorf(opencredit.EINVALID, "--store postgres needs --postgres DSN or $OPENCREDIT_POSTGRES")
		}
		return postgres.Open(ctx, dsn, keys)
	}
	return nil, opencredit.Errorf(opencredit.EINVALID, "--store %q: want sqlite or postgres", s.kind)
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
		dsn := s.dsn
		if dsn == "" {
			dsn = getenv("OPENCREDIT_POSTGRES")
		}
		if dsn == "" {
			return nil, opencredit.Errorf(opencredit.EINVALID, "--store postgres needs --postgres DSN or $OPENCREDIT_POSTGRES")
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
	return nil, opencredit.Errorf(opencredit.EINVALID, "--store %q: want sqlite or postgres", s.kind)
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
