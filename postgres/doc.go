// Package postgres is the PostgreSQL store: opencredit.Store through
// github.com/jackc/pgx/v5 and its connection pool, safe for several
// processes sharing one database, and the audit log's storage in the
// store's schema (AuditStorage), whose appends from several processes grow
// one tree. Both bring their schema up to date from embedded migrations
// (migrations/, migrations/audit/). The tests run when
// OPENCREDIT_TEST_POSTGRES names a database.
//
// The schema, ingestion under concurrency and the tests are described in
// docs/stores.md, the audit storage in docs/audit-log.md.
package postgres
