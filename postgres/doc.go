// Package postgres is the PostgreSQL store: opencredit.Store through
// github.com/jackc/pgx/v5 and its connection pool.
//
// # Schema
//
// The tables and columns are those of the SQLite store (migrations/*.sql,
// embedded and applied by Open, each recorded in schema_migrations), written
// in plain PostgreSQL so PostgreSQL-compatible databases can follow. Times
// are BIGINT Unix nanoseconds, not TIMESTAMPTZ, which holds microseconds:
// an event or a subject gives back exactly the time it was stored with. Ids
// use the "C" collation, byte order, as SQLite compares them. Migrations run
// in one transaction under an advisory lock named after the schema, so
// several processes may start at once. OpenSchema confines a store to a
// schema of its own (tests and benchmarks); DropSchema removes it.
//
// # Ingestion and concurrency
//
// Ingest runs ingest.Batch in one READ COMMITTED transaction per batch,
// answering each of its primitives with one statement whatever the batch
// size: arrays bound as parameters and expanded by unnest or = ANY, and
// pgx batches where two statements can share a round trip.
//
// Two things keep concurrent writers apart:
//
//   - The rows of the batch's subjects are locked (SELECT ... ORDER BY id
//     FOR NO KEY UPDATE) before anything is read, in id order so that two
//     batches cannot deadlock. A subject's feature state is read and
//     written back only under that lock, so no update is lost; erasure,
//     suppression and restoration take the same lock.
//   - The events' primary key (source, id) decides between two inserts of
//     one event. A batch inserts its events with a plain INSERT; if one is
//     stored, or another transaction is inserting it (the INSERT then waits
//     for that one to commit), the INSERT fails on the key, and the batch
//     runs again from the start, asking first which events are stored: the
//     event is a duplicate, never an error nor counted twice. Rows are
//     inserted in key order, so batches that share events cannot deadlock
//     on them.
//
// A transaction PostgreSQL aborts all the same (deadlock or serialization
// failure), or a batch that met a stored event, runs again from the
// start, up to five times.
//
// # Personal data
//
// A subject's PII is sealed by package pii (AES-256-GCM, bound to the
// subject's id) before it reaches the database; a national id is stored only
// as its keyed hash (HMAC-SHA-256), unique among live subjects.
//
// # Tests
//
// The tests run against the database named by OPENCREDIT_TEST_POSTGRES
// (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable), each in a
// schema of its own that is dropped afterwards; without it they are
// skipped. BenchmarkIngest and BenchmarkRawInsert measure ingestion against
// the raw insert of the same rows in the same run.
package postgres
