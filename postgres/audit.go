package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	migration "github.com/opencredit/opencredit/internal/migrate"
)

//go:embed migrations/audit/*.sql
var auditMigrations embed.FS

// AuditStorage is an audit.Storage in five tables of the store's schema
// (migrations/audit): audit_records(n, data, subject), audit_hashes(i, hash),
// audit_checkpoints(size, note), audit_cosignatures(witness, size, note)
// and audit_head, the one row appends lock.
// Several processes may append at once, each through its own audit.Log: it
// is an audit.SharedStorage, whose append transaction locks audit_head
// (SELECT ... FOR UPDATE) and reads the size after the lock is granted, so
// the appends of all of them grow one tree.
//
// Durability is PostgreSQL's: an append returns once its transaction is
// committed, on disk with the default synchronous_commit.
type AuditStorage struct {
	pool *pgxpool.Pool
}

var (
	_ audit.Storage       = (*AuditStorage)(nil)
	_ audit.SharedStorage = (*AuditStorage)(nil)
	_ audit.SubjectIndex  = (*AuditStorage)(nil)
)

// OpenAudit connects to the database named by dsn, as Open does, and brings
// the audit tables of the first schema of its search_path up to date. It
// needs no key: the audit log holds no personal data (audit.Record).
func OpenAudit(ctx context.Context, dsn string) (*AuditStorage, error) {
	return openAudit(ctx, dsn, "")
}

// OpenAuditSchema is OpenAudit inside a dedicated schema, created if
// missing, as OpenSchema.
func OpenAuditSchema(ctx context.Context, dsn, schema string) (*AuditStorage, error) {
	if err := checkSchema(schema); err != nil {
		return nil, err
	}
	return openAudit(ctx, dsn, schema)
}

func openAudit(ctx context.Context, dsn, schema string) (*AuditStorage, error) {
	cfg, err := parseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, internal("cannot create a connection pool", err)
	}
	ms, err := migration.Load(auditMigrations, "migrations/audit")
	if err == nil {
		err = runMigrations(ctx, pool, schema, "postgres audit", "audit_migrations", "opencredit/postgres/audit/migrate/", ms, time.Now())
	}
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &AuditStorage{pool: pool}, nil
}

// Close closes every connection of the storage.
func (s *AuditStorage) Close() error {
	s.pool.Close()
	return nil
}

const countAuditRecords = `SELECT COALESCE(MAX(n) + 1, 0) FROM audit_records`

// Count implements audit.Storage.
func (s *AuditStorage) Count(ctx context.Context) (int64, error) {
	return countAudit(ctx, s.pool)
}

func countAudit(ctx context.Context, q querier) (int64, error) {
	var n int64
	if err := q.QueryRow(ctx, countAuditRecords).Scan(&n); err != nil {
		return 0, internal("audit: counting records", err)
	}
	return n, nil
}

// Append implements audit.Storage: under the append lock, it stores
// records at n if the log holds n records, and fails with ECONFLICT
// otherwise.
func (s *AuditStorage) Append(ctx context.Context, n int64, records [][]byte, hashes []tlog.Hash) error {
	if err := audit.CheckAppend(n, records, hashes); err != nil {
		return err
	}
	tx, err := s.BeginAppend(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	count, err := tx.Count(ctx)
	if err != nil {
		return err
	}
	if count != n {
		return opencredit.Errorf(opencredit.ECONFLICT, "postgres audit: append at record %d, but the log holds %d records", n, count)
	}
	return tx.Commit(ctx, n, records, hashes)
}

// BeginAppend implements audit.SharedStorage.
func (s *AuditStorage) BeginAppend(ctx context.Context) (audit.AppendTx, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, internal("audit: beginning append", err)
	}
	// The lock is its own statement: in READ COMMITTED each statement
	// sees what was committed when it began, so the Count that follows sees
	// the appends of whoever held the lock before, where a count in this
	// statement would be as of before the wait.
	if _, err := tx.Exec(ctx, `SELECT one FROM audit_head FOR UPDATE`); err != nil {
		tx.Rollback(context.WithoutCancel(ctx))
		return nil, internal("audit: locking the log for append", err)
	}
	return &auditTx{tx: tx}, nil
}

