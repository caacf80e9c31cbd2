-- Disputes of events (FCRA §611). A dispute names its event by (source,
-- event_id) without a foreign key: erasure deletes a subject's events and
-- its disputes in one transaction, and no other writer deletes events. At
-- most one dispute of an event is pending (open, or suppressed at the
-- deadline and not yet answered): the partial unique index.
CREATE TABLE disputes (
    id          TEXT PRIMARY KEY,
    subject     TEXT NOT NULL REFERENCES subjects (id),
    source      TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    comment     TEXT NOT NULL,
    opened_at   BIGINT NOT NULL,
    status      TEXT NOT NULL,
    resolved_at BIGINT,
    note        TEXT NOT NULL DEFAULT '',
    resolver    TEXT NOT NULL DEFAULT '',
    original    BYTEA             -- a corrected event as it was before (CloudEvents JSON)
);
CREATE UNIQUE INDEX disputes_pending ON disputes (source, event_id) WHERE status IN ('open', 'suppressed');
CREATE INDEX disputes_event ON disputes (source, event_id, status);
CREATE INDEX disputes_subject ON disputes (subject, opened_at);
CREATE INDEX disputes_status ON disputes (status, opened_at);
