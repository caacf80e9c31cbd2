-- The audit log's tables (see docs/audit-log.md), in the store's schema,
-- the same three as in SQLite with 64-bit keys. audit_head is the one row
-- every append locks (SELECT ... FOR UPDATE), so that appenders in
-- several processes take turns and each re-reads the size under the lock:
-- one tree, no fork and no gap.
CREATE TABLE audit_records (
    n    BIGINT PRIMARY KEY,  -- record index, from 0
    data BYTEA NOT NULL       -- the record's canonical encoding (Record.Encode)
);
CREATE TABLE audit_hashes (
    i    BIGINT PRIMARY KEY,  -- stored-hash index (tlog.StoredHashIndex)
    hash BYTEA NOT NULL       -- 32 bytes of SHA-256
);
CREATE TABLE audit_checkpoints (
    size BIGINT PRIMARY KEY,  -- the tree size the checkpoint signs
    note BYTEA NOT NULL       -- the signed note (sumdb/note)
);
CREATE TABLE audit_head (
    one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one)
);
INSERT INTO audit_head VALUES (TRUE);
