// Package sqlite is the embedded store: opencredit.Store in one SQLite file
// (WAL, one writer, a pool of readers), through the pure-Go driver
// modernc.org/sqlite, and the audit log's storage in a file beside it
// (AuditStorage, audit.db). Both bring their schema up to date from embedded
// migrations (migrations/, migrations/audit/).
//
// Durability, ingestion, the checkpointer and the cache are described in
// docs/stores.md.
package sqlite
