package postgres

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// DiskSize returns the bytes the store's tables take, each table's
// pg_total_relation_size (heap, TOAST, free-space and visibility maps, and
// every index) summed over the tables of the store's schema, with the
// split by table. Audit tables kept in the same schema count too.
func (db *DB) DiskSize(ctx context.Context) (total int64, tables map[string]int64, err error) {
	return tableSizes(ctx, db.pool, "%")
}

// DiskSize returns the bytes the audit log's tables (audit_*) of the
// storage's schema take, as DB.DiskSize counts them.
func (s *AuditStorage) DiskSize(ctx context.Context) (total int64, tables map[string]int64, err error) {
	return tableSizes(ctx, s.pool, `audit\_%`)
}

// tableSizes sums pg_total_relation_size over the tables of the current
// schema whose names are LIKE like.
func tableSizes(ctx context.Context, pool *pgxpool.Pool, like string) (total int64, tables map[string]int64, err error) {
	rows, err := pool.Query(ctx, `SELECT c.relname, pg_total_relation_size(c.oid)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname LIKE $1`, like)
	if err != nil {
		return 0, nil, internal("reading table sizes", err)
	}
	defer rows.Close()
	tables = map[string]int64{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			return 0, nil, internal("reading table sizes", err)
		}
		tables[name] = n
		total += n
	}
	if err := rows.Err(); err != nil {
		return 0, nil, internal("reading table sizes", err)
	}
	return total, tables, nil
}
