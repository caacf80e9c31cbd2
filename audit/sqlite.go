package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit"
)

// schema is written in SQL that PostgreSQL also accepts, with one
// exception of meaning: INTEGER PRIMARY KEY. In SQLite only that exact type
// name makes the key the table's rowid (64-bit), so that a row lives in one
// B-tree instead of a table and an index; an append then writes half the
// pages, and takes 130 µs instead of 190 µs (BenchmarkAppend, this machine).
// In PostgreSQL INTEGER is 32-bit: a PostgreSQL storage declares these
// columns BIGINT. BYTEA has numeric affinity in SQLite, which stores blobs as
// given. Records and hashes are kept apart, each keyed by its own index,
// exactly as tlog numbers them, so that the tables can be read and checked
// with nothing but SQL and tlog.
var schema = []string{
	`CREATE TABLE IF NOT EXISTS audit_records (
    n    INTEGER PRIMARY KEY,  -- record index, from 0
    data BYTEA NOT NULL        -- the record's canonical encoding (Record.Encode)
)`,
	`CREATE TABLE IF NOT EXISTS audit_hashes (
    i    INTEGER PRIMARY KEY,  -- stored-hash index (tlog.StoredHashIndex)
    hash BYTEA NOT NULL        -- 32 bytes of SHA-256
)`,
	`CREATE TABLE IF NOT EXISTS audit_checkpoints (
    size INTEGER PRIMARY KEY,  -- the tree size the checkpoint signs
    note BYTEA NOT NULL        -- the signed note (sumdb/note)
)`,
}

// SQLiteStorage is a Storage in three tables of a database/sql handle.
// It is meant for SQLite through modernc.org/sqlite.
//
// Append runs one transaction: the first record, inserted only if its index
// is the count of records (one statement, so the check and the write are
// under one lock); the other records and the hashes, up to 64 rows a
// statement. Open the handle in WAL mode with a busy_timeout; give the audit
// log a file of its own, so that its appends never wait for the write lock
// of another store. Durability is the handle's: with synchronous=NORMAL a
// committed append survives a crash of the process but may be lost with the
// last transactions on a power failure; synchronous=FULL survives that too,
// at the price of an fsync per commit.
type SQLiteStorage struct {
	db    *sql.DB
	count *sql.Stmt
	first *sql.Stmt

	mu   sync.Mutex
	rows map[string]*sql.Stmt // multi-row inserts by table and number of rows
}

var _ Storage = (*SQLiteStorage)(nil)

// NewSQLiteStorage creates the audit tables in db if they do not exist and
// returns the storage that uses them. Closing db is the caller's business;
// Close releases the prepared statements.
func NewSQLiteStorage(ctx context.Context, db *sql.DB) (*SQLiteStorage, error) {
	for _, q := range schema {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return nil, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "audit: creating tables", Err: err}
		}
	}
	s := &SQLiteStorage{db: db, rows: make(map[string]*sql.Stmt)}
	var err error
	if s.count, err = db.PrepareContext(ctx, countRecords); err == nil {
		s.first, err = db.PrepareContext(ctx, `INSERT INTO audit_records (n, data) SELECT ?, ? WHERE ? = (`+countRecords+`)`)
	}
	if err != nil {
		s.Close()
		return nil, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "audit: preparing statements", Err: err}
	}
	return s, nil
}

const countRecords = `SELECT COALESCE(MAX(n) + 1, 0) FROM audit_records`

// Close releases the prepared statements. It does not close the database.
func (s *SQLiteStorage) Close() error {
	var errs []error
	for _, st := range []*sql.Stmt{s.count, s.first} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.rows {
		errs = append(errs, st.Close())
	}
	clear(s.rows)
	return errors.Join(errs...)
}

func dbErr(what string, err error) error {
	if err == nil {
		return nil
	}
	var e *opencredit.Error
	if errors.As(err, &e) {
		return err
	}
	return &opencredit.Error{Code: opencredit.EINTERNAL, Message: "audit: " + what, Err: err}
}

// Count implements Storage.
func (s *SQLiteStorage) Count(ctx context.Context) (int64, error) {
	var n int64
	err := s.count.QueryRowContext(ctx).Scan(&n)
	return n, dbErr("counting records", err)
}

