package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// readStmts holds the statements of the hot read paths (a score reads a
// client, a consent and a feature state), prepared once on the read pool.
// Parsing was a third of the cost of such a read: bench serve spent 10% of
// its CPU in SQLite's parser before.
type readStmts struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// stmt returns the read pool's prepared statement for query, preparing it
// the first time. database/sql re-prepares it on each pooled connection as
// needed.
func (db *DB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	db.reads.mu.Lock()
	defer db.reads.mu.Unlock()
	if s, ok := db.reads.m[query]; ok {
		return s, nil
	}
	s, err := db.r.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if db.reads.m == nil {
		db.reads.m = map[string]*sql.Stmt{}
	}
	db.reads.m[query] = s
	return s, nil
}

// queryRow runs a read-pool statement that returns at most one row.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) (*sql.Row, error) {
	s, err := db.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryRowContext(ctx, args...), nil
}

func (db *DB) closeStmts() {
	db.reads.mu.Lock()
	defer db.reads.mu.Unlock()
	for _, s := range db.reads.m {
		s.Close()
	}
	db.reads.m = nil
}