// auditTx is an append transaction holding the lock on audit_head.
type auditTx struct {
	tx   pgx.Tx
	done bool
}

func (t *auditTx) Count(ctx context.Context) (int64, error) { return countAudit(ctx, t.tx) }

func (t *auditTx) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	return readAuditHashes(ctx, t.tx, indexes)
}

func (t *auditTx) Commit(ctx context.Context, n int64, records [][]byte, hashes []tlog.Hash) error {
	if err := audit.CheckAppend(n, records, hashes); err != nil {
		return err
	}
	hs := make([][]byte, len(hashes))
	for k := range hashes {
		hs[k] = hashes[k][:]
	}
	// One statement a table, the rows numbered from the first index by
	// their place in the array.
	subjects := make([]*string, len(records))
	for k, r := range records {
		// NULL for no subject: the index holds only records about someone.
		sub, err := audit.RecordSubject(r)
		if err != nil {
			return err
		}
		if sub != "" {
			subjects[k] = &sub
		}
	}
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO audit_records (n, data, subject) SELECT $1::bigint + i - 1, d, s FROM unnest($2::bytea[], $3::text[]) WITH ORDINALITY AS r (d, s, i)`, n, records, subjects)
	b.Queue(`INSERT INTO audit_hashes (i, hash) SELECT $1::bigint + i - 1, h FROM unnest($2::bytea[]) WITH ORDINALITY AS r (h, i)`, tlog.StoredHashIndex(0, n), hs)
	if err := t.tx.SendBatch(ctx, b).Close(); err != nil {
		return internal(fmt.Sprintf("audit: storing records from %d", n), err)
	}
	t.done = true
	if err := t.tx.Commit(ctx); err != nil {
		return internal("audit: committing append", err)
	}
	return nil
}

func (t *auditTx) Rollback(ctx context.Context) error {
	if t.done {
		return nil
	}
	t.done = true
	return t.tx.Rollback(context.WithoutCancel(ctx))
}

// Records implements audit.Storage.
func (s *AuditStorage) Records(ctx context.Context, from, to int64, fn func(int64, []byte) error) error {
	return s.scan(ctx, `SELECT n, data FROM audit_records WHERE n >= $1 AND n < $2 ORDER BY n LIMIT $3`, from, to, fn)
}

// SubjectRecords implements audit.SubjectIndex.
func (s *AuditStorage) SubjectRecords(ctx context.Context, subject string, from int64, limit int, fn func(int64, []byte) error) error {
	type row struct {
		n int64
		b []byte
	}
	rows, err := s.pool.Query(ctx, `SELECT n, data FROM audit_records WHERE subject = $1 AND n >= $2 ORDER BY n LIMIT $3`, subject, from, limit)
	if err != nil {
		return internal("audit: reading a subject's records", err)
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.n, &x.b)
		return x, err
	})
	if err != nil {
		return internal("audit: reading a subject's records", err)
	}
	for _, r := range got {
		if err := fn(r.n, r.b); err != nil {
			return err
		}
	}
	return nil
}

// Hashes implements audit.Storage.
func (s *AuditStorage) Hashes(ctx context.Context, from, to int64, fn func(int64, []byte) error) error {
	return s.scan(ctx, `SELECT i, hash FROM audit_hashes WHERE i >= $1 AND i < $2 ORDER BY i LIMIT $3`, from, to, fn)
}

// scan reads the rows a page at a time, each page whole before calling fn,
// so that no connection is held while fn runs.
func (s *AuditStorage) scan(ctx context.Context, q string, from, to int64, fn func(int64, []byte) error) error {
	type row struct {
		k int64
		b []byte
	}
	const page = 4096
	for from < to {
		rows, err := s.pool.Query(ctx, q, from, to, page)
		if err != nil {
			return internal("audit: reading", err)
		}
		got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			err := r.Scan(&x.k, &x.b)
			return x, err
		})
		if err != nil {
			return internal("audit: reading", err)
		}
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
	return readAuditHashes(ctx, s.pool, indexes)
}

func readAuditHashes(ctx context.Context, q querier, indexes []int64) ([]tlog.Hash, error) {
	if len(indexes) == 0 {
		return nil, nil
	}
	rows, err := q.Query(ctx, `SELECT i, hash FROM audit_hashes WHERE i = ANY($1)`, indexes)
	if err != nil {
		return nil, internal("audit: reading hashes", err)
	}
	got := make(map[int64][]byte, len(indexes))
	for rows.Next() {
		var i int64
		var b []byte
		if err := rows.Scan(&i, &b); err != nil {
			rows.Close()
			return nil, internal("audit: reading hashes", err)
		}
		got[i] = b
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal("audit: reading hashes", err)
	}
	out := make([]tlog.Hash, len(indexes))
	for k, i := range indexes {
		b, ok := got[i]
		if !ok {
			return nil, opencredit.Errorf(opencredit.ENOTFOUND, "postgres audit: stored hash %d is missing", i)
		}
		if len(b) != tlog.HashSize {
			return nil, opencredit.Errorf(opencredit.EINTERNAL, "postgres audit: stored hash %d is %d bytes, not %d", i, len(b), tlog.HashSize)
		}
		out[k] = tlog.Hash(b)
	}
	return out, nil
}

// SaveCheckpoint implements audit.Storage.
func (s *AuditStorage) SaveCheckpoint(ctx context.Context, size int64, signed []byte) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO audit_checkpoints (size, note) VALUES ($1, $2) ON CONFLICT (size) DO NOTHING`, size, signed); err != nil {
		return internal("audit: saving checkpoint", err)
	}
	return nil
}

