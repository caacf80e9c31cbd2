// Package sqlite is the embedded store: opencredit.Store in one SQLite file,
// through the pure-Go driver modernc.org/sqlite.
//
// The file runs in WAL mode with synchronous=NORMAL: a committed transaction
// survives a crash of the process (the WAL is written before COMMIT returns),
// and a power loss can lose at most the last transactions, never corrupt the
// file (https://www.sqlite.org/wal.html, https://www.sqlite.org/pragma.html#pragma_synchronous).
// Writes go through one connection whose transactions start with BEGIN
// IMMEDIATE, so a writer never has to upgrade a read lock and fail with
// SQLITE_BUSY mid-transaction; reads use a pool of their own and see the last
// committed state while a batch is being written.
//
// Ingestion runs ingest.Batch in one transaction per batch. Its lookups are
// one statement per 500 keys that returns only what is missing; events and
// feature states are written with multi-row statements prepared once per
// store, which cannot fail halfway (OR IGNORE, foreign keys deferred to the
// commit) and so need no statement journal; a checkpointer copies the
// write-ahead log back off the writer (checkpoint.go); and a cache (cache.go) answers for the subjects, consents and states
// this process has seen, checked against PRAGMA data_version so that another
// writer of the file is never missed. BenchmarkIngestVsRaw measures it
// against plain inserts of the same rows.
//
// The schema (migrations/) is written in SQL that PostgreSQL also accepts;
// times are BIGINT Unix nanoseconds in UTC.
package sqlite
