package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	migration "github.com/opencredit/opencredit/internal/migrate"
)

//go:embed migrations/audit/*.sql
var auditMigrations embed.FS

// AuditStorage is an audit.Storage in four tables of a SQLite database
// (migrations/audit): audit_records(n, data, subject), audit_hashes(i, hash),
// audit_checkpoints(size, note) and audit_cosignatures(witness, size, note).
// The subject column indexes each person's records (audit.SubjectIndex); it
// is derived from data, never hashed.
//
// Append runs one transaction: the first record, inserted only if its index
// is the count of records (one statement, so the check and the write are
// under one lock); the other records and the hashes, up to 64 rows a
// statement. A handle given to NewAuditStorage should be in WAL mode with a
// busy_timeout, on a file of the audit log's own, so that its appends never
// wait for the write lock of another store; OpenAudit opens it so.
// Durability is the handle's: with synchronous=NORMAL a
// committed append survives a crash of the process but may be lost with the
// last transactions on a power failure; synchronous=FULL survives that too,
// at the price of an fsync per commit.
type AuditStorage struct {
	db    *sql.DB
	own   bool // Close closes db: OpenAudit opened it
	count *sql.Stmt
	first *sql.Stmt

	mu   sync.Mutex
	rows map[string]*sql.Stmt // multi-row inserts by table and number of rows
}

var (
	_ audit.Storage      = (*AuditStorage)(nil)
	_ audit.SubjectIndex = (*AuditStorage)(nil)
)

// OpenAudit opens or creates the audit log's SQLite file at path, apart from
// the event store so that appends never wait on its write lock, and brings
// its tables up to date. WAL with synchronous=FULL: every group commit of
// records is on disk, power loss included, before any response it covers is
// sent, at one fsync per commit (a rollback journal would take two, and
// serialise readers behind the writer). Close closes the file.
func OpenAudit(ctx context.Context, path string) (*AuditStorage, error) {
	if path == "" || strings.Contains(path, "?") {
		return nil, opencredit.Errorf(opencredit.EINVALID, "sqlite: bad audit log path %q", path)
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "sqlite: cannot open audit log " + path, Err: err}
	}
	s, err := NewAuditStorage(ctx, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	s.own = true
	return s, nil
}

// NewAuditStorage brings the audit tables in db up to date (creating them
// in a new database) and returns the storage that uses them. Closing db is
// the caller's business; Close releases the prepared statements.
func NewAuditStorage(ctx context.Context, db *sql.DB) (*AuditStorage, error) {
	ms, err := migration.Load(auditMigrations, "migrations/audit")
	if err != nil {
		return nil, err
	}
	if err := migration.Run(ctx, migration.Config{Name: "sqlite audit", Table: "audit_migrations", Begin: migration.SQL(db)}, ms); err != nil {
		return nil, err
	}
	s := &AuditStorage{db: db, rows: make(map[string]*sql.Stmt)}

	if s.count, err = db.PrepareContext(ctx, countAuditRecords); err == nil {
		s.first, err = db.PrepareContext(ctx, `INSERT INTO audit_records (n, data, subject) SELECT ?, ?, ? WHERE ? = (`+countAuditRecords+`)`)
	}
	if err != nil {
		s.Close()
		return nil, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "sqlite audit: preparing statements", Err: err}
	}
	return s, nil
}

const countAuditRecords = `SELECT COALESCE(MAX(n) + 1, 0) FROM audit_records`

// Close releases the prepared statements, and closes the database if
// OpenAudit opened it.
func (s *AuditStorage) Close() error {
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
	if s.own {
		errs = append(errs, s.db.Close())
	}
	return errors.Join(errs...)
}

func auditErr(what string, err error) error {
	if err == nil {
		return nil
	}
	var e *opencredit.Error
	if errors.As(err, &e) {
		return err
	}
	return &opencredit.Error{Code: opencredit.EINTERNAL, Message: "sqlite audit: " + what, Err: err}
}

// Count implements audit.Storage.
func (s *AuditStorage) Count(ctx context.Context) (int64, error) {
	var n int64
	err := s.count.QueryRowContext(ctx).Scan(&n)
	return n, auditErr("counting records", err)
}

