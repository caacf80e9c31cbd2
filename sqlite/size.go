package sqlite

import "context"

// DiskSize returns the bytes of the database's pages in use (page_count
// less freelist_count, times page_size), write-ahead log included: what
// the file holds once the log is copied back, without the free pages a
// VACUUM would give back. SQLite as built here has no dbstat table, so
// there is no split by table: tables is nil.
func (db *DB) DiskSize(ctx context.Context) (total int64, tables map[string]int64, err error) {
	var pages, free, size int64
	for _, q := range []struct {
		pragma string
		into   *int64
	}{{"page_count", &pages}, {"freelist_count", &free}, {"page_size", &size}} {
		if err := db.w.QueryRowContext(ctx, "PRAGMA "+q.pragma).Scan(q.into); err != nil {
			return 0, nil, internal("reading "+q.pragma, err)
		}
	}
	return (pages - free) * size, nil, nil
}

// DiskSize returns the bytes of the audit database's pages in use, as
// DB.DiskSize counts them: the whole file, which holds only the audit log
// when OpenAudit opened it. tables is nil.
func (s *AuditStorage) DiskSize(ctx context.Context) (total int64, tables map[string]int64, err error) {
	var pages, free, size int64
	for _, q := range []struct {
		pragma string
		into   *int64
	}{{"page_count", &pages}, {"freelist_count", &free}, {"page_size", &size}} {
		if err := s.db.QueryRowContext(ctx, "PRAGMA "+q.pragma).Scan(q.into); err != nil {
			return 0, nil, auditErr("reading "+q.pragma, err)
		}
	}
	return (pages - free) * size, nil, nil
}