// LatestCheckpoint implements audit.Storage.
func (s *AuditStorage) LatestCheckpoint(ctx context.Context) (int64, []byte, error) {
	var size int64
	var note []byte
	err := s.pool.QueryRow(ctx, `SELECT size, note FROM audit_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&size, &note)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, internal("audit: reading checkpoint", err)
	}
	return size, note, nil
}

// Checkpoints implements audit.Storage.
func (s *AuditStorage) Checkpoints(ctx context.Context, fn func(int64, []byte) error) error {
	return s.scan(ctx, `SELECT size, note FROM audit_checkpoints WHERE size >= $1 AND size < $2 ORDER BY size LIMIT $3`, math.MinInt64, math.MaxInt64, fn)
}

// SaveCosigned implements audit.Storage.
func (s *AuditStorage) SaveCosigned(ctx context.Context, witness string, size int64, signed []byte) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO audit_cosignatures (witness, size, note) VALUES ($1, $2, $3) ON CONFLICT (witness, size) DO NOTHING`, witness, size, signed); err != nil {
		return internal("audit: saving a cosigned checkpoint", err)
	}
	return nil
}

// LatestCosigned implements audit.Storage.
func (s *AuditStorage) LatestCosigned(ctx context.Context) ([]audit.Cosigned, error) {
	// One index seek a witness, however many rows (a row every 10 s per
	// witness): a recursive skip over the distinct witnesses of the
	// primary key, then each one's largest size. DISTINCT ON reads them all.
	rows, err := s.pool.Query(ctx, `WITH RECURSIVE w(witness) AS (
			SELECT MIN(witness) FROM audit_cosignatures
			UNION ALL
			SELECT (SELECT MIN(witness) FROM audit_cosignatures x WHERE x.witness > w.witness) FROM w WHERE w.witness IS NOT NULL
		)
		SELECT c.witness, c.size, c.note FROM w CROSS JOIN LATERAL (
			SELECT witness, size, note FROM audit_cosignatures c WHERE c.witness = w.witness ORDER BY size DESC LIMIT 1
		) c ORDER BY c.witness`)
	if err != nil {
		return nil, internal("audit: reading cosigned checkpoints", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (audit.Cosigned, error) {
		var c audit.Cosigned
		err := r.Scan(&c.Witness, &c.Size, &c.Note)
		return c, err
	})
	if err != nil {
		return nil, internal("audit: reading cosigned checkpoints", err)
	}
	return out, nil
}
