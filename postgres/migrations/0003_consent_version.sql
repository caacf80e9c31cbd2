-- A counter that every statement ending a consent (withdrawal, erasure)
-- bumps in its own transaction. Ingestion reads it FOR SHARE and keeps, per
-- process, the furnishing consents it found open while the counter had
-- that value: an open consent can stop being open only through a bump, so
-- a process whose counter is unchanged may trust what it learned.
CREATE TABLE consent_version (
    id      INT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO consent_version (id, version) VALUES (1, 0);
