-- The audit log's tables (see docs/audit-log.md), in a file of their own,
-- audit.db beside the store. IF NOT EXISTS: audit files written before
-- migrations recorded them already hold these tables.
--
-- INTEGER PRIMARY KEY: in SQLite only that exact type name makes the key
-- the table's rowid (64-bit), so that a row lives in one B-tree instead of a
-- table and an index; an append then writes half the pages, and takes
-- 130 µs instead of 190 µs (BenchmarkAuditAppend, the development machine).
-- BYTEA has numeric affinity in SQLite, which stores blobs as given.
-- Records and hashes are kept apart, each keyed by its own index, exactly as
-- tlog numbers them, so that the tables can be read and checked with nothing
-- but SQL and tlog.
CREATE TABLE IF NOT EXISTS audit_records (
    n    INTEGER PRIMARY KEY,  -- record index, from 0
    data BYTEA NOT NULL        -- the record's canonical encoding (Record.Encode)
);
CREATE TABLE IF NOT EXISTS audit_hashes (
    i    INTEGER PRIMARY KEY,  -- stored-hash index (tlog.StoredHashIndex)
    hash BYTEA NOT NULL        -- 32 bytes of SHA-256
);
CREATE TABLE IF NOT EXISTS audit_checkpoints (
    size INTEGER PRIMARY KEY,  -- the tree size the checkpoint signs
    note BYTEA NOT NULL        -- the signed note (sumdb/note)
);