// Append implements Storage.
func (s *SQLiteStorage) Append(ctx context.Context, n int64, records [][]byte, hashes []tlog.Hash) (err error) {
	if err := checkAppend(n, records, hashes); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return dbErr("beginning append", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	res, err := tx.StmtContext(ctx, s.first).ExecContext(ctx, n, records[0], n)
	if err != nil {
		return dbErr(fmt.Sprintf("storing record %d", n), err)
	}
	if k, err := res.RowsAffected(); err != nil || k != 1 {
		var count int64
		if err := tx.StmtContext(ctx, s.count).QueryRowContext(ctx).Scan(&count); err != nil {
			return dbErr("counting records", err)
		}
		return opencredit.Errorf(opencredit.ECONFLICT, "audit: append at record %d, but the log holds %d records", n, count)
	}
	if err := s.insert(ctx, tx, "audit_records (n, data)", n+1, records[1:]); err != nil {
		return err
	}
	hs := make([][]byte, len(hashes))
	for k := range hashes {
		hs[k] = hashes[k][:]
	}
	if err := s.insert(ctx, tx, "audit_hashes (i, hash)", tlog.StoredHashIndex(0, n), hs); err != nil {
		return err
	}
	return dbErr("committing append", tx.Commit())
}

// maxRows bounds the rows of one INSERT statement.
const maxRows = 64

// insert writes values as rows first, first+1, ... of table, at most
// maxRows to a statement, through statements prepared once per size.
func (s *SQLiteStorage) insert(ctx context.Context, tx *sql.Tx, table string, first int64, values [][]byte) error {
	for len(values) > 0 {
		k := min(len(values), maxRows)
		st, err := s.rowsStmt(ctx, table, k)
		if err != nil {
			return err
		}
		args := make([]any, 0, 2*k)
		for j, v := range values[:k] {
			args = append(args, first+int64(j), v)
		}
		if _, err := tx.StmtContext(ctx, st).ExecContext(ctx, args...); err != nil {
			return dbErr(fmt.Sprintf("inserting into %s from %d", table, first), err)
		}
		values, first = values[k:], first+int64(k)
	}
	return nil
}

func (s *SQLiteStorage) rowsStmt(ctx context.Context, table string, k int) (*sql.Stmt, error) {
	key := fmt.Sprintf("%s/%d", table, k)
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.rows[key]; ok {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, `INSERT INTO `+table+` VALUES (?, ?)`+strings.Repeat(`, (?, ?)`, k-1))
	if err != nil {
		return nil, dbErr("preparing insert", err)
	}
	s.rows[key] = st
	return st, nil
}

// Records implements Storage.
func (s *SQLiteStorage) Records(ctx context.Context, from, to int64, fn func(int64, []byte) error) error {
	return s.scan(ctx, `SELECT n, data FROM audit_records WHERE n >= ? AND n < ? ORDER BY n`, from, to, fn)
}

// Hashes implements Storage.
func (s *SQLiteStorage) Hashes(ctx context.Context, from, to int64, fn func(int64, []byte) error) error {
	return s.scan(ctx, `SELECT i, hash FROM audit_hashes WHERE i >= ? AND i < ? ORDER BY i`, from, to, fn)
}

// scan reads all rows before calling fn, so that fn may use the database
// again even when the handle has a single connection.
func (s *SQLiteStorage) scan(ctx context.Context, q string, from, to int64, fn func(int64, []byte) error) error {
	type row struct {
		k int64
		b []byte
	}
	const page = 4096
	for from < to {
		rows, err := s.db.QueryContext(ctx, q+fmt.Sprintf(" LIMIT %d", page), from, to)
		if err != nil {
			return dbErr("reading", err)
		}
		var got []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.k, &r.b); err != nil {
				rows.Close()
				return dbErr("reading", err)
			}
			got = append(got, r)
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return dbErr("reading", err)
		}
		rows.Close()
		for _, r := range got {
			if err := fn(r.k, r.b); err != nil {
				return err
			}
		}
		if len(got) < page {
			return nil
		}
		if from = got[len(got)-1].k + 1; from == math.MinInt64 {
			return nil // the last index was MaxInt64
		}
	}
	return nil
}

// ReadHashes implements Storage.
func (s *SQLiteStorage) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	if len(indexes) == 0 {
		return nil, nil
	}
	args := make([]any, len(indexes))
	for k, i := range indexes {
		args[k] = i
	}
	q := `SELECT i, hash FROM audit_hashes WHERE i IN (?` + strings.Repeat(`, ?`, len(indexes)-1) + `)`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, dbErr("reading hashes", err)
	}
	defer rows.Close()
	got := make(map[int64]tlog.Hash, len(indexes))
	for rows.Next() {
		var i int64
		var b []byte
		if err := rows.Scan(&i, &b); err != nil {
			return nil, dbErr("reading hashes", err)
		}
		if len(b) != tlog.HashSize {
			return nil, opencredit.Errorf(opencredit.EINTERNAL, "audit: stored hash %d is %d bytes, not %d", i, len(b), tlog.HashSize)
		}
		got[i] = tlog.Hash(b)
	}
	if err := rows.Err(); err != nil {
		return nil, dbErr("reading hashes", err)
	}
	out := make([]tlog.Hash, len(indexes))
	for k, i := range indexes {
		h, ok := got[i]
		if !ok {
			return nil, opencredit.Errorf(opencredit.ENOTFOUND, "audit: stored hash %d is missing", i)
		}
		out[k] = h
	}
	return out, nil
}

// SaveCheckpoint implements Storage.
func (s *SQLiteStorage) SaveCheckpoint(ctx context.Context, size int64, signed []byte) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO audit_checkpoints (size, note) VALUES (?, ?) ON CONFLICT (size) DO NOTHING`, size, signed)
	return dbErr("saving checkpoint", err)
}

// LatestCheckpoint implements Storage.
func (s *SQLiteStorage) LatestCheckpoint(ctx context.Context) (int64, []byte, error) {
	var size int64
	var note []byte
	err := s.db.QueryRowContext(ctx, `SELECT size, note FROM audit_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&size, &note)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, nil
	}
	return size, note, dbErr("reading checkpoint", err)
}

// Checkpoints implements Storage.
func (s *SQLiteStorage) Checkpoints(ctx context.Context, fn func(int64, []byte) error) error {
	return s.scan(ctx, `SELECT size, note FROM audit_checkpoints WHERE size >= ? AND size < ? ORDER BY size`, math.MinInt64, math.MaxInt64, fn)
}