// Append implements audit.Storage.
func (s *AuditStorage) Append(ctx context.Context, n int64, records [][]byte, hashes []tlog.Hash) (err error) {
	if err := audit.CheckAppend(n, records, hashes); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return auditErr("beginning append", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	subjects := make([]any, len(records))
	for k, r := range records {
		// NULL for no subject: the index holds only records about someone.
		sub, err := audit.RecordSubject(r)
		if err != nil {
			return err
		}
		if sub != "" {
			subjects[k] = sub
		}
	}
	res, err := tx.StmtContext(ctx, s.first).ExecContext(ctx, n, records[0], subjects[0], n)
	if err != nil {
		return auditErr(fmt.Sprintf("storing record %d", n), err)
	}
	if k, err := res.RowsAffected(); err != nil || k != 1 {
		var count int64
		if err := tx.StmtContext(ctx, s.count).QueryRowContext(ctx).Scan(&count); err != nil {
			return auditErr("counting records", err)
		}
		return opencredit.Errorf(opencredit.ECONFLICT, "sqlite audit: append at record %d, but the log holds %d records", n, count)
	}
	if err := s.insert(ctx, tx, "audit_records (n, data, subject)", n+1, len(records)-1, func(k int) []any {
		return []any{records[1+k], subjects[1+k]}
	}); err != nil {
		return err
	}
	if err := s.insert(ctx, tx, "audit_hashes (i, hash)", tlog.StoredHashIndex(0, n), len(hashes), func(k int) []any {
		return []any{hashes[k][:]}
	}); err != nil {
		return err
	}
	return auditErr("committing append", tx.Commit())
}

// auditRowsPerInsert bounds the rows of one INSERT statement.
const auditRowsPerInsert = 64

// insert writes rows first, first+1, ... first+count-1 of table, the index
// followed by the values cols(k) gives the k-th row, at most
// auditRowsPerInsert rows to a statement, through statements prepared once
// per size.
func (s *AuditStorage) insert(ctx context.Context, tx *sql.Tx, table string, first int64, count int, cols func(k int) []any) error {
	for done := 0; done < count; {
		k := min(count-done, auditRowsPerInsert)
		var args []any
		for j := range k {
			args = append(args, first+int64(done+j))
			args = append(args, cols(done+j)...)
		}
		st, err := s.rowsStmt(ctx, table, k, len(args)/k)
		if err != nil {
			return err
		}
		if _, err := tx.StmtContext(ctx, st).ExecContext(ctx, args...); err != nil {
			return auditErr(fmt.Sprintf("inserting into %s from %d", table, first+int64(done)), err)
		}
		done += k
	}
	return nil
}

func (s *AuditStorage) rowsStmt(ctx context.Context, table string, k, width int) (*sql.Stmt, error) {
	key := fmt.Sprintf("%s/%d", table, k)
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.rows[key]; ok {
		return st, nil
	}
	row := "(?" + strings.Repeat(", ?", width-1) + ")"
	st, err := s.db.PrepareContext(ctx, `INSERT INTO `+table+` VALUES `+row+strings.Repeat(", "+row, k-1))
	if err != nil {
		return nil, auditErr("preparing insert", err)
	}
	s.rows[key] = st
	return st, nil
}

// SubjectRecords implements audit.SubjectIndex.
func (s *AuditStorage) SubjectRecords(ctx context.Context, subject string, from int64, limit int, fn func(int64, []byte) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT n, data FROM audit_records WHERE subject = ? AND n >= ? ORDER BY n LIMIT ?`, subject, from, limit)
	if err != nil {
		return auditErr("reading a subject's records", err)
	}
	type row struct {
		n int64
		b []byte
	}
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.n, &r.b); err != nil {
			rows.Close()
			return auditErr("reading a subject's records", err)
		}
		got = append(got, r)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return auditErr("reading a subject's records", err)
	}
	for _, r := range got {
		if err := fn(r.n, r.b); err != nil {
			return err
		}
	}
	return nil
}

// Records implements audit.Storage.
func (s *AuditStorage) Records(ctx context.Context, from, to int64, fn func(int64, []byte) error) error {
	return s.scan(ctx, `SELECT n, data FROM audit_records WHERE n >= ? AND n < ? ORDER BY n`, from, to, fn)
}

// Hashes implements audit.Storage.
func (s *AuditStorage) Hashes(ctx context.Context, from, to int64, fn func(int64, []byte) error) error {
	return s.scan(ctx, `SELECT i, hash FROM audit_hashes WHERE i >= ? AND i < ? ORDER BY i`, from, to, fn)
}

// scan reads all rows before calling fn, so that fn may use the database
// again even when the handle has a single connection.
func (s *AuditStorage) scan(ctx context.Context, q string, from, to int64, fn func(int64, []byte) error) error {
	type row struct {
		k int64
		b []byte
	}
	const page = 4096
	for from < to {
		rows, err := s.db.QueryContext(ctx, q+fmt.Sprintf(" LIMIT %d", page), from, to)
		if err != nil {
			return auditErr("reading", err)
		}
		var got []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.k, &r.b); err != nil {
				rows.Close()
				return auditErr("reading", err)
			}
			got = append(got, r)
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return auditErr("reading", err)
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

// ReadHashes implements audit.Storage.
func (s *AuditStorage) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
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
		return nil, auditErr("reading hashes", err)
	}
	defer rows.Close()
	got := make(map[int64]tlog.Hash, len(indexes))
	for rows.Next() {
		var i int64
		var b []byte
		if err := rows.Scan(&i, &b); err != nil {
			return nil, auditErr("reading hashes", err)
		}
		if len(b) != tlog.HashSize {
			return nil, opencredit.Errorf(opencredit.EINTERNAL, "sqlite audit: stored hash %d is %d bytes, not %d", i, len(b), tlog.HashSize)
		}
		got[i] = tlog.Hash(b)
	}
	if err := rows.Err(); err != nil {
		return nil, auditErr("reading hashes", err)
	}
	out := make([]tlog.Hash, len(indexes))
	for k, i := range indexes {
		h, ok := got[i]
		if !ok {
			return nil, opencredit.Errorf(opencredit.ENOTFOUND, "sqlite audit: stored hash %d is missing", i)
		}
		out[k] = h
	}
	return out, nil
}

// SaveCheckpoint implements audit.Storage.
func (s *AuditStorage) SaveCheckpoint(ctx context.Context, size int64, signed []byte) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO audit_checkpoints (size, note) VALUES (?, ?) ON CONFLICT (size) DO NOTHING`, size, signed)
	return auditErr("saving checkpoint", err)
}

