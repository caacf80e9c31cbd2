-- API clients, as sqlite/migrations/0003_clients.sql. A client is known by
-- its key, of which only the SHA-256 is kept (opencredit.HashAPIKey): the key
-- itself is shown once, at creation, and stored nowhere. A revoked client
-- stays, so its id is never reused and the audit log's client ids keep
-- meaning who they meant.
CREATE TABLE clients (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    purposes   TEXT NOT NULL DEFAULT '', -- a lender's permitted purposes, comma-separated
    subject    TEXT COLLATE "C" NOT NULL DEFAULT '', -- for role subject: the only subject it may reach
    key_hash   BYTEA UNIQUE NOT NULL,    -- SHA-256 of the key's text
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
