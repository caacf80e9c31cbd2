-- The first schema of the embedded store. Written in SQL that PostgreSQL
-- also accepts: BYTEA and BOOLEAN are valid SQLite type names (with numeric
-- affinity, which stores blobs and 0/1 as given), times are BIGINT Unix
-- nanoseconds in UTC, and upserts use ON CONFLICT.

-- A subject is never deleted: erasure clears pii and national_id_hash and
-- sets deleted_at, leaving a tombstone so the id is never reused.
CREATE TABLE subjects (
    id               TEXT PRIMARY KEY,
    created_at       BIGINT NOT NULL,
    deleted_at       BIGINT,
    pii              BYTEA,          -- AES-256-GCM, bound to id (package pii)
    national_id_hash BYTEA UNIQUE    -- HMAC-SHA-256 of the normalised national id
);

-- A consent counts from granted_at until withdrawn_at. A re-grant after a
-- withdrawal is a new row, so the history stays.
CREATE TABLE consents (
    subject      TEXT NOT NULL REFERENCES subjects (id),
    counterparty TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    granted_at   BIGINT NOT NULL,
    withdrawn_at BIGINT,
    PRIMARY KEY (subject, counterparty, purpose, granted_at)
);

-- Exactly once by (source, id): the primary key.
CREATE TABLE events (
    source       TEXT NOT NULL,
    id           TEXT NOT NULL,
    subject      TEXT NOT NULL REFERENCES subjects (id),
    type         TEXT NOT NULL,
    time         BIGINT NOT NULL,
    received_at  BIGINT NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    data         BYTEA NOT NULL,
    suppressed   BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (source, id)
);
CREATE INDEX events_subject_time ON events (subject, time);

-- The live feature state of each subject (features.State, binary), kept up
-- to date by every ingestion transaction.
CREATE TABLE feature_states (
    subject    TEXT PRIMARY KEY REFERENCES subjects (id),
    state      BYTEA NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The audit record of each erasure: when, and how much was removed.
CREATE TABLE erasures (
    subject            TEXT PRIMARY KEY REFERENCES subjects (id),
    erased_at          BIGINT NOT NULL,
    events_deleted     BIGINT NOT NULL,
    consents_withdrawn BIGINT NOT NULL
);