// LatestCheckpoint implements audit.Storage.
func (s *AuditStorage) LatestCheckpoint(ctx context.Context) (int64, []byte, error) {
	var size int64
	var note []byte
	err := s.db.QueryRowContext(ctx, `SELECT size, note FROM audit_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&size, &note)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, nil
	}
	return size, note, auditErr("reading checkpoint", err)
}

// Checkpoints implements audit.Storage.
func (s *AuditStorage) Checkpoints(ctx context.Context, fn func(int64, []byte) error) error {
	return s.scan(ctx, `SELECT size, note FROM audit_checkpoints WHERE size >= ? AND size < ? ORDER BY size`, math.MinInt64, math.MaxInt64, fn)
}

// latestCosigned reads each witness's row of largest size with one index
// seek a witness, however many rows the table holds (a row every 10 s per
// witness): a recursive skip over the distinct witnesses of the primary
// key (witness, size), then its MAX(size). A GROUP BY reads every row
// (BenchmarkLatestCosigned).
const latestCosigned = `WITH RECURSIVE w(witness) AS (
		SELECT MIN(witness) FROM audit_cosignatures
		UNION ALL
		SELECT (SELECT MIN(witness) FROM audit_cosignatures x WHERE x.witness > w.witness) FROM w WHERE w.witness IS NOT NULL
	)
	SELECT c.witness, c.size, c.note FROM w JOIN audit_cosignatures c ON c.witness = w.witness
	AND c.size = (SELECT MAX(size) FROM audit_cosignatures m WHERE m.witness = w.witness)
	ORDER BY c.witness`

// SaveCosigned implements audit.Storage.
func (s *AuditStorage) SaveCosigned(ctx context.Context, witness string, size int64, signed []byte) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO audit_cosignatures (witness, size, note) VALUES (?, ?, ?) ON CONFLICT (witness, size) DO NOTHING`, witness, size, signed)
	return auditErr("saving a cosigned checkpoint", err)
}

// LatestCosigned implements audit.Storage.
func (s *AuditStorage) LatestCosigned(ctx context.Context) ([]audit.Cosigned, error) {
	rows, err := s.db.QueryContext(ctx, latestCosigned)
	if err != nil {
		return nil, auditErr("reading cosigned checkpoints", err)
	}
	defer rows.Close()
	var out []audit.Cosigned
	for rows.Next() {
		var c audit.Cosigned
		if err := rows.Scan(&c.Witness, &c.Size, &c.Note); err != nil {
			return nil, auditErr("reading cosigned checkpoints", err)
		}
		out = append(out, c)
	}
	return out, auditErr("reading cosigned checkpoints", rows.Err())
}
